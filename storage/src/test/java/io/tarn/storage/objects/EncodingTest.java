package io.tarn.storage.objects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Ids;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.StorageException;
import io.tarn.storage.StoredChecksum;
import io.tarn.storage.blobs.InlineValue;
import io.tarn.storage.meta.Codec;
import io.tarn.storage.meta.Keys;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Round trips of every persisted encoding (STYLE.md 8), and clean failures on bad bytes. */
class EncodingTest {
  private static final ObjectMetadata FULL_METADATA = new ObjectMetadata("text/plain; charset=utf-8", "gzip",
      "attachment; filename=\"ü.txt\"", "de", "no-cache", "Wed, 21 Oct 2015 07:28:00 GMT",
      new TreeMap<>(Map.of("color", "blau", "emoji", "\uD83D\uDE00", "empty", "")));
  private static final ObjectMetadata EMPTY_METADATA = ObjectMetadata.of(null, Map.of());
  private static final StoredChecksum CRC = new StoredChecksum(ChecksumAlgorithm.CRC32C, new byte[] {1, 2, 3, 4}, 0);
  private static final StoredChecksum COMPOSITE =
      new StoredChecksum(ChecksumAlgorithm.SHA256, ChecksumAlgorithm.SHA256.digest(new byte[] {9}), 3);

  private static void assertChecksumEquals(StoredChecksum a, StoredChecksum b) {
    if (a == null || b == null) {
      assertEquals(a, b);
      return;
    }
    assertEquals(a.algorithm(), b.algorithm());
    assertArrayEquals(a.value(), b.value());
    assertEquals(a.partCount(), b.partCount());
  }

  private static void assertPartEquals(PartRecord a, PartRecord b) {
    assertEquals(a.partNumber(), b.partNumber());
    assertEquals(a.size(), b.size());
    assertEquals(a.etag(), b.etag());
    assertEquals(a.lastModifiedMillis(), b.lastModifiedMillis());
    assertEquals(a.blobId(), b.blobId());
    assertChecksumEquals(a.checksum(), b.checksum());
  }

  @Test
  void bucketRoundTrip() {
    for (BucketRecord r : List.of(BucketRecord.created("owner", "eu-central-1", 1_700_000_000_123L, null),
        new BucketRecord(null, null, 0, "v1-0"))) {
      assertEquals(r, BucketRecord.decode(r.encode()));
    }
  }

  @Test
  void formatOneBucketsReadWithAStableIncarnationOfTheirOwn() {
    // A bucket written before incarnations: its incarnation is derived from what it stores, the same
    // on every read (so writes authorized against it commit), and kept when the record is rewritten.
    byte[] v1 = new Codec.Out(1).string("owner").string("us-east-1").i64(1_700_000_000_123L).toBytes();
    BucketRecord old = BucketRecord.decode(v1);
    assertEquals(new BucketRecord("owner", "us-east-1", 1_700_000_000_123L, "v1-1700000000123"), old);
    assertEquals(old, BucketRecord.decode(v1));
    assertEquals(old.incarnation(), BucketRecord.decode(old.withOwner("other").encode()).incarnation());
    // A bucket created now has a random one: never one of an older bucket of the same name.
    BucketRecord a = BucketRecord.created("owner", "us-east-1", 1_700_000_000_123L, null);
    BucketRecord b = BucketRecord.created("owner", "us-east-1", 1_700_000_000_123L, null);
    assertNotEquals(a.incarnation(), b.incarnation());
    assertNotEquals(old.incarnation(), a.incarnation());
  }

