package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.ResponseHeaderAudit;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServer;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 11: a data directory that any local user could read (0755 directories, 0644 files) is now
 * private (0700/0600) unless {@code --data-mode group} relaxes it; and a data directory that lost its
 * {@code master.key} is refused at start instead of getting a new, wrong key.
 */
class DataDirectoryModesTest {
  @TempDir Path base;
  private final ResponseHeaderAudit audit = new ResponseHeaderAudit();

  private TarnServer server(Path data, List<String> args) {
    return new TarnServer("DataDirectoryModesTest", data, TarnServerExtension.targetDir().resolve("it-servers"),
        TarnServer.Credentials.random(), args);
  }

  /** Starts a server on {@code data} (created by it), stores an object in a blob file, stops it. */
  private void storeABlob(Path data, List<String> args) {
    try (TarnServer server = server(data, args)) {
      server.start();
      try (S3Client s3 = S3Clients.pathStyle(server.port(),
          S3Clients.credentials(server.root().accessKey(), server.root().secretKey()), audit)) {
        String bucket = TestData.bucketName("modes");
        s3.createBucket(b -> b.bucket(bucket));
        // Above the 128 KiB inline threshold: kept in a blob file.
        s3.putObject(b -> b.bucket(bucket).key("big"), RequestBody.fromBytes(TestData.bytes(300 * 1024, 1)));
      }
    }
    assertEquals(List.of(), audit.drain());
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static Path aBlobFile(Path data) throws Exception {
    try (Stream<Path> files = Files.walk(data.resolve("blobs"))) {
      return files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
  }

  @Test
  void theDataDirectoryIsPrivateByDefault() throws Exception {
    Path data = base.resolve("data");

    storeABlob(data, List.of());

    for (String dir : new String[] {"", "meta", "blobs", "tmp"}) {
      assertEquals("rwx------", mode(data.resolve(dir)), "directory '" + dir + "'");
    }
    assertEquals("rw-------", mode(aBlobFile(data)), "a blob file");
    assertEquals("rw-------", mode(data.resolve("master.key")));
    assertEquals("rw-------", mode(data.resolve("root-credentials")));
  }

  @Test
  void groupModeLetsTheGroupReadButNotTheSecrets() throws Exception {
    Path data = base.resolve("data");

    storeABlob(data, List.of("--data-mode", "group"));

    for (String dir : new String[] {"", "meta", "blobs", "tmp"}) {
      assertEquals("rwxr-x---", mode(data.resolve(dir)), "directory '" + dir + "'");
    }
    assertEquals("rw-r-----", mode(aBlobFile(data)), "a blob file");
    assertEquals("rw-------", mode(data.resolve("master.key")));
    assertEquals("rw-------", mode(data.resolve("root-credentials")));
  }

  @Test
  void aLooserExistingDataDirectoryIsTightenedAtStart() throws Exception {
    Path data = Files.createDirectories(base.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

    storeABlob(data, List.of());

    assertEquals("rwx------", mode(data));
  }

  @Test
  void aDataDirectoryThatLostItsMasterKeyIsRefusedAndNoKeyIsWritten() throws Exception {
    Path data = base.resolve("data");
    storeABlob(data, List.of());
    Files.delete(data.resolve("master.key"));

    try (TarnServer server = server(data, List.of())) {
      IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
      assertTrue(e.getMessage().contains("master.key is missing"), e.getMessage());
      assertTrue(e.getMessage().contains("TARN_MASTER_KEY"), e.getMessage());
      assertTrue(e.getMessage().contains("exited (code 6)"), e.getMessage()); // the master key class (docs/ops/startup.md)
    }
    assertFalse(Files.exists(data.resolve("master.key")), "no new key written next to the data");
  }
}
