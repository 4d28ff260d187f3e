package io.tarn.storage.meta;

import io.tarn.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.UInt64AddOperator;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;

/**
 * The options {@link MetaStore} opens, writes and reads its RocksDB database with, and the native
 * objects they point to (block cache, bloom filter, merge operator): how the database is tuned, in
 * one place. Built before the open; {@link #close closed} after the database, never before it.
 */
final class RocksTuning implements AutoCloseable {
  private static final long BLOCK_CACHE_BYTES = 64L << 20;
  private static final int CACHE_SHARD_BITS = 4;
  private static final double BLOOM_BITS_PER_KEY = 10;

  /** Merge operands of one counter kept in a memtable before they are summed into a value. */
  static final int MAX_SUCCESSIVE_MERGES = 64;

  private final LRUCache cache;
  private final BloomFilter bloom;
  /** The merge operator of the {@link ColumnFamily#counters counters} column families. */
  private final UInt64AddOperator add;
  final DBOptions dbOptions;
  private final List<ColumnFamilyOptions> cfOptions;
  final WriteOptions writeOptions;
  /** WAL written, not synced: survives a process crash (the OS has it), not a power loss. */
  final WriteOptions lazyWriteOptions;
  final ReadOptions readOptions;
  /** The column families of {@link ColumnFamily}, in its order: what every open opens. */
  final List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();

  RocksTuning(boolean sync) {
    // 16 shards of 4 MiB: with the default 64 shards a shard held 1 MiB, and a block larger than its
    // shard is never kept, so it was read and decompressed again on every lookup.
    cache = new LRUCache(BLOCK_CACHE_BYTES, CACHE_SHARD_BITS);
    bloom = new BloomFilter(BLOOM_BITS_PER_KEY);
    add = new UInt64AddOperator();
    dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        // Two cores are the expected machine; flushes and compactions share them.
        .setMaxBackgroundJobs(2)
        // Separate WAL and memtable write queues: more synced writers per group commit.
        .setEnablePipelinedWrite(true)
        .setEnableWriteThreadAdaptiveYield(false)
        .setBytesPerSync(1L << 20)
        // Bounds the WAL: column families that rarely change get flushed instead of pinning old logs.
        .setMaxTotalWalSize(256L << 20)
        .setKeepLogFileNum(5)
        .setMaxLogFileSize(16L << 20)
        // Never drop WAL records silently (the default, point-in-time recovery, does): see MetaOpening.
        .setWalRecoveryMode(WALRecoveryMode.AbsoluteConsistency)
        // An open replays the WAL into memtables and keeps them there: a flush at open would need room
        // for up to a memtable per column family, and a reopen after a full disk must need almost none.
        .setAvoidFlushDuringRecovery(true)
        // No fallocate: RocksDB preallocates each WAL file for 1.1 write buffers (70 MiB) and the MANIFEST
        // for 4 MiB. That space looks used to the free-space floor while the WAL holds a few KiB, and on
        // a small disk a new WAL takes every free block at open (seen on a 64 MiB ext4: 0 bytes free
        // after start), so nothing but RocksDB could write. Appends then allocate as they go.
        .setAllowFAllocate(false);
    cfOptions = new ArrayList<>();
    writeOptions = new WriteOptions().setSync(sync);
    lazyWriteOptions = new WriteOptions().setSync(false);
    readOptions = new ReadOptions();
    for (ColumnFamily cf : ColumnFamily.values()) {
      // Partitioned index and filters: one index block per SST grows with the file (about 1 MiB for a
      // 64 MiB file of 1 KiB values) and was re-read whole on a cache miss; partitions are 4 KiB
      // blocks cached like data, under a small pinned top level.
      BlockBasedTableConfig table = new BlockBasedTableConfig()
          .setBlockCache(cache)
          .setIndexType(IndexType.kTwoLevelIndexSearch)
          .setMetadataBlockSize(4096)
          .setCacheIndexAndFilterBlocks(true)
          .setCacheIndexAndFilterBlocksWithHighPriority(true)
          .setPinTopLevelIndexAndFilter(true)
          .setPinL0FilterAndIndexBlocksInCache(true);
      if (cf.pointLookups) {
        table.setFilterPolicy(bloom).setPartitionFilters(true);
      }
      ColumnFamilyOptions o = (cf.counters ? counterOptions() : new ColumnFamilyOptions()).setTableFormatConfig(table);
      if (cf == ColumnFamily.INLINE) {
        // Inline bodies are up to the inline threshold (128 KiB): keep the larger ones in blob files
        // so compaction moves keys, not bodies.
        o.setEnableBlobFiles(true).setMinBlobSize(4096).setEnableBlobGarbageCollection(true);
      } else if (cf == ColumnFamily.N_PAYLOADS) {
        // The webhook event log: ~1 KiB bodies written once, read in order, deleted when delivered.
        // Behind a slow receiver it grows by every upload; in blob files compaction moves only keys.
        o.setEnableBlobFiles(true).setMinBlobSize(256).setEnableBlobGarbageCollection(true);
      } else if (cf.counters) {
        // Writers of different keys of one bucket commit concurrently: each adds its delta, and RocksDB
        // sums them, with no read-modify-write between them (and so nothing that serialises them).
        o.setMergeOperator(add);
      }
      cfOptions.add(o);
      descriptors.add(new ColumnFamilyDescriptor(cf.cfName.getBytes(StandardCharsets.UTF_8), o));
    }
  }

  /**
   * The options of a counters column family. A read of a counter sums every merge operand above its
   * last full value, and operands pile up in the memtable (up to its 64 MiB: over a million) until a
   * flush: measured, a bucket's counters after 100,000 puts took 20-60 ms to read, 15-60 us with this. So
   * the write that brings the operands in the memtable to {@link #MAX_SUCCESSIVE_MERGES} stores their
   * sum instead, and {@code strict_max_successive_merges} makes it do so also when the value below
   * them is in an SST file (RocksDB 9's default only sums operands that are all in memory).
   * RocksJava 9.10 has no setter for that option: it is given by name, and a name RocksDB does not
   * know fails the open. A WAL replayed at open is not summed ({@code BucketUsage} collapses it).
   */
  private static ColumnFamilyOptions counterOptions() {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("max_successive_merges", Integer.toString(MAX_SUCCESSIVE_MERGES));
    p.setProperty("strict_max_successive_merges", "true");
    try (org.rocksdb.ConfigOptions config = new org.rocksdb.ConfigOptions()) {
      ColumnFamilyOptions o = ColumnFamilyOptions.getColumnFamilyOptionsFromProps(config, p);
      if (o == null) {
        throw new StorageException(StorageException.Kind.IO, "RocksDB refused the counters' options " + p);
      }
      return o;
    }
  }

  /**
   * The default options, for a column family opened only to be dropped ({@link MetaOpening}); closed
   * with the others.
   */
  ColumnFamilyOptions untuned() {
    ColumnFamilyOptions o = new ColumnFamilyOptions();
    cfOptions.add(o);
    return o;
  }

  /**
   * Closes the options the database was opened with, then what those options point to (bloom
   * filter, block cache, merge operator), then the read/write options: after the database (see
   * {@link MetaStore#close}).
   */
  @Override
  public void close() {
    dbOptions.close();
    for (ColumnFamilyOptions o : cfOptions) {
      o.close();
    }
    add.close();
    bloom.close();
    cache.close();
    writeOptions.close();
    lazyWriteOptions.close();
    readOptions.close();
  }
}
