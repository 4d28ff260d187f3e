package io.tarn.storage.objects;

import io.tarn.storage.BackupProgress;
import io.tarn.storage.BackupReport;
import io.tarn.storage.Backups;
import io.tarn.storage.BucketStats;
import io.tarn.storage.FsckReport;
import io.tarn.storage.StorageException;
import io.tarn.storage.blobs.BlobReader;
import io.tarn.storage.blobs.BlobStore;
import io.tarn.storage.blobs.DeletionHolds;
import io.tarn.storage.meta.MetaStore;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * An online backup ({@link Backups}), in four steps:
 *
 * <ol>
 *   <li>Blob file deletions are held ({@link DeletionHolds}: why this is enough), then RocksDB takes a
 *       checkpoint of the index into {@code <dir>/meta}: every column family as of one moment, the
 *       usage counters and the webhook queue included; inline bodies are in it. Writers are not
 *       stopped: this runs under the store's shared lifecycle lock only (a close waits for it).
 *   <li>The checkpoint is opened read-only, and every blob file it holds LIVE (objects' files,
 *       manifests, parts of uploads in progress) is hard-linked into {@code <dir>/blobs} (or copied,
 *       on another file system or when asked). Files it holds INTENT (writes not committed at the
 *       checkpoint) or RELEASED are not taken: the backup's first start drops their records. Then the
 *       hold ends and the held deletions happen.
 *   <li>The data directory's own files are copied (master key, store stamp, identity mirror, and the
 *       server's, such as the root credentials and {@code tls/}).
 *   <li>The backup is verified from its own files only: {@link Fsck} on the checkpoint against
 *       {@code <dir>/blobs} (every object's and part's file there, trailer intact, right size and
 *       description; every file referenced; counters equal to the records), and with
 *       {@link Backups.Verify#FULL} every block of every file against its checksum.
 * </ol>
 *
 * The store's blob files are read, never written; nothing of the backup is in the data directory.
 */
public final class Backup implements Backups {
  private static final System.Logger LOG = System.getLogger(Backup.class.getName());

  private final StoreContext c;
  private final Consumer<Runnable> guarded;
  private final List<String> directories;
  /** The directory of the backup running, shared by every {@link #alsoCopying} view: one at a time. */
  private final AtomicReference<Path> running;
  private final AtomicBoolean stopping;

  /**
   * @param guarded runs a step that uses the store's RocksDB, refusing it once the store is closed
   */
  public Backup(StoreContext c, Consumer<Runnable> guarded) {
    this(c, guarded, List.of(), new AtomicReference<>(), new AtomicBoolean());
  }

  private Backup(StoreContext c, Consumer<Runnable> guarded, List<String> directories, AtomicReference<Path> running,
      AtomicBoolean stopping) {
    this.c = c;
    this.guarded = guarded;
    this.directories = List.copyOf(directories);
    this.running = running;
    this.stopping = stopping;
  }

  /**
   * These backups, copying also {@code directories} of the data directory besides its top-level
   * files (the server's own, e.g. {@code tls}); one backup at a time among all of them still.
   */
  public Backup alsoCopying(List<String> directories) {
    return new Backup(c, guarded, directories, running, stopping);
  }

  @Override
  public void check(Path dir) {
    BackupTarget.check(c.options().dataDir(), Objects.requireNonNull(dir, "dir"));
  }

  @Override
  public BackupReport backup(Path dir, Verify verify, boolean copy, Consumer<BackupProgress> progress) {
    Objects.requireNonNull(verify, "verify");
    Objects.requireNonNull(progress, "progress");
    check(dir);
    if (!running.compareAndSet(null, dir)) {
      throw new StorageException(StorageException.Kind.CONFLICT, "a backup is already running (into "
          + running.get() + "): one at a time");
    }
    try {
      return run(dir, verify, copy, progress);
    } finally {
      running.set(null);
    }
  }

  /** Ends a running backup at its next file (the store is closing). */
  public void stop() {
    stopping.set(true);
  }

  private BackupReport run(Path dir, Verify verify, boolean copy, Consumer<BackupProgress> progress) {
    Instant started = c.clock().instant();
    long t0 = System.nanoTime();
    BackupTarget target = BackupTarget.create(c.options().dataDir(), dir, c.options().dataMode(), c.options().fsync(),
        !copy);
    progress.accept(new BackupProgress("checkpoint", 0, 0, 0));
    long blobs = 0;
    long bytes = 0;
    Duration checkpoint;
    long held;
    DeletionHolds.Hold hold = c.blobs().holdDeletions(this::sweepReleased);
    try {
      guarded.accept(() -> c.meta().checkpoint(target.meta()));
      checkpoint = Duration.ofNanos(System.nanoTime() - t0);
      prepare(target.meta());
      try (MetaStore ck = MetaStore.openReadOnly(target.meta())) {
        ObjectTables tables = new ObjectTables(ck);
        long total = 0;
        for (int fan = 0; fan < 256; fan++) {
          total += tables.blobRecords(fan).stream().filter(r -> r.state() == BlobState.LIVE).count();
        }
        target.prepareBlobs();
        progress.accept(new BackupProgress("blobs", 0, total, 0));
        for (int fan = 0; fan < 256; fan++) {
          for (ObjectTables.BlobRecord r : tables.blobRecords(fan)) {
            if (r.state() != BlobState.LIVE) {
              continue;
            }
            requireRunning();
            bytes += target.export(r.id(), c.blobs().file(r.id()));
            blobs++;
            progress.accept(new BackupProgress("blobs", blobs, total, bytes));
          }
        }
      }
    } finally {
      endHold(hold);
    }
    held = hold.held();
    progress.accept(new BackupProgress("files", 0, 0, 0));
    List<String> files = target.copyFiles(directories);
    target.sync();
    progress.accept(new BackupProgress("verify", 0, 0, 0));
    try (MetaStore ck = MetaStore.openReadOnly(target.meta())) {
      ObjectTables tables = new ObjectTables(ck);
      BlobStore copied = BlobStore.existing(target.dir());
      FsckReport fsck = new Fsck(ck, copied).run(false);
      List<FsckReport.Finding> problems = new ArrayList<>(fsck.findings());
      long[] verified = {0, 0};
      if (verify == Verify.FULL) {
        verifyBlocks(tables, copied, blobs, problems, verified, progress);
      }
      long buckets = tables.buckets().size();
      long objectBytes = 0;
      for (String b : tables.buckets().keySet()) {
        BucketStats s = tables.stats(b);
        objectBytes += s.bytes();
      }
      BackupReport report = new BackupReport(target.dir(), target.linked(), buckets, fsck.objects(),
          fsck.inlineObjects(), objectBytes, blobs, bytes, BackupTarget.size(target.meta()), files, held, verify,
          verified[0], verified[1], problems, checkpoint, Duration.ofNanos(System.nanoTime() - t0));
      if (report.verified()) {
        target.mark(marker(report, started));
      }
      LOG.log(report.verified() ? System.Logger.Level.INFO : System.Logger.Level.ERROR, "backup into " + dir + ": "
          + report.objects() + " objects, " + blobs + " blob files (" + bytes + " bytes) "
          + (report.hardLinked() ? "hard-linked" : "copied") + " in " + report.took().toMillis() + " ms, "
          + (report.verified() ? "verified (" + verify.name().toLowerCase(java.util.Locale.ROOT) + ")"
              : problems.size() + " problems found by its verification"));
      return report;
    }
  }

  /** Every block of every LIVE blob file of the backup against its checksum. */
  private void verifyBlocks(ObjectTables tables, BlobStore copied, long total, List<FsckReport.Finding> problems,
      long[] verified, Consumer<BackupProgress> progress) {
    BlobReader reader = new BlobReader(copied);
    for (int fan = 0; fan < 256; fan++) {
      for (ObjectTables.BlobRecord r : tables.blobRecords(fan)) {
        if (r.state() != BlobState.LIVE) {
          continue;
        }
        requireRunning();
        try {
          long length = copied.trailer(r.id()).dataLength();
          verified[1] += reader.verifyAll(r.id(), length, n -> { });
          verified[0]++;
        } catch (NoSuchFileException e) {
          // fsck has reported it missing
        } catch (StorageException e) {
          if (e.kind() != StorageException.Kind.CORRUPT) {
            throw e;
          }
          problems.add(new FsckReport.Finding(FsckReport.Kind.CORRUPT_BLOB, r.id(), e.getMessage()));
        }
        progress.accept(new BackupProgress("verify", verified[0], total, verified[1]));
      }
    }
  }

  private void requireRunning() {
    if (stopping.get()) {
      throw new StorageException(StorageException.Kind.IO, "backup stopped: the server is shutting down");
    }
  }

  /**
   * Ends the hold: the held deletions happen now. Under the store's guard (they remove records from
   * RocksDB); if the store has closed meanwhile they are left to the next start-up sweep (their
   * records say RELEASED).
   */
  private void endHold(DeletionHolds.Hold hold) {
    try {
      guarded.accept(hold::close);
    } catch (StorageException e) {
      LOG.log(System.Logger.Level.INFO, "blob deletions held during a backup are left to the next start-up sweep: "
          + e.getMessage());
    }
  }

  /** Deletes every file released but not deleted: what a hold whose ids overflowed has to do. */
  private void sweepReleased() {
    for (int fan = 0; fan < 256; fan++) {
      List<String> released = new ArrayList<>();
      for (ObjectTables.BlobRecord r : c.tables().blobRecords(fan)) {
        if (r.state() == BlobState.RELEASED) {
          released.add(r.id());
        }
      }
      if (!released.isEmpty()) {
        c.blobs().deleteAll(released);
      }
    }
  }

  private void prepare(Path meta) {
    try {
      c.options().dataMode().prepareDirectory(meta);
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot set the mode of " + meta + ": " + e, e);
    }
  }

  private static String marker(BackupReport r, Instant started) {
    return "Tarn backup, complete and verified (" + r.verify().name().toLowerCase(java.util.Locale.ROOT) + ").\n"
        + "started: " + started + "\n"
        + "objects: " + r.objects() + " (" + r.objectBytes() + " bytes), buckets: " + r.buckets() + "\n"
        + "blob files: " + r.blobFiles() + " (" + r.blobBytes() + " bytes), " + (r.hardLinked() ? "hard-linked" : "copied")
        + "\n"
        + "Restore: tarn server --data <a copy of this directory>. It holds the master key: keep it private.\n";
  }
}
