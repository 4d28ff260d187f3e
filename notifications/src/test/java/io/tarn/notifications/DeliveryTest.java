package io.tarn.notifications;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.core.Hex;
import io.tarn.notifications.delivery.SendResult;
import io.tarn.storage.RecordTable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The dispatcher: retries with backoff, dead letters, redelivery, purge, restarts, the backlog cap, bounds. */
class DeliveryTest extends NotificationsTestSupport {
  private static final SendResult DOWN = new SendResult.Response(500, 7, "down for maintenance");

  private void openWithBucket() {
    open();
    store.createBucket("media", "us-east-1", OWNER);
  }

  private static JsonNode readJson(byte[] body) {
    try {
      return new ObjectMapper().readTree(body);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String hmacHex(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Hex.encode(mac.doFinal(body));
  }

  @Test
  void eightAttemptsOnTheBackoffScheduleThenDeadLetterRedeliverAndPurge() throws Exception {
    openWithBucket();
    RuleView r = rule("media", new RuleSpec("https://hooks.example.com/h", List.of("ObjectCreated:*"), null, null,
        "s3cr3t", null, null, null, null));
    for (int i = 0; i < 8; i++) {
      sender.respond(DOWN);
    }
    put("media", "k", "v");
    List<FakeSender.Call> calls = new ArrayList<>();
    calls.add(sender.take());
    for (int i = 1; i < 8; i++) {
      int recorded = i;
      await("attempt " + i + " recorded", () -> log("media", r.id()).size() == recorded);
      long failedAt = calls.get(i - 1).clockMillis(); // the clock stands still while the outcome is recorded
      List<Long> due = dueTimes(r.id());
      assertEquals(1, due.size());
      long delay = due.get(0) - failedAt;
      long base = options.baseBackoffMillis(i);
      assertTrue(delay >= base * 0.8 && delay <= base * 1.2, "delay after attempt " + i + ": " + delay + " ms vs " + base);
      clock.set(Instant.ofEpochMilli(due.get(0) - 1));
      n.wake();
      sender.assertNoCall(30);
      clock.set(Instant.ofEpochMilli(due.get(0)));
      n.wake();
      calls.add(sender.take());
      assertEquals(due.get(0), calls.get(i).clockMillis());
    }
    assertEquals(60_000 + 120_000 + 240_000 + 480_000 + 960_000 + 1_920_000 + 3_600_000,
        calls.get(7).clockMillis() - calls.get(0).clockMillis(), 0.2 * 7_380_000, "about 2 h from first to last");

    // Every attempt sent the identical body, delivery id and signature.
    String deliveryId = calls.get(0).header("X-Tarn-Delivery");
    for (FakeSender.Call c : calls) {
      assertArrayEquals(calls.get(0).request().body(), c.request().body());
      assertEquals(deliveryId, c.header("X-Tarn-Delivery"));
      assertEquals(hmacHex("s3cr3t", c.request().body()), c.header("X-Tarn-Signature-256"));
      assertEquals("sha256=" + hmacHex("s3cr3t", c.request().body()), c.header("X-Tarn-Signature"));
    }

    // The figures change just after the batch with the letter commits: wait for both.
    await("dead-lettered", () -> n.deadLetters("media", r.id(), null, 10).items().size() == 1
        && n.stats("media", r.id()).deadLettered() == 1);
    DeliveryView dead = n.deadLetters("media", null, null, 10).items().get(0);
    assertEquals(deliveryId, dead.deliveryId());
    assertEquals("dead", dead.outcome());
    assertEquals(8, dead.attempt());
    assertEquals(500, dead.statusCode());
    assertEquals("HTTP 500: down for maintenance", dead.error());
    assertEquals("k", dead.key());
    assertTrue(table(RecordTable.DELIVERIES).isEmpty());
    assertTrue(table(RecordTable.EVENT_PAYLOADS).isEmpty());
    assertTrue(dueTimes(r.id()).isEmpty());
    List<DeliveryView> log = log("media", r.id());
    assertEquals(8, log.size());
    for (int i = 0; i < 8; i++) {
      DeliveryView a = log.get(i);
      assertEquals(8 - i, a.attempt(), "newest first");
      assertEquals(i == 0 ? "dead" : "failed", a.outcome());
      assertEquals(Instant.ofEpochMilli(calls.get(7 - i).clockMillis()), a.time());
      assertEquals(500, a.statusCode());
      assertEquals(7L, a.latencyMillis());
    }
    RuleStats stats = n.stats("media", r.id());
    assertEquals(0, stats.pending());
    assertEquals(8, stats.failedAttempts());
    assertEquals(1, stats.deadLettered());
    assertEquals(0, stats.delivered());
    assertEquals(Instant.ofEpochMilli(calls.get(7).clockMillis()), stats.lastFailure());
    assertNull(stats.lastSuccess());

    // Redelivery: same id and bytes, attempts counted afresh.
    n.redeliver("media", deliveryId);
    FakeSender.Call again = sender.take();
    assertEquals(deliveryId, again.header("X-Tarn-Delivery"));
    assertArrayEquals(calls.get(0).request().body(), again.request().body());
    await("redelivered", () -> n.stats("media", r.id()).delivered() == 1);
    assertTrue(n.deadLetters("media", r.id(), null, 10).items().isEmpty());
    DeliveryView success = log("media", r.id()).get(0);
    assertEquals("delivered", success.outcome());
    assertEquals(1, success.attempt());
    assertEquals(1, success.redelivery(), "the dead letter's redelivery is marked in the log");
    assertEquals(0, log("media", r.id()).get(1).redelivery());
    assertEquals(200, success.statusCode());
    assertNull(success.error());
    WebhookException missing = assertThrows(WebhookException.class, () -> n.redeliver("media", deliveryId));
    assertEquals(WebhookException.Kind.NOT_FOUND, missing.kind());

    // A second dead letter is purged 7 days after it died, not before.
    for (int i = 0; i < 8; i++) {
      sender.respond(DOWN);
    }
    put("media", "k2", "v");
    sender.take();
    for (int i = 1; i < 8; i++) {
      retry("media", r.id(), 9 + i); // 9 earlier attempts: 8 failed, 1 redelivered
    }
    await("second dead letter", () -> n.deadLetters("media", r.id(), null, 10).items().size() == 1);
    Instant died = n.deadLetters("media", r.id(), null, 10).items().get(0).time();
    clock.set(died.plus(Duration.ofDays(7)).minusMillis(1));
    n.wake();
    Thread.sleep(100); // a sweep runs on the first pass after the clock jumped
    assertEquals(1, n.deadLetters("media", r.id(), null, 10).items().size());
    clock.set(died.plus(Duration.ofDays(7)).plus(options.sweepInterval()).plusMillis(1));
    n.wake();
    await("purged", () -> n.deadLetters("media", r.id(), null, 10).items().isEmpty());
    assertTrue(table(RecordTable.DEAD_LETTERS).isEmpty(), "the purge index goes too");
    await("attempt log trimmed by age", () -> log("media", r.id()).isEmpty());
  }

  @Test
  void anythingButA2xxIsAFailureRedirectsIncluded() {
    openWithBucket();
    RuleView r = rule("media", spec("http://hooks.example.com/h", "ObjectCreated:*"));
    sender.respond(new SendResult.Response(302, 2, ""), new SendResult.Failure("connection refused", 1),
        new SendResult.Response(404, 3, "<html>\n no such hook</html>"), new SendResult.Response(204, 4, ""));
    put("media", "k", "v");
    sender.take();
    retry("media", r.id(), 1);
    retry("media", r.id(), 2);
    retry("media", r.id(), 3);
    await("delivered", () -> n.stats("media", r.id()).delivered() == 1);
    List<DeliveryView> log = log("media", r.id());
    assertEquals(List.of("delivered", "failed", "failed", "failed"), log.stream().map(DeliveryView::outcome).toList());
    assertEquals("HTTP 302 (redirects are not followed)", log.get(3).error());
    assertEquals(302, log.get(3).statusCode());
    assertEquals("connection refused", log.get(2).error());
    assertNull(log.get(2).statusCode());
    assertEquals(1L, log.get(2).latencyMillis());
    assertEquals("HTTP 404: <html> no such hook</html>", log.get(1).error());
    assertEquals(204, log.get(0).statusCode());
    RuleStats s = n.stats("media", r.id());
    assertEquals(3, s.failedAttempts());
    assertEquals(0, s.deadLettered());
    assertEquals(0, s.pending());
    assertNotNull(s.lastSuccess());
    assertNotNull(s.latencyP50Millis());
  }

  @Test
  void pendingDeliveriesSurviveARestartWithTheReceiverDown() {
    openWithBucket();
    RuleView r = rule("media", spec("http://hooks.example.com/h", "ObjectCreated:*"));
    sender.respond(new SendResult.Failure("connection refused", 1));
    put("media", "k", "v");
    FakeSender.Call first = sender.take();
    await("failure recorded", () -> log("media", r.id()).size() == 1);

    reopen();
    assertEquals(1, n.backlog());
    assertEquals(1, n.stats("media", r.id()).pending());
    assertEquals(1, n.stats("media", r.id()).failedAttempts(), "figures persisted at close");
    sender.assertNoCall(50);
    advance(Duration.ofMinutes(2));
    FakeSender.Call again = sender.take();
    assertEquals(first.header("X-Tarn-Delivery"), again.header("X-Tarn-Delivery"));
    assertArrayEquals(first.request().body(), again.request().body());
    await("delivered", () -> n.backlog() == 0);
    assertEquals(2, log("media", r.id()).get(0).attempt());
  }

  @Test
  void anAttemptInFlightAtShutdownIsSentAgainAfterRestart() {
    holdSends = true;
    openWithBucket();
    RuleView r = rule("media", spec("http://hooks.example.com/h", "ObjectCreated:*"));
    put("media", "k", "v");
    FakeSender.Call inFlight = sender.take(); // the receiver may have answered: the queue never heard
    holdSends = false;
    reopen();
    FakeSender.Call again = sender.take();
    assertEquals(inFlight.header("X-Tarn-Delivery"), again.header("X-Tarn-Delivery"));
    assertArrayEquals(inFlight.request().body(), again.request().body());
    await("delivered", () -> n.backlog() == 0 && n.stats("media", r.id()).delivered() == 1);
  }

  @Test
  void anEventsSharedBodyIsKeptUntilItsLastRuleIsDoneAndRetriesSendTheSameBytes() {
    holdSends = true;
    openWithBucket();
    RuleView a = rule("media", spec("http://hooks.example.com/a", "ObjectCreated:*"));
    RuleView b = rule("media", spec("http://hooks.example.com/b", "ObjectCreated:*"));
    RuleView c = rule("media", spec("http://hooks.example.com/c", "ObjectCreated:*"));
    put("media", "k", "v");
    assertTrue(table(RecordTable.DUE).isEmpty(), "first attempts are read from the bucket's event log");
    assertEquals(1, table(RecordTable.EVENT_PAYLOADS).size());
    Map<String, FakeSender.Call> first = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      FakeSender.Call call = sender.take();
      first.put(call.request().url().getPath(), call);
    }
    // a succeeds, b fails (its retry gets a record of its own), c's rule is deleted while in flight.
    sender.complete(first.get("/a"), FakeSender.OK);
    sender.complete(first.get("/b"), DOWN);
    await("a and b recorded", () -> log("media", a.id()).size() == 1 && log("media", b.id()).size() == 1);
    assertEquals(1, table(RecordTable.DELIVERIES).size(), "b's retry");
    assertEquals(1, table(RecordTable.EVENT_PAYLOADS).size(), "c is not done with it yet");
    n.deleteRule("media", c.id());
    assertTrue(table(RecordTable.EVENT_PAYLOADS).isEmpty(), "deleted with the last rule that needed it");
    sender.complete(first.get("/c"), FakeSender.OK);

    advance(Duration.ofHours(1));
    FakeSender.Call retry = sender.take();
    assertEquals("/b", retry.request().url().getPath());
    assertArrayEquals(first.get("/b").request().body(), retry.request().body());
    assertEquals(first.get("/b").header("X-Tarn-Delivery"), retry.header("X-Tarn-Delivery"));
    sender.complete(retry, FakeSender.OK);
    await("all done", () -> n.backlog() == 0 && table(RecordTable.DELIVERIES).isEmpty());
    assertTrue(table(RecordTable.DUE).isEmpty());
  }

  @Test
  void anEntryDueBeforeTheLastStartedOneIsStillSent() {
    openWithBucket();
    rule("media", spec("http://hooks.example.com/h", "ObjectCreated:*"));
    put("media", "first", "v");
    sender.take();
    await("first delivered", () -> n.backlog() == 0);
    // Passes resume after the last started entry. An entry due a little earlier (committed late) is
    // found by the look back over the window, one due much earlier by the scan from the lane's start.
    Instant start = clock.instant();
    clock.set(start.minusMillis(100));
    put("media", "inside-the-window", "v");
    n.wake();
    assertTrue(sender.take().body().contains("inside-the-window"));
    clock.set(start.minus(Duration.ofMinutes(10)));
    put("media", "long-before", "v");
    n.wake();
    assertTrue(sender.take().body().contains("long-before"));
    await("all delivered", () -> n.backlog() == 0);
  }

  @Test
  void backlogCapDeadLettersNewDeliveriesAsQueueFull() {
    options = options.withBacklogCap(3);
    holdSends = true;
    openWithBucket();
    RuleView r = rule("media", spec("http://hooks.example.com/h", "ObjectCreated:*"));
    for (int i = 0; i < 5; i++) {
      put("media", "k" + i, "v");
    }
    assertEquals(3, n.pending().size());
    assertEquals(5, table(RecordTable.EVENT_PAYLOADS).size(), "one log entry per event: queued, or the letter itself");
    assertTrue(table(RecordTable.DEAD_LETTERS).isEmpty(), "queue_full letters are marks in their event's log entry");
    RuleStats s = n.stats("media", r.id());
    assertEquals(3, s.pending());
    assertEquals(2, s.queueFull());
    assertEquals(2, s.deadLettered());
    List<DeliveryView> dead = n.deadLetters("media", r.id(), null, 10).items();
    assertEquals(List.of("k3", "k4"), dead.stream().map(DeliveryView::key).toList());
    assertTrue(dead.stream().allMatch(d -> d.outcome().equals("queue_full") && d.attempt() == 0));
    assertTrue(dead.get(0).error().startsWith("queue_full"));

    // Counts are rebuilt from the queue at start.
    holdSends = false;
    reopen();
    await("backlog drained", () -> n.backlog() == 0);
    assertEquals(2, n.stats("media", r.id()).queueFull());
    put("media", "k5", "v");
    await("delivered again below the cap", () -> n.stats("media", r.id()).delivered() == 4);

    assertEquals(2, table(RecordTable.EVENT_PAYLOADS).size(), "only the queue_full letters' are left");
    assertEquals(2, n.redeliverAll("media", r.id()));
    await("queue_full letters redelivered", () -> n.stats("media", r.id()).delivered() == 6);
    assertEquals(0, n.purgeDeadLetters("media", null));
    assertTrue(table(RecordTable.EVENT_PAYLOADS).isEmpty());
    assertTrue(table(RecordTable.DELIVERIES).isEmpty());
  }

  @Test
  void aQueueFullLetterSendsTheEventsBodyWhenRedeliveredAndLetsItGoWhenPurged() {
    options = options.withBacklogCap(1);
    holdSends = true;
    openWithBucket();
    RuleView r = rule("media", new RuleSpec("http://hooks.example.com/h", List.of("ObjectCreated:*"), null, null,
        "s3cr3t", null, null, null, null));
    put("media", "queued", "v");
    put("media", "full", "v");
    put("media", "purged", "v");
    assertEquals(3, table(RecordTable.EVENT_PAYLOADS).size());
    sender.complete(sender.take(), FakeSender.OK);
    await("queued delivered", () -> n.backlog() == 0);
    assertEquals(2, table(RecordTable.EVENT_PAYLOADS).size(), "the letters' events");

    List<DeliveryView> dead = n.deadLetters("media", r.id(), null, 10).items();
    assertEquals(List.of("full", "purged"), dead.stream().map(DeliveryView::key).toList());
    n.redeliver("media", dead.get(0).deliveryId());
    FakeSender.Call c = sender.take();
    JsonNode record = readJson(c.request().body()).get("Records").get(0);
    assertEquals("full", record.at("/s3/object/key").asText());
    assertEquals(r.id(), record.at("/s3/configurationId").asText());
    assertEquals(dead.get(0).deliveryId(), c.header("X-Tarn-Delivery"));
    assertEquals(1, table(RecordTable.DELIVERIES).size(), "the redelivery has its own copy");
    assertEquals(1, table(RecordTable.EVENT_PAYLOADS).size(), "the purged one's is left");
    sender.complete(c, FakeSender.OK);
    assertEquals(1, n.purgeDeadLetters("media", r.id()));
    await("all gone", () -> n.backlog() == 0 && table(RecordTable.DELIVERIES).isEmpty());
    assertTrue(table(RecordTable.EVENT_PAYLOADS).isEmpty());
    assertTrue(table(RecordTable.DEAD_LETTERS).isEmpty());
  }

  @Test
  void concurrencyIsBoundedOverallAndPerHostAndNoDeliveryRunsTwice() throws InterruptedException {
    options = options.withConcurrency(4, 2);
    holdSends = true;
    openWithBucket();
    for (String url : List.of("http://a.example/1", "http://a.example/2", "http://a.example/3", "http://b.example/1",
        "http://b.example/2", "http://c.example/1")) {
      rule("media", spec(url, "ObjectCreated:*"));
    }
    for (int i = 0; i < 10; i++) {
      put("media", "k" + i, "v");
    }
    await("the overall bound is reached", () -> sender.inFlight.get() == 4);
    Thread.sleep(50);
    assertEquals(4, sender.all.size(), "no fifth attempt while four are in flight");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      FakeSender.Call c = sender.take();
      assertTrue(ids.add(c.header("X-Tarn-Delivery")), "sent once");
      assertTrue(sender.inFlight.get() <= 4);
      sender.complete(c, i % 7 == 0 ? DOWN : FakeSender.OK);
    }
    assertEquals(4, sender.maxInFlight.get());
    sender.hostMax.forEach((host, max) -> assertTrue(max.get() <= 2, host + " had " + max.get()));
    assertEquals(2, sender.hostMax.get("a.example").get());
    assertEquals(0, sender.duplicatesInFlight.get());
    assertEquals(60, ids.size());
    await("failures wait for their retry", () -> n.backlog() == 9);
  }

