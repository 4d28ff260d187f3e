package io.tarn.console.session;

import java.time.Duration;

/**
 * Limits of console sessions.
 *
 * @param idleTimeout a session unused for this long ends ({@code --console-idle-timeout})
 * @param lifetime a session ends this long after sign-in, used or not ({@code --console-session-lifetime})
 * @param maxPerUser live sessions one user may have; a new one ends that user's oldest
 * @param maxTotal live sessions in all; a new one ends the oldest of all
 */
public record SessionOptions(Duration idleTimeout, Duration lifetime, int maxPerUser, int maxTotal) {
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);

  public SessionOptions {
    if (idleTimeout.isNegative() || idleTimeout.isZero() || lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("session timeouts must be longer than 0");
    }
    if (maxPerUser < 1 || maxTotal < 1) {
      throw new IllegalArgumentException("session caps must be at least 1");
    }
  }

  /** 30 minutes idle, 12 hours in all, 100 per user, 10,000 in all. */
  public static SessionOptions defaults() {
    return new SessionOptions(DEFAULT_IDLE_TIMEOUT, DEFAULT_LIFETIME, 100, 10_000);
  }

  public SessionOptions withTimeouts(Duration idle, Duration life) {
    return new SessionOptions(idle, life, maxPerUser, maxTotal);
  }

  public SessionOptions withCaps(int perUser, int total) {
    return new SessionOptions(idleTimeout, lifetime, perUser, total);
  }
}
