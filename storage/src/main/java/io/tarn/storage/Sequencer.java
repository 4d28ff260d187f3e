package io.tarn.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The persisted monotonic counter behind event sequencers. Numbers are handed out from memory; what
 * is persisted is a reservation: before handing out a number at or above the persisted reservation,
 * a synced write raises it by {@link #BLOCK}. After a crash counting restarts at the reservation,
 * above every number ever handed out, so a sequencer never repeats (numbers may be skipped).
 */
final class Sequencer {
  static final long BLOCK = 100_000;
  private static final String KEY = "sequencer.reserved";
  private static final int FORMAT = 1;

  private final MetaStore meta;
  private final AtomicLong next;
  private final Object reserveLock = new Object();
  private volatile long reserved;

  Sequencer(MetaStore meta) {
    this.meta = meta;
    byte[] v = meta.sys(KEY);
    long start = 0;
    if (v != null) {
      Codec.In in = new Codec.In(v, "sequencer", FORMAT);
      start = in.i64();
      in.end();
    }
    this.next = new AtomicLong(start);
    this.reserved = start;
  }

  /** The next number. Callers allocate under the key lock, so one key's events are in order. */
  long next() {
    long n = next.getAndIncrement();
    if (n >= reserved) {
      reserve(n);
    }
    return n;
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

  /** The persisted reservation (for tests). */
  long reserved() {
    return reserved;
  }
}
