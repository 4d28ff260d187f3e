package io.tarn.notifications.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.EventName;
import io.tarn.core.MutationEvent;
import io.tarn.notifications.RuleSpec;
import io.tarn.notifications.RuleView;
import io.tarn.notifications.WebhookException;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Validation (errors name the field), key filters, the view and the persisted encoding of rules. */
class RuleValidatorTest {
  private static final UUID ID = UUID.fromString("3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f");
  private static final Instant NOW = Instant.parse("2026-11-29T18:00:00.123Z");

  private static RuleSpec spec(String url, List<String> events) {
    return new RuleSpec(url, events, null, null, null, null, null, null, null);
  }

  private static Rule create(RuleSpec s) {
    return RuleValidator.create("bkt", s, ID, NOW, "owner", false);
  }

  static Stream<Arguments> invalid() {
    List<String> ev = List.of("s3:ObjectCreated:*");
    String x = "x";
    return Stream.of(
        Arguments.of(spec(null, ev), "url", "url is required"),
        Arguments.of(spec(" ", ev), "url", "url is required"),
        Arguments.of(spec("ftp://example.com/hook", ev), "url", "http or https"),
        Arguments.of(spec("example.com/hook", ev), "url", "http or https"),
        Arguments.of(spec("http://user:pw@example.com/hook", ev), "url", "user info"),
        Arguments.of(spec("https://user@example.com/hook", ev), "url", "user info"),
        Arguments.of(spec("http:///hook", ev), "url", "host"),
        Arguments.of(spec("http://exa mple.com/", ev), "url", "not a valid URL"),
        Arguments.of(spec("http://example.com:99999/", ev), "url", "port"),
        Arguments.of(spec("https://example.com/" + x.repeat(2048), ev), "url", "longer than 2048"),
        Arguments.of(spec("https://example.com/", null), "events", "at least one"),
        Arguments.of(spec("https://example.com/", List.of()), "events", "at least one"),
        Arguments.of(spec("https://example.com/", List.of("ObjectCreated:Put", "ObjectCreated:Get")), "events",
            "unknown event name: ObjectCreated:Get"),
        Arguments.of(spec("https://example.com/", List.of("ObjectCreated:*", "s3:ObjectRestore:*", "object:created",
            "s3:ObjectTagging:Put", "ObjectCreated:Post", "s3:ObjectRemoved:DeleteMarkerCreated", "s3:LifecycleTransition")),
            "events", "never emits s3:ObjectRestore:*, s3:ObjectTagging:Put, "
                + "s3:ObjectRemoved:DeleteMarkerCreated, s3:LifecycleTransition (it emits s3:ObjectCreated:Put, "
                + "s3:ObjectCreated:Post, s3:ObjectCreated:Copy, s3:ObjectCreated:CompleteMultipartUpload, s3:ObjectRemoved:Delete"),
        Arguments.of(spec("https://example.com/", Collections.nCopies(65, "ObjectCreated:Put")), "events", "at most 64"),
        Arguments.of(new RuleSpec("https://example.com/", ev, "é".repeat(513), null, null, null, null, null, null),
            "prefix", "longer than 1024 bytes"),
        Arguments.of(new RuleSpec("https://example.com/", ev, null, x.repeat(1025), null, null, null, null, null),
            "suffix", "longer than 1024 bytes"),
        Arguments.of(new RuleSpec("https://example.com/", ev, null, null, x.repeat(257), null, null, null, null),
            "secret", "longer than 256"),
        Arguments.of(new RuleSpec("https://example.com/", ev, null, null, "whsec_not base64!", null, null,
            "standard-webhooks", null), "secret", "base64"),
        Arguments.of(new RuleSpec("https://example.com/", ev, null, null, null, null, "xml", null, null), "format",
            "s3 or compact"),
        Arguments.of(new RuleSpec("https://example.com/", ev, null, null, null, null, null, "hmac", null), "signature",
            "tarn, standard-webhooks or elasticlake"),
        Arguments.of(new RuleSpec("https://example.com/", ev, null, null, null, null, null, null, x.repeat(1025)),
            "description", "longer than 1024"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void refusesInvalidInputNamingTheField(RuleSpec s, String field, String message) {
    WebhookException e = assertThrows(WebhookException.class, () -> create(s));
    assertEquals(WebhookException.Kind.INVALID, e.kind());
    assertEquals(field, e.field());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  /**
   * Updates are checked as creations are; rules stored before a name was refused still load (and
   * deliver nothing for it), so an upgrade never drops a rule.
   */
  @Test
  void neverEmittedNamesAreRefusedOnUpdateButStoredOnesStillLoad() {
    Rule r = create(spec("https://example.com/", List.of("object:created")));
    WebhookException e = assertThrows(WebhookException.class, () -> RuleValidator.update(r,
        new RuleSpec(null, List.of("s3:Replication:*", "s3:ObjectAcl:Put"), null, null, null, null, null, null, null),
        NOW, false));
    assertEquals("events", e.field());
    assertTrue(e.getMessage().contains("never emits s3:Replication:*, s3:ObjectAcl:Put"), e.getMessage());
    Rule stored = new Rule(ID, "bkt", java.net.URI.create("https://example.com/"),
        List.of(EventPattern.parse("s3:ObjectTagging:*"), EventPattern.parse("object:deleted")), null, null, null, true,
        Format.S3, SignatureScheme.TARN, null, NOW, NOW, null, false);
    Rule loaded = Rule.decode(stored.encode());
    assertEquals(List.of("s3:ObjectTagging:*", "object:deleted"), loaded.view().events());
    assertEquals(List.of("s3:ObjectRemoved:Delete"), loaded.view().s3Events());
  }

  @Test
  void limitsAreInclusive() {
    String x = "x";
    Rule r = create(new RuleSpec("https://example.com/" + x.repeat(2048 - 20), List.of("object:created"),
        "é".repeat(512), x.repeat(1024), x.repeat(256), null, null, null, x.repeat(1024)));
    assertEquals(2048, r.url().toString().length());
    assertEquals(512, r.prefix().length());
  }

  @Test
  void defaultsAndNormalisation() {
    Rule r = create(spec("HTTPS://Example.com:8443/hook?x=1", List.of("ObjectCreated:*", "s3:ObjectCreated:*",
        "object:updated", "TestEvent")));
    assertTrue(r.enabled());
    assertEquals(Format.S3, r.format());
    assertEquals(SignatureScheme.TARN, r.signature());
    assertNull(r.secret());
    assertNull(r.prefix());
    assertEquals("owner", r.createdBy());
    assertFalse(r.allowPrivate());
    assertEquals("https://example.com:8443", r.hostKey());
    RuleView v = r.view();
    assertEquals(List.of("s3:ObjectCreated:*", "object:updated", "s3:TestEvent"), v.events(), "duplicates dropped");
    // The wildcard covers what object:updated delivers; s3:TestEvent is not an S3 configuration event.
    assertEquals(List.of("s3:ObjectCreated:*"), v.s3Events());
    assertEquals("s3", v.format());
    assertEquals("tarn", v.signature());
    assertEquals(NOW, v.created());
    assertEquals("https://example.com", create(spec("https://example.com", List.of("object:created"))).hostKey()
        .replace(":443", ""));
  }

  @Test
  void secretIsNeverShownAndFormatsParseInAnyCase() {
    Rule r = create(new RuleSpec("http://example.com/", List.of("object:deleted"), "", "", "s3cr3t", false, "COMPACT",
        "Standard-Webhooks", ""));
    assertEquals("s3cr3t", r.secret());
    assertEquals("****", r.view().secret());
    assertFalse(r.toString().contains("s3cr3t"));
    assertEquals(Format.COMPACT, r.format());
    assertEquals(SignatureScheme.STANDARD_WEBHOOKS, r.signature());
    assertNull(r.prefix(), "empty filters mean none");
    assertNull(r.description());
    assertFalse(r.enabled());
    assertEquals("http://example.com:80", r.hostKey());
  }

  @Test
  void updateChangesOnlyGivenFields() {
    Rule r = RuleValidator.create("bkt", new RuleSpec("http://10.0.0.5/hook", List.of("object:created"), "in/", null,
        "sec", null, null, null, "first"), ID, NOW, "admin", true);
    Instant later = NOW.plusSeconds(60);
    Rule same = RuleValidator.update(r, new RuleSpec(null, null, null, null, null, false, null, null, null), later, false);
    assertEquals(r.url(), same.url());
    assertEquals("in/", same.prefix());
    assertEquals("sec", same.secret());
    assertFalse(same.enabled());
    assertTrue(same.allowPrivate(), "the target was not changed: it keeps the admin's permission");
    assertEquals(NOW, same.created());
    assertEquals(later, same.updated());

    Rule moved = RuleValidator.update(r, new RuleSpec("https://hooks.example.com/x", List.of("object:deleted"), "", null,
        "", null, "compact", null, ""), later, false);
    assertEquals(URI.create("https://hooks.example.com/x"), moved.url());
    assertFalse(moved.allowPrivate(), "a new target takes the permission of who set it");
    assertNull(moved.prefix());
    assertNull(moved.secret(), "an empty secret removes it");
    assertNull(moved.description());
    assertEquals(Format.COMPACT, moved.format());
    assertEquals(List.of(EventPattern.Alias.DELETED), moved.events());

    WebhookException e = assertThrows(WebhookException.class, () -> RuleValidator.update(r,
        new RuleSpec(null, List.of(), null, null, null, null, null, null, null), later, true));
    assertEquals("events", e.field());
  }

  @Test
  void keyFiltersCompareTheRawKey() {
    Rule r = create(new RuleSpec("http://example.com/", List.of("ObjectCreated:*"), "images/", ".jpg", null, null,
        null, null, null));
    assertTrue(r.matchesKey("images/a.jpg"));
    assertTrue(r.matchesKey("images/.jpg"));
    assertTrue(r.matchesKey("images/red flower.jpg"));
    assertFalse(r.matchesKey("images/a.JPG"), "case-sensitive");
    assertFalse(r.matchesKey("Images/a.jpg"));
    assertFalse(r.matchesKey("thumbs/images/a.jpg"));
    assertFalse(r.matchesKey("images/a.jpg.png"));
    Rule space = create(new RuleSpec("http://example.com/", List.of("ObjectCreated:*"), "red flower", null, null, null,
        null, null, null));
    assertTrue(space.matchesKey("red flower/x"));
    assertFalse(space.matchesKey("red+flower/x"), "filters see the key, not its URL encoding");

    MutationEvent put = event(EventName.OBJECT_CREATED_PUT, "images/a.jpg");
    assertTrue(r.matches(put));
    assertFalse(r.matches(event(EventName.OBJECT_REMOVED_DELETE, "images/a.jpg")), "event not wanted");
    assertFalse(r.matches(event(EventName.OBJECT_CREATED_PUT, "images/a.png")), "suffix");
    Rule disabled = RuleValidator.update(r, new RuleSpec(null, null, null, null, null, false, null, null, null), NOW,
        false);
    assertFalse(disabled.matches(put), "disabled rules match nothing");
  }

  private static MutationEvent event(EventName name, String key) {
    return new MutationEvent("bkt", key, null, name, 1, "e", "t", "0000000000000001", NOW, "R", "P", "1.2.3.4", false, "O");
  }

  @Test
  void encodingRoundTripsAndIsVersioned() {
    Rule r = RuleValidator.create("bkt", new RuleSpec("https://example.com/h?q=1", List.of("object:created",
        "s3:ObjectRemoved:*", "ObjectCreated:Copy"), "p/", ".s", "whsec_c2VjcmV0", false, "compact", "standard-webhooks",
        "déscription"), ID, NOW, "owner", true);
    byte[] bytes = r.encode();
    assertEquals(1, bytes[0], "format byte");
    assertEquals(r, Rule.decode(bytes));
    Rule minimal = create(spec("http://example.com", List.of("s3:TestEvent")));
    assertEquals(minimal, Rule.decode(minimal.encode()));

    byte[] future = bytes.clone();
    future[0] = 2;
    assertThrows(Wire.CorruptRecordException.class, () -> Rule.decode(future));
    assertThrows(Wire.CorruptRecordException.class, () -> Rule.decode(Arrays.copyOf(bytes, bytes.length - 1)));
    assertThrows(Wire.CorruptRecordException.class, () -> Rule.decode(Arrays.copyOf(bytes, bytes.length + 1)));
    assertArrayEquals(bytes, Rule.decode(bytes).encode());
  }
}
