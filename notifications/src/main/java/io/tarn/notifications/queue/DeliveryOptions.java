package io.tarn.notifications.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * How deliveries are queued, sent, retried and kept. Times are measured on the injected clock, except
 * {@code idleWait} and {@code closeTimeout}, which are real waits.
 *
 * @param backlogCap most pending deliveries per rule; beyond it new ones are dead-lettered at once
 *     with reason {@code queue_full}
 * @param maxConcurrency most attempts in flight overall
 * @param maxPerHost most attempts in flight to one scheme, host and port
 * @param maxAttempts attempts before a delivery is dead-lettered
 * @param initialBackoff wait after the first failed attempt; doubled after each further one
 * @param maxBackoff the longest wait between attempts
 * @param jitter each wait is multiplied by a random factor in [1 - jitter, 1 + jitter]
 * @param deadLetterRetention how long dead letters are kept before the sweep purges them
 * @param attemptLogPerRule most attempt-log entries kept per rule (the newest)
 * @param attemptLogRetention how long attempt-log entries are kept
 * @param sweepInterval how often dead letters and the attempt log are swept
 * @param statsFlushInterval how often per-rule figures are persisted (and always at close)
 * @param latencyWindow how many recent deliveries the latency percentiles cover
 * @param idleWait longest real pause of the dispatcher between looks at the queue
 * @param closeTimeout how long close waits for attempts in flight
 */
public record DeliveryOptions(
    int backlogCap,
    int maxConcurrency,
    int maxPerHost,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double jitter,
    Duration deadLetterRetention,
    int attemptLogPerRule,
    Duration attemptLogRetention,
    Duration sweepInterval,
    Duration statsFlushInterval,
    int latencyWindow,
    Duration idleWait,
    Duration closeTimeout) {

  public DeliveryOptions {
    positive("backlogCap", backlogCap);
    positive("maxConcurrency", maxConcurrency);
    positive("maxPerHost", maxPerHost);
    positive("maxAttempts", maxAttempts);
    positive("attemptLogPerRule", attemptLogPerRule);
    positive("latencyWindow", latencyWindow);
    for (Duration d : new Duration[] {initialBackoff, maxBackoff, deadLetterRetention, attemptLogRetention,
        sweepInterval, statsFlushInterval, idleWait, closeTimeout}) {
      Objects.requireNonNull(d, "durations");
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative duration: " + d);
      }
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
    }
    if (idleWait.isZero()) {
      throw new IllegalArgumentException("idleWait must be positive");
    }
  }

  /**
   * The defaults: backlog 100000 per rule, 256 in flight (64 per host), 8 attempts 1 min apart
   * doubling to at most 1 h with 20% jitter, dead letters kept 7 days, the last 1000 attempts per rule
   * kept at most 7 days.
   */
  public static DeliveryOptions defaults() {
    return new DeliveryOptions(100_000, 256, 64, 8, Duration.ofMinutes(1), Duration.ofHours(1), 0.2,
        Duration.ofDays(7), 1000, Duration.ofDays(7), Duration.ofMinutes(1), Duration.ofSeconds(10), 1000,
        Duration.ofSeconds(1), Duration.ofSeconds(5));
  }

  public DeliveryOptions withBacklogCap(int cap) {
    return new DeliveryOptions(cap, maxConcurrency, maxPerHost, maxAttempts, initialBackoff, maxBackoff, jitter,
        deadLetterRetention, attemptLogPerRule, attemptLogRetention, sweepInterval, statsFlushInterval, latencyWindow,
        idleWait, closeTimeout);
  }

  public DeliveryOptions withConcurrency(int overall, int perHost) {
    return new DeliveryOptions(backlogCap, overall, perHost, maxAttempts, initialBackoff, maxBackoff, jitter,
        deadLetterRetention, attemptLogPerRule, attemptLogRetention, sweepInterval, statsFlushInterval, latencyWindow,
        idleWait, closeTimeout);
  }

  public DeliveryOptions withRetries(int attempts, Duration initial, Duration max, double jitterFraction) {
    return new DeliveryOptions(backlogCap, maxConcurrency, maxPerHost, attempts, initial, max, jitterFraction,
        deadLetterRetention, attemptLogPerRule, attemptLogRetention, sweepInterval, statsFlushInterval, latencyWindow,
        idleWait, closeTimeout);
  }

  public DeliveryOptions withRetention(Duration deadLetters, int attemptsPerRule, Duration attempts) {
    return new DeliveryOptions(backlogCap, maxConcurrency, maxPerHost, maxAttempts, initialBackoff, maxBackoff, jitter,
        deadLetters, attemptsPerRule, attempts, sweepInterval, statsFlushInterval, latencyWindow, idleWait,
        closeTimeout);
  }

  public DeliveryOptions withWaits(Duration idle, Duration close) {
    return new DeliveryOptions(backlogCap, maxConcurrency, maxPerHost, maxAttempts, initialBackoff, maxBackoff, jitter,
        deadLetterRetention, attemptLogPerRule, attemptLogRetention, sweepInterval, statsFlushInterval, latencyWindow,
        idle, close);
  }

  /**
   * The wait after {@code failedAttempts} failed attempts (1 = after the first), before jitter:
   * {@code initialBackoff * 2^(failedAttempts - 1)}, at most {@code maxBackoff}.
   */
  public long baseBackoffMillis(int failedAttempts) {
    long ms = initialBackoff.toMillis();
    for (int i = 1; i < failedAttempts && ms < maxBackoff.toMillis(); i++) {
      ms *= 2;
    }
    return Math.min(ms, maxBackoff.toMillis());
  }

  /** {@link #baseBackoffMillis} times {@code 1 + jitter * u} for {@code u} in [-1, 1]. */
  public long backoffMillis(int failedAttempts, double u) {
    return Math.max(0, Math.round(baseBackoffMillis(failedAttempts) * (1 + jitter * u)));
  }

  private static void positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + v);
    }
  }
}
