package io.tarn.notifications.delivery;

import java.net.URI;

/**
 * Checks a webhook URL when a rule is created or changed: scheme http(s), no user-info, a host
 * that resolves, and (unless {@code allowPrivate}) no address that is loopback, private, link-local,
 * unique-local, CGNAT, 0.0.0.0/8, 198.18/15, multicast or broadcast, in any spelling.
 */
@FunctionalInterface
public interface UrlGuard {
  /** @throws io.tarn.notifications.WebhookException INVALID (field "url") or FORBIDDEN, with the reason */
  void check(URI url, boolean allowPrivate);
}
