package io.tarn.notifications;

import java.time.Instant;
import java.util.List;

/**
 * One delivery in full, for the attempt inspector.
 *
 * @param deliveryId its id
 * @param ruleId its rule
 * @param state {@code pending} (queued for an attempt), {@code dead} (a dead letter) or {@code done}
 *     (its last attempt was delivered, or it left the queue otherwise)
 * @param nextDue when a pending delivery's next attempt is due, else null
 * @param body the request body as sent (the same bytes on every attempt), or null when the log no
 *     longer keeps it (trimmed with the attempt log, or logged before bodies were kept)
 * @param attempts its attempts still in the log, newest first
 */
public record DeliveryDetail(String deliveryId, String ruleId, String state, Instant nextDue, byte[] body,
    List<AttemptView> attempts) {}