  @Test
  void uploadRoundTrip() {
    for (UploadRecord r : List.of(
        new UploadRecord("dir/ké\u0000y", 1_700_000_000_123L, FULL_METADATA, ChecksumAlgorithm.CRC64NVME, "owner",
            true, Ids.random128()),
        new UploadRecord("k", 0, EMPTY_METADATA, ChecksumAlgorithm.SHA256, "o", false, "v1-5"),
        new UploadRecord("k", 0, EMPTY_METADATA, null, null, false, null))) {
      assertEquals(r, UploadRecord.decode(r.encode()));
    }
    // A format-1 record (before the checksum type): its checksum is composite.
    Codec.Out out = new Codec.Out(1).string("k").i64(5);
    ObjectFields.metadata(out, EMPTY_METADATA);
    ObjectFields.algorithm(out, ChecksumAlgorithm.CRC32);
    byte[] v1 = out.string("owner").toBytes();
    UploadRecord old = UploadRecord.decode(v1);
    assertEquals(new UploadRecord("k", 5, EMPTY_METADATA, ChecksumAlgorithm.CRC32, "owner", false, null), old);
    // Created before incarnations: it belongs to whichever bucket of its name exists (deleting a bucket
    // removes its uploads).
    assertTrue(old.belongsTo("v1-5") && old.belongsTo(Ids.random128()));
    UploadRecord now = new UploadRecord("k", 5, EMPTY_METADATA, null, null, false, "abc");
    assertTrue(now.belongsTo("abc"));
    assertFalse(now.belongsTo("abd"));
  }

  @Test
  void partRoundTrip() {
    for (PartRecord r : List.of(
        new PartRecord(1, 5L << 30, "0123456789abcdef0123456789abcdef", 42, CRC, Ids.random128()),
        new PartRecord(10_000, 0, "d41d8cd98f00b204e9800998ecf8427e", 0, null, Ids.random128()))) {
      assertPartEquals(r, PartRecord.decode(r.encode()));
    }
  }

  @Test
  void objectRoundTripForEveryBodyKind() {
    PartRecord p1 = new PartRecord(1, 5 << 20, "0123456789abcdef0123456789abcdef", 1, CRC, Ids.random128());
    PartRecord p2 = new PartRecord(3, 17, "fedcba9876543210fedcba9876543210", 2, null, Ids.random128());
    List<ObjectRecord> records = List.of(
        new ObjectRecord(12, "etag1", 1_700_000_000_123L, FULL_METADATA, CRC, "owner",
            new ObjectRecord.Inline(Ids.random128())),
        new ObjectRecord(1L << 40, "etag2", 5, EMPTY_METADATA, null, null, new ObjectRecord.BlobFile(Ids.random128())),
        new ObjectRecord(p1.size() + p2.size(), "abc-2", 7, FULL_METADATA, COMPOSITE, "owner",
            new ObjectRecord.Parts(List.of(p1, p2), "AAABk0pVnG8xQ2Y3ZkZ0RUt1d2lNQ3dn", Ids.random128())),
        new ObjectRecord(p1.size(), "abc-1", 7, EMPTY_METADATA, null, null,
            new ObjectRecord.Parts(List.of(p1), null, null)),
        new ObjectRecord(3, "etag3", 5, EMPTY_METADATA, null, null,
            new ObjectRecord.BlobFile(Ids.random128(), Ids.random128())));
    for (ObjectRecord r : records) {
      ObjectRecord back = ObjectRecord.decode(r.encode());
      assertEquals(r.size(), back.size());
      assertEquals(r.etag(), back.etag());
      assertEquals(r.lastModifiedMillis(), back.lastModifiedMillis());
      assertEquals(r.metadata(), back.metadata());
      assertEquals(r.ownerId(), back.ownerId());
      assertChecksumEquals(r.checksum(), back.checksum());
      assertEquals(r.body().getClass(), back.body().getClass());
      assertEquals(r.body().fileIds(), back.body().fileIds());
      assertEquals(r.body().manifestId(), back.body().manifestId());
      assertEquals(r.body().ownedIds(), back.body().ownedIds());
      if (r.body() instanceof ObjectRecord.Parts p) {
        assertEquals(p.uploadId(), ((ObjectRecord.Parts) back.body()).uploadId());
        List<PartRecord> backParts = ((ObjectRecord.Parts) back.body()).parts();
        for (int i = 0; i < p.parts().size(); i++) {
          assertPartEquals(p.parts().get(i), backParts.get(i));
        }
      } else {
        assertEquals(r.body(), back.body());
      }
    }
  }

