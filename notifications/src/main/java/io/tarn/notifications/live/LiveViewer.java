package io.tarn.notifications.live;

import io.tarn.core.api.ApiStream;
import java.util.ArrayDeque;

/**
 * One viewer's live tail of a bucket: its position in the bucket's shared {@link LiveFeed}. The
 * publisher never waits for it, nor copies anything for it: a viewer that reads slowly, or not at all,
 * falls behind, and once the feed no longer holds the messages it has not read, its next
 * {@link #poll} says how many it missed in one {@code skipped} message before the rest. So a viewer
 * costs the server a position and a small read batch, and other viewers do not notice it. Its first
 * message says the tail is open. Thread-safe; polled by one thread at a time.
 */
public final class LiveViewer implements ApiStream {
  /** Messages taken from the feed at once: one feed lock per batch, not per message. */
  private static final int BATCH = 64;

  private final LiveEvents hub;
  private final LiveFeed feed;
  private final String bucket;
  private final String userId;
  private final ArrayDeque<byte[]> batch = new ArrayDeque<>(BATCH);
  private byte[] ready;
  private long position;
  /** {@link #position} as of the last poll, for {@link #backlogged} on other threads. */
  private volatile long readTo;
  /** Where the tail ends once finished: the feed's position then. */
  private long end = Long.MAX_VALUE;
  private long skipped;
  private long skippedTotal;
  private boolean finished;
  private boolean closed;
  private volatile Runnable wake = () -> {};

  LiveViewer(LiveEvents hub, LiveFeed feed, String bucket, String userId) {
    this.hub = hub;
    this.feed = feed;
    this.bucket = bucket;
    this.userId = userId;
    this.ready = LiveMessages.ready(bucket);
    this.position = feed.position();
    this.readTo = position;
  }

  String bucket() {
    return bucket;
  }

  String userId() {
    return userId;
  }

  /** The feed has a new message: wakes the sender. On the publisher's thread; never blocks. */
  void signal() {
    wake.run();
  }

  /** Ends the tail (server stopping): what the feed holds for it now is still sent, then the stream ends. */
  void finish() {
    synchronized (this) {
      if (!finished) {
        finished = true;
        end = feed.position();
      }
    }
    wake.run();
  }

  @Override
  public synchronized byte[] poll() {
    if (ready != null) {
      byte[] m = ready;
      ready = null;
      return m;
    }
    if (batch.isEmpty() && !closed && position < end) {
      long first = feed.read(position, end, batch, BATCH);
      skipped += first - position;
      skippedTotal += first - position;
      position = first + batch.size();
      readTo = position;
    }
    if (skipped > 0) {
      long n = skipped;
      skipped = 0;
      return LiveMessages.skipped(n);
    }
    return batch.pollFirst();
  }

  @Override
  public synchronized boolean finished() {
    return finished && ready == null && batch.isEmpty() && skipped == 0 && (closed || position >= end);
  }

  /**
   * Behind by half the feed: the sender should not wait to batch more, or a reader that keeps up could
   * still miss messages at a high event rate. Half, not less: each time this says so, the publisher hands
   * the sender a task across threads (a wake-up of its event loop), which costs the uploads; with the
   * default feed (1,000 messages) and the sender's coalescing (250 ms) that happens only above ~2,000
   * events/s to the bucket (then a viewer is sent to each time half the feed has filled), and the other
   * half of the feed is the sender's time to run.
   */
  @Override
  public boolean backlogged() {
    return feed.published() - readTo > feed.capacity() / 2;
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
      ready = null;
      batch.clear();
    }
    hub.remove(this);
  }

  /** Messages waiting now, at most the feed's capacity plus a batch and the first message (tests and figures). */
  public synchronized int queued() {
    if (closed) {
      return 0;
    }
    long behind = position < end ? feed.available(position) : 0;
    if (end != Long.MAX_VALUE) {
      behind = Math.min(behind, Math.max(0, end - position));
    }
    return (ready == null ? 0 : 1) + batch.size() + (int) behind;
  }

  /** Messages this viewer missed since it opened. */
  public synchronized long skippedTotal() {
    return skippedTotal;
  }

  @Override
  public String toString() {
    return "live tail of " + bucket + " for " + userId + " (" + queued() + " queued)";
  }
}
