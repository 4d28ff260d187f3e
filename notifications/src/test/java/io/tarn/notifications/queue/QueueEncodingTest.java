package io.tarn.notifications.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.notifications.AttemptView;
import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.RuleStats;
import io.tarn.notifications.rules.Wire;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Round trips of the queue's versioned encodings, its key layouts, and the backoff schedule. */
class QueueEncodingTest {
  private static final UUID RULE = UUID.fromString("3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f");
  private static final byte[] BODY = "{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8);

  private static DeliveryRecord delivery() {
    return new DeliveryRecord(DeliveryRecord.id("00000000000000A1", RULE), RULE, "bkt", "ObjectCreated:Put", "k é",
        "00000000000000A1", 1_000L, 3, 5_000L, BODY);
  }

  @Test
  void deliveryRoundTrip() {
    DeliveryRecord d = delivery();
    byte[] bytes = d.encode();
    assertEquals(2, bytes[0]);
    assertEquals(d, DeliveryRecord.decode(bytes));
    DeliveryRecord test = new DeliveryRecord("test-0123456789abcdef-" + RULE, RULE, "bkt", "s3:TestEvent", null, null, 7,
        0, 7, new byte[0]);
    assertEquals(test, DeliveryRecord.decode(test.encode()));
    DeliveryRecord again = d.redelivered(9_000L).redelivered(10_000L);
    assertEquals(2, again.redelivery());
    assertEquals(0, again.attempts());
    assertEquals(again, DeliveryRecord.decode(again.encode()));
    // Records queued before redeliveries were numbered read as the event's own delivery.
    byte[] v1 = d.encodeV1();
    assertEquals(1, v1[0]);
    assertEquals(d, DeliveryRecord.decode(v1));
    byte[] v3 = bytes.clone();
    v3[0] = 3;
    assertThrows(Wire.CorruptRecordException.class, () -> DeliveryRecord.decode(v3));
    assertThrows(Wire.CorruptRecordException.class, () -> DeliveryRecord.decode(Arrays.copyOf(bytes, 20)));
    assertThrows(Wire.CorruptRecordException.class, () -> DeliveryRecord.decode(new byte[0]));
  }

  /** Per-rule names and one compact body per name survive the round trip; each rule reads its own. */
  @Test
  void eventPayloadRoundTripKeepsEachRulesName() {
    UUID other = UUID.fromString("00000000-0000-4000-8000-000000000002");
    UUID s3rule = UUID.fromString("00000000-0000-4000-8000-000000000003");
    byte[] created = "{\"event\":\"object:created\"}".getBytes(StandardCharsets.UTF_8);
    io.tarn.notifications.payload.Payloads.S3Body s3 = io.tarn.notifications.payload.Payloads.S3Body.of(
        "{\"configurationId\":\"\"}".getBytes(StandardCharsets.UTF_8), 20);
    EventPayload p = new EventPayload("00000000000000A1", "bkt", "ObjectCreated:CompleteMultipartUpload", "k", 1L, 2L,
        s3, java.util.List.of("object:created", "multipart:completed"), java.util.Arrays.asList(created, null),
        java.util.List.of(RULE, other, s3rule), java.util.List.of(io.tarn.notifications.rules.Format.COMPACT,
            io.tarn.notifications.rules.Format.COMPACT, io.tarn.notifications.rules.Format.S3),
        java.util.List.of(0, 0, 1), java.util.Set.of(other));
    EventPayload back = EventPayload.decode(p.encode());
    assertEquals(p.names(), back.names());
    assertArrayEquals(created, back.body(RULE, io.tarn.notifications.rules.Format.COMPACT));
    assertNull(back.compacts().get(1));
    assertEquals("object:created", back.firstAttempt(RULE).eventName());
    assertNull(back.firstAttempt(other), "queue_full for it");
    assertEquals("multipart:completed", back.firstAttempt(s3rule).eventName());
    assertEquals("{\"configurationId\":\"" + s3rule + "\"}",
        new String(back.firstAttempt(s3rule).body(), StandardCharsets.UTF_8));
    assertEquals(java.util.List.of(0, 1), back.without(other).nameOf());
  }

  /** Entries written before per-rule names (format 2) still read: every rule gets the S3 name and the one body. */
  @Test
  void eventPayloadOfTheEarlierFormatStillReads() {
    byte[] v2 = new Wire.Writer(2).str("00000000000000A1").str("bkt").str("ObjectCreated:Put").nstr("k").i64(1L).i64(2L)
        .bool(false).bool(true).bytes(BODY).i32(1).str(RULE.toString()).u8(1).bool(false).toByteArray();
    EventPayload p = EventPayload.decode(v2);
    DeliveryRecord d = p.firstAttempt(RULE);
    assertEquals("ObjectCreated:Put", d.eventName());
    assertArrayEquals(BODY, d.body());
  }

