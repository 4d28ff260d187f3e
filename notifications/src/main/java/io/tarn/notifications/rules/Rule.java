package io.tarn.notifications.rules;

import io.tarn.core.MutationEvent;
import io.tarn.notifications.RuleView;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A bucket's webhook rule, validated (see {@link RuleValidator}).
 *
 * <p>The secret is kept as given, because signing needs it (HMAC): it is stored unencrypted in the
 * metadata store and never shown back (see {@link #view()}).
 *
 * @param id the rule's id
 * @param bucket its bucket
 * @param url target, http(s) without user-info
 * @param events what it matches (at least one)
 * @param prefix key prefix filter, or null
 * @param suffix key suffix filter, or null
 * @param secret HMAC secret, or null
 * @param enabled whether new events are staged and queued deliveries sent
 * @param format body format
 * @param signature signature scheme
 * @param description free text, or null
 * @param created creation time
 * @param updated last change
 * @param createdBy canonical id of the creator, or null
 * @param allowPrivate whether it may target private, loopback or link-local addresses (its URL was
 *     last set by an admin)
 */
public record Rule(
    UUID id,
    String bucket,
    URI url,
    List<EventPattern> events,
    String prefix,
    String suffix,
    String secret,
    boolean enabled,
    Format format,
    SignatureScheme signature,
    String description,
    Instant created,
    Instant updated,
    String createdBy,
    boolean allowPrivate) {

  private static final int FORMAT_V1 = 1;

  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(url, "url");
    events = List.copyOf(events);
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(updated, "updated");
  }

  /** Whether the rule wants this event: enabled, an event pattern matches, and the key passes the filters. */
  public boolean matches(MutationEvent e) {
    return deliveredName(e) != null;
  }

  /**
   * The name this rule gives {@code e} (see {@link EventPattern#deliveredName}), or null when the rule
   * does not want it (disabled, filtered out by key, or no pattern matches).
   */
  public String deliveredName(MutationEvent e) {
    return enabled && matchesKey(e.key()) ? EventPattern.deliveredName(events, e.eventName(), e.replacedExisting())
        : null;
  }

  /** Prefix and suffix compare the raw (not URL-encoded) key, case-sensitively, as S3's filter rules do. */
  public boolean matchesKey(String key) {
    return (prefix == null || key.startsWith(prefix)) && (suffix == null || key.endsWith(suffix));
  }

  /** "host:port" of the target, lower case, the unit of per-host concurrency. */
  public String hostKey() {
    int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    return url.getScheme().toLowerCase(java.util.Locale.ROOT) + "://"
        + url.getHost().toLowerCase(java.util.Locale.ROOT) + ":" + port;
  }

  public String idString() {
    return id.toString();
  }

  /** As shown to clients: the secret masked. */
  public RuleView view() {
    List<String> names = new ArrayList<>();
    Set<String> s3 = new LinkedHashSet<>();
    for (EventPattern p : events) {
      names.add(p.text());
      s3.addAll(p.s3Names());
    }
    // An exact name its family's wildcard already covers adds nothing to what is delivered.
    s3.removeIf(n -> !n.endsWith(":*") && s3.contains(n.substring(0, n.lastIndexOf(':')) + ":*"));
    return new RuleView(idString(), bucket, url.toString(), List.copyOf(names), List.copyOf(s3), prefix, suffix,
        secret == null ? null : "****", enabled, format.wire(), signature.wire(), description, created, updated,
        createdBy);
  }

  @Override
  public String toString() {
    return "Rule[" + id + " " + bucket + " -> " + url + " " + events + (enabled ? "" : " disabled") + "]";
  }

  /** Versioned encoding for {@code NOTIFICATION_RULES}. */
  public byte[] encode() {
    Wire.Writer w = new Wire.Writer(FORMAT_V1).str(idString()).str(bucket).str(url.toString()).i32(events.size());
    for (EventPattern p : events) {
      w.str(p.text());
    }
    return w.nstr(prefix).nstr(suffix).nstr(secret).bool(enabled).str(format.wire()).str(signature.wire())
        .nstr(description).i64(created.toEpochMilli()).i64(updated.toEpochMilli()).nstr(createdBy).bool(allowPrivate)
        .toByteArray();
  }

  /** @throws Wire.CorruptRecordException if the bytes are not a rule this version can read */
  public static Rule decode(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes, FORMAT_V1, "rule");
    try {
      UUID id = UUID.fromString(r.str());
      String bucket = r.str();
      URI url = URI.create(r.str());
      int n = r.i32();
      if (n < 0 || n > 10_000) {
        throw new Wire.CorruptRecordException("rule: bad event count " + n, null);
      }
      List<EventPattern> events = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        events.add(EventPattern.parse(r.str()));
      }
      Rule rule = new Rule(id, bucket, url, events, r.nstr(), r.nstr(), r.nstr(), r.bool(), Format.parse(r.str()),
          SignatureScheme.parse(r.str()), r.nstr(), Instant.ofEpochMilli(r.i64()), Instant.ofEpochMilli(r.i64()),
          r.nstr(), r.bool());
      r.end();
      return rule;
    } catch (IllegalArgumentException e) {
      throw new Wire.CorruptRecordException("rule: " + e.getMessage(), e);
    }
  }
}
