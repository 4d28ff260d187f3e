package io.tarn.notifications.queue;

import io.tarn.notifications.payload.Payloads;
import io.tarn.notifications.rules.Format;
import io.tarn.notifications.rules.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An event's rendered bodies, stored once in {@code EVENT_PAYLOADS} (key: the sequencer) for the first
 * attempt of every rule it matched: a PUT that matches ten rules writes one body and ten small due
 * entries, not ten bodies. A rule's body is {@link #body}: the S3 body with its id as
 * {@code configurationId}, or the compact body. A failed first attempt copies the body into a
 * {@link DeliveryRecord} of its own, so retries send identical bytes whatever happens to this record.
 *
 * @param sequencer the event's sequencer (the key)
 * @param bucket the bucket
 * @param eventName e.g. {@code ObjectCreated:Put}
 * @param key the object key
 * @param eventMillis when the event committed
 * @param dueMillis the due time of every rule's first attempt
 * @param s3 the S3 body without {@code configurationId}, or null when no S3-format rule matched
 * @param compact the compact body, or null when no compact rule matched
 * @param rules the rules whose first attempt reads this record (its due entries say which format)
 */
public record EventPayload(
    String sequencer,
    String bucket,
    String eventName,
    String key,
    long eventMillis,
    long dueMillis,
    Payloads.S3Body s3,
    byte[] compact,
    List<UUID> rules) {
  private static final int FORMAT_V1 = 1;

  public EventPayload {
    Objects.requireNonNull(sequencer, "sequencer");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(eventName, "eventName");
    rules = List.copyOf(rules);
  }

  /** Id of the rule's delivery of this event. */
  public String deliveryId(UUID rule) {
    return DeliveryRecord.id(sequencer, rule);
  }

  /** The exact body for {@code rule} in {@code format}; null if this record has no body in that format. */
  public byte[] body(UUID rule, Format format) {
    return switch (format) {
      case S3 -> s3 == null ? null : s3.forRule(rule.toString());
      case COMPACT -> compact;
    };
  }

  /** The rule's first attempt as a delivery record, or null if this record has no body in its format. */
  public DeliveryRecord delivery(UUID rule, Format format) {
    byte[] body = body(rule, format);
    return body == null ? null : delivery(rule, body);
  }

  /** The rule's first attempt as a delivery record with {@code body}. */
  public DeliveryRecord delivery(UUID rule, byte[] body) {
    return new DeliveryRecord(deliveryId(rule), rule, bucket, eventName, key, sequencer, eventMillis, 0, dueMillis, body);
  }

  public byte[] encode() {
    Wire.Writer w = new Wire.Writer(FORMAT_V1).str(sequencer).str(bucket).str(eventName).nstr(key).i64(eventMillis)
        .i64(dueMillis).bool(s3 != null);
    if (s3 != null) {
      w.bytes(s3.template()).i32(s3.idAt());
    }
    w.bool(compact != null);
    if (compact != null) {
      w.bytes(compact);
    }
    w.i32(rules.size());
    rules.forEach(r -> w.str(r.toString()));
    return w.toByteArray();
  }

  public static EventPayload decode(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes, FORMAT_V1, "event payload");
    try {
      String sequencer = r.str();
      String bucket = r.str();
      String eventName = r.str();
      String key = r.nstr();
      long eventMillis = r.i64();
      long dueMillis = r.i64();
      Payloads.S3Body s3 = r.bool() ? Payloads.S3Body.of(r.bytes(), r.i32()) : null;
      byte[] compact = r.bool() ? r.bytes() : null;
      int n = r.i32();
      if (n < 0 || n > 100_000) {
        throw new IllegalArgumentException("bad rule count " + n);
      }
      List<UUID> rules = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        rules.add(UUID.fromString(r.str()));
      }
      r.end();
      return new EventPayload(sequencer, bucket, eventName, key, eventMillis, dueMillis, s3, compact, rules);
    } catch (IllegalArgumentException e) {
      throw new Wire.CorruptRecordException("event payload: " + e.getMessage(), e);
    }
  }
}
