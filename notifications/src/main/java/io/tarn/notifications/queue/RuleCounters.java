package io.tarn.notifications.queue;

import io.tarn.notifications.RuleStats;
import io.tarn.notifications.rules.Wire;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One rule's figures in memory. {@code pending} is rebuilt at start from the due index and the event
 * log; the others are persisted to {@code RULE_STATS} (periodically and at close: a crash loses at
 * most the changes of the last flush interval). Latencies cover the last {@code window} deliveries and are not
 * persisted.
 */
public final class RuleCounters {
  private static final int FORMAT_V1 = 1;
  /** V1 and the start of the current run of failures (so "failing since" survives a restart). */
  private static final int FORMAT_V2 = 2;

  final AtomicLong pending = new AtomicLong();
  /** The part of {@link #pending} that is first attempts read from the event log (no record of their own). */
  final AtomicLong freshPending = new AtomicLong();
  final AtomicLong delivered = new AtomicLong();
  final AtomicLong failedAttempts = new AtomicLong();
  final AtomicLong deadLettered = new AtomicLong();
  final AtomicLong queueFull = new AtomicLong();
  /** Attempts logged since the attempt log of this rule was last trimmed. */
  final AtomicLong attemptsSinceTrim = new AtomicLong();
  /**
   * The dispatcher's last look found every send slot of the rule's receiver in use: a new event for
   * it cannot go out before one frees, and that wakes the dispatcher anyway.
   */
  volatile boolean atCapacity;
  /** Time of the oldest entry in the rule's attempt log; MIN_VALUE until a trim has looked. */
  volatile long oldestAttempt = Long.MIN_VALUE;
  private volatile long lastSuccess = -1;
  private volatile long lastFailure = -1;
  /** First failed attempt since the last success (the current run of failures), or -1 when healthy. */
  private volatile long failingSince = -1;
  private volatile boolean dirty;
  private final long[] latencies;
  private int latencyCount;
  private int latencyNext;

  RuleCounters(int window) {
    this.latencies = new long[window];
  }

  /** @return when the run of failures this success ends began, or -1 if the rule was healthy */
  long success(long atMillis, long latencyMillis) {
    long wasFailingSince = failingSince;
    delivered.incrementAndGet();
    lastSuccess = atMillis;
    failingSince = -1;
    synchronized (latencies) {
      latencies[latencyNext] = Math.max(0, latencyMillis);
      latencyNext = (latencyNext + 1) % latencies.length;
      latencyCount = Math.min(latencyCount + 1, latencies.length);
    }
    dirty = true;
    return wasFailingSince;
  }

  /** @return whether this failure starts a run of failures (the rule was healthy) */
  boolean failure(long atMillis) {
    failedAttempts.incrementAndGet();
    lastFailure = atMillis;
    boolean first = failingSince < 0;
    if (first) {
      failingSince = atMillis;
    }
    dirty = true;
    return first;
  }

  void dead() {
    deadLettered.incrementAndGet();
    dirty = true;
  }

  void queueFull() {
    queueFull.incrementAndGet();
    deadLettered.incrementAndGet();
    dirty = true;
  }

  /** Whether figures changed since the last call; clears the flag. */
  boolean takeDirty() {
    boolean d = dirty;
    dirty = false;
    return d;
  }

  public RuleStats snapshot(UUID ruleId) {
    long[] sorted;
    synchronized (latencies) {
      sorted = Arrays.copyOf(latencies, latencyCount);
    }
    Arrays.sort(sorted);
    return new RuleStats(ruleId.toString(), pending.get(), delivered.get(), failedAttempts.get(), deadLettered.get(),
        queueFull.get(), time(lastSuccess), time(lastFailure), time(failingSince), percentile(sorted, 50), percentile(sorted, 99));
  }

  /** Nearest-rank percentile, or null without data. */
  static Long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static Instant time(long millis) {
    return millis < 0 ? null : Instant.ofEpochMilli(millis);
  }

  byte[] encode() {
    return new Wire.Writer(FORMAT_V2).i64(delivered.get()).i64(failedAttempts.get()).i64(deadLettered.get())
        .i64(queueFull.get()).i64(lastSuccess).i64(lastFailure).i64(failingSince).toByteArray();
  }

  void restore(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes, FORMAT_V1, FORMAT_V2, "rule stats");
    delivered.set(r.i64());
    failedAttempts.set(r.i64());
    deadLettered.set(r.i64());
    queueFull.set(r.i64());
    lastSuccess = r.i64();
    lastFailure = r.i64();
    // A V1 record predates the field: a rule whose last attempt failed was failing since then at least.
    failingSince = r.format() >= FORMAT_V2 ? r.i64() : lastFailure > lastSuccess ? lastFailure : -1;
    r.end();
  }
}
