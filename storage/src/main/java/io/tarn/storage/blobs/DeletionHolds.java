package io.tarn.storage.blobs;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Blob file deletions held while a backup links or copies the files its checkpoint references. From
 * {@link #hold} to the hold's {@link Hold#close}, {@link BlobStore#deleteAll} deletes no file: it only
 * remembers the ids, whose records stay RELEASED (or INTENT, for a write that failed), so a crash
 * meanwhile loses nothing (the start-up sweep deletes such files). Closing the last hold deletes them.
 *
 * <p>Why that makes a backup consistent: a blob file that a checkpoint taken after {@link #hold}
 * returned holds LIVE can only be deleted after a later commit releases it, so by a deletion asked
 * for after {@code hold} returned: held. A deletion already under way when {@code hold} was called
 * deletes only files released (or never committed) before it, which such a checkpoint does not hold
 * LIVE. And a blob file is never written once installed (its trailer is appended in {@code tmp/},
 * before the atomic move into {@code blobs/}; nothing opens it for writing again), so a file that
 * exists holds the bytes its records were committed with: a hard link to it is as good as a copy.
 */
public final class DeletionHolds {
  private static final System.Logger LOG = System.getLogger(DeletionHolds.class.getName());
  /**
   * Deferred ids kept in memory at most (about 100 bytes each); beyond, they are dropped and the end
   * of the hold deletes every released file instead (their records say which).
   */
  static final int CAP = 1_000_000;

  private final Consumer<Collection<String>> delete;
  private final int cap;
  private int holds;
  private Set<String> deferred = new LinkedHashSet<>();
  private boolean overflow;
  private long count;

  DeletionHolds(Consumer<Collection<String>> delete) {
    this(delete, CAP);
  }

  DeletionHolds(Consumer<Collection<String>> delete, int cap) {
    this.delete = delete;
    this.cap = cap;
  }

  /** A hold; {@link #close} ends it (idempotent, never throws). */
  public interface Hold extends AutoCloseable {
    /** Deletions held so far (all of them, once closed). */
    long held();

    @Override
    void close();
  }

  /** Whether a hold is on: then the ids are remembered and the caller deletes nothing. */
  synchronized boolean deferIfHeld(Collection<String> ids) {
    if (holds == 0) {
      return false;
    }
    count += ids.size();
    if (!overflow) {
      deferred.addAll(ids);
      if (deferred.size() > cap) {
        deferred = new LinkedHashSet<>();
        overflow = true;
        LOG.log(System.Logger.Level.WARNING, "more than " + cap + " blob deletions held for a backup: their ids are"
            + " no longer kept; released files are found by their records when the backup ends");
      }
    }
    return true;
  }

  /**
   * Holds deletions until the hold is closed.
   *
   * @param releasedSweep deletes every file whose record says RELEASED; run at the end of a hold whose
   *     ids overflowed (files of failed writes, INTENT, are then left to the next start-up sweep)
   */
  Hold hold(Runnable releasedSweep) {
    synchronized (this) {
      holds++;
    }
    return new Hold() {
      private boolean closed;
      private long total;

      @Override
      public long held() {
        synchronized (DeletionHolds.this) {
          return closed ? total : count;
        }
      }

      @Override
      public void close() {
        Set<String> ids;
        boolean swept;
        synchronized (DeletionHolds.this) {
          if (closed) {
            return;
          }
          closed = true;
          total = count;
          if (--holds > 0) {
            return;
          }
          ids = deferred;
          swept = overflow;
          deferred = new LinkedHashSet<>();
          overflow = false;
          count = 0;
        }
        try {
          if (!ids.isEmpty()) {
            delete.accept(ids);
          }
          if (swept) {
            releasedSweep.run();
          }
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "could not delete the blob files held during a backup (the start-up"
              + " sweep will): " + e);
        }
      }
    };
  }
}
