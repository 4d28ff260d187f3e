package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.EventName;
import io.tarn.core.Hex;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.blobs.InlineValue;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.MetaStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Buckets and single-part objects: put, head, open, overwrite, delete, conditions, reopen. */
class ObjectsTest extends StoreTestSupport {

  private static StorageException.Kind kindOf(Executable call) {
    return assertThrows(StorageException.class, call).kind();
  }

  @Test
  void bucketsCreateListDelete() {
    BucketInfo b = store.createBucket("photos", "eu-west-1", OWNER);
    assertEquals("photos", b.name());
    assertEquals(clock.instant().toEpochMilli(), b.created().toEpochMilli());
    store.createBucket("archive", "us-east-1", OWNER);
    assertEquals(List.of("archive", "photos"), store.listBuckets().stream().map(BucketInfo::name).toList());
    assertEquals(StorageException.Kind.BUCKET_ALREADY_OWNED_BY_YOU,
        kindOf(() -> store.createBucket("photos", "eu-west-1", OWNER)));
    assertEquals(StorageException.Kind.BUCKET_ALREADY_EXISTS,
        kindOf(() -> store.createBucket("photos", "eu-west-1", "b".repeat(64))));
    put("photos", "x", utf8("x"));
    assertEquals(StorageException.Kind.BUCKET_NOT_EMPTY, kindOf(() -> store.deleteBucket("photos")));
    store.delete("photos", "x", CTX);
    store.deleteBucket("photos");
    assertTrue(store.bucket("photos").isEmpty());
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET, kindOf(() -> store.deleteBucket("photos")));
    assertThrows(IllegalArgumentException.class, () -> store.createBucket("Bad_Name", "r", OWNER));
  }

  @Test
  void missingBucketIsReportedByEveryObjectOperation() {
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET, kindOf(() -> put("nope", "k", utf8("v"))));
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET, kindOf(() -> store.head("nope", "k")));
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET, kindOf(() -> store.open("nope", "k")));
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET, kindOf(() -> store.delete("nope", "k", CTX)));
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET, kindOf(() -> store.list("nope", "", null, null, 10)));
    assertEquals(List.of(), blobFiles(), "a rejected put leaves no file");
  }

  @Test
  void inlineAndFileObjectsRoundTrip() {
    store.createBucket("bkt", "r", OWNER);
    byte[] small = bytes(THRESHOLD, 1);
    byte[] large = bytes(THRESHOLD + 1, 2);
    ObjectInfo s = put("bkt", "small", small);
    assertEquals(List.of(), blobFiles(), "a body within the threshold is inline");
    ObjectInfo l = put("bkt", "large", large);
    assertEquals(1, blobFiles().size());
    assertEquals(Hex.encode(ChecksumAlgorithm.MD5.digest(small)), s.etag());
    assertEquals(Hex.encode(ChecksumAlgorithm.MD5.digest(large)), l.etag());
    assertArrayEquals(small, read("bkt", "small"));
    assertArrayEquals(large, read("bkt", "large"));
    byte[] stored; // the one inline body: the large one is a file
    try (MetaStore.Cursor c = store.meta().cursor(ColumnFamily.INLINE)) {
      c.seekToFirst();
      stored = c.value();
    }
    assertEquals(InlineValue.FORMAT, stored[0]);
    assertArrayEquals(small, java.util.Arrays.copyOfRange(stored, InlineValue.OFFSET, stored.length));
    try (ObjectContent c = store.open("bkt", "small")) {
      assertArrayEquals(java.util.Arrays.copyOfRange(small, 10, 20), readRange(c, 10, 10));
    }
    ObjectInfo head = store.head("bkt", "large").orElseThrow();
    assertEquals(large.length, head.size());
    assertEquals("text/plain", head.metadata().contentType());
    assertEquals(OWNER, head.ownerId());
    assertFalse(head.isMultipart());
    assertTrue(store.head("bkt", "missing").isEmpty());
    assertEquals(StorageException.Kind.NO_SUCH_KEY, kindOf(() -> store.open("bkt", "missing")));
  }

  @Test
  void unknownLengthBodySpillsWhenItOutgrowsTheThreshold() {
    store.createBucket("bkt", "r", OWNER);
    byte[] data = bytes(3 * THRESHOLD + 5, 3);
    try (BlobUpload u = body(data, -1, ChecksumAlgorithm.SHA256, ChecksumAlgorithm.CRC32)) {
      BlobUpload.Digests d = u.finish();
      assertEquals(data.length, d.size());
      assertArrayEquals(ChecksumAlgorithm.SHA256.digest(data), d.digests().get(ChecksumAlgorithm.SHA256));
      assertArrayEquals(ChecksumAlgorithm.CRC32.digest(data), d.digests().get(ChecksumAlgorithm.CRC32));
      StoredChecksum sum = new StoredChecksum(ChecksumAlgorithm.SHA256, d.digests().get(ChecksumAlgorithm.SHA256), 0);
      ObjectInfo info = store.putObject("bkt", "k", u, ObjectMetadata.of(null, Map.of("a", "1")), sum,
          WriteCondition.NONE, EventName.OBJECT_CREATED_POST, CTX);
      assertArrayEquals(sum.value(), info.checksum().value());
    }
    assertEquals(1, blobFiles().size());
    assertArrayEquals(data, read("bkt", "k"));
    assertEquals("binary/octet-stream", store.head("bkt", "k").orElseThrow().metadata().effectiveContentType());
  }

  @Test
  void rangesMapOntoSegments() {
    store.createBucket("bkt", "r", OWNER);
    byte[] data = bytes(5000, 4);
    put("bkt", "k", data);
    try (ObjectContent c = store.open("bkt", "k")) {
      assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 1100), readRange(c, 100, 1000));
      assertThrows(IllegalStateException.class, () -> c.segments(0, 1));
    }
    try (ObjectContent c = store.open("bkt", "k")) {
      assertThrows(IllegalArgumentException.class, () -> c.segments(4000, 1001));
      assertThrows(IllegalArgumentException.class, () -> c.segments(-1, 1));
    }
    try (ObjectContent c = store.open("bkt", "k")) {
      assertEquals(List.of(), c.segments(5000, 0));
    }
  }

  @Test
  void overwriteDeletesTheReplacedBlobAndDeleteRemovesEverything() {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "k", bytes(5000, 1));
    List<String> first = blobFiles();
    byte[] second = bytes(6000, 2);
    put("bkt", "k", second);
    List<String> now = blobFiles();
    assertEquals(1, now.size());
    assertFalse(now.containsAll(first), "the replaced blob file is deleted");
    assertArrayEquals(second, read("bkt", "k"));
    byte[] third = bytes(10, 3);
    put("bkt", "k", third); // file -> inline
    assertEquals(List.of(), blobFiles());
    assertArrayEquals(third, read("bkt", "k"));
    assertTrue(store.delete("bkt", "k", CTX));
    assertFalse(store.delete("bkt", "k", CTX));
    assertTrue(store.head("bkt", "k").isEmpty());
  }

  @Test
  void readersKeepTheirVersionAcrossAnOverwrite() {
    store.createBucket("bkt", "r", OWNER);
    byte[] v1 = bytes(5000, 1);
    put("bkt", "k", v1);
    try (ObjectContent c = store.open("bkt", "k")) {
      put("bkt", "k", bytes(5000, 2));
      store.delete("bkt", "k", CTX);
      assertArrayEquals(v1, readRange(c, 0, v1.length));
    }
  }

  @Test
  void conditionalWrites() {
    store.createBucket("bkt", "r", OWNER);
    WriteCondition ifAbsent = new WriteCondition(null, true);
    ObjectInfo v1 = put("bkt", "k", utf8("one"), ifAbsent);
    assertEquals(StorageException.Kind.PRECONDITION_FAILED, kindOf(() -> put("bkt", "k", utf8("two"), ifAbsent)));
    assertEquals(StorageException.Kind.PRECONDITION_FAILED,
        kindOf(() -> put("bkt", "k", bytes(5000, 1), new WriteCondition("0".repeat(32), false))));
    assertEquals(StorageException.Kind.NO_SUCH_KEY,
        kindOf(() -> put("bkt", "other", utf8("x"), new WriteCondition(v1.etag(), false))));
    put("bkt", "k", utf8("three"), new WriteCondition("\"" + v1.etag() + "\"", false));
    assertArrayEquals(utf8("three"), read("bkt", "k"));
    assertEquals(List.of(), blobFiles(), "rejected file bodies are deleted");
    assertTrue(store.head("bkt", "other").isEmpty());
  }

  @Test
  void conditionalDeletesDeleteOnlyWhatTheyName() {
    store.createBucket("bkt", "r", OWNER);
    ObjectInfo v1 = put("bkt", "k", bytes(5000, 1));
    java.time.Instant modified = v1.lastModified();
    List<WriteCondition> failing = List.of(
        WriteCondition.ofDelete("0".repeat(32), null, null),
        WriteCondition.ofDelete(null, 4999L, null),
        WriteCondition.ofDelete(null, null, modified.plusSeconds(1)),
        WriteCondition.ofDelete(v1.etag(), 5000L, modified.minusSeconds(1)));
    for (WriteCondition c : failing) {
      assertEquals(StorageException.Kind.PRECONDITION_FAILED, kindOf(() -> store.delete("bkt", "k", c, CTX)),
          c.toString());
    }
    assertArrayEquals(bytes(5000, 1), read("bkt", "k"), "a failed condition deletes nothing");
    assertEquals(1, blobFiles().size());
    assertEquals(1, committedEvents().size(), "and commits no event");

    // Every condition at once, the time at second precision as HTTP dates have it.
    assertTrue(store.delete("bkt", "k", WriteCondition.ofDelete("\"" + v1.etag() + "\"", 5000L,
        java.time.Instant.ofEpochSecond(modified.getEpochSecond())), CTX));
    assertTrue(store.head("bkt", "k").isEmpty());
    assertEquals(List.of(), blobFiles());

    // A missing key: If-Match (even *) is NoSuchKey; size and time alone hold, deleting nothing.
    assertEquals(StorageException.Kind.NO_SUCH_KEY,
        kindOf(() -> store.delete("bkt", "k", WriteCondition.ofDelete(v1.etag(), null, null), CTX)));
    assertEquals(StorageException.Kind.NO_SUCH_KEY,
        kindOf(() -> store.delete("bkt", "k", WriteCondition.ofDelete("*", null, null), CTX)));
    assertFalse(store.delete("bkt", "k", WriteCondition.ofDelete(null, 1L, modified), CTX));

    put("bkt", "star", utf8("x"));
    assertTrue(store.delete("bkt", "star", WriteCondition.ofDelete("*", null, null), CTX));
    assertEquals(List.of("ObjectCreated:Put", "ObjectRemoved:Delete", "ObjectCreated:Put", "ObjectRemoved:Delete"),
        committedEvents().stream().map(e -> e.substring(0, e.indexOf(' '))).toList());
  }

  @Test
  void uploadsAreSingleUseAndClosingDiscardsTheTempFile() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    BlobUpload u = body(bytes(5000, 1), 5000);
    assertEquals(1, Files.list(dir.resolve("tmp")).count());
    u.close();
    assertEquals(0, Files.list(dir.resolve("tmp")).count());
    assertThrows(IllegalStateException.class, () -> u.write(ByteBuffer.allocate(1)));

    BlobUpload unfinished = store.openUpload(-1, Set.of());
    assertThrows(IllegalStateException.class, () -> store.putObject("bkt", "k", unfinished,
        ObjectMetadata.of(null, Map.of()), null, WriteCondition.NONE, EventName.OBJECT_CREATED_PUT, CTX));
    unfinished.close();

    try (BlobUpload once = body(utf8("x"), 1)) {
      store.putObject("bkt", "k", once, ObjectMetadata.of(null, Map.of()), null, WriteCondition.NONE,
          EventName.OBJECT_CREATED_PUT, CTX);
      assertThrows(IllegalStateException.class, () -> store.putObject("bkt", "k2", once,
          ObjectMetadata.of(null, Map.of()), null, WriteCondition.NONE, EventName.OBJECT_CREATED_PUT, CTX));
    }
    assertThrows(IllegalArgumentException.class, () -> put("bkt", "", utf8("x")));
    assertThrows(IllegalArgumentException.class, () -> put("bkt", "k".repeat(1025), utf8("x")));
    assertThrows(IllegalArgumentException.class, () -> put("bkt", "bad\uD800", utf8("x")));
  }

  @Test
  void reopenKeepsEverything() {
    store.createBucket("bkt", "eu-north-1", OWNER);
    byte[] small = bytes(10, 1);
    byte[] large = bytes(5000, 2);
    put("bkt", "small", small);
    put("bkt", "large", large);
    reopen();
    assertEquals("eu-north-1", store.bucket("bkt").orElseThrow().region());
    assertArrayEquals(small, read("bkt", "small"));
    assertArrayEquals(large, read("bkt", "large"));
    assertEquals(1, blobFiles().size(), "the live blob survived the start-up sweep");
  }

  @Test
  void syncedStoreWorksToo() {
    store.close();
    store = TarnStore.open(StorageOptions.defaults(dir), sink, clock);
    store.createBucket("bkt", "r", OWNER);
    byte[] large = bytes(StorageOptions.DEFAULT_INLINE_THRESHOLD + 1, 5);
    put("bkt", "k", large);
    put("bkt", "s", utf8("small"));
    reopen();
    assertArrayEquals(large, read("bkt", "k"));
    assertArrayEquals(utf8("small"), read("bkt", "s"));
  }

  @Test
  void closedStoreRefusesWorkAndASecondOpenFails() {
    StorageException second = assertThrows(StorageException.class, this::open);
    assertEquals(StorageException.Kind.LOCKED, second.kind()); // RocksDB's lock, in words
    store.close();
    store.close();
    assertEquals(StorageException.Kind.IO, kindOf(() -> store.listBuckets()));
  }
}
