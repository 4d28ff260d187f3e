package io.tarn.notifications;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * What the delivery log lists. Every field is optional (null: no condition).
 *
 * @param status {@code delivered}, {@code failed} (will be retried), {@code dead} (the last attempt
 *     failed) or {@code pending} (deliveries queued now, not log entries)
 * @param keyPrefix object keys starting with this
 * @param from attempts at or after this time
 * @param to attempts before this time
 */
public record DeliveryFilter(String status, String keyPrefix, Instant from, Instant to) {
  public static final Set<String> STATUSES = Set.of("delivered", "failed", "dead", "pending");
  public static final DeliveryFilter NONE = new DeliveryFilter(null, null, null, null);

  public DeliveryFilter {
    if (status != null && !STATUSES.contains(status.toLowerCase(Locale.ROOT))) {
      throw new WebhookException(WebhookException.Kind.INVALID, "status",
          "status must be one of delivered, failed, dead, pending, not \"" + status + "\"");
    }
    status = status == null ? null : status.toLowerCase(Locale.ROOT);
    keyPrefix = keyPrefix == null || keyPrefix.isEmpty() ? null : keyPrefix;
    if (from != null && to != null && !from.isBefore(to)) {
      throw new WebhookException(WebhookException.Kind.INVALID, "from", "from must be before to");
    }
  }

  /** Whether a log entry passes the conditions other than the time range (the scan's bounds). */
  public boolean matches(DeliveryView v) {
    return (status == null || status.equals(v.outcome()))
        && (keyPrefix == null || v.key() != null && v.key().startsWith(keyPrefix));
  }
}
