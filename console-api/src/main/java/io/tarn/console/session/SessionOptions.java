package io.tarn.console.session;

import io.tarn.console.PublicUrl;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Limits of console sessions, and where the console is reached.
 *
 * @param idleTimeout a session unused for this long ends ({@code --console-idle-timeout})
 * @param lifetime a session ends this long after sign-in, used or not ({@code --console-session-lifetime})
 * @param maxPerUser live sessions one user may have; a new one ends that user's oldest
 * @param maxTotal live sessions in all; a new one ends the oldest of all
 * @param publicUrl the URL browsers reach the server at when it is not the listener's own
 *     ({@code --public-url}, a TLS-terminating proxy in front): its origin is accepted as the
 *     console's own, and an https one makes the console's cookies {@code Secure}
 */
public record SessionOptions(Duration idleTimeout, Duration lifetime, int maxPerUser, int maxTotal,
    Optional<PublicUrl> publicUrl) {
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);

  public SessionOptions {
    if (idleTimeout.isNegative() || idleTimeout.isZero() || lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("session timeouts must be longer than 0");
    }
    if (maxPerUser < 1 || maxTotal < 1) {
      throw new IllegalArgumentException("session caps must be at least 1");
    }
    Objects.requireNonNull(publicUrl, "publicUrl");
  }

  /** 30 minutes idle, 12 hours in all, 100 per user, 10,000 in all. */
  public static SessionOptions defaults() {
    return new SessionOptions(DEFAULT_IDLE_TIMEOUT, DEFAULT_LIFETIME, 100, 10_000, Optional.empty());
  }

  public SessionOptions withTimeouts(Duration idle, Duration life) {
    return new SessionOptions(idle, life, maxPerUser, maxTotal, publicUrl);
  }

  public SessionOptions withCaps(int perUser, int total) {
    return new SessionOptions(idleTimeout, lifetime, perUser, total, publicUrl);
  }

  /** With {@code url} as the public URL; empty: none (the listener's own address is the console's). */
  public SessionOptions withPublicUrl(Optional<PublicUrl> url) {
    return new SessionOptions(idleTimeout, lifetime, maxPerUser, maxTotal, url);
  }

  /**
   * Whether the console's cookies (and their clearing) get {@code Secure}: when the request came over
   * TLS to the listener, or browsers reach the server over https anyway (a TLS-terminating proxy).
   */
  public boolean secureCookies(boolean listenerTls) {
    return listenerTls || publicUrl.map(PublicUrl::https).orElse(false);
  }
}