  @Test
  void deliveryIdsEndWithTheRuleId() {
    assertEquals("00000000000000A1-" + RULE, DeliveryRecord.id("00000000000000A1", RULE));
    assertEquals(RULE, DeliveryRecord.ruleIdOf("00000000000000A1-" + RULE));
    assertEquals(RULE, DeliveryRecord.ruleIdOf("test-0123456789abcdef-" + RULE));
    assertNull(DeliveryRecord.ruleIdOf(RULE.toString()));
    assertNull(DeliveryRecord.ruleIdOf("x-" + RULE.toString().toUpperCase(java.util.Locale.ROOT)));
    assertNull(DeliveryRecord.ruleIdOf("garbage"));
    assertNull(DeliveryRecord.ruleIdOf(null));
  }

  @Test
  void deadLetterRoundTrip() {
    DeadLetter dl = new DeadLetter(delivery(), DeadLetter.DEAD, "HTTP 503", 9_000L, 503, 12L);
    assertEquals(dl, DeadLetter.decode(dl.encode()));
    DeadLetter full = new DeadLetter(delivery(), DeadLetter.QUEUE_FULL, null, 9_000L, null, null);
    assertEquals(full, DeadLetter.decode(full.encode()));
    DeliveryView v = dl.view();
    assertEquals("dead", v.outcome());
    assertEquals(503, v.statusCode());
    assertEquals(Instant.ofEpochMilli(9_000), v.time());
    assertEquals(3, v.attempt());
  }

  @Test
  void attemptRoundTrip() {
    DeliveryView v = new DeliveryView("d", RULE.toString(), "ObjectCreated:Put", "k", "01", Instant.ofEpochMilli(5), 2,
        "failed", 500, 30L, "HTTP 500");
    AttemptView full = new AttemptView(v, Map.of("X-Tarn-Signature-256", "ab12", "Host", "h"),
        Map.of("content-type", "text/plain"), "db down", Instant.ofEpochMilli(65), true);
    assertEquals(full, AttemptCodec.decodeFull(AttemptCodec.encode(full)));
    assertEquals(v, AttemptCodec.decode(AttemptCodec.encode(full)));
    DeliveryView nulls = new DeliveryView("d", RULE.toString(), "s3:TestEvent", null, null, Instant.ofEpochMilli(5), 1,
        "failed", null, null, "connection refused");
    AttemptView none = new AttemptView(nulls, Map.of(), Map.of(), null, null, true);
    assertEquals(none, AttemptCodec.decodeFull(AttemptCodec.encode(none)));
    DeliveryView redelivered = new DeliveryView("d", RULE.toString(), "ObjectCreated:Put", "k", "01",
        Instant.ofEpochMilli(5), 1, "delivered", 200, 3L, null, 2);
    AttemptView second = new AttemptView(redelivered, Map.of(), Map.of(), null, null, true);
    assertEquals(second, AttemptCodec.decodeFull(AttemptCodec.encode(second)));
    // Entries logged in format 2 (before redeliveries were numbered) read as the event's own delivery.
    byte[] v2 = AttemptCodec.encodeV2(full);
    assertEquals(2, v2[0]);
    assertEquals(full, AttemptCodec.decodeFull(v2));
  }

  @Test
  void attemptsLoggedInFormatOneStillReadWithWhatTheyHave() {
    DeliveryView v = new DeliveryView("d", RULE.toString(), "ObjectCreated:Put", "k", "01", Instant.ofEpochMilli(5), 2,
        "failed", 500, 30L, "HTTP 500");
    byte[] old = AttemptCodec.encodeV1(v);
    assertEquals(1, old[0], "format 1 as written before the inspector");
    assertEquals(new AttemptView(v, Map.of(), Map.of(), null, null, false), AttemptCodec.decodeFull(old));
    assertEquals(v, AttemptCodec.decode(old));
    byte[] future = AttemptCodec.encode(new AttemptView(v, Map.of(), Map.of(), null, null, true));
    future[0] = 4;
    assertThrows(io.tarn.notifications.rules.Wire.CorruptRecordException.class, () -> AttemptCodec.decode(future));
    byte[] truncated = java.util.Arrays.copyOf(AttemptCodec.encode(new AttemptView(v, Map.of("a", "b"), Map.of(),
        "x", null, true)), 60);
    assertThrows(io.tarn.notifications.rules.Wire.CorruptRecordException.class, () -> AttemptCodec.decode(truncated));
  }

  @Test
  void statsRoundTrip() {
    RuleCounters c = new RuleCounters(10);
    c.success(1_000, 40);
    c.failure(2_000);
    c.dead();
    c.queueFull();
    RuleCounters back = new RuleCounters(10);
    back.restore(c.encode());
    RuleStats s = back.snapshot(RULE);
    assertEquals(1, s.delivered());
    assertEquals(1, s.failedAttempts());
    assertEquals(2, s.deadLettered());
    assertEquals(1, s.queueFull());
    assertEquals(Instant.ofEpochMilli(1_000), s.lastSuccess());
    assertEquals(Instant.ofEpochMilli(2_000), s.lastFailure());
    assertNull(s.latencyP50Millis(), "latencies are not persisted");
    assertEquals(40L, c.snapshot(RULE).latencyP50Millis());
  }

