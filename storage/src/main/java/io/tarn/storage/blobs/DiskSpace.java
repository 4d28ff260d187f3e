package io.tarn.storage.blobs;

import io.tarn.storage.DataMode;
import io.tarn.storage.SpaceLimits;
import io.tarn.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Set;

/**
 * The free space of the data directory's file system, the floor below which object writes are
 * refused, and the reserve that lets deletes commit on a full disk (Tarn issue 11, {@link SpaceLimits}).
 *
 * <p>Measuring is a {@code statvfs} per call ({@link FileStore#getUsableSpace}), 2 microseconds measured here:
 * cheap enough for every write admission, so nothing is cached and a freed disk is seen at once.
 *
 * <p>The reserve is a ballast file {@code <data>/reserve} of real blocks (zeros written and synced,
 * not a sparse file). While it is given up, admissions count its size as used, so object writes
 * never eat the room deletes need; it is written again when there is room for it above the floor.
 */
public final class DiskSpace {
  private static final System.Logger LOG = System.getLogger(DiskSpace.class.getName());
  public static final String RESERVE_FILE = "reserve";
  private static final int CHUNK = 1 << 20;

  private final Path dataDir;
  private final Path reserveFile;
  private final FileStore store;
  private final SpaceLimits limits;
  private final boolean fsync;
  private final DataMode mode;
  /** Whether {@code reserve} is in place with its full size. */
  private volatile boolean reserveHeld;
  /** Whether the last measure found less free space than the floor (logged when it changes). */
  private volatile boolean belowFloor;

  private DiskSpace(Path dataDir, FileStore store, SpaceLimits limits, boolean fsync, DataMode mode) {
    this.dataDir = dataDir;
    this.reserveFile = dataDir.resolve(RESERVE_FILE);
    this.store = store;
    this.limits = limits;
    this.fsync = fsync;
    this.mode = mode;
  }

  /** Measures {@code dataDir}'s file system and puts the reserve in place if there is room for it. */
  public static DiskSpace open(Path dataDir, SpaceLimits limits, boolean fsync, DataMode mode) {
    DiskSpace space;
    try {
      space = new DiskSpace(dataDir, Files.getFileStore(dataDir), limits, fsync, mode);
      long size = Files.exists(space.reserveFile) ? Files.size(space.reserveFile) : -1;
      if (size == limits.reserve() && size > 0) {
        space.reserveHeld = true;
      } else if (size >= 0) {
        Files.delete(space.reserveFile); // another size was configured, or an earlier write of it failed
      }
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot measure the free space of " + dataDir + ": " + e, e);
    }
    if (limits.reserve() > 0 && !space.reserveHeld && !space.restoreReserve()) {
      LOG.log(System.Logger.Level.WARNING, "no room for the " + limits.reserve() + "-byte reserve in " + dataDir
          + " (" + space.usable() + " bytes free): deletes may fail if the disk fills up");
    }
    space.floorCrossed(space.usable() < limits.minFree(), space.usable());
    return space;
  }

  public SpaceLimits limits() {
    return limits;
  }

  /**
   * Bytes free for this store: the file system's usable space, or with a simulated capacity that
   * capacity less what the data directory holds.
   */
  public long usable() {
    if (limits.simulatedCapacity() > 0) {
      return limits.simulatedCapacity() - used();
    }
    return realUsable();
  }

  /**
   * Bytes free for object writes, as {@link #admit} counts them (a reserve given up counts as used),
   * without admitting anything or writing the reserve back: what the readiness probe compares with the floor.
   */
  public long freeForWrites() {
    long free = usable();
    return limits.reserve() > 0 && !reserveHeld ? free - limits.reserve() : free;
  }

  /** What the file system itself has free (RocksDB and the blob files meet this, not a simulation). */
  public long realUsable() {
    try {
      return store.getUsableSpace();
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot measure the free space of " + dataDir + ": " + e, e);
    }
  }

