package io.tarn.storage.meta;

import io.tarn.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;

/**
 * How {@link MetaStore} opens its RocksDB database: with the column families of earlier builds it
 * then drops, recovering a write-ahead log whose last record a crash cut short but never past real
 * corruption unless the operator accepts the loss. What RocksDB throws is put in words by
 * {@code MetaStore}, as for every other call.
 */
final class MetaOpening {
  private static final System.Logger LOG = System.getLogger(MetaOpening.class.getName());

  /**
   * Column families that earlier builds created and this one no longer uses. RocksDB opens a database
   * only with all of its column families listed, so these are opened, then dropped (their data is
   * deleted). {@code events} held events staged by tests' sinks; the webhook queue keeps its own.
   */
  private static final List<String> DROPPED = List.of("events");

  private final Path dir;
  private final RocksTuning tuning;
  /** {@link MetaStore#openReadOnly}: RocksDB refuses every write, nothing in {@code dir} changes. */
  private final boolean readOnly;
  /** Whether an open recovered past corrupt WAL records, dropping what followed them. */
  private boolean walLossAccepted;

  MetaOpening(Path dir, RocksTuning tuning, boolean readOnly) {
    this.dir = dir;
    this.tuning = tuning;
    this.readOnly = readOnly;
  }

  /**
   * The first open: {@link ColumnFamily}'s column families, in its order, then those of
   * {@link #DROPPED} the database still has ({@link #dropUnused} drops them once it is open).
   */
  RocksDB open(List<ColumnFamilyHandle> handles, boolean acceptWalLoss) throws RocksDBException {
    List<ColumnFamilyDescriptor> all = new ArrayList<>(tuning.descriptors);
    for (String name : droppedPresent(dir)) {
      all.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), tuning.untuned()));
    }
    return openRecovering(all, handles, acceptWalLoss);
  }

  /**
   * A reopen ({@link MetaStore#reopen}): {@link ColumnFamily}'s column families only. A WAL append cut
   * short by the full disk leaves an incomplete last record (never acknowledged): the same recovery
   * as a start, never past real corruption.
   */
  RocksDB reopen(List<ColumnFamilyHandle> handles) throws RocksDBException {
    return openRecovering(tuning.descriptors, handles, false);
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
      tuning.dbOptions.setWalRecoveryMode(WALRecoveryMode.AbsoluteConsistency);
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
      tuning.dbOptions.setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords);
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
        tuning.dbOptions.setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery);
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
    return readOnly ? RocksDB.openReadOnly(tuning.dbOptions, dir.toString(), descriptors, handles)
        : RocksDB.open(tuning.dbOptions, dir.toString(), descriptors, handles);
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

  /** Whether an open accepted the loss of WAL records after a corrupt one ({@code acceptWalLoss}). */
  boolean walLossAccepted() {
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

  /**
   * Drops the column families opened past {@link ColumnFamily}'s (those of {@link #DROPPED}) and
   * closes their handles, each also when its drop fails (the caller then closes the store).
   */
  void dropUnused(RocksDB db, List<ColumnFamilyHandle> handles) throws RocksDBException {
    while (handles.size() > ColumnFamily.values().length) {
      ColumnFamilyHandle h = handles.remove(handles.size() - 1);
      try {
        String name = new String(h.getName(), StandardCharsets.UTF_8);
        db.dropColumnFamily(h);
        LOG.log(System.Logger.Level.INFO, "dropped the unused column family " + name + " of " + dir);
      } finally {
        h.close();
      }
    }
  }
}
