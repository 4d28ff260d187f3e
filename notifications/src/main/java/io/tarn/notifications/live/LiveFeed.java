package io.tarn.notifications.live;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One watched bucket's recent messages, shared by all its viewers: a ring of the last
 * {@code capacity} messages, numbered in publishing order. Publishing stores a message once, whatever
 * the number of viewers, and signals each viewer (a volatile read when its wake-up is already queued);
 * each viewer reads from its own position, in batches. So the upload that commits an event pays one
 * short lock for it, not one per viewer: many workers publish at once after a group commit, and
 * per-viewer locks made them contend on every viewer's lock in turn. A viewer further behind than the
 * ring holds has missed the oldest messages; it is told how many. Thread-safe.
 */
final class LiveFeed {
  private final byte[][] ring;
  /**
   * The number the next message gets; the ring holds those from {@code next - ring.length}. Written under
   * the lock; volatile so that {@link #published} reads it without.
   */
  private volatile long next;
  private final List<LiveViewer> viewers = new CopyOnWriteArrayList<>();

  LiveFeed(int capacity) {
    this.ring = new byte[capacity][];
  }

  void publish(byte[] message) {
    synchronized (this) {
      ring[(int) (next % ring.length)] = message;
      next++;
    }
    for (LiveViewer v : viewers) {
      v.signal();
    }
  }

  /** The number the next message will get: a viewer opened now starts there. */
  synchronized long position() {
    return next;
  }

  /** How many messages were ever published (the next one's number), without the lock. */
  long published() {
    return next;
  }

  int capacity() {
    return ring.length;
  }

  /**
   * Appends to {@code out} up to {@code max} messages from number {@code from} on (or from the oldest the
   * ring still holds, if it no longer holds {@code from}) and before {@code end}.
   *
   * @return the number of the first message appended (greater than {@code from} when some were missed)
   */
  synchronized long read(long from, long end, ArrayDeque<byte[]> out, int max) {
    long start = Math.max(from, next - ring.length);
    long stop = Math.min(Math.min(next, end), start + max);
    for (long n = start; n < stop; n++) {
      out.addLast(ring[(int) (n % ring.length)]);
    }
    return start;
  }

  /** Messages from number {@code from} on that the ring still holds. */
  synchronized long available(long from) {
    return next - Math.max(from, next - ring.length);
  }

  List<LiveViewer> viewers() {
    return viewers;
  }
}
