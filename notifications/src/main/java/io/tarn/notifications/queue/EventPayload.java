package io.tarn.notifications.queue;

import io.tarn.notifications.payload.Payloads;
import io.tarn.notifications.rules.Format;
import io.tarn.notifications.rules.Wire;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as the webhook queue logs it: one record in {@code EVENT_PAYLOADS} (key: bucket, sequencer)
 * that the first attempt of every rule it matched reads, so that staging writes one entry per event
 * however many rules match (each rule follows its bucket's log with a cursor of its own, see
 * {@link DeliveryQueue}). A rule's body is {@link #body}: the S3 body with its id as
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
 * @param rules the rules the event is for: their first attempt reads this record, or (those in
 *     {@code full}) their {@code queue_full} dead letter is this record
 * @param formats each rule's format, in the order of {@code rules}; null in records of older builds
 *     (whose due entries said it)
 * @param full the rules whose backlog was at its cap: the event is a {@code queue_full} dead letter of
 *     theirs, kept here (not copied once per rule) until purged, redelivered or expired
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
    List<UUID> rules,
    List<Format> formats,
    Set<UUID> full) {
  private static final int FORMAT_V1 = 1;
  /** V1 with a format byte and a queue_full flag after each rule. */
  private static final int FORMAT_V2 = 2;

  public EventPayload {
    Objects.requireNonNull(sequencer, "sequencer");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(eventName, "eventName");
    rules = List.copyOf(rules);
    full = Set.copyOf(full);
    if (formats != null) {
      formats = List.copyOf(formats);
      if (formats.size() != rules.size()) {
        throw new IllegalArgumentException("one format per rule");
      }
    }
  }

  /** The sequencer as the number it was formatted from. */
  public long sequence() {
    return Long.parseUnsignedLong(sequencer, 16);
  }

  /** Whether {@code rule}'s first attempt reads this record (the event is for it and not a dead letter of it). */
  public boolean queuedFor(UUID rule) {
    return rules.contains(rule) && !full.contains(rule);
  }

  /** This record with {@code full} as the rules it is a {@code queue_full} letter of. */
  public EventPayload withFull(Set<UUID> full) {
    return full.equals(this.full) ? this
        : new EventPayload(sequencer, bucket, eventName, key, eventMillis, dueMillis, s3, compact, rules, formats, full);
  }

  /** This record without {@code rule} (its letter purged or redelivered). */
  public EventPayload without(UUID rule) {
    List<UUID> r = new ArrayList<>(rules);
    List<Format> f = new ArrayList<>(formats);
    int i = r.indexOf(rule);
    if (i >= 0) {
      r.remove(i);
      f.remove(i);
    }
    Set<UUID> x = new HashSet<>(full);
    x.remove(rule);
    return new EventPayload(sequencer, bucket, eventName, key, eventMillis, dueMillis, s3, compact, r, f, x);
  }

  /** The format {@code rule} reads this event in, or null if the event is not for that rule. */
  public Format format(UUID rule) {
    int i = rules.indexOf(rule);
    return i < 0 || formats == null ? null : formats.get(i);
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

  /** The first attempt {@code rule} reads from this record, or null if the event is not queued for it. */
  public DeliveryRecord firstAttempt(UUID rule) {
    return queuedFor(rule) ? delivery(rule, format(rule)) : null;
  }

  private DeliveryRecord delivery(UUID rule, byte[] body) {
    return new DeliveryRecord(deliveryId(rule), rule, bucket, eventName, key, sequencer, eventMillis, 0, dueMillis, body);
  }

  public byte[] encode() {
    if (formats == null) {
      throw new IllegalStateException("only records with their rules' formats are written");
    }
    Wire.Writer w = new Wire.Writer(FORMAT_V2).str(sequencer).str(bucket).str(eventName).nstr(key).i64(eventMillis)
        .i64(dueMillis).bool(s3 != null);
    if (s3 != null) {
      w.bytes(s3.template()).i32(s3.idAt());
    }
    w.bool(compact != null);
    if (compact != null) {
      w.bytes(compact);
    }
    w.i32(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      w.str(rules.get(i).toString()).u8(formats.get(i).ordinal()).bool(full.contains(rules.get(i)));
    }
    return w.toByteArray();
  }

  public static EventPayload decode(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes, FORMAT_V1, FORMAT_V2, "event payload");
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
      List<Format> formats = r.format() >= FORMAT_V2 ? new ArrayList<>(n) : null;
      Set<UUID> full = new HashSet<>();
      for (int i = 0; i < n; i++) {
        UUID rule = UUID.fromString(r.str());
        rules.add(rule);
        if (formats != null) {
          int f = r.u8();
          if (f >= Format.values().length) {
            throw new IllegalArgumentException("bad format " + f);
          }
          formats.add(Format.values()[f]);
          if (r.bool()) {
            full.add(rule);
          }
        }
      }
      r.end();
      return new EventPayload(sequencer, bucket, eventName, key, eventMillis, dueMillis, s3, compact, rules, formats,
          full);
    } catch (IllegalArgumentException e) {
      throw new Wire.CorruptRecordException("event payload: " + e.getMessage(), e);
    }
  }
}
