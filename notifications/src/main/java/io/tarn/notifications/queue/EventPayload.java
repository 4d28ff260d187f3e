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
 * {@link EventLog}). A rule's body is {@link #body}: the S3 body with its id as
 * {@code configurationId}, or the compact body of the name the rule gives the event. Each rule has a
 * name of its own ({@code names}, e.g. {@code object:created} for one rule, {@code multipart:completed}
 * for another, see {@code EventPattern.deliveredName}), and each distinct (format, name) body is
 * rendered and stored once. A failed first attempt copies the body into a {@link DeliveryRecord} of
 * its own, so retries send identical bytes whatever happens to this record.
 *
 * @param sequencer the event's sequencer (the key)
 * @param bucket the bucket
 * @param eventName the S3 name, e.g. {@code ObjectCreated:Put}
 * @param key the object key
 * @param eventMillis when the event committed
 * @param dueMillis the due time of every rule's first attempt
 * @param s3 the S3 body without {@code configurationId}, or null when no S3-format rule matched
 * @param names the distinct names the rules give the event (their {@code X-Tarn-Event}); records
 *     of older builds have one, {@code eventName}
 * @param compacts the compact body for each of {@code names}, null where no compact rule has that name
 * @param rules the rules the event is for: their first attempt reads this record, or (those in
 *     {@code full}) their {@code queue_full} dead letter is this record
 * @param formats each rule's format, in the order of {@code rules}; null in records of older builds
 *     (whose due entries said it)
 * @param nameOf each rule's index in {@code names}, in the order of {@code rules}
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
    List<String> names,
    List<byte[]> compacts,
    List<UUID> rules,
    List<Format> formats,
    List<Integer> nameOf,
    Set<UUID> full) {
  private static final int FORMAT_V1 = 1;
  /** V1 with a format byte and a queue_full flag after each rule. */
  private static final int FORMAT_V2 = 2;
  /** V2 with the names the rules give the event, a compact body per name, and a name index per rule. */
  private static final int FORMAT_V3 = 3;

  public EventPayload {
    Objects.requireNonNull(sequencer, "sequencer");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(eventName, "eventName");
    names = List.copyOf(names);
    compacts = java.util.Collections.unmodifiableList(new ArrayList<>(compacts)); // null entries allowed
    if (names.isEmpty() || names.size() > 256 || compacts.size() != names.size()) {
      throw new IllegalArgumentException("one compact body (or null) per name, and 1 to 256 names");
    }
    rules = List.copyOf(rules);
    nameOf = List.copyOf(nameOf);
    if (nameOf.size() != rules.size()) {
      throw new IllegalArgumentException("one name per rule");
    }
    for (int i : nameOf) {
      if (i < 0 || i >= names.size()) {
        throw new IllegalArgumentException("name index " + i + " out of " + names.size());
      }
    }
    full = Set.copyOf(full);
    if (formats != null) {
      formats = List.copyOf(formats);
      if (formats.size() != rules.size()) {
        throw new IllegalArgumentException("one format per rule");
      }
    }
  }

  /**
   * A record as builds before per-rule names wrote it: every rule gives the event its S3 name and
   * compact rules share {@code compact}.
   */
  public EventPayload(String sequencer, String bucket, String eventName, String key, long eventMillis, long dueMillis,
      Payloads.S3Body s3, byte[] compact, List<UUID> rules, List<Format> formats, Set<UUID> full) {
    this(sequencer, bucket, eventName, key, eventMillis, dueMillis, s3, List.of(eventName),
        java.util.Collections.singletonList(compact), rules, formats, java.util.Collections.nCopies(rules.size(), 0),
        full);
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
        : new EventPayload(sequencer, bucket, eventName, key, eventMillis, dueMillis, s3, names, compacts, rules,
            formats, nameOf, full);
  }

  /** This record without {@code rule} (its letter purged or redelivered). */
  public EventPayload without(UUID rule) {
    List<UUID> r = new ArrayList<>(rules);
    List<Format> f = new ArrayList<>(formats);
    List<Integer> n = new ArrayList<>(nameOf);
    int i = r.indexOf(rule);
    if (i >= 0) {
      r.remove(i);
      f.remove(i);
      n.remove(i);
    }
    Set<UUID> x = new HashSet<>(full);
    x.remove(rule);
    return new EventPayload(sequencer, bucket, eventName, key, eventMillis, dueMillis, s3, names, compacts, r, f, n,
        x);
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

  /** The name {@code rule} gives this event (its {@code X-Tarn-Event}); the first name if it is not one of the rules. */
  public String eventName(UUID rule) {
    return names.get(nameIndex(rule));
  }

  private int nameIndex(UUID rule) {
    int i = rules.indexOf(rule);
    return i < 0 ? 0 : nameOf.get(i);
  }

  /** The exact body for {@code rule} in {@code format}; null if this record has no body in that format. */
  public byte[] body(UUID rule, Format format) {
    return switch (format) {
      case S3 -> s3 == null ? null : s3.forRule(rule.toString());
      case COMPACT -> compacts.get(nameIndex(rule));
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
    return new DeliveryRecord(deliveryId(rule), rule, bucket, eventName(rule), key, sequencer, eventMillis, 0, dueMillis,
        body);
  }

  public byte[] encode() {
    if (formats == null) {
      throw new IllegalStateException("only records with their rules' formats are written");
    }
    Wire.Writer w = new Wire.Writer(FORMAT_V3).str(sequencer).str(bucket).str(eventName).nstr(key).i64(eventMillis)
        .i64(dueMillis).bool(s3 != null);
    if (s3 != null) {
      w.bytes(s3.template()).i32(s3.idAt());
    }
    w.i32(names.size());
    for (int i = 0; i < names.size(); i++) {
      byte[] compact = compacts.get(i);
      w.str(names.get(i)).bool(compact != null);
      if (compact != null) {
        w.bytes(compact);
      }
    }
    w.i32(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      w.str(rules.get(i).toString()).u8(formats.get(i).ordinal()).u8(nameOf.get(i)).bool(full.contains(rules.get(i)));
    }
    return w.toByteArray();
  }

  public static EventPayload decode(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes, FORMAT_V1, FORMAT_V3, "event payload");
    try {
      String sequencer = r.str();
      String bucket = r.str();
      String eventName = r.str();
      String key = r.nstr();
      long eventMillis = r.i64();
      long dueMillis = r.i64();
      Payloads.S3Body s3 = r.bool() ? Payloads.S3Body.of(r.bytes(), r.i32()) : null;
      boolean v3 = r.format() >= FORMAT_V3;
      List<String> names = new ArrayList<>();
      List<byte[]> compacts = new ArrayList<>();
      if (v3) {
        int n = r.i32();
        if (n < 1 || n > 256) {
          throw new IllegalArgumentException("bad name count " + n);
        }
        for (int i = 0; i < n; i++) {
          names.add(r.str());
          compacts.add(r.bool() ? r.bytes() : null);
        }
      } else {
        names.add(eventName);
        compacts.add(r.bool() ? r.bytes() : null);
      }
      int n = r.i32();
      if (n < 0 || n > 100_000) {
        throw new IllegalArgumentException("bad rule count " + n);
      }
      List<UUID> rules = new ArrayList<>(n);
      List<Format> formats = r.format() >= FORMAT_V2 ? new ArrayList<>(n) : null;
      List<Integer> nameOf = new ArrayList<>(n);
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
          nameOf.add(v3 ? r.u8() : 0);
          if (r.bool()) {
            full.add(rule);
          }
        } else {
          nameOf.add(0);
        }
      }
      r.end();
      return new EventPayload(sequencer, bucket, eventName, key, eventMillis, dueMillis, s3, names, compacts, rules,
          formats, nameOf, full);
    } catch (IllegalArgumentException e) {
      throw new Wire.CorruptRecordException("event payload: " + e.getMessage(), e);
    }
  }
}
