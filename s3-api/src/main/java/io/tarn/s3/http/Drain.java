package io.tarn.s3.http;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the server is draining, and how many requests are in flight: the state a graceful stop
 * runs on (docs/ops/health-and-drain.md). {@code SERVING} until {@link #begin()}, then
 * {@code DRAINING}: the listener stops accepting, idle connections close, event streams end, a new
 * request on a connection still open is answered {@code 503 ServiceUnavailable} with
 * {@code Connection: close}, and every response closes its connection; {@link #awaitIdle} waits for
 * the requests in flight to end. The transition happens once; there is no way back (a stopping
 * process does not serve again).
 *
 * <p>{@link S3HttpHandler} reads {@link #draining()} once per request (one volatile read) and counts
 * each exchange in and out (one atomic add each). Event streams are not counted: they end at the
 * drain's start and must not hold it. The readiness probe reads {@link #draining()} too. Thread-safe.
 */
public final class Drain {
  /** The user event each open connection gets when the drain begins ({@link S3Server} fires it). */
  enum Event { BEGIN }

  private final AtomicInteger inFlight = new AtomicInteger();
  private final CountDownLatch idle = new CountDownLatch(1);
  private final List<Runnable> onBegin = new CopyOnWriteArrayList<>();
  private volatile boolean draining;

  /** Whether the drain has begun. */
  public boolean draining() {
    return draining;
  }

  /** Requests in flight now: from their head's arrival to the end of their response. */
  public int inFlight() {
    return inFlight.get();
  }

  /** A request head arrived on a connection. */
  void requestStarted() {
    inFlight.incrementAndGet();
  }

  /** A request counted by {@link #requestStarted()} ended: its response was written, or its connection closed. */
  void requestEnded() {
    // Read after the decrement: begin() sets the flag before it reads the count, so one of the two
    // always sees the other and the last request out opens the latch.
    if (inFlight.decrementAndGet() == 0 && draining) {
      idle.countDown();
    }
  }

  /** Runs {@code action} when the drain begins (the listener registers how it stops accepting). */
  void onBegin(Runnable action) {
    onBegin.add(action);
  }

  /**
   * Starts draining: from now on new requests are refused and responses close their connections;
   * the actions registered with {@link #onBegin} run on this thread. Only the first call does anything.
   *
   * @return the requests in flight when the drain began, or -1 if it had begun already
   */
  public synchronized int begin() {
    if (draining) {
      return -1;
    }
    draining = true;
    int n = inFlight.get();
    if (n == 0) {
      idle.countDown();
    }
    for (Runnable r : onBegin) {
      r.run();
    }
    return n;
  }

  /**
   * Waits, after {@link #begin()}, until no request is in flight or {@code grace} has passed.
   *
   * <p>Once no request was in flight the drain is complete, even if a request arrives afterwards on a
   * connection still open (it would only be refused): the caller then closes every connection.
   *
   * @return the requests still in flight when the grace ran out, 0 when the drain completed
   */
  public int awaitIdle(Duration grace) throws InterruptedException {
    if (!draining) {
      throw new IllegalStateException("the drain has not begun");
    }
    if (idle.await(Math.max(0, grace.toNanos()), TimeUnit.NANOSECONDS)) {
      return 0;
    }
    return Math.max(0, inFlight.get());
  }
}