  /** "Failing since" is the first failure after the last success, kept across a restart. */
  @Test
  void failingSinceIsTheStartOfTheCurrentRunOfFailures() {
    RuleCounters c = new RuleCounters(10);
    assertNull(c.snapshot(RULE).failingSince());
    c.failure(1_000);
    c.success(2_000, 5);
    assertNull(c.snapshot(RULE).failingSince(), "healthy again after a 2xx");
    c.failure(3_000);
    c.failure(4_000);
    assertEquals(Instant.ofEpochMilli(3_000), c.snapshot(RULE).failingSince());
    assertEquals(Instant.ofEpochMilli(4_000), c.snapshot(RULE).lastFailure());
    RuleCounters back = new RuleCounters(10);
    back.restore(c.encode());
    assertEquals(Instant.ofEpochMilli(3_000), back.snapshot(RULE).failingSince());

    // A record written before the field: failing since its last failure when that came after the last success.
    RuleCounters v1 = new RuleCounters(10);
    v1.restore(new io.tarn.notifications.rules.Wire.Writer(1).i64(1).i64(2).i64(0).i64(0).i64(2_000).i64(4_000)
        .toByteArray());
    assertEquals(Instant.ofEpochMilli(4_000), v1.snapshot(RULE).failingSince());
  }

  @Test
  void latencyPercentilesOverTheWindow() {
    RuleCounters c = new RuleCounters(100);
    for (int i = 1; i <= 300; i++) {
      c.success(i, i <= 200 ? 100_000 : i - 200); // the first 200 fall out of the window
    }
    RuleStats s = c.snapshot(RULE);
    assertEquals(50L, s.latencyP50Millis());
    assertEquals(99L, s.latencyP99Millis());
  }

  @Test
  void keysSortAsTheListingsNeed() {
    byte[] early = QueueKeys.due(RULE, 1_000, "b");
    byte[] late = QueueKeys.due(RULE, 2_000, "a");
    assertTrue(java.util.Arrays.compareUnsigned(early, late) < 0, "due order within a lane");
    assertEquals(1_000, QueueKeys.dueMillisOf(early));
    assertEquals("b", QueueKeys.deliveryIdOfDue(early));
    assertEquals(RULE, QueueKeys.ruleOf(early));

    byte[] older = QueueKeys.attempt(RULE, 1_000, "d", 1);
    byte[] newer = QueueKeys.attempt(RULE, 2_000, "d", 2);
    assertTrue(java.util.Arrays.compareUnsigned(newer, older) < 0, "attempt log: newest first");
    assertEquals(2_000, QueueKeys.attemptTimeOf(newer));

    byte[] t = QueueKeys.deadByTime(RULE, 77, "dd");
    assertEquals(77, QueueKeys.deadTimeOf(t));
    assertEquals("dd", QueueKeys.deliveryIdOfDeadByTime(t));
    assertTrue(QueueKeys.startsWith(QueueKeys.dead(RULE, "x"), QueueKeys.deadPrefix(RULE)));
    assertTrue(!QueueKeys.startsWith(t, QueueKeys.deadPrefix(RULE)), "the purge index is apart from the letters");
    assertTrue(java.util.Arrays.compareUnsigned(QueueKeys.afterRule(RULE), QueueKeys.due(RULE, Long.MAX_VALUE, "\uffff")) > 0);
    assertArrayEquals(QueueKeys.rulePrefix(RULE), QueueKeys.stats(RULE));
  }

  @Test
  void backoffDoublesFromOneMinuteToTheHourCap() {
    DeliveryOptions o = DeliveryOptions.defaults();
    long[] expected = {60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], o.baseBackoffMillis(i + 1), "after attempt " + (i + 1));
    }
    assertEquals(48_000, o.backoffMillis(1, -1.0));
    assertEquals(72_000, o.backoffMillis(1, 1.0));
    assertEquals(60_000, o.backoffMillis(1, 0.0));
    assertEquals(3_600_000, o.baseBackoffMillis(60), "no overflow");
    DeliveryOptions custom = o.withRetries(3, Duration.ofSeconds(10), Duration.ofSeconds(25), 0);
    assertEquals(25_000, custom.backoffMillis(3, 0.9));
    assertThrows(IllegalArgumentException.class, () -> o.withRetries(0, Duration.ZERO, Duration.ZERO, 0));
    assertThrows(IllegalArgumentException.class, () -> o.withRetries(1, Duration.ZERO, Duration.ZERO, 1.0));
  }
}
