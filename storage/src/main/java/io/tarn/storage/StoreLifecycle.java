package io.tarn.storage;

import io.tarn.storage.objects.StoreContext;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * How every operation of a {@link TarnStore} runs: on the shared side of the lifecycle lock, which
 * {@link #close} takes exclusively, so RocksDB is never used after it is closed; and, when a full disk
 * stopped the metadata store, after reopening it as soon as there is room again (writes resume by
 * themselves, no restart), giving up the reserve for a delete.
 */
final class StoreLifecycle {
  private static final System.Logger LOG = System.getLogger(StoreLifecycle.class.getName());

  /**
   * Free space a stopped metadata store needs before a delete reopens it: an open without flush writes
   * a new WAL, MANIFEST and OPTIONS file (about 200 KiB, measured) and the delete a WAL record. A
   * failed reopen would leave the store closed, reads too, until the next one: so not on a guess.
   */
  private static final long REOPEN_ROOM = 1L << 20;

  private final StoreContext c;
  /** Operations share it; close takes it exclusively, so RocksDB is never used after it is closed. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  /** Set under the lifecycle's write lock; volatile for {@link TarnStore#health()}, which takes no lock. */
  private volatile boolean closed;

  StoreLifecycle(StoreContext c) {
    this.c = c;
  }

  /** Whether {@link #close} ran; no lock taken. */
  boolean closed() {
    return closed;
  }

  <T> T run(Supplier<T> op) {
    recoverIfRoom(false);
    return guarded(op);
  }

  void runVoid(Runnable op) {
    run(() -> {
      op.run();
      return null;
    });
  }

  /**
   * Runs an operation that frees space (a delete). If RocksDB has met a full disk it refuses every
   * write until reopened, and reopening needs a little room: the reserve is given up for it, then the
   * operation runs once more. So deletes work on a disk another process filled to the last block.
   */
  <T> T runFreeing(Supplier<T> op) {
    recoverIfRoom(true);
    T result;
    try {
      result = guarded(op);
    } catch (StorageException e) {
      if (e.kind() != StorageException.Kind.STORAGE_FULL || !c.meta().stopped()) {
        throw e;
      }
      c.space().releaseReserve();
      recoverIfRoom(true);
      result = guarded(op);
    }
    if (!c.space().reserveHeld()) {
      c.space().restoreReserve(); // once the delete made room for it again
    }
    return result;
  }

  /**
   * Reopens a metadata store that a full disk stopped, if there is room now: for any operation when
   * the disk is above the floor again (writes resume by themselves, no restart), for a delete when
   * it has {@link #REOPEN_ROOM}, after giving up the reserve if need be. Reads work on a stopped
   * store and never wait for this.
   */
  private void recoverIfRoom(boolean freeing) {
    if (!c.meta().stopped() || lifecycle.getReadHoldCount() > 0) {
      return; // the common case: one volatile read. Nested in an operation: the outer one recovers.
    }
    // A store closed by a failed reopen serves no reads either: it tries again as soon as it can.
    long need = freeing || !c.meta().isOpen() ? REOPEN_ROOM : Math.max(REOPEN_ROOM, c.space().limits().minFree());
    if (!freeing && c.space().realUsable() < need) {
      return; // still full: no lock taken, so reads on a stopped store never wait for each other
    }
    lifecycle.writeLock().lock();
    try {
      if (closed || !c.meta().stopped()) {
        return;
      }
      long free = c.space().realUsable();
      if (free < need && freeing && c.space().releaseReserve()) {
        free = c.space().realUsable();
      }
      if (free < need) {
        return; // still stopped: writes answer STORAGE_FULL, reads go on
      }
      c.meta().reopen();
      LOG.log(System.Logger.Level.WARNING, "reopened the metadata store of " + c.options().dataDir()
          + " after a full disk (" + free + " bytes free now)");
    } catch (StorageException e) {
      LOG.log(System.Logger.Level.WARNING, "could not reopen the metadata store after a full disk (retried): "
          + e.getMessage());
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** Runs {@code op} on the shared side of the lifecycle lock, without recovering (figures for metrics). */
  <T> T guarded(Supplier<T> op) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new StorageException(StorageException.Kind.IO, "store " + c.options().dataDir() + " is closed");
      }
      return op.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Waits for operations in flight, then runs {@code closing} once, on the exclusive side: no
   * operation runs during it or after it. Idempotent.
   */
  void close(Runnable closing) {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closing.run();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
