package io.tarn.s3.http;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The pool for blocking storage work, with a bound on the work waiting for a thread. A new
 * request is admitted only while fewer than {@code maxQueued} tasks wait ({@link #saturated()});
 * otherwise it is answered {@code 503 SlowDown}, S3's "reduce your request rate", which SDKs retry
 * with backoff. The work of a request already admitted (its body chunks, its response's file
 * reads) is always queued: refusing it would throw away what the client already sent, and each
 * request has at most one task queued at a time ({@link SerialExecutor}), so that part of the
 * queue is bounded by the number of connections, which {@link ConnectionLimits} caps.
 */
public final class WorkerPool implements Executor, AutoCloseable {
  private final ThreadPoolExecutor pool;
  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final int maxQueued;

  /**
   * @param threads worker threads, at least 1
   * @param maxQueued waiting tasks beyond which new requests are turned away, at least 1
   */
  public WorkerPool(int threads, int maxQueued, ThreadFactory threadFactory) {
    if (threads < 1 || maxQueued < 1) {
      throw new IllegalArgumentException("worker threads and queue must be at least 1: " + threads + ", " + maxQueued);
    }
    this.maxQueued = maxQueued;
    this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, queue, threadFactory);
  }

  @Override
  public void execute(Runnable task) {
    pool.execute(task);
  }

  /** Whether new requests should be turned away now. One volatile read: checked per request. */
  boolean saturated() {
    return queue.size() >= maxQueued;
  }

  /** Stops taking work and waits up to {@code grace} for the running work to end. */
  public void shutdown(Duration grace) throws InterruptedException {
    pool.shutdown();
    pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops at once, interrupting running work. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