  /** The bytes of the files under the data directory (the simulated capacity's usage). */
  private long used() {
    long[] total = {0};
    try {
      Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          total[0] += attrs.size();
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE; // deleted while walking
        }
      });
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot measure " + dataDir + ": " + e, e);
    }
    return total[0];
  }

  /**
   * Admits a write of {@code bytes} more bytes: refused when the file system would be left with less
   * than the floor (a reserve given up counts as used). Puts a given-up reserve back when there is
   * room for it.
   *
   * @throws StorageException STORAGE_FULL
   */
  public void admit(long bytes) {
    long free = usable();
    if (limits.reserve() > 0 && !reserveHeld) {
      if (free - limits.reserve() - Math.max(0, bytes) >= limits.minFree() && restoreReserve()) {
        free = usable();
      } else {
        free -= limits.reserve();
      }
    }
    floorCrossed(free < limits.minFree(), free);
    if (free - Math.max(0, bytes) < limits.minFree()) {
      throw new StorageException(StorageException.Kind.STORAGE_FULL, "storage full: " + Math.max(free, 0)
          + " bytes free in " + dataDir + ", a write of " + Math.max(0, bytes) + " bytes would go below the floor of "
          + limits.minFree());
    }
  }

  /**
   * Logs the free space crossing the floor, either way, once per crossing (every refused write is
   * logged on its own as a 507 by the S3 layer; this says when the state began and ended).
   */
  private void floorCrossed(boolean below, long free) {
    if (below == belowFloor) {
      return;
    }
    synchronized (this) {
      if (below == belowFloor) {
        return;
      }
      belowFloor = below;
    }
    if (below) {
      LOG.log(System.Logger.Level.WARNING, dataDir + " has " + Math.max(free, 0) + " bytes free, below the floor of "
          + limits.minFree() + ": object writes are refused (507 StorageFull) until space is freed");
    } else {
      LOG.log(System.Logger.Level.INFO, dataDir + " has " + free + " bytes free, above the floor of "
          + limits.minFree() + " again: object writes are accepted");
    }
  }

  /** Whether the reserve is in place. */
  public boolean reserveHeld() {
    return reserveHeld;
  }

  /**
   * Gives up the reserve: its blocks are free for RocksDB to commit a delete.
   *
   * @return whether there was one to give up
   */
  public synchronized boolean releaseReserve() {
    if (!reserveHeld) {
      return false;
    }
    reserveHeld = false;
    try {
      Files.deleteIfExists(reserveFile);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not delete the reserve " + reserveFile + ": " + e);
      return false;
    }
    LOG.log(System.Logger.Level.WARNING, "gave up the " + limits.reserve() + "-byte reserve in " + dataDir
        + " so that deletes can commit on a full disk");
    return true;
  }

  /**
   * Writes the reserve if it is not in place and the file system has room for it above the floor.
   *
   * @return whether it is in place
   */
  public synchronized boolean restoreReserve() {
    if (reserveHeld || limits.reserve() == 0) {
      return reserveHeld;
    }
    if (usable() - limits.reserve() < limits.minFree()) {
      return false;
    }
    Path part = dataDir.resolve(RESERVE_FILE + ".part");
    try {
      Files.deleteIfExists(part);
      try (FileChannel ch = FileChannel.open(part, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          mode.fileAttributes(part))) {
        // Zeros written, not a sparse setLength: the blocks must really be taken to be given back.
        ByteBuffer zeros = ByteBuffer.allocate(CHUNK);
        for (long left = limits.reserve(); left > 0; ) {
          zeros.clear().limit((int) Math.min(CHUNK, left));
          while (zeros.hasRemaining()) {
            left -= ch.write(zeros);
          }
        }
        if (fsync) {
          ch.force(true);
        }
      }
      Files.move(part, reserveFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      BlobStore.deleteQuietly(part);
      LOG.log(System.Logger.Level.INFO, "could not write the reserve " + reserveFile + " (retried later): " + e);
      return false;
    }
    reserveHeld = true;
    LOG.log(System.Logger.Level.INFO, "the " + limits.reserve() + "-byte reserve is in place in " + dataDir);
    return true;
  }

  /**
   * Whether {@code e} is the operating system's "no space left on device" (ENOSPC) or "disk quota
   * exceeded" (EDQUOT): the JDK reports both as a plain {@link IOException} with the C library's
   * message, or a {@link java.nio.file.FileSystemException} whose reason it is.
   */
  public static boolean isNoSpace(IOException e) {
    String m = e.getMessage();
    if (m == null) {
      return false;
    }
    String lower = m.toLowerCase(Locale.ROOT);
    return lower.contains("no space left on device") || lower.contains("disk quota exceeded");
  }
}
