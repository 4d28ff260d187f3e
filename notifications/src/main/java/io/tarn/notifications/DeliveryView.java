package io.tarn.notifications;

import java.time.Instant;

/**
 * One delivery attempt (in the delivery log) or one dead letter.
 *
 * @param deliveryId the delivery's id (the same across its retries)
 * @param ruleId its rule
 * @param eventName e.g. {@code ObjectCreated:Put} or {@code s3:TestEvent}
 * @param key the object key, or null for test events
 * @param sequencer the event's sequencer, or null for test events
 * @param time when the attempt was made (log) or the delivery dead-lettered
 * @param attempt attempt number, from 1
 * @param outcome {@code delivered}, {@code failed} (will be retried), {@code dead} or {@code queue_full}
 * @param statusCode the receiver's HTTP status, or null when none came
 * @param latencyMillis time to the response (or the failure), or null
 * @param error why it failed, or null
 * @param redelivery 0 for the event's own delivery, n for its n-th redelivery by a user
 */
public record DeliveryView(
    String deliveryId,
    String ruleId,
    String eventName,
    String key,
    String sequencer,
    Instant time,
    int attempt,
    String outcome,
    Integer statusCode,
    Long latencyMillis,
    String error,
    int redelivery) {
  /** An attempt of the event's own delivery (not a redelivery). */
  public DeliveryView(String deliveryId, String ruleId, String eventName, String key, String sequencer, Instant time,
      int attempt, String outcome, Integer statusCode, Long latencyMillis, String error) {
    this(deliveryId, ruleId, eventName, key, sequencer, time, attempt, outcome, statusCode, latencyMillis, error, 0);
  }
}
