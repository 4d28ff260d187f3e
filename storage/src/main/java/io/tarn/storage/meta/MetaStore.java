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
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The only class that touches RocksDB (STYLE.md 7): a generic store of byte keys and values in the
 * {@link ColumnFamily column families} it owns. Two package-private helpers that serve it alone hold
 * the options it opens the database with ({@link RocksTuning}) and the open that recovers a damaged
 * write-ahead log ({@link MetaOpening}). It knows no record type: key layouts and codecs live
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

  private final Path dir;
  /** The options the database is opened, written and read with; closed after it. */
  private final RocksTuning tuning;
  /** How it is opened, and opened again by {@link #reopen}. */
  private final MetaOpening opening;
  private final List<ColumnFamilyHandle> handles;
  /** Replaced by {@link #reopen}; null while a reopen failed (then every call is STORAGE_FULL). */
  private volatile RocksDB db;
  /**
   * Set when a write met a full disk. RocksDB then refuses every write (its background error) and
   * RocksJava has no {@code Resume()}: only closing and opening the database clears it ({@link #reopen}).
   */
  private volatile boolean stopped;

  private MetaStore(Path dir, boolean sync, boolean acceptWalLoss, boolean readOnly) {
    this.dir = dir;
    tuning = new RocksTuning(sync);
    opening = new MetaOpening(dir, tuning, readOnly);
    handles = new ArrayList<>();
    RocksDB opened;
    try {
      opened = opening.open(handles, acceptWalLoss);
    } catch (RocksDBException e) {
      tuning.close();
      throw openFailure(e);
    } catch (RuntimeException e) {
      tuning.close();
      throw e;
    }
    db = opened;
    if (!readOnly) {
      try {
        opening.dropUnused(opened, handles);
      } catch (RocksDBException e) {
        close();
        throw io("drop an unused column family", e);
      }
    }
  }

  /** Whether this open accepted the loss of WAL records after a corrupt one ({@code acceptWalLoss}). */
  public boolean walLossAccepted() {
    return opening.walLossAccepted();
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
      db = opening.reopen(opened);
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
    commit(batch, operation, tuning.writeOptions);
  }

  /**
   * Commits {@code batch} atomically without waiting for the WAL sync: it survives a crash of the
   * process, and a power loss may lose it. Only for records whose loss just repeats work.
   */
  public void commitLazily(Batch batch, String operation) {
    commit(batch, operation, tuning.lazyWriteOptions);
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
      return db().get(cf(cf), tuning.readOptions, key);
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
      this.it = db().newIterator(cf(cf), tuning.readOptions);
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
   * block cache, merge operator), then the read/write options ({@link RocksTuning#close}). The caller
   * guarantees no operation is in flight (TarnStore's lifecycle lock), so no iterator or batch is
   * still open.
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
    tuning.close();
    if (failure != null) {
      throw io("close", failure);
    }
  }
}
