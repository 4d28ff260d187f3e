package io.tarn.storage.meta;

import io.tarn.storage.EventSink;
import io.tarn.storage.MetaFigures;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import io.tarn.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.UInt64AddOperator;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The only class that touches RocksDB (STYLE.md 7): a generic store of byte keys and values in the
 * {@link ColumnFamily column families} it owns. It knows no record type: key layouts and codecs live
 * beside their owners ({@code ObjectTables}, {@code IdentityTables}; the notifications module for its
 * {@link RecordTable}s). Every logical mutation is one {@link Batch} committed with one
 * {@link #commit}. Thread-safe and lock-free: concurrent synced commits reach RocksDB's write
 * thread together, which groups them into one WAL sync (group commit), so nothing here may
 * serialise writers.
 */
public final class MetaStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private static final System.Logger LOG = System.getLogger(MetaStore.class.getName());

  private static final long BLOCK_CACHE_BYTES = 64L << 20;
  private static final int CACHE_SHARD_BITS = 4;
  private static final double BLOOM_BITS_PER_KEY = 10;

  /**
   * Column families that earlier builds created and this one no longer uses. RocksDB opens a database
   * only with all of its column families listed, so these are opened, then dropped (their data is
   * deleted). {@code events} held events staged by tests' sinks; the webhook queue keeps its own.
   */
  private static final List<String> DROPPED = List.of("events");

  private final Path dir;
  private final LRUCache cache;
  private final BloomFilter bloom;
  /** The merge operator of the {@link ColumnFamily#counters counters} column families. */
  private final UInt64AddOperator add;
  private final DBOptions dbOptions;
  private final List<ColumnFamilyOptions> cfOptions;
  private final WriteOptions writeOptions;
  /** WAL written, not synced: survives a process crash (the OS has it), not a power loss. */
  private final WriteOptions lazyWriteOptions;
  private final ReadOptions readOptions;
  private final List<ColumnFamilyHandle> handles;
  /** Whether this open recovered past corrupt WAL records, dropping what followed them. */
  private boolean walLossAccepted;
  /** The column families of {@link ColumnFamily}, in its order: what {@link #reopen} opens. */
  private final List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
  /** Replaced by {@link #reopen}; null while a reopen failed (then every call is STORAGE_FULL). */
  private volatile RocksDB db;
  /**
   * Set when a write met a full disk. RocksDB then refuses every write (its background error) and
   * RocksJava has no {@code Resume()}: only closing and opening the database clears it ({@link #reopen}).
   */
  private volatile boolean stopped;
  /** Opened with {@link #openReadOnly}: RocksDB refuses every write, nothing in {@code dir} changes. */
  private final boolean readOnly;

  private MetaStore(Path dir, boolean sync, boolean acceptWalLoss, boolean readOnly) {
    this.dir = dir;
    this.readOnly = readOnly;
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
        // Never drop WAL records silently (the default, point-in-time recovery, does): see openRecovering.
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
    handles = new ArrayList<>();
    List<ColumnFamilyDescriptor> all = new ArrayList<>();
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
    all.addAll(descriptors);
    RocksDB opened;
    try {
      for (String name : droppedPresent(dir)) {
        ColumnFamilyOptions o = new ColumnFamilyOptions();
        cfOptions.add(o);
        all.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), o));
      }
      opened = openRecovering(all, handles, acceptWalLoss);
    } catch (RocksDBException e) {
      closeOptions();
      throw openFailure(e);
    } catch (RuntimeException e) {
      closeOptions();
      throw e;
    }
    db = opened;
    if (!readOnly) {
      dropUnused();
    }
  }

  /** Merge operands of one counter kept in a memtable before they are summed into a value. */
  static final int MAX_SUCCESSIVE_MERGES = 64;

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
   * Opens the database without ever dropping an acknowledged write unnoticed. What RocksDB 9.10's
   * recovery modes do, found by corrupting the WAL of a database killed after synced writes:
   *
   * <ul>
   *   <li>a byte flipped in the middle of the WAL: AbsoluteConsistency and TolerateCorruptedTailRecords
   *       fail ("checksum mismatch"); PointInTimeRecovery (RocksDB's default) opens and silently drops
   *       every record from the damaged one on;
   *   <li>a byte flipped in the last record: the same (a complete record with a bad checksum is
   *       corruption, not a torn tail, also in TolerateCorruptedTailRecords);
   *   <li>the last record cut short by the end of the file ("truncated header", "truncated record
   *       body"), what a kill during a write() or before an unsynced write completes leaves:
   *       AbsoluteConsistency fails, TolerateCorruptedTailRecords and PointInTimeRecovery open
   *       without that record.
   * </ul>
   *
   * So: AbsoluteConsistency first. If it finds corruption, TolerateCorruptedTailRecords, which opens
   * only if the sole defect is an incomplete last record. Such a record was never acknowledged: a
   * synced commit answers only after its write and the WAL sync completed, so it cannot be cut short
   * by a crash of the process (and a lazily committed record may be lost by design). Any other
   * damage refuses the open (nothing written: a failed open changes no file RocksDB recovers from),
   * unless {@code acceptWalLoss}: then PointInTimeRecovery keeps the records before the damage, and
   * {@link #walLossAccepted()} tells the caller that later commits may be gone.
   */
  private RocksDB openRecovering(List<ColumnFamilyDescriptor> descriptors, List<ColumnFamilyHandle> handles,
      boolean acceptWalLoss) throws RocksDBException {
    try {
      return openRecoveringOnce(descriptors, handles, acceptWalLoss);
    } finally {
      // The fallbacks are for this open only: the next (a reopen after a full disk) starts strict again.
      dbOptions.setWalRecoveryMode(WALRecoveryMode.AbsoluteConsistency);
    }
  }

  private RocksDB openRecoveringOnce(List<ColumnFamilyDescriptor> descriptors, List<ColumnFamilyHandle> handles,
      boolean acceptWalLoss) throws RocksDBException {
    try {
      RocksDB db = openOnce(descriptors, handles);
      if (acceptWalLoss) {
        LOG.log(System.Logger.Level.INFO, "--accept-wal-loss: the write-ahead log of " + dir + " is intact, nothing lost");
      }
      return db;
    } catch (RocksDBException strict) {
      if (!isCorruption(strict)) {
        throw strict;
      }
      handles.clear();
      dbOptions.setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords);
      try {
        RocksDB db = openOnce(descriptors, handles);
        LOG.log(System.Logger.Level.INFO, "the write-ahead log of " + dir + " ended in an incomplete record"
            + " (a write cut off by a crash, never acknowledged): dropped it (" + strict.getMessage() + ")");
        flushRecovered(db, handles);
        return db;
      } catch (RocksDBException damaged) {
        if (!isCorruption(damaged)) {
          throw damaged;
        }
        handles.clear();
        if (!acceptWalLoss) {
          throw new StorageException(StorageException.Kind.IO, dir + " has a corrupt write-ahead log record"
              + " (RocksDB: " + damaged.getMessage() + "): opening it would silently drop acknowledged writes"
              + " that follow it, so nothing was opened or changed. Restore meta/ from a backup, or start once"
              + " with `tarn server --accept-wal-loss` to keep what precedes the damage (blob files of the"
              + " writes lost are moved to quarantine/ in the data directory, never deleted)", damaged);
        }
        dbOptions.setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery);
        RocksDB db = openOnce(descriptors, handles);
        walLossAccepted = true;
        flushRecovered(db, handles);
        LOG.log(System.Logger.Level.WARNING, "--accept-wal-loss: opened " + dir + " up to its first corrupt"
            + " write-ahead log record (" + damaged.getMessage() + "); the writes after it are lost");
        // Flushed, so the damaged WAL is obsolete: the next start is an ordinary one.
        return db;
      }
    }
  }

  private RocksDB openOnce(List<ColumnFamilyDescriptor> descriptors, List<ColumnFamilyHandle> handles)
      throws RocksDBException {
    return readOnly ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handles)
        : RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
  }

  /**
   * After a recovery that skipped WAL records: flush what it recovered, so the damaged WAL becomes
   * obsolete and the next open (strict again) does not meet it. Recovery keeps the memtables without
   * flushing ({@code avoid_flush_during_recovery}, for reopening on a full disk); if this flush fails
   * (no room), the next start meets the same damage and says so again.
   */
  private void flushRecovered(RocksDB db, List<ColumnFamilyHandle> handles) {
    if (readOnly) {
      return; // the recovered records are kept in memory only; the files stay as they are
    }
    try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
      db.flush(flush, handles);
    } catch (RocksDBException e) {
      LOG.log(System.Logger.Level.WARNING, "could not flush " + dir + " after its recovery: " + e.getMessage());
    }
  }

  private static boolean isCorruption(RocksDBException e) {
    return e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption;
  }

  /** Whether this open accepted the loss of WAL records after a corrupt one ({@code acceptWalLoss}). */
  public boolean walLossAccepted() {
    return walLossAccepted;
  }

  /** Which of {@link #DROPPED} the database in {@code dir} still has (none if there is no database yet). */
  private static List<String> droppedPresent(Path dir) throws RocksDBException {
    if (!Files.exists(dir.resolve("CURRENT"))) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (Options options = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
        String n = new String(name, StandardCharsets.UTF_8);
        if (DROPPED.contains(n)) {
          out.add(n);
        }
      }
    }
    return out;
  }

  /** Drops the column families opened past {@link ColumnFamily}'s (those of {@link #DROPPED}) and closes their handles. */
  private void dropUnused() {
    while (handles.size() > ColumnFamily.values().length) {
      ColumnFamilyHandle h = handles.remove(handles.size() - 1);
      try {
        String name = new String(h.getName(), StandardCharsets.UTF_8);
        db.dropColumnFamily(h);
        LOG.log(System.Logger.Level.INFO, "dropped the unused column family " + name + " of " + dir);
      } catch (RocksDBException e) {
        close();
        throw io("drop an unused column family", e);
      } finally {
        h.close();
      }
    }
  }

  public static MetaStore open(Path dir, boolean sync) {
    return open(dir, sync, false);
  }

  /**
   * Opens (creating if needed) the database in {@code dir}.
   *
   * @param acceptWalLoss whether to open a database whose WAL has corrupt records (not just an
   *     incomplete last one) by dropping everything from the first of them; else that is refused
   * @throws StorageException IO if it cannot be opened, naming the way out for a corrupt WAL
   */
  public static MetaStore open(Path dir, boolean sync, boolean acceptWalLoss) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot create " + dir + ": " + e.getMessage(), e);
    }
    return new MetaStore(dir, sync, acceptWalLoss, false);
  }

  /**
   * Opens the database in {@code dir} for reading only (a backup being verified): RocksDB replays its
   * WAL in memory and writes no file, so the directory is exactly what was checked. Recovery is
   * {@link #open}'s: an incomplete last WAL record is tolerated, any other corruption refused.
   *
   * @throws StorageException IO if there is no database or it cannot be opened
   */
  public static MetaStore openReadOnly(Path dir) {
    if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
      throw new StorageException(StorageException.Kind.IO, "no database in " + dir);
    }
    return new MetaStore(dir, false, false, true);
  }

  /**
   * Writes a consistent copy of the database into {@code target}, which must not exist (RocksDB's
   * {@code Checkpoint}): every column family as of one moment, with the WAL records not yet flushed.
   * Table files are hard-linked where {@code target} is on the same file system (they are never
   * modified in place), else copied; writers are not stopped, only the deletion of obsolete files is
   * held while the copy is made.
   */
  public void checkpoint(Path target) {
    try (org.rocksdb.Checkpoint cp = org.rocksdb.Checkpoint.create(db())) {
      cp.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw io("checkpoint into " + target, e);
    }
  }

  private ColumnFamilyHandle cf(ColumnFamily cf) {
    db(); // no handles while a failed reopen left the store closed
    return handles.get(cf.ordinal());
  }

  /**
   * An open that failed, in words: RocksDB's own messages for the two refusals an operator meets
   * ("While lock file: .../LOCK: Resource temporarily unavailable", "Column families not opened: x")
   * name neither the cause nor the way out.
   */
  private StorageException openFailure(RocksDBException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("While lock file") || m.contains("lock hold by current process")) {
      return new StorageException(StorageException.Kind.LOCKED, dir + " is open in another process (RocksDB's lock"
          + " file " + dir.resolve("LOCK") + " is held): a Tarn server or `tarn admin` tool is using this data"
          + " directory", e);
    }
    int cfs = m.indexOf("Column families not opened: ");
    if (cfs >= 0) {
      return new StorageException(StorageException.Kind.INCOMPATIBLE, dir + " has column families this build does"
          + " not know (" + m.substring(cfs + "Column families not opened: ".length()).strip() + "): it was written"
          + " by a newer Tarn; upgrade Tarn to open it", e);
    }
    return io("open", e);
  }

  private StorageException io(String operation, RocksDBException e) {
    return new StorageException(noSpace(e) ? StorageException.Kind.STORAGE_FULL : StorageException.Kind.IO,
        "meta store " + dir + ": " + operation + " failed: " + e.getMessage(), e);
  }

  /**
   * Whether RocksDB failed for a full disk: RocksJava reports it as {@code Status} code
   * {@code IOError}, subcode {@code NoSpace} ("While appending to file: ...: No space left on
   * device"), on the write that met it and on every write after (the background error).
   */
  static boolean noSpace(RocksDBException e) {
    Status s = e.getStatus();
    return s != null && s.getCode() == Status.Code.IOError && s.getSubCode() == Status.SubCode.NoSpace;
  }

  /**
   * Whether a commit that failed with {@code e} may still have reached the WAL. A write that met a full
   * disk fails, but if it was the WAL's sync that failed (after the append), the record can be replayed
   * when the store is reopened: files the commit would have made live must then not be deleted.
   */
  public static boolean outcomeUnknown(StorageException e) {
    return e.kind() == StorageException.Kind.STORAGE_FULL && e.getCause() instanceof RocksDBException;
  }

  private RocksDB db() {
    RocksDB d = db;
    if (d == null) {
      throw new StorageException(StorageException.Kind.STORAGE_FULL,
          "meta store " + dir + " is closed: reopening it after a full disk failed, retried on the next write");
    }
    return d;
  }

  /** False only while a failed {@link #reopen} left the database closed (reads fail too, until the next). */
  public boolean isOpen() {
    return db != null;
  }

  /** Whether a write met a full disk since the last (re)open: every write fails until {@link #reopen}. */
  public boolean stopped() {
    return stopped || db == null;
  }

  /**
   * Closes and opens the database again, which clears RocksDB's background error after a full disk
   * (RocksJava 9 has no {@code RocksDB.resume()}); every synced write is in the WAL and replayed. The
   * caller guarantees that no operation is in flight (TarnStore's lifecycle lock, as for
   * {@link #close}). If the open fails the store stays closed and the next call tries again.
   */
  public void reopen() {
    RocksDB old = db;
    if (old != null) {
      for (ColumnFamilyHandle h : handles) {
        h.close();
      }
      handles.clear();
      db = null;
      try {
        old.closeE();
      } catch (RocksDBException e) {
        // "Seen error. Skip writing buffer.": the close reports the background error; it is closed.
        LOG.log(System.Logger.Level.DEBUG, "closing " + dir + " after a full disk: " + e.getMessage());
      }
    }
    List<ColumnFamilyHandle> opened = new ArrayList<>();
    try {
      // A WAL append cut short by the full disk leaves an incomplete last record (never acknowledged):
      // the same recovery as a start, never past real corruption.
      db = openRecovering(descriptors, opened, false);
    } catch (RocksDBException e) {
      throw io("reopen", e);
    }
    handles.addAll(opened);
    stopped = false;
  }

  // ---- writes

  public Batch batch() {
    return new Batch();
  }

  /** Commits {@code batch} atomically (synced when the store syncs). */
  public void commit(Batch batch, String operation) {
    commit(batch, operation, writeOptions);
  }

  /**
   * Commits {@code batch} atomically without waiting for the WAL sync: it survives a crash of the
   * process, and a power loss may lose it. Only for records whose loss just repeats work.
   */
  public void commitLazily(Batch batch, String operation) {
    commit(batch, operation, lazyWriteOptions);
  }

  private void commit(Batch batch, String operation, WriteOptions options) {
    try {
      if (stopped) {
        // RocksDB would refuse it too (its background error); without a cause: surely not written.
        throw new StorageException(StorageException.Kind.STORAGE_FULL, "meta store " + dir + ": " + operation
            + " not written: writes stopped after a full disk, until there is room to reopen");
      }
      try {
        db().write(options, batch.wb);
      } catch (RocksDBException e) {
        if (noSpace(e)) {
          stopped = true;
        }
        throw io(operation, e);
      }
      batch.committed();
    } finally {
      // Only after the sink was told: a reader that passes the settled bound may rely on the sink
      // having seen every committed event below it (the webhook queue keeps them in memory).
      batch.settle();
    }
  }

  // ---- record tables (RecordStore)

  public byte[] record(RecordTable t, byte[] key) {
    return get(ColumnFamily.of(t), key);
  }

  public List<RecordStore.Entry> records(RecordTable t, byte[] prefix, byte[] startAfter, int limit) {
    List<RecordStore.Entry> out = new ArrayList<>();
    try (Cursor c = new Cursor(ColumnFamily.of(t))) {
      c.seek(startAfter != null && Keys.compare(startAfter, prefix) >= 0 ? startAfter : prefix);
      if (startAfter != null && c.valid() && java.util.Arrays.equals(c.key(), startAfter)) {
        c.next();
      }
      for (; c.valid() && out.size() < limit && Keys.startsWith(c.key(), prefix); c.next()) {
        out.add(new RecordStore.Entry(c.key(), c.value()));
      }
    }
    return out;
  }

  /** One logical mutation, staged; committed by {@link #commit}, released by {@link #close}. */
  public final class Batch implements EventSink.EventBatch, AutoCloseable {
    private final WriteBatch wb = new WriteBatch();
    /** The event sink's part of this batch, if it staged anything: told how the batch ended. */
    private EventSink.Staging staging;
    /** The event sequencer this batch holds open, if any. */
    private Sequencer sequencer;
    private long held;

    /** Takes the next event sequencer, open until this batch commits or is closed. */
    public long takeSequencer(Sequencer s) {
      if (sequencer != null) {
        throw new IllegalStateException("a batch holds one sequencer");
      }
      held = s.next();
      sequencer = s;
      return held;
    }

    /**
     * The sink's staging for this batch, opened on first use: whatever the sink stages through it is
     * committed, and reported, with this batch only.
     */
    public EventSink.Staging staging(EventSink sink) {
      if (staging == null) {
        staging = java.util.Objects.requireNonNull(sink.open(this), "staging");
      }
      return staging;
    }

    /** After the write: tells the sink (once) before the sequencer settles. */
    private void committed() {
      EventSink.Staging s = staging;
      staging = null; // told once; close() must not report it aborted
      if (s != null) {
        s.committed();
      }
    }

    private void settle() {
      if (sequencer != null) {
        sequencer.settle(held);
        sequencer = null;
      }
    }

    @Override
    public void put(RecordTable table, byte[] key, byte[] value) {
      put(ColumnFamily.of(table), key, value);
    }

    @Override
    public void delete(RecordTable table, byte[] key) {
      delete(ColumnFamily.of(table), key);
    }

    public void put(ColumnFamily cf, byte[] key, byte[] value) {
      try {
        wb.put(cf(cf), key, value);
      } catch (RocksDBException e) {
        throw io("stage put into " + cf.cfName, e);
      }
    }

    public void delete(ColumnFamily cf, byte[] key) {
      try {
        wb.delete(cf(cf), key);
      } catch (RocksDBException e) {
        throw io("stage delete from " + cf.cfName, e);
      }
    }

    /**
     * Adds {@code delta} (negative: subtracts) to the {@link Counter} under {@code key} of a counters
     * column family; a missing counter counts as 0. Applied at commit, atomically with the batch.
     */
    public void add(ColumnFamily cf, byte[] key, long delta) {
      if (!cf.counters) {
        throw new IllegalArgumentException(cf.cfName + " holds no counters");
      }
      try {
        wb.merge(cf(cf), key, Counter.encode(delta));
      } catch (RocksDBException e) {
        throw io("stage add into " + cf.cfName, e);
      }
    }

    public void putSys(String name, byte[] value) {
      put(ColumnFamily.SYS, name.getBytes(StandardCharsets.UTF_8), value);
    }

    @Override
    public void close() {
      EventSink.Staging s = staging;
      staging = null;
      try {
        if (s != null) {
          s.aborted(); // never committed: the sink gives back what it reserved for it
        }
      } finally {
        settle();
        wb.close();
      }
    }
  }

  /** RocksDB's figures for metrics (see {@link MetaFigures}); O(1), no I/O. */
  public MetaFigures figures() {
    try {
      RocksDB d = db();
      return new MetaFigures(
          d.getAggregatedLongProperty("rocksdb.estimate-pending-compaction-bytes"),
          d.getLongProperty("rocksdb.num-running-compactions"),
          d.getAggregatedLongProperty("rocksdb.live-sst-files-size"),
          d.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables"));
    } catch (RocksDBException e) {
      throw io("read properties", e);
    }
  }

  // ---- reads

  /** The value under {@code key} in {@code cf}, or null. */
  public byte[] get(ColumnFamily cf, byte[] key) {
    try {
      return db().get(cf(cf), readOptions, key);
    } catch (RocksDBException e) {
      throw io("get from " + cf.cfName, e);
    }
  }

  public byte[] sys(String name) {
    return get(ColumnFamily.SYS, name.getBytes(StandardCharsets.UTF_8));
  }

  /** Calls {@code f} with every entry of {@code cf} whose key starts with {@code prefix}, in key order. */
  public void scan(ColumnFamily cf, byte[] prefix, BiConsumer<byte[], byte[]> f) {
    try (Cursor c = new Cursor(cf)) {
      for (c.seek(prefix); c.valid() && Keys.startsWith(c.key(), prefix); c.next()) {
        f.accept(c.key(), c.value());
      }
    }
  }

  /** Whether {@code cf} has an entry whose key starts with {@code prefix}. */
  public boolean any(ColumnFamily cf, byte[] prefix) {
    try (Cursor c = new Cursor(cf)) {
      c.seek(prefix);
      return c.valid() && Keys.startsWith(c.key(), prefix);
    }
  }

  /** A new iterator over {@code cf}, to be closed by the caller (try-with-resources). */
  public Cursor cursor(ColumnFamily cf) {
    return new Cursor(cf);
  }

  /** An iterator over one column family; always used in try-with-resources so it is closed. */
  public final class Cursor implements AutoCloseable {
    private final ColumnFamily cf;
    private final RocksIterator it;

    private Cursor(ColumnFamily cf) {
      this.cf = cf;
      this.it = db().newIterator(cf(cf), readOptions);
    }

    public void seek(byte[] key) {
      it.seek(key);
    }

    public void seekToFirst() {
      it.seekToFirst();
    }

    /** Whether positioned on an entry; an iterator that stopped on an error throws instead. */
    public boolean valid() {
      if (it.isValid()) {
        return true;
      }
      try {
        it.status();
      } catch (RocksDBException e) {
        throw io("iterate " + cf.cfName, e);
      }
      return false;
    }

    public byte[] key() {
      return it.key();
    }

    public byte[] value() {
      return it.value();
    }

    public void next() {
      it.next();
    }

    @Override
    public void close() {
      it.close();
    }
  }

  // ---- shutdown

  /**
   * Closes native handles in dependency order: column family handles (they point into the DB), then
   * the DB, then the options the DB was opened with, then what those options point to (bloom filter,
   * block cache, merge operator), then the read/write options. The caller guarantees no operation is in flight
   * (TarnStore's lifecycle lock), so no iterator or batch is still open.
   */
  @Override
  public void close() {
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    RocksDBException failure = null;
    try {
      RocksDB d = db;
      if (d != null) {
        if (!stopped) {
          // A clean stop makes the lazily committed records (commitLazily: webhook figures and cursors)
          // as durable as the synced ones: a power loss right after it loses nothing.
          try {
            d.flushWal(true);
          } catch (RocksDBException e) {
            LOG.log(System.Logger.Level.WARNING, "could not sync the write-ahead log of " + dir + " at close: "
                + e.getMessage());
          }
        }
        d.closeE();
      }
    } catch (RocksDBException e) {
      failure = stopped && noSpace(e) ? null : e; // the background error of a full disk, reported again
    }
    closeOptions();
    if (failure != null) {
      throw io("close", failure);
    }
  }

  private void closeOptions() {
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
