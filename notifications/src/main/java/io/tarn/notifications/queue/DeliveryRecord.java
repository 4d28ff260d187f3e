package io.tarn.notifications.queue;

import io.tarn.notifications.rules.Wire;
import java.util.Objects;
import java.util.UUID;

/**
 * A pending delivery as stored in {@code DELIVERIES} (key: its id): the rendered body, so that every
 * retry sends (and signs) identical bytes, and where it stands.
 *
 * @param id delivery id: the event's sequencer, {@code -}, the rule id (for test events
 *     {@code test-<random>-<rule id>}); the same across retries and redeliveries
 * @param ruleId its rule
 * @param bucket the rule's bucket
 * @param eventName {@code ObjectCreated:Put}, ..., or {@code s3:TestEvent}
 * @param key object key, or null (test events)
 * @param sequencer event sequencer, or null (test events)
 * @param eventMillis when the event committed (latency is measured from it)
 * @param attempts attempts made so far
 * @param dueMillis when the next attempt is due (its {@code DUE} entry has this time)
 * @param body the exact body
 * @param redelivery 0 for the event's own delivery, n for its n-th redelivery by a user (redeliver
 *     restarts the attempts, and the delivery log marks them)
 */
public record DeliveryRecord(
    String id,
    UUID ruleId,
    String bucket,
    String eventName,
    String key,
    String sequencer,
    long eventMillis,
    int attempts,
    long dueMillis,
    byte[] body,
    int redelivery) {
  private static final int FORMAT_V1 = 1;
  /** V1 and the redelivery number. */
  private static final int FORMAT_V2 = 2;

  /** The event's own delivery (not a redelivery). */
  public DeliveryRecord(String id, UUID ruleId, String bucket, String eventName, String key, String sequencer,
      long eventMillis, int attempts, long dueMillis, byte[] body) {
    this(id, ruleId, bucket, eventName, key, sequencer, eventMillis, attempts, dueMillis, body, 0);
  }

  public DeliveryRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(body, "body");
  }

  /** Delivery id of an event for a rule. */
  public static String id(String sequencer, UUID ruleId) {
    return sequencer + "-" + ruleId;
  }

  /** The rule id a delivery id ends with, or null if it does not end with one. */
  public static UUID ruleIdOf(String deliveryId) {
    if (deliveryId == null || deliveryId.length() < 38 || deliveryId.charAt(deliveryId.length() - 37) != '-') {
      return null;
    }
    try {
      String tail = deliveryId.substring(deliveryId.length() - 36);
      UUID id = UUID.fromString(tail);
      return id.toString().equals(tail) ? id : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public DeliveryRecord withBody(byte[] newBody) {
    return new DeliveryRecord(id, ruleId, bucket, eventName, key, sequencer, eventMillis, attempts, dueMillis, newBody,
        redelivery);
  }

  public DeliveryRecord withAttempt(int attemptsMade, long due) {
    return new DeliveryRecord(id, ruleId, bucket, eventName, key, sequencer, eventMillis, attemptsMade, due, body,
        redelivery);
  }

  /** This delivery queued again by a user, due at {@code due}: its next redelivery, attempts from 0. */
  public DeliveryRecord redelivered(long due) {
    return new DeliveryRecord(id, ruleId, bucket, eventName, key, sequencer, eventMillis, 0, due, body,
        redelivery + 1);
  }

  public byte[] encode() {
    return new Wire.Writer(FORMAT_V2).str(id).str(ruleId.toString()).str(bucket).str(eventName).nstr(key)
        .nstr(sequencer).i64(eventMillis).i32(attempts).i64(dueMillis).bytes(body).i32(redelivery).toByteArray();
  }

  /** Encodes in format 1 (records written before redeliveries were numbered; tests of reading them). */
  byte[] encodeV1() {
    return new Wire.Writer(FORMAT_V1).str(id).str(ruleId.toString()).str(bucket).str(eventName).nstr(key)
        .nstr(sequencer).i64(eventMillis).i32(attempts).i64(dueMillis).bytes(body).toByteArray();
  }

  public static DeliveryRecord decode(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes, FORMAT_V1, FORMAT_V2, "delivery");
    try {
      DeliveryRecord d = new DeliveryRecord(r.str(), UUID.fromString(r.str()), r.str(), r.str(), r.nstr(), r.nstr(),
          r.i64(), r.i32(), r.i64(), r.bytes(), r.format() >= FORMAT_V2 ? r.i32() : 0);
      r.end();
      return d;
    } catch (IllegalArgumentException e) {
      throw new Wire.CorruptRecordException("delivery: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeliveryRecord d && id.equals(d.id) && ruleId.equals(d.ruleId) && bucket.equals(d.bucket)
        && eventName.equals(d.eventName) && Objects.equals(key, d.key) && Objects.equals(sequencer, d.sequencer)
        && eventMillis == d.eventMillis && attempts == d.attempts && dueMillis == d.dueMillis
        && java.util.Arrays.equals(body, d.body) && redelivery == d.redelivery;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, attempts, dueMillis) * 31 + java.util.Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "DeliveryRecord[" + id + " " + eventName + " attempts=" + attempts + " due=" + dueMillis + " "
        + body.length + " bytes]";
  }
}
