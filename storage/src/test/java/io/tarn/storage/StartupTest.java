package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up: the data directory layout, the tmp sweep and the blob sweep. */
class StartupTest extends StoreTestSupport {
  @Test
  void layoutIsCreated() {
    assertTrue(Files.isDirectory(dir.resolve("meta")));
    assertTrue(Files.isDirectory(dir.resolve("tmp")));
    for (String fan : List.of("00", "7f", "ab", "ff")) {
      assertTrue(Files.isDirectory(dir.resolve("blobs").resolve(fan)), fan);
    }
  }

  @Test
  void unaccountedBlobsAreQuarantinedTempFilesDeletedLiveBlobsKept() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    byte[] live = bytes(5000, 1);
    put("bkt", "live", live);
    UploadInfo u = store.createUpload("bkt", "mp", ObjectMetadata.of(null, Map.of()), null, CTX);
    try (BlobUpload b = body(bytes(10, 2), 10)) {
      store.putPart("bkt", "mp", u.uploadId(), 1, b, null);
    }
    // What a crash leaves: a body in flight, and a blob file that no record accounts for.
    BlobUpload inFlight = body(bytes(5000, 3), 5000);
    String orphan = Ids.random128();
    Path orphanPath = dir.resolve("blobs").resolve(orphan.substring(0, 2)).resolve(orphan);
    Files.write(orphanPath, bytes(100, 4));
    Path foreign = dir.resolve("blobs").resolve("00").resolve("README");
    Files.writeString(foreign, "not ours");
    Files.write(dir.resolve("tmp").resolve(Ids.random128()), bytes(10, 5));
    store.close();

    store = open(); // inFlight's temp file is still there, as after a crash


    // Its metadata may be what was lost: moved aside, never deleted (BlobLifecycleTest has the states).
    assertFalse(Files.exists(orphanPath), "unaccounted blob moved out of blobs/");
    assertArrayEquals(bytes(100, 4), Files.readAllBytes(dir.resolve("quarantine").resolve(orphan)), "and quarantined");
    assertTrue(Files.exists(foreign), "a file that is not a blob id is left alone");
    try (var tmp = Files.list(dir.resolve("tmp"))) {
      assertEquals(0, tmp.count(), "tmp emptied");
    }
    assertEquals(3, blobFiles().size(), "the object's blob, the part's blob, and the foreign file");
    assertArrayEquals(live, read("bkt", "live"));
    assertEquals(1, store.listParts("bkt", "mp", u.uploadId(), 0, 10).parts().size());
    inFlight.close(); // its file is already gone: closing is still fine
  }

  @Test
  void dataDirectoryThatIsAFileIsAClearError() throws Exception {
    Path file = dir.resolve("not-a-dir");
    Files.writeString(file, "x");
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    StorageException e = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
        () -> TarnStore.open(new StorageOptions(file, 10, false), sink, clock));
    assertEquals(StorageException.Kind.IO, e.kind());
    assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
        "the file is left as it was");
  }

  @Test
  void aDataDirectoryWithTheDroppedEventsColumnFamilyOpensAndLosesIt() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "k", utf8("kept"));
    store.close();
    store = null;
    // What the build before the events column family was dropped left: every column family it
    // opened, "events" among them, with an entry in it.
    Path meta = dir.resolve("meta");
    List<byte[]> names = new java.util.ArrayList<>();
    try (org.rocksdb.Options o = new org.rocksdb.Options()) {
      names.addAll(org.rocksdb.RocksDB.listColumnFamilies(o, meta.toString()));
    }
    names.add(utf8("events"));
    List<org.rocksdb.ColumnFamilyDescriptor> descriptors = new java.util.ArrayList<>();
    // The usage counters are merge operands: opened without their operator, RocksDB's default
    // (point-in-time) recovery stops replaying the WAL at the first batch holding one, silently
    // dropping that batch's later records and every batch after it.
    try (org.rocksdb.UInt64AddOperator add = new org.rocksdb.UInt64AddOperator();
        org.rocksdb.ColumnFamilyOptions counters = new org.rocksdb.ColumnFamilyOptions().setMergeOperator(add)) {
      for (byte[] n : names) {
        descriptors.add(java.util.Arrays.equals(n, utf8("usage")) ? new org.rocksdb.ColumnFamilyDescriptor(n, counters)
            : new org.rocksdb.ColumnFamilyDescriptor(n));
      }
      List<org.rocksdb.ColumnFamilyHandle> handles = new java.util.ArrayList<>();
      try (org.rocksdb.DBOptions o = new org.rocksdb.DBOptions().setCreateMissingColumnFamilies(true);
          org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(o, meta.toString(), descriptors, handles)) {
        db.put(handles.get(handles.size() - 1), utf8("0000000000000001"), utf8("an event"));
        handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
      }
    }

    store = open();
    assertArrayEquals(utf8("kept"), read("bkt", "k"));
    store.close();
    store = null;
    try (org.rocksdb.Options o = new org.rocksdb.Options()) {
      assertFalse(org.rocksdb.RocksDB.listColumnFamilies(o, meta.toString()).stream()
          .anyMatch(n -> new String(n, java.nio.charset.StandardCharsets.UTF_8).equals("events")), "dropped");
    }
    store = open();
    assertArrayEquals(utf8("kept"), read("bkt", "k"));
  }
}
