package io.tarn.notifications.live;

import io.tarn.core.api.ApiStream;
import java.util.ArrayDeque;

/**
 * One viewer's live tail of a bucket: a bounded queue of ready-to-send server-sent-event messages.
 * The publisher never waits: {@link #offer} drops the oldest message when the queue is full and counts
 * it, and the viewer's next {@link #poll} says how many it missed in one {@code skipped} message
 * before the rest. So a viewer that reads slowly, or not at all, holds at most {@code capacity}
 * messages, and other viewers do not notice it. Thread-safe.
 */
public final class LiveViewer implements ApiStream {
  private final LiveEvents hub;
  private final String bucket;
  private final String userId;
  private final int capacity;
  private final ArrayDeque<byte[]> queue;
  private long skipped;
  private long skippedTotal;
  private boolean finished;
  private boolean closed;
  private volatile Runnable wake = () -> {};

  LiveViewer(LiveEvents hub, String bucket, String userId, int capacity) {
    this.hub = hub;
    this.bucket = bucket;
    this.userId = userId;
    this.capacity = capacity;
    this.queue = new ArrayDeque<>(Math.min(capacity, 64));
  }

  String bucket() {
    return bucket;
  }

  String userId() {
    return userId;
  }

  /** Queues {@code message} without ever blocking; drops the oldest one when full. */
  void offer(byte[] message) {
    synchronized (this) {
      if (finished) {
        return;
      }
      if (queue.size() >= capacity) {
        queue.pollFirst();
        skipped++;
        skippedTotal++;
      }
      queue.addLast(message);
    }
    wake.run();
  }

  /** Ends the tail (server stopping): what is queued is still sent, then the stream ends. */
  void finish() {
    synchronized (this) {
      finished = true;
    }
    wake.run();
  }

  @Override
  public byte[] poll() {
    synchronized (this) {
      if (skipped > 0) {
        long n = skipped;
        skipped = 0;
        return LiveMessages.skipped(n);
      }
      return queue.pollFirst();
    }
  }

  @Override
  public synchronized boolean finished() {
    return finished && queue.isEmpty() && skipped == 0;
  }

  @Override
  public void onReady(Runnable wake) {
    this.wake = wake;
    wake.run();
  }

  /** The hub alone has no say: the API that opened the tail adds the caller's checks. */
  @Override
  public synchronized boolean stillAuthorized() {
    return !closed;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      finished = true;
      queue.clear();
    }
    hub.remove(this);
  }

  /** Messages waiting now (tests and figures). */
  public synchronized int queued() {
    return queue.size();
  }

  /** Messages dropped for this viewer since it opened. */
  public synchronized long skippedTotal() {
    return skippedTotal;
  }

  @Override
  public String toString() {
    return "live tail of " + bucket + " for " + userId + " ("
        + queued() + " queued)";
  }
}
