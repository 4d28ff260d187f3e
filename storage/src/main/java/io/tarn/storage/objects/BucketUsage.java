package io.tarn.storage.objects;

import io.tarn.storage.BucketStats;
import io.tarn.storage.StorageException;
import io.tarn.storage.meta.Codec;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.Counter;
import io.tarn.storage.meta.Keys;
import io.tarn.storage.meta.MetaStore;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Each bucket's number of objects and their bytes, kept as two {@link Counter}s in column family
 * {@code usage} so that {@link #read} is one seek reading two entries, not a scan of the bucket:
 * {@code bucket 0x00 'o'} (objects) and {@code bucket 0x00 'b'} (bytes).
 *
 * <p>Every batch that changes a record of {@code objects} adds what it changes to the counters, in
 * that same batch ({@link #add}): a commit, a crash or a lost WAL tail takes both or neither. The
 * deltas are merges (RocksDB's {@code UInt64AddOperator}), not a read-modify-write, because object
 * commits of one bucket are not serialised: each holds only its key's lock and the bucket's shared
 * lock, so two keys of a bucket commit at once (and into one group commit). The delta of a commit is
 * computed from the record it replaces, read under that key's lock, so it is exact.
 *
 * <p>The counters count what a scan of the bucket's records counts: every record of {@code objects}
 * under the bucket's prefix, with the size its record says (a record that cannot be decoded: one
 * object of 0 bytes; no write can replace it, since its decode fails, so its count never changes).
 * A data directory of an earlier build has none: {@link #open} counts them once at open,
 * marked by the sys key {@value #FORMAT_KEY}, whose value (format byte 1) is the version of this layout.
 * {@code tarn admin fsck} compares them with a scan, and with {@code --repair} or after a rebuild of the
 * index {@link #recount} writes them anew.
 */
public final class BucketUsage {
  private static final System.Logger LOG = System.getLogger(BucketUsage.class.getName());
  static final String FORMAT_KEY = "usage.format";
  private static final int FORMAT = 1;
  private static final byte OBJECTS = 'o';
  private static final byte BYTES = 'b';

  private final MetaStore meta;

  BucketUsage(MetaStore meta) {
    this.meta = meta;
  }

  /** The key of {@code bucket}'s object counter. */
  public static byte[] objectsKey(String bucket) {
    return key(bucket, OBJECTS);
  }

  /** The key of {@code bucket}'s byte counter. */
  public static byte[] bytesKey(String bucket) {
    return key(bucket, BYTES);
  }

  private static byte[] key(String bucket, byte which) {
    return Keys.concat(ObjectTables.bucketPrefix(bucket), new byte[] {which});
  }

  /** Stages the change of a bucket's contents by {@code objects} objects and {@code bytes} bytes. */
  void add(MetaStore.Batch b, String bucket, long objects, long bytes) {
    if (objects != 0) {
      b.add(ColumnFamily.USAGE, objectsKey(bucket), objects);
    }
    if (bytes != 0) {
      b.add(ColumnFamily.USAGE, bytesKey(bucket), bytes);
    }
  }

  /** Stages the removal of a deleted bucket's counters. */
  void remove(MetaStore.Batch b, String bucket) {
    b.delete(ColumnFamily.USAGE, objectsKey(bucket));
    b.delete(ColumnFamily.USAGE, bytesKey(bucket));
  }

  /**
   * The bucket's counts: both counters read by one iterator, so from one snapshot (a commit between
   * two point reads could give the objects after it and the bytes before it). Missing counters are 0.
   */
  public BucketStats read(String bucket) {
    byte[] prefix = ObjectTables.bucketPrefix(bucket);
    long objects = 0;
    long bytes = 0;
    try (MetaStore.Cursor c = meta.cursor(ColumnFamily.USAGE)) {
      for (c.seek(prefix); c.valid() && Keys.startsWith(c.key(), prefix); c.next()) {
        byte[] k = c.key();
        if (k.length != prefix.length + 1) {
          continue; // another bucket's, whose name starts with this one's plus 0x00: impossible, but not ours
        }
        long v = Counter.decode(c.value(), "of bucket " + bucket);
        if (k[prefix.length] == OBJECTS) {
          objects = v;
        } else if (k[prefix.length] == BYTES) {
          bytes = v;
        }
      }
    }
    return new BucketStats(bucket, objects, bytes);
  }

  /** The buckets that have a counter (a bucket with none has no objects). */
  Set<String> storedBuckets() {
    Set<String> out = new TreeSet<>();
    meta.scan(ColumnFamily.USAGE, new byte[0], (k, v) -> out.add(Keys.text(Arrays.copyOf(k, Math.max(0, k.length - 2)), 0)));
    return out;
  }

  /** Tallies object records per bucket, as the counters count them. */
  static final class Tally {
    private final Map<String, long[]> counts = new TreeMap<>();

    void add(String bucket, long size) {
      long[] c = counts.computeIfAbsent(bucket, b -> new long[2]);
      c[0]++;
      c[1] += size;
    }

    Map<String, BucketStats> result() {
      Map<String, BucketStats> out = new TreeMap<>();
      counts.forEach((b, c) -> out.put(b, new BucketStats(b, c[0], c[1])));
      return out;
    }
  }

  /** The counts of every bucket that has objects, from their records: one scan of {@code objects}. */
  public static Map<String, BucketStats> countRecords(MetaStore meta) {
    Tally tally = new Tally();
    try (MetaStore.Cursor cur = meta.cursor(ColumnFamily.OBJECTS)) {
      for (cur.seekToFirst(); cur.valid(); cur.next()) {
        tally.add(ObjectTables.bucketOf(cur.key()), sizeOf(cur.value()));
      }
    }
    return tally.result();
  }

  /** The size a record says; 0 for one that cannot be decoded (fsck reports it as CORRUPT_RECORD). */
  static long sizeOf(byte[] record) {
    try {
      return ObjectRecord.decode(record).size();
    } catch (StorageException e) {
      return 0;
    }
  }

  /** Whether the counters are kept in this index (else it is an earlier build's, not yet counted). */
  public boolean counted() {
    return meta.sys(FORMAT_KEY) != null;
  }

  /**
   * At open, before the store serves (nothing else writes): counts the buckets once if this index has
   * no counters yet (an earlier build's), logging how long it took; else {@link #collapse}s them.
   */
  public void open() {
    if (counted()) {
      collapse();
      return;
    }
    long start = System.nanoTime();
    boolean anyBucket = meta.any(ColumnFamily.BUCKETS, new byte[0]);
    Map<String, BucketStats> counts = recount();
    long objects = counts.values().stream().mapToLong(BucketStats::objects).sum();
    LOG.log(anyBucket ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, "counted the objects of " + counts.size() + " buckets (" + objects
        + " objects) for their usage counters, once, in " + (System.nanoTime() - start) / 1_000_000 + " ms:"
        + " the index predates them");
  }

  /**
   * Replaces each counter's merge operands by their sum. The WAL replayed at open puts every operand
   * written since the last flush back into the memtable unsummed (RocksDB sums successive merges only
   * on live writes), up to a memtable's worth, and a read would add them all up each time (20 ms per
   * read after 100,000 puts). Unsynced: a crash before its sync only means it is done again. A failure
   * (a full disk) leaves reads slower, not wrong: logged, not thrown, so the store still opens.
   */
  void collapse() {
    long start = System.nanoTime();
    int n = 0;
    try (MetaStore.Batch b = meta.batch()) {
      try (MetaStore.Cursor c = meta.cursor(ColumnFamily.USAGE)) {
        for (c.seekToFirst(); c.valid(); c.next()) {
          b.put(ColumnFamily.USAGE, c.key(), c.value());
          n++;
        }
      }
      meta.commitLazily(b, "collapse the usage counters");
    } catch (StorageException e) {
      LOG.log(System.Logger.Level.WARNING, "could not sum the usage counters' merge operands at open (bucket"
          + " statistics are right, only slower to read until they are summed): " + e.getMessage());
      return;
    }
    LOG.log(System.Logger.Level.DEBUG, "summed " + n + " usage counters in " + (System.nanoTime() - start) / 1_000_000
        + " ms");
  }

  /**
   * Sets every bucket's counters to what its records say, removes counters of buckets without objects,
   * and marks the index counted, in one batch. Only while nothing else writes (open, fsck, rebuild).
   *
   * @return the counts written
   */
  public Map<String, BucketStats> recount() {
    Map<String, BucketStats> counts = countRecords(meta);
    try (MetaStore.Batch b = meta.batch()) {
      meta.scan(ColumnFamily.USAGE, new byte[0], (k, v) -> b.delete(ColumnFamily.USAGE, k));
      for (BucketStats s : counts.values()) {
        b.put(ColumnFamily.USAGE, objectsKey(s.bucket()), Counter.encode(s.objects()));
        b.put(ColumnFamily.USAGE, bytesKey(s.bucket()), Counter.encode(s.bytes()));
      }
      b.putSys(FORMAT_KEY, new Codec.Out(FORMAT).toBytes());
      meta.commit(b, "count the objects of every bucket");
    }
    return counts;
  }
}
