package io.tarn.notifications.rules;

import io.tarn.core.EventName;
import io.tarn.notifications.RuleSpec;
import io.tarn.notifications.WebhookException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a client's {@link RuleSpec} into a {@link Rule}, refusing invalid input with a
 * {@link WebhookException} of kind INVALID that names the field. The target's addresses are not
 * checked here: that is the {@code UrlGuard}'s job, after this.
 */
public final class RuleValidator {
  public static final int MAX_URL_CHARS = 2048;
  public static final int MAX_FILTER_BYTES = 1024;
  public static final int MAX_DESCRIPTION_CHARS = 1024;
  public static final int MAX_SECRET_CHARS = 256;
  public static final int MAX_EVENTS = 64;
  /** Standard Webhooks secrets are {@code whsec_} + base64 of the key. */
  public static final String WHSEC_PREFIX = "whsec_";

  private RuleValidator() {}

  /**
   * A new rule from {@code spec}: url and events are required; enabled defaults to true, format to
   * {@code s3}, signature to {@code tarn}.
   */
  public static Rule create(String bucket, RuleSpec spec, UUID id, Instant now, String createdBy,
      boolean allowPrivate) {
    if (spec == null) {
      throw invalid(null, "a rule is required");
    }
    URI url = url(spec.url());
    List<EventPattern> events = events(spec.events());
    SignatureScheme signature = spec.signature() == null ? SignatureScheme.TARN : signature(spec.signature());
    String secret = secret(spec.secret(), signature);
    return new Rule(id, bucket, url, events, filter("prefix", spec.prefix()), filter("suffix", spec.suffix()), secret,
        spec.enabled() == null || spec.enabled(), spec.format() == null ? Format.S3 : format(spec.format()),
        signature, description(spec.description()), now, now, createdBy, allowPrivate);
  }

  /**
   * {@code existing} with the non-null fields of {@code patch} applied. An empty prefix, suffix or
   * description clears it; an empty secret removes the secret. {@code allowPrivate} is the caller's:
   * it replaces the rule's only when the URL changes (it belongs to whoever last chose the target).
   */
  public static Rule update(Rule existing, RuleSpec patch, Instant now, boolean allowPrivate) {
    if (patch == null) {
      throw invalid(null, "a rule is required");
    }
    URI url = patch.url() == null ? existing.url() : url(patch.url());
    List<EventPattern> events = patch.events() == null ? existing.events() : events(patch.events());
    SignatureScheme signature = patch.signature() == null ? existing.signature() : signature(patch.signature());
    String secret = patch.secret() == null ? existing.secret() : secret(patch.secret(), signature);
    if (patch.secret() == null && patch.signature() != null && secret != null) {
      secret(secret, signature); // a kept whsec_ secret must still suit the new scheme
    }
    boolean urlChanged = patch.url() != null && !url.equals(existing.url());
    return new Rule(existing.id(), existing.bucket(), url, events,
        patch.prefix() == null ? existing.prefix() : filter("prefix", patch.prefix()),
        patch.suffix() == null ? existing.suffix() : filter("suffix", patch.suffix()), secret,
        patch.enabled() == null ? existing.enabled() : patch.enabled(),
        patch.format() == null ? existing.format() : format(patch.format()), signature,
        patch.description() == null ? existing.description() : description(patch.description()),
        existing.created(), now, existing.createdBy(), urlChanged ? allowPrivate : existing.allowPrivate());
  }

  /** http or https, no user-info, a host, a valid port, at most {@value #MAX_URL_CHARS} characters. */
  public static URI url(String text) {
    if (text == null || text.isBlank()) {
      throw invalid("url", "url is required");
    }
    if (text.length() > MAX_URL_CHARS) {
      throw invalid("url", "url is longer than " + MAX_URL_CHARS + " characters");
    }
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw invalid("url", "url is not a valid URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid("url", "url must be an http or https URL");
    }
    if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
      throw invalid("url", "url must not contain user info (put credentials in the secret or the path)");
    }
    // The host is read from the raw authority as the sender reads it: URI.getHost() has nothing for
    // numeric spellings such as 0x7f.1 or 127.1, which must reach the address check, not be lost here.
    io.tarn.notifications.delivery.WebhookTarget.parse(uri);
    return uri;
  }

  /** At least one, each known; duplicates dropped, order kept. */
  public static List<EventPattern> events(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw invalid("events", "events must name at least one event");
    }
    if (names.size() > MAX_EVENTS) {
      throw invalid("events", "events may name at most " + MAX_EVENTS + " events");
    }
    Map<String, EventPattern> out = new LinkedHashMap<>();
    for (String n : names) {
      try {
        EventPattern p = EventPattern.parse(n);
        out.putIfAbsent(p.text(), p);
      } catch (IllegalArgumentException e) {
        throw invalid("events", "events: " + e.getMessage() + " (expected e.g. s3:ObjectCreated:*, "
            + "ObjectRemoved:Delete, s3:TestEvent, object:created, object:updated, object:deleted, multipart:completed)");
      }
    }
    // A subscription to events that never come would look, in GET ?notification and to the client,
    // like a promise the server does not keep: refuse it, naming every such entry. What is emitted is
    // decided in one place, EventName.emitted().
    List<String> never = out.values().stream().filter(p -> !p.deliverable()).map(EventPattern::text).toList();
    if (!never.isEmpty()) {
      throw invalid("events", "events: this server never emits " + String.join(", ", never)
          + " (it emits " + String.join(", ", emittedNames()) + ", and s3:TestEvent on request)");
    }
    return List.copyOf(new ArrayList<>(out.values()));
  }

  private static List<String> emittedNames() {
    List<String> out = new ArrayList<>();
    for (EventName e : EventName.values()) {
      if (e.emitted() && e != EventName.TEST_EVENT) {
        out.add(e.qualifiedName());
      }
    }
    return out;
  }

  private static String filter(String field, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > MAX_FILTER_BYTES) {
      throw invalid(field, field + " is longer than " + MAX_FILTER_BYTES + " bytes");
    }
    return value;
  }

  private static String description(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.length() > MAX_DESCRIPTION_CHARS) {
      throw invalid("description", "description is longer than " + MAX_DESCRIPTION_CHARS + " characters");
    }
    return value;
  }

  private static String secret(String value, SignatureScheme signature) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.length() > MAX_SECRET_CHARS) {
      throw invalid("secret", "secret is longer than " + MAX_SECRET_CHARS + " characters");
    }
    if (signature == SignatureScheme.STANDARD_WEBHOOKS && value.startsWith(WHSEC_PREFIX)) {
      try {
        if (Base64.getDecoder().decode(value.substring(WHSEC_PREFIX.length())).length == 0) {
          throw invalid("secret", "secret: the key after whsec_ is empty");
        }
      } catch (IllegalArgumentException e) {
        throw invalid("secret", "secret: after whsec_ a Standard Webhooks secret must be base64");
      }
    }
    return value;
  }

  private static Format format(String value) {
    try {
      return Format.parse(value);
    } catch (IllegalArgumentException e) {
      throw invalid("format", e.getMessage());
    }
  }

  private static SignatureScheme signature(String value) {
    try {
      return SignatureScheme.parse(value);
    } catch (IllegalArgumentException e) {
      throw invalid("signature", e.getMessage());
    }
  }

  private static WebhookException invalid(String field, String message) {
    return new WebhookException(WebhookException.Kind.INVALID, field, message);
  }
}
