package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the data directory is private by default (directories 0700, files 0600), a group mode
 * relaxes it, and {@code master.key} is never generated into a data directory that holds data.
 */
class DataModeTest extends StoreTestSupport {
  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private Path blobFile() {
    return dir.resolve("blobs").resolve(blobFiles().get(0).substring(0, 2)).resolve(blobFiles().get(0));
  }

  @Test
  void directoriesAndFilesArePrivateByDefault() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "big", bytes(THRESHOLD * 4, 1));
    BlobUpload inFlight = body(bytes(THRESHOLD * 4, 2), THRESHOLD * 4);
    try {
      for (String d : new String[] {"", "meta", "blobs", "blobs/00", "tmp"}) {
        assertEquals("rwx------", mode(dir.resolve(d)), "directory " + d);
      }
      assertEquals("rw-------", mode(blobFile()), "a blob file");
      try (var temps = Files.list(dir.resolve("tmp"))) {
        assertEquals("rw-------", mode(temps.findFirst().orElseThrow()), "a temp file");
      }
      assertEquals("rw-------", mode(dir.resolve(MasterKey.FILE)));
    } finally {
      inFlight.close();
    }
  }

  @Test
  void groupModeLetsTheGroupRead() throws Exception {
    store.close();
    store = TarnStore.open(options().withDataMode(DataMode.GROUP), sink, clock);
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "big", bytes(THRESHOLD * 4, 1));
    for (String d : new String[] {"", "meta", "blobs", "tmp"}) {
      assertEquals("rwxr-x---", mode(dir.resolve(d)), "directory " + d);
    }
    assertEquals("rw-r-----", mode(blobFile()), "a blob file");
    assertEquals("rw-------", mode(dir.resolve(MasterKey.FILE)), "a secret stays private");
  }

  @Test
  void anExistingLooserDataDirectoryIsTightenedAtStartItsFilesKept() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    byte[] data = bytes(THRESHOLD * 4, 1);
    put("bkt", "big", data);
    store.close();
    for (String d : new String[] {"", "meta", "blobs", "tmp"}) {
      Files.setPosixFilePermissions(dir.resolve(d), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.setPosixFilePermissions(blobFile(), PosixFilePermissions.fromString("rw-r--r--"));

    store = open();

    for (String d : new String[] {"", "meta", "blobs", "tmp"}) {
      assertEquals("rwx------", mode(dir.resolve(d)), "directory " + d);
    }
    assertEquals("rw-r--r--", mode(blobFile()), "files are not re-moded: unreachable behind 0700 directories");
    assertEquals(java.util.Arrays.toString(data), java.util.Arrays.toString(read("bkt", "big")));
  }

  @Test
  void aFreshDataDirectoryIsCreatedPrivate() throws Exception {
    store.close();
    Path fresh = dir.resolve("a").resolve("data");
    store = TarnStore.open(new StorageOptions(fresh, THRESHOLD, false), sink, clock);
    assertEquals("rwx------", mode(fresh));
    assertEquals("rwx------", mode(fresh.getParent()), "missing parents too");
    assertTrue(store.masterKeyGenerated());
  }

  @Test
  void aMissingMasterKeyOfADataDirectoryWithDataIsRefusedWithoutWritingOne() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    store.close();
    store = null;
    Files.delete(dir.resolve(MasterKey.FILE));

    StorageException e = assertThrows(StorageException.class, this::open);

    assertEquals(StorageException.Kind.MASTER_KEY, e.kind());
    assertTrue(e.getMessage().contains("master.key is missing"), e.getMessage());
    assertTrue(e.getMessage().contains("TARN_MASTER_KEY"), e.getMessage());
    assertFalse(Files.exists(dir.resolve(MasterKey.FILE)), "no new key written");
  }

  @Test
  void blobsWithoutMetaAlsoCountAsData() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "big", bytes(THRESHOLD * 4, 1));
    store.close();
    store = null;
    Files.delete(dir.resolve(MasterKey.FILE));
    try (var files = Files.walk(dir.resolve("meta"))) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }

    assertThrows(StorageException.class, this::open);
    assertFalse(Files.exists(dir.resolve(MasterKey.FILE)), "no new key written");
  }

  @Test
  void aGeneratedKeyIsReportedOnlyOnTheFirstOpen() {
    assertTrue(store.masterKeyGenerated());
    reopen();
    assertFalse(store.masterKeyGenerated());
  }

  @Test
  void theModeOptionParses() {
    assertEquals(DataMode.GROUP, DataMode.parse(" Group"));
    assertEquals(DataMode.PRIVATE, DataMode.parse("private"));
    assertThrows(IllegalArgumentException.class, () -> DataMode.parse("0755"));
  }
}
