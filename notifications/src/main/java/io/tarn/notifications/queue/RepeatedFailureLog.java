package io.tarn.notifications.queue;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Logs a background loop's failures without flooding the log: a loop that retries every pass (the
 * dispatcher while RocksDB refuses writes on a full disk, say) would otherwise log the same stack
 * trace several times a second. The first failure of a run, and any failure that differs from the
 * previous one, is logged at ERROR with its stack trace; repeats are counted and summarised at most
 * once per {@code repeatEvery} at WARNING; the first success after a run says it is over. Used from
 * one thread.
 */
final class RepeatedFailureLog {
  private final System.Logger log;
  private final String what;
  private final long repeatEveryNanos;
  private final LongSupplier nanoTime;
  private long failures; // in the current run; 0 while healthy
  private long reported; // failures already in a log line
  private long lastLineNanos;
  private String lastKind;

  /**
   * @param what the loop, as the subject of a sentence ("the webhook dispatcher")
   * @param repeatEveryNanos least time between two lines about the same failure
   */
  RepeatedFailureLog(System.Logger log, String what, long repeatEveryNanos, LongSupplier nanoTime) {
    this.log = log;
    this.what = what;
    this.repeatEveryNanos = repeatEveryNanos;
    this.nanoTime = nanoTime;
  }

  void failed(RuntimeException e) {
    long now = nanoTime.getAsLong();
    // What failed, at the root: the messages around it may vary (counts), the failure does not.
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String kind = root.getClass().getName() + ": " + root.getMessage();
    failures++;
    if (failures == 1 || !Objects.equals(kind, lastKind)) {
      log.log(System.Logger.Level.ERROR, what + " failed; retrying", e);
      reported = failures;
      lastLineNanos = now;
      lastKind = kind;
    } else if (now - lastLineNanos >= repeatEveryNanos) {
      log.log(System.Logger.Level.WARNING, what + " still failing (" + (failures - reported)
          + " more times, " + failures + " in a row): " + e.getMessage() + " (" + kind + ")");
      reported = failures;
      lastLineNanos = now;
    }
  }

  void succeeded() {
    if (failures > 0) {
      log.log(System.Logger.Level.INFO, what + " works again after " + failures + " failed attempts");
      failures = 0;
      reported = 0;
      lastKind = null;
    }
  }
}
