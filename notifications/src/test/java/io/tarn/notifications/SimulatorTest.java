package io.tarn.notifications;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.EventName;
import io.tarn.core.MutationEvent;
import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.core.Role;
import io.tarn.notifications.payload.Payloads;
import io.tarn.notifications.payload.Signatures;
import io.tarn.notifications.rules.EventPattern;
import io.tarn.notifications.rules.Format;
import io.tarn.notifications.rules.Rule;
import io.tarn.notifications.rules.SignatureScheme;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The rule simulator against the payload and signature code it must share with real deliveries. */
class SimulatorTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00.123Z");
  private static final Payloads PAYLOADS = new Payloads("us-east-1", "host-id");
  private static final RequestContext CTX =
      new RequestContext("REQ1", new Principal("u-1", "alice", "AKID", Role.USER), "10.0.0.1");

  private static Rule rule(List<String> events, String prefix, String suffix, boolean enabled, Format format,
      SignatureScheme scheme, String secret) {
    return new Rule(UUID.randomUUID(), "b", URI.create("http://127.0.0.1:9/h"),
        events.stream().map(EventPattern::parse).toList(), prefix, suffix, secret, enabled, format, scheme, null, NOW,
        NOW, "u-1", true);
  }

  private static List<SimulatedRule> simulate(Rule r, String key, EventName event, boolean replaces) {
    return new Simulator(PAYLOADS).simulate(List.of(r), "b", "owner-1", new Simulation(key, event, 5, replaces, null),
        CTX, NOW);
  }

  static Stream<Arguments> reasons() {
    return Stream.of(
        Arguments.of(List.of("s3:ObjectCreated:*"), null, null, true, "a.txt", false, List.of()),
        Arguments.of(List.of("s3:ObjectCreated:*"), "logs/", null, true, "a.txt", false, List.of("prefix")),
        Arguments.of(List.of("s3:ObjectCreated:*"), "A", null, true, "a.txt", false, List.of("prefix")),
        Arguments.of(List.of("s3:ObjectCreated:*"), null, ".jpg", true, "a.txt", false, List.of("suffix")),
        Arguments.of(List.of("s3:ObjectRemoved:*"), null, null, true, "a.txt", false, List.of("event")),
        Arguments.of(List.of("object:updated"), null, null, true, "a.txt", false, List.of("event")),
        Arguments.of(List.of("object:updated"), null, null, true, "a.txt", true, List.of()),
        Arguments.of(List.of("object:created"), "x/", ".gz", false, "a.txt", true,
            List.of("disabled", "prefix", "suffix", "event")));
  }

  @ParameterizedTest
  @MethodSource
  void reasons(List<String> events, String prefix, String suffix, boolean enabled, String key, boolean replaces,
      List<String> checks) {
    Rule r = rule(events, prefix, suffix, enabled, Format.S3, SignatureScheme.TARN, null);
    SimulatedRule s = simulate(r, key, EventName.OBJECT_CREATED_PUT, replaces).get(0);
    assertEquals(checks, s.reasons().stream().map(SimulatedRule.Reason::check).toList());
    assertEquals(checks.isEmpty(), s.matched());
    assertEquals(s.matched(), s.body() != null && s.headers() != null);
  }

  @Test
  void theBodyAndHeadersAreThoseOfTheDeliveryCode() {
    Rule r = rule(List.of("s3:ObjectCreated:*"), null, null, true, Format.S3, SignatureScheme.TARN, "sekrit");
    SimulatedRule s = simulate(r, "a b.txt", EventName.OBJECT_CREATED_PUT, false).get(0);
    MutationEvent e = new MutationEvent("b", "a b.txt", null, EventName.OBJECT_CREATED_PUT, 5, Simulator.ETAG,
        "binary/octet-stream", Simulator.SEQUENCER, NOW, "REQ1", "u-1", "10.0.0.1", false, "owner-1");
    byte[] body = PAYLOADS.s3(r.idString(), e, "owner-1");
    assertArrayEquals(body, s.body().getBytes(StandardCharsets.UTF_8));
    assertEquals(Signatures.headers(SignatureScheme.TARN, "sekrit", Simulator.SEQUENCER + "-" + r.id(),
        "ObjectCreated:Put", body, NOW), s.headers());
    assertEquals(Signatures.tarn("sekrit", body), s.headers().get(Signatures.TARN_SIGNATURE_256));
    assertFalse(s.toString().contains("sekrit"), "never the secret");
  }

  @Test
  void compactBodiesCarryTheRulesNameAndRemovalsNoSizeOrType() {
    Rule r = rule(List.of("object:deleted"), null, null, true, Format.COMPACT, SignatureScheme.STANDARD_WEBHOOKS, null);
    SimulatedRule s = simulate(r, "k", EventName.OBJECT_REMOVED_DELETE, true).get(0);
    assertEquals("object:deleted", s.eventName());
    assertEquals("object:deleted", s.headers().get(Signatures.EVENT));
    assertTrue(s.body().contains("\"size\":null,\"etag\":null,\"contentType\":null"), s.body());
    assertNull(s.headers().get(Signatures.WEBHOOK_SIGNATURE), "no secret, no signature");
    assertEquals(Long.toString(NOW.getEpochSecond()), s.headers().get(Signatures.WEBHOOK_TIMESTAMP));
  }

  @Test
  void eventsTheServerNeverEmitsAndNegativeSizesAreRefusedNamingTheField() {
    Rule r = rule(List.of("s3:ObjectCreated:*"), null, null, true, Format.S3, SignatureScheme.TARN, null);
    WebhookException never = assertThrows(WebhookException.class, () -> new Simulator(PAYLOADS).simulate(List.of(r),
        "b", "o", new Simulation("k", EventName.OBJECT_RESTORE_POST, 0, false, null), CTX, NOW));
    assertEquals("event", never.field());
    WebhookException negative = assertThrows(WebhookException.class, () -> new Simulator(PAYLOADS).simulate(
        List.of(r), "b", "o", new Simulation("k", EventName.OBJECT_CREATED_PUT, -1, false, null), CTX, NOW));
    assertEquals("size", negative.field());
  }
}