  @Test
  void standardWebhooksSignEachAttemptAtItsOwnTime() throws Exception {
    openWithBucket();
    String key = Base64.getEncoder().encodeToString("k3y".getBytes(StandardCharsets.UTF_8));
    RuleView r = rule("media", new RuleSpec("https://hooks.example.com/h", List.of("ObjectCreated:*"), null, null,
        "whsec_" + key, null, "compact", "standard-webhooks", null));
    sender.respond(DOWN);
    put("media", "k", "v");
    FakeSender.Call first = sender.take();
    FakeSender.Call second = retry("media", r.id(), 1);
    assertArrayEquals(first.request().body(), second.request().body());
    for (FakeSender.Call c : List.of(first, second)) {
      String id = c.header("webhook-id");
      assertEquals(c.header("X-Tarn-Delivery"), id);
      assertEquals(Long.toString(c.clockMillis() / 1000), c.header("webhook-timestamp"));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec("k3y".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] signed = (id + "." + c.header("webhook-timestamp") + "." + c.body()).getBytes(StandardCharsets.UTF_8);
      assertEquals("v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed)), c.header("webhook-signature"));
      assertNull(c.header("X-Tarn-Signature-256"));
    }
    assertTrue(Long.parseLong(second.header("webhook-timestamp")) > Long.parseLong(first.header("webhook-timestamp")));
  }

  @Test
  void deletingARuleDropsItsQueueAndIgnoresOutcomesStillInFlight() {
    openWithBucket();
    RuleView r = rule("media", spec("http://hooks.example.com/h", "ObjectCreated:*"));
    sender.respond(DOWN);
    put("media", "a", "v");
    sender.take();
    await("a is waiting for its retry", () -> log("media", r.id()).size() == 1);
    sender.hold = true;
    put("media", "b", "v");
    FakeSender.Call b = sender.take();
    n.deleteRule("media", r.id());
    sender.complete(b, DOWN);
    n.wake();
    sender.assertNoCall(100);
    for (RecordTable t : RecordTable.values()) {
      if (t != RecordTable.NOTIFICATION_RULES) {
        assertEquals(List.of(), table(t).stream().map(e -> new String(e.key(), StandardCharsets.UTF_8)).toList(),
            t + " is empty");
      }
    }
    assertTrue(table(RecordTable.NOTIFICATION_RULES).isEmpty());
    assertEquals(0, n.backlog());
    assertEquals(WebhookException.Kind.NOT_FOUND,
        assertThrows(WebhookException.class, () -> n.stats("media", r.id())).kind());
  }

  @Test
  void aDisabledRuleStagesNothingAndHoldsItsQueueUntilEnabled() {
    openWithBucket();
    RuleView r = rule("media", spec("http://hooks.example.com/h", "ObjectCreated:*"));
    sender.respond(DOWN);
    put("media", "a", "v");
    sender.take();
    await("waiting for retry", () -> log("media", r.id()).size() == 1);
    n.updateRule(store.ref("media"), r.id(), new RuleSpec(null, null, null, null, null, false, null, null, null), USER);
    put("media", "b", "v");
    assertEquals(1, n.backlog(), "nothing staged while disabled");
    advance(Duration.ofHours(1));
    sender.assertNoCall(50);
    n.updateRule(store.ref("media"), r.id(), new RuleSpec(null, null, null, null, null, true, null, null, null), USER);
    FakeSender.Call c = sender.take();
    assertTrue(c.body().contains("\"key\":\"a\""), c.body());
    await("delivered", () -> n.backlog() == 0);
  }

  @Test
  void recordsOfARuleDeletedWhileItsEventCommittedAreRemovedAtStart() {
    holdSends = true;
    openWithBucket();
    RuleView kept = rule("media", spec("http://hooks.example.com/kept", "ObjectCreated:*"));
    RuleView gone = rule("media", spec("http://hooks.example.com/gone", "ObjectCreated:*"));
    put("media", "k", "v");
    assertEquals(1, table(RecordTable.EVENT_PAYLOADS).size());
    // As if the rule's deletion had raced the commit: its record is gone, its delivery is not.
    store.records().write(b -> table(RecordTable.NOTIFICATION_RULES).stream()
        .filter(e -> new String(e.key(), StandardCharsets.UTF_8).endsWith(gone.id()))
        .forEach(e -> b.delete(RecordTable.NOTIFICATION_RULES, e.key())));
    reopen();
    assertEquals(1, n.rules("media").size());
    await("the kept rule's delivery is sent", () -> sender.all.size() == 1);
    assertTrue(sender.all.get(0).request().url().getPath().equals("/kept"));
    assertEquals(1, table(RecordTable.EVENT_PAYLOADS).size(), "still the kept rule's");
    assertEquals(1, n.pending().size());
    assertEquals(1, n.backlog());
    assertEquals(kept.id(), n.rules("media").get(0).id());
  }
}
