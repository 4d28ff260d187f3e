package io.tarn.server.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StartupErrorsTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String err() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anUnexpectedExceptionIsOneLineThatPointsAtDebug() {
    int code = StartupErrors.run(false, err, () -> {
      throw new IllegalStateException("the wiring broke\nacross two lines");
    });

    assertEquals(1, code);
    assertEquals("unexpected failure at start: java.lang.IllegalStateException: the wiring broke across two lines"
        + " (run with --debug for details)\n", err());
  }

  @Test
  void withDebugTheTraceFollowsTheLine() {
    int code = StartupErrors.run(true, err, () -> {
      throw new StartupFailure(Exit.ADDRESS, "cannot listen on 0.0.0.0:9000: address already in use",
          new BindException("Address already in use"));
    });

    assertEquals(3, code);
    String[] lines = err().split("\n");
    assertEquals("cannot listen on 0.0.0.0:9000: address already in use", lines[0]);
    assertEquals("java.net.BindException: Address already in use", lines[1]);
    assertTrue(lines[2].startsWith("\tat "), err());
  }

  @Test
  void aStartThatEndsNormallyKeepsItsCode() {
    assertEquals(0, StartupErrors.run(false, err, () -> 0));
    assertEquals("", err());
  }

  @Test
  void eachStorageRefusalHasItsClass() {
    assertEquals(Exit.LOCKED, StartupErrors.classify(new StorageException(StorageException.Kind.LOCKED, "x")).exit());
    assertEquals(Exit.MASTER_KEY, StartupErrors.classify(new StorageException(StorageException.Kind.MASTER_KEY, "x")).exit());
    assertEquals(Exit.STORE, StartupErrors.classify(new StorageException(StorageException.Kind.INCOMPATIBLE, "x")).exit());
    assertEquals(Exit.STORE, StartupErrors.classify(new StorageException(StorageException.Kind.IO, "corrupt WAL")).exit());
    StartupFailure denied = StartupErrors.classify(new StorageException(StorageException.Kind.IO, "cannot create",
        new AccessDeniedException("/srv/tarn/meta")));
    assertEquals(Exit.DATA_DIRECTORY, denied.exit());
    assertEquals("permission denied: user " + System.getProperty("user.name") + " cannot access /srv/tarn/meta",
        denied.getMessage());
    StartupFailure rocks = StartupErrors.classify(new StorageException(StorageException.Kind.IO,
        "meta store /d/meta: open failed: IO error: While open a file for appending: /d/meta/000009.log: Permission denied"));
    assertEquals(Exit.DATA_DIRECTORY, rocks.exit());
  }

  @Test
  void aStoreFailureNamesTheDataDirectoryUnlessItIsAPermission() {
    Path data = Path.of("/srv/tarn");
    StartupFailure refused = StartupErrors.storeFailure(data, new StorageException(StorageException.Kind.IO,
        "meta/ belongs to another store"));
    assertEquals(Exit.STORE, refused.exit());
    assertEquals("cannot open the data directory /srv/tarn: meta/ belongs to another store", refused.getMessage());
    StartupFailure denied = StartupErrors.storeFailure(data, new StorageException(StorageException.Kind.IO,
        "cannot create /srv/tarn", new AccessDeniedException("/srv/tarn/meta")));
    assertEquals(Exit.DATA_DIRECTORY, denied.exit());
    assertEquals("data directory format 2 is newer", StartupErrors.storeFailure(data,
        new StorageException(StorageException.Kind.INCOMPATIBLE, "data directory format 2 is newer")).getMessage());
  }

  @Test
  void aBindFailureNamesTheAddressAndWhatElseIsLeftAsItIs() {
    Exception e = StartupErrors.listenFailure("0.0.0.0:80", new RuntimeException(new BindException("Permission denied")));
    assertTrue(e instanceof StartupFailure f && f.exit() == Exit.ADDRESS, String.valueOf(e));
    assertEquals("cannot listen on 0.0.0.0:80: permission denied (ports below 1024 need root or the"
        + " CAP_NET_BIND_SERVICE capability)", e.getMessage());
    IllegalStateException other = new IllegalStateException("no");
    assertEquals(other, StartupErrors.listenFailure("0.0.0.0:80", other));
    assertFalse(StartupErrors.listenFailure("h:1", new java.nio.channels.UnresolvedAddressException())
        .getMessage().isEmpty());
    assertEquals(Exit.DATA_DIRECTORY, StartupErrors.classify(new java.nio.file.FileSystemException(
        Path.of("/d/root-credentials").toString(), null, "Read-only file system")).exit());
  }
}
