package io.tarn.storage;

import io.tarn.storage.blobs.BlobStore;
import io.tarn.storage.identity.IdentityMirror;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.objects.Fsck;
import io.tarn.storage.objects.IndexRebuild;
import io.tarn.storage.objects.ObjectTables;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The offline tools on a data directory whose server is stopped: {@link #fsck} checks the index
 * ({@code meta/}) against the blob files both ways, {@link #rebuild} builds a new index from the blob
 * files' descriptions when the old one is lost or corrupt. Neither deletes a blob file.
 */
public final class IndexRepair {
  /** What a rebuild cannot bring back: it lives only in the index. */
  public static final List<String> LOST_BY_REBUILD = List.of(
      "webhook rules, their queued and dead-lettered deliveries and attempt logs (events are not re-emitted)",
      "multipart uploads in progress (their parts are listed as unplaced)",
      "empty buckets (a bucket comes back with the blobs that name it)",
      "object ACLs: every object comes back private (a blob records its ACL as written, not later changes)",
      "objects stored inline (only with --inline-threshold above 0: they have no blob file)",
      "each object's Last-Modified becomes the time its blob was written (milliseconds before its commit)");
  /** Lost too when there is no identity mirror. */
  public static final List<String> LOST_WITHOUT_MIRROR = List.of(
      "users other than the root user, their access keys and API tokens (the root user comes back at the next"
          + " start, from TARN_ROOT_* or <data>/root-credentials); buckets keep their owners' user ids",
      "bucket grants and ACLs, bucket policies and public access blocks (set policies again before serving:"
          + " until then a bucket that had a policy's Deny has only its ACLs)");

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private IndexRepair() {}

  /**
   * Checks {@code dataDir}'s index against its blob files, changing nothing.
   *
   * @throws StorageException IO if a server has the data directory open, or it has no index
   */
  public static FsckReport fsck(Path dataDir) {
    return fsck(dataDir, false);
  }

  /**
   * Checks {@code dataDir}'s index against its blob files; with {@code repair}, also sets the buckets'
   * usage counters from their records (synced), the one thing fsck repairs: the report still lists
   * each mismatch it found, marked repaired. Blob files and records are never changed.
   *
   * @throws StorageException IO if a server has the data directory open, or it has no index
   */
  public static FsckReport fsck(Path dataDir, boolean repair) {
    Path metaDir = dataDir.resolve("meta");
    requireStopped(metaDir);
    if (!Files.isRegularFile(metaDir.resolve("CURRENT"))) {
      throw new StorageException(StorageException.Kind.IO, "no index in " + metaDir
          + " (missing or empty): 'tarn admin rebuild-index --data " + dataDir + "' builds one from the blobs");
    }
    try (MetaStore meta = MetaStore.open(metaDir, repair)) {
      return new Fsck(meta, BlobStore.existing(dataDir)).run(repair);
    }
  }

  /**
   * Moves an existing {@code meta/} aside to {@code meta.broken-<time>/} and builds a new index from
   * the blob files: buckets, objects with their metadata, blobrefs. Blob files are only read; those it
   * cannot place are in the report. No event is emitted. Users, keys, tokens and grants come back from
   * {@code <data>/identity.mirror} if it is there ({@link IdentityMirror}); webhook rules and the rest
   * of {@link #LOST_BY_REBUILD} are not in the blobs.
   *
   * @throws StorageException IO if a server has the data directory open, or the index cannot be written
   */
  public static RebuildReport rebuild(Path dataDir, boolean fsync, DataMode mode, Clock clock) {
    Path metaDir = dataDir.resolve("meta");
    if (!Files.isDirectory(dataDir.resolve("blobs"))) {
      throw new StorageException(StorageException.Kind.IO, "no blobs/ in " + dataDir + ": not a Tarn data directory");
    }
    requireStopped(metaDir);
    Path aside = null;
    try {
      if (Files.isDirectory(metaDir) && hasFiles(metaDir)) {
        String name = "meta.broken-" + STAMP.format(clock.instant());
        aside = metaDir.resolveSibling(name);
        for (int n = 2; Files.exists(aside); n++) { // a second rebuild within the second
          aside = metaDir.resolveSibling(name + "-" + n);
        }
        Files.move(metaDir, aside);
      }
      mode.prepareDirectory(metaDir);
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot move " + metaDir + " aside: " + e, e);
    }
    try (MetaStore meta = MetaStore.open(metaDir, fsync)) {
      RebuildReport r = new IndexRebuild(meta, BlobStore.existing(dataDir)).run(aside);
      List<String> notes = new ArrayList<>(r.notes());
      IdentityMirror.Restored restored;
      try (MetaStore.Batch b = meta.batch()) {
        ObjectTables tables = new ObjectTables(meta);
        restored = IdentityMirror.restore(dataDir, b, bucket -> tables.bucket(bucket) != null);
        meta.commit(b, "restore the identity mirror");
      } catch (StorageException e) {
        restored = null;
        notes.add("the identity mirror " + dataDir.resolve(IdentityMirror.FILE) + " could not be restored: "
            + e.getMessage());
      }
      List<String> lost = new ArrayList<>();
      if (restored == null) {
        lost.addAll(LOST_WITHOUT_MIRROR);
      } else {
        notes.add("restored from " + IdentityMirror.FILE + " (as of the last identity change before the loss): "
            + restored.users() + " users, " + restored.keys() + " access keys, " + restored.tokens() + " API tokens, "
            + restored.grants() + " grants of rebuilt buckets, " + restored.bucketPolicies()
            + " bucket policies and public access blocks of rebuilt buckets");
      }
      lost.addAll(LOST_BY_REBUILD);
      return new RebuildReport(r.movedAside(), r.buckets(), r.objects(), r.bytes(), r.unplaced(), notes, lost);
    }
  }

  private static boolean hasFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isPresent();
    }
  }

  /**
   * Refuses a data directory a server has open: RocksDB holds a POSIX lock on {@code meta/LOCK} while
   * it is open, and a lock attempt from this process fails while another holds it.
   */
  private static void requireStopped(Path metaDir) {
    Path lockFile = metaDir.resolve("LOCK");
    if (!Files.exists(lockFile)) {
      return;
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        throw running(metaDir);
      }
      lock.release();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      throw running(metaDir);
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot check the lock of " + metaDir + ": " + e, e);
    }
  }

  private static StorageException running(Path metaDir) {
    return new StorageException(StorageException.Kind.IO, metaDir + " is in use: stop the server first");
  }
}
