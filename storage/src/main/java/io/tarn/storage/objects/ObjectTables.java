package io.tarn.storage.objects;

import io.tarn.storage.BucketStats;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.Keys;
import io.tarn.storage.meta.MetaStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The object side's column families of the {@link MetaStore}: their key layouts and records. Keys
 * sort bytewise, so layouts are chosen for the orders listings need:
 *
 * <ul>
 *   <li>{@code buckets}: the bucket name; the value is a {@link BucketRecord}.
 *   <li>{@code objects}: {@code bucket 0x00 keyUTF8}. Bucket names never contain 0x00 and the key
 *       is the rest of the array, so bytewise order within a bucket is the UTF-8 byte order S3 lists
 *       in.
 *   <li>{@code uploads}: {@code bucket 0x00 escape(keyUTF8) 0x00 0x01 uploadIdRaw}. The key is
 *       followed by more bytes, and keys may contain 0x00, so it is escaped order-preservingly
 *       ({@link Keys#escape}). The raw upload id starts with the initiation time, so uploads of one
 *       key sort by initiation.
 *   <li>{@code parts}: {@code uploadIdRaw partNumber(4 bytes, big-endian)}.
 *   <li>{@code inline}, {@code blobrefs}: the 16 raw bytes of the blob id.
 * </ul>
 */
public final class ObjectTables {
  private static final byte TERMINATOR = 0x01;
  /** The value of a blobref: only a format byte, the key is what matters. */
  private static final byte BLOBREF_FORMAT = 1;

  private final MetaStore meta;

  public ObjectTables(MetaStore meta) {
    this.meta = meta;
  }

  // ---- key layouts

  static byte[] bucketKey(String name) {
    return Keys.utf8(name);
  }

  /** {@code bucket 0x00}: the start of a bucket's range in {@code objects}, {@code uploads} and {@code grants}. */
  public static byte[] bucketPrefix(String bucket) {
    byte[] b = Keys.utf8(bucket);
    byte[] out = Arrays.copyOf(b, b.length + 1);
    out[b.length] = Keys.SEP;
    return out;
  }

  static byte[] objectKey(String bucket, String key) {
    return Keys.concat(bucketPrefix(bucket), Keys.utf8(key));
  }

  /** The object key of an {@code objects} CF key whose bucket prefix is {@code prefixLength} long. */
  static String keyOf(byte[] cfKey, int prefixLength) {
    return Keys.text(cfKey, prefixLength);
  }

  static byte[] uploadKey(String bucket, String key, byte[] uploadRaw) {
    return Keys.concat(bucketPrefix(bucket), Keys.escape(Keys.utf8(key)), new byte[] {Keys.SEP, TERMINATOR},
        uploadRaw);
  }

  /** Sorts after every upload of {@code key} and before any longer key. */
  static byte[] afterUploadsOf(String bucket, String key) {
    return Keys.concat(bucketPrefix(bucket), Keys.escape(Keys.utf8(key)), new byte[] {Keys.SEP, TERMINATOR + 1});
  }

  /** The trailing raw upload id of an {@code uploads} CF key. */
  static byte[] uploadRawOf(byte[] cfKey) {
    return Arrays.copyOfRange(cfKey, cfKey.length - UploadIds.RAW_LENGTH, cfKey.length);
  }

  static byte[] partKey(byte[] uploadRaw, int partNumber) {
    byte[] out = Arrays.copyOf(uploadRaw, uploadRaw.length + 4);
    for (int i = 0; i < 4; i++) {
      out[uploadRaw.length + i] = (byte) (partNumber >>> (24 - 8 * i));
    }
    return out;
  }

  static byte[] blobId(String id) {
    return io.tarn.core.Hex.decode(id);
  }

  // ---- buckets

  public BucketRecord bucket(String name) {
    byte[] v = meta.get(ColumnFamily.BUCKETS, bucketKey(name));
    return v == null ? null : BucketRecord.decode(v);
  }

  /** All buckets by name. */
  public Map<String, BucketRecord> buckets() {
    Map<String, BucketRecord> out = new TreeMap<>();
    meta.scan(ColumnFamily.BUCKETS, new byte[0],
        (k, v) -> out.put(new String(k, StandardCharsets.UTF_8), BucketRecord.decode(v)));
    return out;
  }

  public void putBucket(MetaStore.Batch b, String name, BucketRecord r) {
    b.put(ColumnFamily.BUCKETS, bucketKey(name), r.encode());
  }

  void deleteBucket(MetaStore.Batch b, String name) {
    b.delete(ColumnFamily.BUCKETS, bucketKey(name));
  }

  // ---- objects and their bytes

  /** The number of objects in {@code bucket} and their bytes: a scan of the bucket's records. */
  public BucketStats stats(String bucket) {
    byte[] prefix = bucketPrefix(bucket);
    long objects = 0;
    long bytes = 0;
    try (MetaStore.Cursor cur = objects()) {
      for (cur.seek(prefix); cur.valid() && Keys.startsWith(cur.key(), prefix); cur.next()) {
        objects++;
        bytes += ObjectRecord.decode(cur.value()).size();
      }
    }
    return new BucketStats(bucket, objects, bytes);
  }

  ObjectRecord object(String bucket, String key) {
    byte[] v = meta.get(ColumnFamily.OBJECTS, objectKey(bucket, key));
    return v == null ? null : ObjectRecord.decode(v);
  }

  boolean hasObjects(String bucket) {
    return meta.any(ColumnFamily.OBJECTS, bucketPrefix(bucket));
  }

  /** An iterator over {@code objects}, to be closed by the caller. */
  MetaStore.Cursor objects() {
    return meta.cursor(ColumnFamily.OBJECTS);
  }

  void putObject(MetaStore.Batch b, String bucket, String key, ObjectRecord r) {
    b.put(ColumnFamily.OBJECTS, objectKey(bucket, key), r.encode());
  }

  void deleteObject(MetaStore.Batch b, String bucket, String key) {
    b.delete(ColumnFamily.OBJECTS, objectKey(bucket, key));
  }

  byte[] inline(String blobId) {
    return meta.get(ColumnFamily.INLINE, blobId(blobId));
  }

  void putInline(MetaStore.Batch b, String blobId, byte[] bytes) {
    b.put(ColumnFamily.INLINE, blobId(blobId), bytes);
  }

  void deleteInline(MetaStore.Batch b, String blobId) {
    b.delete(ColumnFamily.INLINE, blobId(blobId));
  }

  public boolean isLiveBlob(String blobId) {
    return meta.get(ColumnFamily.BLOBREFS, blobId(blobId)) != null;
  }

  /** Marks a blob file live: the start-up sweep deletes files without a blobref. */
  void putBlobRef(MetaStore.Batch b, String blobId) {
    b.put(ColumnFamily.BLOBREFS, blobId(blobId), new byte[] {BLOBREF_FORMAT});
  }

  void deleteBlobRef(MetaStore.Batch b, String blobId) {
    b.delete(ColumnFamily.BLOBREFS, blobId(blobId));
  }

  /** Calls {@code f} with every blob id that has a blobref (fsck: blobrefs without files). */
  void forEachBlobRef(java.util.function.Consumer<String> f) {
    meta.scan(ColumnFamily.BLOBREFS, new byte[0], (k, v) -> f.accept(io.tarn.core.Hex.encode(k)));
  }

  // ---- multipart uploads and parts

  UploadRecord upload(byte[] uploadKey) {
    byte[] v = meta.get(ColumnFamily.UPLOADS, uploadKey);
    return v == null ? null : UploadRecord.decode(v);
  }

  /** An iterator over {@code uploads}, to be closed by the caller. */
  MetaStore.Cursor uploads() {
    return meta.cursor(ColumnFamily.UPLOADS);
  }

  void putUpload(MetaStore.Batch b, byte[] uploadKey, UploadRecord r) {
    b.put(ColumnFamily.UPLOADS, uploadKey, r.encode());
  }

  void deleteUpload(MetaStore.Batch b, byte[] uploadKey) {
    b.delete(ColumnFamily.UPLOADS, uploadKey);
  }

  PartRecord part(byte[] uploadRaw, int partNumber) {
    byte[] v = meta.get(ColumnFamily.PARTS, partKey(uploadRaw, partNumber));
    return v == null ? null : PartRecord.decode(v);
  }

  /** The parts of an upload with numbers above {@code after}, ascending, at most {@code max}. */
  List<PartRecord> parts(byte[] uploadRaw, int after, int max) {
    List<PartRecord> out = new ArrayList<>();
    try (MetaStore.Cursor c = meta.cursor(ColumnFamily.PARTS)) {
      for (c.seek(partKey(uploadRaw, after + 1)); c.valid() && out.size() < max; c.next()) {
        if (!Keys.startsWith(c.key(), uploadRaw)) {
          break;
        }
        out.add(PartRecord.decode(c.value()));
      }
    }
    return out;
  }

  /** Calls {@code f} with every part of every upload in progress. */
  void forEachPart(java.util.function.Consumer<PartRecord> f) {
    meta.scan(ColumnFamily.PARTS, new byte[0], (k, v) -> f.accept(PartRecord.decode(v)));
  }

  void putPart(MetaStore.Batch b, byte[] uploadRaw, PartRecord r) {
    b.put(ColumnFamily.PARTS, partKey(uploadRaw, r.partNumber()), r.encode());
  }

  void deletePart(MetaStore.Batch b, byte[] uploadRaw, int partNumber) {
    b.delete(ColumnFamily.PARTS, partKey(uploadRaw, partNumber));
  }
}
