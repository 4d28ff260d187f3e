package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.EventName;
import io.tarn.core.checksum.ChecksumAlgorithm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CopyObject: inline, file and multipart sources, onto itself, checksums, failures. */
class CopyTest extends StoreTestSupport {
  @BeforeEach
  void buckets() {
    store.createBucket("src", "r", OWNER);
    store.createBucket("dst", "r", OWNER);
  }

  private ObjectInfo copy(String sk, String dk, ObjectMetadata meta, ChecksumAlgorithm alg) {
    return store.copy("src", sk, "dst", dk, info -> {}, meta, alg, WriteCondition.NONE, CTX);
  }

  @Test
  void copiesSurviveTheSourceBeingOverwrittenAndDeleted() {
    byte[] small = bytes(100, 1);
    byte[] large = bytes(5000, 2);
    put("src", "small", small);
    ObjectInfo l = put("src", "large", large);
    ObjectInfo lc = copy("large", "large-copy", null, null);
    copy("small", "small-copy", null, null);
    assertEquals(l.etag(), lc.etag());
    assertEquals("text/plain", lc.metadata().contentType(), "metadata copied without a REPLACE");
    assertEquals(3, blobFiles().size(), "the file blob is linked under a new id, with the copy's manifest");
    put("src", "large", utf8("new"));
    store.delete("src", "small", CTX);
    assertArrayEquals(large, read("dst", "large-copy"));
    assertArrayEquals(small, read("dst", "small-copy"));
    assertEquals(2, blobFiles().size());
  }

  @Test
  void copyOntoItselfReplacesTheMetadata() {
    byte[] data = bytes(5000, 3);
    ObjectInfo before = put("src", "k", data);
    ObjectMetadata replaced = ObjectMetadata.of("image/png", Map.of("x", "y"));
    clock.advance(Duration.ofMillis(5000));
    ObjectInfo after = store.copy("src", "k", "src", "k", info -> {}, replaced, null, WriteCondition.NONE, CTX);
    assertEquals(before.etag(), after.etag());
    assertEquals("image/png", store.head("src", "k").orElseThrow().metadata().contentType());
    assertEquals(Map.of("x", "y"), store.head("src", "k").orElseThrow().metadata().userMetadata());
    assertTrue(after.lastModified().isAfter(before.lastModified()));
    assertArrayEquals(data, read("src", "k"));
    assertEquals(2, blobFiles().size(), "the old link is released, the new one and its manifest kept");
    // Inline too.
    put("src", "s", utf8("tiny"));
    store.copy("src", "s", "src", "s", info -> {}, replaced, null, WriteCondition.NONE, CTX);
    assertArrayEquals(utf8("tiny"), read("src", "s"));
  }

  @Test
  void multipartSourceKeepsItsManifest() {
    UploadInfo u = store.createUpload("src", "mp", ObjectMetadata.of(null, Map.of()), null, CTX);
    byte[] p1 = bytes(1500, 1);
    byte[] p2 = bytes(700, 2);
    PartSummary s1;
    PartSummary s2;
    try (BlobUpload b = body(p1, p1.length)) {
      s1 = store.putPart("src", "mp", u.uploadId(), 1, b, null);
    }
    try (BlobUpload b = body(p2, p2.length)) {
      s2 = store.putPart("src", "mp", u.uploadId(), 2, b, null);
    }
    ObjectInfo src = store.completeUpload("src", "mp", u.uploadId(), List.of(new CompletedPart(1, s1.etag(), null),
        new CompletedPart(2, s2.etag(), null)), 1000, WriteCondition.NONE, CTX);
    ObjectInfo c = copy("mp", "mp-copy", null, ChecksumAlgorithm.SHA1);
    assertEquals(src.etag(), c.etag());
    assertEquals(2, c.parts().size());
    assertEquals(6, blobFiles().size(), "2 parts and a manifest, linked parts and a manifest");
    byte[] whole = new byte[p1.length + p2.length];
    System.arraycopy(p1, 0, whole, 0, p1.length);
    System.arraycopy(p2, 0, whole, p1.length, p2.length);
    assertArrayEquals(ChecksumAlgorithm.SHA1.digest(whole), c.checksum().value(), "checksum computed over the bytes");
    assertEquals(0, c.checksum().partCount());
    store.delete("src", "mp", CTX);
    assertArrayEquals(whole, read("dst", "mp-copy"));
    assertEquals(3, blobFiles().size(), "the copy's linked parts and its manifest");
  }

  @Test
  void checksumIsKeptOrComputed() {
    byte[] data = bytes(3000, 4);
    try (BlobUpload b = body(data, data.length, ChecksumAlgorithm.CRC32)) {
      StoredChecksum sum = new StoredChecksum(ChecksumAlgorithm.CRC32, b.finish().digests().get(ChecksumAlgorithm.CRC32), 0);
      store.putObject("src", "k", b, ObjectMetadata.of(null, Map.of()), sum, WriteCondition.NONE,
          EventName.OBJECT_CREATED_PUT, CTX);
    }
    assertArrayEquals(ChecksumAlgorithm.CRC32.digest(data), copy("k", "kept", null, null).checksum().value());
    assertArrayEquals(ChecksumAlgorithm.CRC32.digest(data),
        copy("k", "same", null, ChecksumAlgorithm.CRC32).checksum().value());
    assertArrayEquals(ChecksumAlgorithm.CRC64NVME.digest(data),
        copy("k", "other", null, ChecksumAlgorithm.CRC64NVME).checksum().value());
    put("src", "plain", utf8("abc"));
    assertNull(copy("plain", "none", null, null).checksum());
    assertArrayEquals(ChecksumAlgorithm.SHA256.digest(utf8("abc")),
        copy("plain", "sha", null, ChecksumAlgorithm.SHA256).checksum().value());
  }

  @Test
  void failuresLeaveNothingBehind() {
    put("src", "k", bytes(5000, 5));
    put("dst", "taken", utf8("x"));
    assertEquals(StorageException.Kind.NO_SUCH_KEY,
        assertThrows(StorageException.class, () -> copy("missing", "d", null, null)).kind());
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET, assertThrows(StorageException.class,
        () -> store.copy("src", "k", "nobucket", "d", i -> {}, null, null, WriteCondition.NONE, CTX)).kind());
    assertEquals(StorageException.Kind.PRECONDITION_FAILED, assertThrows(StorageException.class,
        () -> store.copy("src", "k", "dst", "taken", i -> {}, null, null, new WriteCondition(null, true), CTX)).kind());
    IllegalStateException fromCheck = new IllegalStateException("copy-source-if-match failed");
    assertSame(fromCheck, assertThrows(IllegalStateException.class, () -> store.copy("src", "k", "dst", "d",
        info -> {
          assertEquals(5000, info.size());
          throw fromCheck;
        }, null, null, WriteCondition.NONE, CTX)));
    assertEquals(1, blobFiles().size(), "no link left behind by a failed copy");
    assertTrue(store.head("dst", "d").isEmpty());
  }
}
