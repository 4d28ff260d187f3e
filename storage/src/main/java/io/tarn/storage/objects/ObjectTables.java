package io.tarn.storage.objects;

import io.tarn.storage.BucketStats;
import io.tarn.storage.blobs.BlobStore;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.Keys;
import io.tarn.storage.meta.MetaStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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
 *   <li>{@code usage}: {@code bucket 0x00 'o'|'b'}, the bucket's counters ({@link BucketUsage}).
 *   <li>{@code inline}, {@code blobrefs}: the 16 raw bytes of the blob id; a blobref's value is its
 *       {@link BlobState}.
 * </ul>
 *
 * <p>It is the blob store's {@link BlobStore.Ledger}: blob files are announced here before they are
 * installed, and forgotten once deleted.
 */
public final class ObjectTables implements BlobStore.Ledger {
  private static final System.Logger LOG = System.getLogger(ObjectTables.class.getName());
  private static final byte TERMINATOR = 0x01;

  private final MetaStore meta;
  private final BucketUsage usage;
  private final BucketAcls acls;

  public ObjectTables(MetaStore meta) {
    this.meta = meta;
    this.usage = new BucketUsage(meta);
    this.acls = new BucketAcls(meta, this);
  }

  /** Buckets' ACLs (in column family {@code grants}). */
  public BucketAcls acls() {
    return acls;
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

  /** The bucket of an {@code objects} CF key: the bytes before the first 0x00. */
  static String bucketOf(byte[] cfKey) {
    int sep = 0;
    while (sep < cfKey.length && cfKey[sep] != Keys.SEP) {
      sep++;
    }
    return new String(cfKey, 0, sep, StandardCharsets.UTF_8);
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

  /** The number of objects in {@code bucket} and their bytes, from its counters (no scan). */
  public BucketStats stats(String bucket) {
    return usage.read(bucket);
  }

  /** The buckets' object and byte counters, changed in every batch that changes {@code objects}. */
  public BucketUsage usage() {
    return usage;
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

  // ---- blob life-cycle records (BlobState)

  /**
   * Unsynced, like every write before a synced commit: a process crash keeps it (the OS has the WAL),
   * the commit that makes the blob live syncs it. A power loss before any later sync can lose it while
   * the (fsynced) file survives: that file then has no record and is quarantined, which is safe.
   */
  @Override
  public void intend(String blobId) {
    try (MetaStore.Batch b = meta.batch()) {
      b.put(ColumnFamily.BLOBREFS, blobId(blobId), BlobState.INTENT.encode());
      meta.commitLazily(b, "record the intent of blob " + blobId);
    }
  }

  /**
   * Unsynced too: losing the removal leaves a record without a file, which the start-up sweep drops.
   * Logged, never thrown: it runs after deletions, also on paths that are already failing.
   */
  @Override
  public void forget(Collection<String> blobIds) {
    try (MetaStore.Batch b = meta.batch()) {
      for (String id : blobIds) {
        b.delete(ColumnFamily.BLOBREFS, blobId(id));
      }
      meta.commitLazily(b, "remove the records of deleted blobs");
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not remove the records of " + blobIds.size()
          + " deleted blob files (the start-up sweep will): " + e);
    }
  }

  /** Marks a blob file live, in the commit that makes it part of an object or upload. */
  void putBlobRef(MetaStore.Batch b, String blobId) {
    b.put(ColumnFamily.BLOBREFS, blobId(blobId), BlobState.LIVE.encode());
  }

  /** Marks a blob file released, in the commit that drops it; the file is deleted after that commit. */
  void releaseBlobRef(MetaStore.Batch b, String blobId) {
    b.put(ColumnFamily.BLOBREFS, blobId(blobId), BlobState.RELEASED.encode());
  }

  /** A blob's record, with its id. */
  record BlobRecord(String id, BlobState state) {}

  /** The records of blob ids whose first byte is {@code fan}, in id order. */
  List<BlobRecord> blobRecords(int fan) {
    byte[] prefix = {(byte) fan};
    List<BlobRecord> out = new ArrayList<>();
    meta.scan(ColumnFamily.BLOBREFS, prefix,
        (k, v) -> out.add(new BlobRecord(io.tarn.core.Hex.encode(k), BlobState.decode(v))));
    return out;
  }

  /** Whether any blob has a record (in any state). */
  public boolean anyBlobRecord() {
    return meta.any(ColumnFamily.BLOBREFS, new byte[0]);
  }

  /** Whether any bucket exists. */
  public boolean anyBucket() {
    return meta.any(ColumnFamily.BUCKETS, new byte[0]);
  }

  /** Removes blob records, synced: the sweep has just deleted their files. */
  void removeBlobRecords(Collection<String> blobIds) {
    if (blobIds.isEmpty()) {
      return;
    }
    try (MetaStore.Batch b = meta.batch()) {
      for (String id : blobIds) {
        b.delete(ColumnFamily.BLOBREFS, blobId(id));
      }
      meta.commit(b, "remove the records of swept blobs");
    }
  }

  /** Every blob record with its state, in id order (one scan: fsck reads them all). */
  void forEachBlobRecord(java.util.function.BiConsumer<String, BlobState> f) {
    meta.scan(ColumnFamily.BLOBREFS, new byte[0], (k, v) -> f.accept(io.tarn.core.Hex.encode(k), BlobState.decode(v)));
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
