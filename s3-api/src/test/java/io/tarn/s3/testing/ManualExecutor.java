package io.tarn.s3.testing;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * A worker pool the test drives: tasks wait until the test runs them, on the test's own thread, so
 * a test can hold the "worker" blocked and decide exactly when storage work happens.
 */
public final class ManualExecutor implements Executor {
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean shutDown;

  @Override
  public void execute(Runnable task) {
    if (shutDown) {
      // What WorkerPool's ThreadPoolExecutor does once shut down (its default AbortPolicy).
      throw new java.util.concurrent.RejectedExecutionException("the worker pool has shut down");
    }
    tasks.add(task);
  }

  /** From now on refuses every task, as a shut-down pool does. */
  public void shutDown() {
    shutDown = true;
  }

  public int pending() {
    return tasks.size();
  }

  /** Runs queued tasks, and those they queue, until none is left; returns how many ran. */
  public int runAll() {
    int n = 0;
    Runnable t;
    while ((t = tasks.poll()) != null) {
      t.run();
      n++;
    }
    return n;
  }
}
