package io.tarn.storage.meta;

import java.util.TreeSet;

/**
 * The persisted monotonic counter behind event sequencers. Numbers are handed out from memory; what
 * is persisted is a reservation: before handing out a number at or above the persisted reservation,
 * a synced write raises it by {@link #BLOCK}. After a crash counting restarts at the reservation,
 * above every number ever handed out, so a sequencer never repeats (numbers may be skipped).
 *
 * <p>Numbers are taken in order but their batches commit in any order. A reader that follows staged
 * events in sequencer order (the webhook queue) must not pass a number whose batch may still commit:
 * a number stays <em>open</em> from {@link #next} until {@link #settle} (its batch committed or was
 * dropped), and {@link #settledBelow} is the bound below which nothing is open any more.
 */
public final class Sequencer {
  static final long BLOCK = 100_000;
  private static final String KEY = "sequencer.reserved";
  private static final int FORMAT = 1;

  private final MetaStore meta;
  /** Guarded by {@link #open}. */
  private long next;
  private final TreeSet<Long> open = new TreeSet<>();
  private final Object reserveLock = new Object();
  private volatile long reserved;

  public Sequencer(MetaStore meta) {
    this.meta = meta;
    byte[] v = meta.sys(KEY);
    long start = 0;
    if (v != null) {
      Codec.In in = new Codec.In(v, "sequencer", FORMAT);
      start = in.i64();
      in.end();
    }
    this.next = start;
    this.reserved = start;
  }

  /**
   * The next number, open until {@link #settle}d. Callers allocate under the key lock, so one key's
   * events are in order.
   */
  long next() {
    long n;
    synchronized (open) {
      n = next++;
      open.add(n);
    }
    if (n >= reserved) {
      try {
        reserve(n);
      } catch (RuntimeException | Error e) {
        settle(n);
        throw e;
      }
    }
    return n;
  }

  /** The batch that took {@code n} has committed, or will never commit. */
  void settle(long n) {
    synchronized (open) {
      open.remove(n);
    }
  }

  /** The number {@link #next} gives next: every number from it on is taken after this returns. */
  public long peekNext() {
    synchronized (open) {
      return next;
    }
  }

  /** Every number below this one is settled: its batch committed or never will. */
  public long settledBelow() {
    synchronized (open) {
      return open.isEmpty() ? next : open.first();
    }
  }

  /** Persists a reservation above {@code n}; concurrent callers past the old one wait for it. */
  private void reserve(long n) {
    synchronized (reserveLock) {
      if (n < reserved) {
        return;
      }
      long r = n + BLOCK;
      try (MetaStore.Batch b = meta.batch()) {
        b.putSys(KEY, new Codec.Out(FORMAT).i64(r).toBytes());
        meta.commit(b, "reserve sequencers");
      }
      reserved = r;
    }
  }

  /**
   * Stages a reservation that makes this counter start at or above {@code n} (rebuild-index: blob
   * stamps are numbers of this counter, and a new index must go on above them).
   */
  public static void startAtLeast(MetaStore.Batch b, long n) {
    b.putSys(KEY, new Codec.Out(FORMAT).i64(n).toBytes());
  }

  /** The persisted reservation (for tests). */
  long reserved() {
    return reserved;
  }
}