  @Test
  void aFormatOneMultipartObjectHasNoUploadId() {
    PartRecord p = new PartRecord(1, 10, "0123456789abcdef0123456789abcdef", 1, null, Ids.random128());
    Codec.Out out = new Codec.Out(1).varint(10).string("e-1").i64(3);
    ObjectFields.metadata(out, EMPTY_METADATA);
    ObjectFields.checksum(out, null);
    out.string("owner").u8(3).varint(1);
    p.writeFields(out);
    ObjectRecord r = ObjectRecord.decode(out.toBytes());
    ObjectRecord.Parts body = (ObjectRecord.Parts) r.body();
    assertNull(body.uploadId());
    assertPartEquals(p, body.parts().get(0));
    assertEquals("e-1", r.etag());
  }

  @Test
  void unknownFormatTruncationAndTrailingBytesAreIoErrors() {
    byte[] good = BucketRecord.created("o", "r", 1, null).encode();
    byte[] otherFormat = good.clone();
    otherFormat[0] = 9;
    for (byte[] bad : List.of(otherFormat, Arrays.copyOf(good, good.length - 1), Arrays.copyOf(good, good.length + 1),
        new byte[0])) {
      StorageException e = assertThrows(StorageException.class, () -> BucketRecord.decode(bad));
      assertEquals(StorageException.Kind.IO, e.kind());
      assertTrue(e.getMessage().contains("bucket"), e.getMessage());
    }
    byte[] object = new ObjectRecord(1, "e", 1, EMPTY_METADATA, null, null, new ObjectRecord.BlobFile(Ids.random128()))
        .encode();
    object[object.length - 19] = 9; // the body kind (then a blob id, the no-manifest flag and the no-ACL flag)
    assertEquals(StorageException.Kind.IO, assertThrows(StorageException.class, () -> ObjectRecord.decode(object)).kind());
  }

  @Test
  void objectRecordsOfFormat2ReadWithoutAManifest() {
    String file = Ids.random128();
    Codec.Out out = new Codec.Out(2).varint(3).string("e").i64(9);
    ObjectFields.metadata(out, EMPTY_METADATA);
    ObjectFields.checksum(out, null);
    byte[] v2 = out.string("owner").u8(2).blobId(file).toBytes();
    ObjectRecord old = ObjectRecord.decode(v2);
    assertEquals(new ObjectRecord.BlobFile(file, null), old.body());
    assertEquals(List.of(file), old.body().ownedIds());
  }

