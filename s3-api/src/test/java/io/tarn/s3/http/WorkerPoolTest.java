package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pool reports saturation when the work waiting for a thread reaches its bound, and not before. */
class WorkerPoolTest {
  @Test
  void saturatedOnceTheQueueHoldsMaxQueuedTasks() throws Exception {
    try (WorkerPool pool = new WorkerPool(1, 2, Executors.defaultThreadFactory())) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      pool.execute(() -> {
        running.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(running.await(10, TimeUnit.SECONDS));
      pool.execute(() -> { });
      assertFalse(pool.saturated(), "one task waits, the bound is two");
      pool.execute(() -> { });
      assertTrue(pool.saturated());
      pool.execute(() -> { }); // work of admitted requests is still taken
      release.countDown();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (pool.saturated() && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertFalse(pool.saturated(), "drained");
    }
  }
}