  @Test
  void blobDescriptionsRoundTripForEveryKind() {
    BucketRecord bucket = BucketRecord.created("owner", "eu-central-1", 1_700_000_000_123L, null);
    String self = Ids.random128();
    PartRecord part = new PartRecord(7, 5 << 20, "0123456789abcdef0123456789abcdef", 42, CRC, self);
    ObjectRecord object = new ObjectRecord(12, "etag1", 1_700_000_000_124L, FULL_METADATA, CRC, "writer",
        new ObjectRecord.BlobFile(self));
    ObjectRecord manifest = new ObjectRecord(part.size(), "abc-1", 7, EMPTY_METADATA, COMPOSITE, null,
        new ObjectRecord.Parts(List.of(part), "AAABk0pVnG8xQ2Y3ZkZ0RUt1d2lNQ3dn", Ids.random128()));
    for (BlobDescription d : List.of(BlobDescription.object("bkt", bucket, "dir/ké\u0000y", 1L << 40, object),
        BlobDescription.manifest("bkt", bucket, "k", 0, manifest),
        BlobDescription.part("bkt", bucket, "k", 5, "AAABk0pVnG8xQ2Y3ZkZ0RUt1d2lNQ3dn", part))) {
      BlobDescription back = BlobDescription.decode(d.encode());
      assertEquals(d.kind(), back.kind());
      assertEquals(d.bucket(), back.bucket());
      assertEquals(d.bucketRecord(), back.bucketRecord());
      assertEquals(d.key(), back.key());
      assertEquals(d.stamp(), back.stamp());
      assertEquals(d.uploadId(), back.uploadId());
      if (d.part() != null) {
        assertPartEquals(d.part(), back.part());
      } else {
        assertArrayEquals(d.object().encode(), back.object().encode());
      }
    }
    assertNull(BlobDescription.decode(new byte[0]), "blobs of earlier builds have an empty description");
    byte[] good = BlobDescription.part("bkt", bucket, "k", 5, "u", part).encode();
    byte[] badKind = good.clone();
    badKind[1] = 9;
    for (byte[] bad : List.of(badKind, Arrays.copyOf(good, good.length - 1), Arrays.copyOf(good, good.length + 1))) {
      StorageException e = assertThrows(StorageException.class, () -> BlobDescription.decode(bad));
      assertEquals(StorageException.Kind.IO, e.kind());
    }
  }

  @Test
  void inlineValuesCarryAFormatByte() {
    assertEquals(3, InlineValue.check(new byte[] {InlineValue.FORMAT, 7, 8, 9}, "id"));
    assertEquals(0, InlineValue.check(new byte[] {InlineValue.FORMAT}, "id"));
    assertEquals(StorageException.Kind.IO,
        assertThrows(StorageException.class, () -> InlineValue.check(new byte[] {2, 7}, "id")).kind());
    assertEquals(StorageException.Kind.IO,
        assertThrows(StorageException.class, () -> InlineValue.check(new byte[0], "id")).kind());
  }

  @Test
  void escapedUploadKeysKeepKeyOrder() {
    byte[] id = UploadIds.newRaw(5);
    List<String> keys = List.of("a", "a\u0000", "a\u0000b", "a\u0001", "a/b", "ab", "a\u00e9", "\uD83D\uDE00");
    for (int i = 0; i + 1 < keys.size(); i++) {
      byte[] x = ObjectTables.uploadKey("b", keys.get(i), id);
      byte[] y = ObjectTables.uploadKey("b", keys.get(i + 1), id);
      assertTrue(Keys.compare(x, y) < 0, keys.get(i) + " < " + keys.get(i + 1));
      assertTrue(Keys.compare(x, ObjectTables.afterUploadsOf("b", keys.get(i))) < 0);
      assertTrue(Keys.compare(ObjectTables.afterUploadsOf("b", keys.get(i)), y) <= 0);
    }
  }

  @Test
  void uploadIdsParseOnlyTheirOwnForm() {
    byte[] raw = UploadIds.newRaw(1_700_000_000_000L);
    String id = UploadIds.text(raw);
    assertEquals(32, id.length());
    assertTrue(id.matches("[A-Za-z0-9_-]+"), id);
    assertArrayEquals(raw, UploadIds.parse(id));
    assertNull(UploadIds.parse(id.substring(1)));
    assertNull(UploadIds.parse(id.substring(1) + "="));
    assertNull(UploadIds.parse("../../../../../../../etc/passwd"));
    assertNull(UploadIds.parse(null));
    // Uploads sort by initiation time.
    assertTrue(Keys.compare(UploadIds.newRaw(1), UploadIds.newRaw(2)) < 0);
  }

  @Test
  void successorSkipsExactlyThePrefix() {
    assertArrayEquals(new byte[] {'a', '0'}, Keys.successor(new byte[] {'a', '/'}));
    assertArrayEquals(new byte[] {'b'}, Keys.successor(new byte[] {'a', (byte) 0xFF}));
    assertNull(Keys.successor(new byte[] {(byte) 0xFF}));
  }
}
