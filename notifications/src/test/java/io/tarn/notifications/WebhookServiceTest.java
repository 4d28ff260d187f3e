package io.tarn.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.notifications.delivery.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The {@link WebhookService} API: rules, permissions, test events, listings and their cursors. */
class WebhookServiceTest extends NotificationsTestSupport {
  private void openWithBuckets() {
    open();
    store.createBucket("media", "us-east-1", OWNER);
    store.createBucket("other", "us-east-1", OWNER);
  }

  private static WebhookException.Kind kind(Executable e) {
    return assertThrows(WebhookException.class, e).kind();
  }

  @Test
  void theTargetIsCheckedForTheCallerAndTheRuleRemembersIt() {
    openWithBuckets();
    WebhookException forbidden = assertThrows(WebhookException.class,
        () -> n.createRule(store.ref("media"), spec("http://hooks.internal/h", "object:created"), USER));
    assertEquals(WebhookException.Kind.FORBIDDEN, forbidden.kind());
    assertEquals("url", forbidden.field());
    assertEquals(List.of("http://hooks.internal/h false"), guardCalls);
    assertTrue(n.rules("media").isEmpty());

    RuleView admins = n.createRule(store.ref("media"), spec("http://hooks.internal/h", "object:created"), ADMIN);
    RuleView users = n.createRule(store.ref("media"), spec("https://hooks.example.com/h", "object:created"), USER);
    assertEquals(ADMIN.userId(), admins.createdBy());
    put("media", "k", "v");
    List<FakeSender.Call> calls = List.of(sender.take(), sender.take());
    for (FakeSender.Call c : calls) {
      assertEquals(c.request().url().getHost().endsWith(".internal"), c.request().allowPrivate(),
          "only the admin's rule may reach private addresses");
    }

    // A user editing the admin's rule without touching the target: no check, permission kept.
    guardCalls.clear();
    n.updateRule(store.ref("media"), admins.id(), new RuleSpec(null, null, null, null, null, null, null, null, "x"), USER);
    assertTrue(guardCalls.isEmpty());
    // Changing the target: checked for the user, refused.
    assertEquals(WebhookException.Kind.FORBIDDEN, kind(() -> n.updateRule(store.ref("media"), admins.id(),
        new RuleSpec("http://other.internal/", null, null, null, null, null, null, null, null), USER)));
    assertEquals("http://hooks.internal/h", n.rule("media", admins.id()).url(), "unchanged after a refusal");
    // Invalid input is refused before the target is resolved.
    guardCalls.clear();
    WebhookException invalid = assertThrows(WebhookException.class,
        () -> n.createRule(store.ref("media"), spec("http://a.example/", "ObjectCreated:Get"), ADMIN));
    assertEquals("events", invalid.field());
    assertTrue(guardCalls.isEmpty());
    assertEquals(users.id(), n.rule("media", users.id()).id());
  }

  @Test
  void rulesAreListedMaskedAndLimitedPerBucket() {
    openWithBuckets();
    RuleView first = n.createRule(store.ref("media"), new RuleSpec("https://hooks.example.com/1", List.of("ObjectCreated:*",
        "object:deleted"), "in/", ".png", "s3cr3t", null, null, null, "thumbnails"), USER);
    assertEquals("****", first.secret());
    assertEquals(List.of("s3:ObjectCreated:*", "object:deleted"), first.events());
    assertEquals(List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"), first.s3Events(), "what is delivered");
    assertEquals("in/", first.prefix());
    assertEquals("thumbnails", first.description());
    assertEquals(UUID.fromString(first.id()).toString(), first.id());
    for (int i = 1; i < WebhookService.MAX_RULES_PER_BUCKET; i++) {
      clock.advance(Duration.ofMillis(1)); // listed by creation time
      n.createRule(store.ref("media"), spec("https://hooks.example.com/" + i, "object:created"), USER);
    }
    guardCalls.clear();
    WebhookException full = assertThrows(WebhookException.class,
        () -> n.createRule(store.ref("media"), spec("https://hooks.example.com/x", "object:created"), ADMIN));
    assertEquals(WebhookException.Kind.CONFLICT, full.kind());
    assertTrue(full.getMessage().contains("100"), full.getMessage());
    assertTrue(guardCalls.isEmpty(), "refused before resolving");
    n.createRule(store.ref("other"), spec("https://hooks.example.com/x", "object:created"), USER);
    assertEquals(100, n.rules("media").size());
    assertEquals(first, n.rules("media").get(0), "oldest first");

    assertEquals(WebhookException.Kind.NOT_FOUND, kind(() -> n.rule("other", first.id())), "another bucket's rule");
    assertEquals(WebhookException.Kind.NOT_FOUND, kind(() -> n.rule("media", "not-a-uuid")));
    assertEquals(WebhookException.Kind.NOT_FOUND, kind(() -> n.rule("media", UUID.randomUUID().toString())));
    assertEquals(WebhookException.Kind.NOT_FOUND, kind(() -> n.deleteRule("media", null)));
    assertEquals(WebhookException.Kind.NOT_FOUND, kind(() -> n.redeliver("media", "0000000000000001-" + first.id() + "x")));

    // Rules survive a restart.
    reopen();
    assertEquals(100, n.rules("media").size());
    RuleView back = n.rule("media", first.id());
    assertEquals(first, back);
    n.deleteRule("media", first.id());
    assertEquals(99, n.rules("media").size());
    n.deleteRules("media");
    assertTrue(n.rules("media").isEmpty());
    assertEquals(1, n.rules("other").size());
  }

  @Test
  void sendTestQueuesATestEvent() throws Exception {
    openWithBuckets();
    RuleView r = n.createRule(store.ref("media"), spec("https://hooks.example.com/h", "ObjectRemoved:*"), USER);
    String id = n.sendTest("media", r.id(), CTX);
    FakeSender.Call c = sender.take();
    assertEquals(id, c.header("X-Tarn-Delivery"));
    assertEquals("s3:TestEvent", c.header("X-Tarn-Event"));
    JsonNode body = new ObjectMapper().readTree(c.request().body());
    assertEquals("Tarn", body.get("Service").asText());
    assertEquals("s3:TestEvent", body.get("Event").asText());
    assertEquals("media", body.get("Bucket").asText());
    assertEquals(CTX.requestId(), body.get("RequestId").asText());
    assertEquals("tarn-node-1", body.get("HostId").asText());
    assertEquals("2026-11-29T18:00:00.123Z", body.get("Time").asText());
    await("logged", () -> log("media", r.id()).size() == 1);
    DeliveryView v = log("media", r.id()).get(0);
    assertEquals(id, v.deliveryId());
    assertEquals("s3:TestEvent", v.eventName());
    assertNull(v.key());
    assertNull(v.sequencer());
    assertEquals("delivered", v.outcome());

    n.updateRule(store.ref("media"), r.id(), new RuleSpec(null, null, null, null, null, false, null, null, null), USER);
    assertEquals(WebhookException.Kind.CONFLICT, kind(() -> n.sendTest("media", r.id(), CTX)));
  }

  @Test
  void sendTestAndWaitReturnsTheFirstAttemptsOutcome() throws Exception {
    openWithBuckets();
    RuleView r = n.createRule(store.ref("media"), spec("https://hooks.example.com/h", "object:created"), USER);
    java.util.Map<String, String> answered = new java.util.LinkedHashMap<>();
    answered.put("x-hook", "yes");
    answered.put("content-length", "11");
    sender.respond(new SendResult.Response(201, 12, "{\"ok\":true}", answered));

    TestResult ok = n.sendTestAndWait("media", r.id(), CTX, Duration.ofSeconds(10));

    assertEquals("delivered", ok.outcome());
    assertEquals(201, ok.statusCode());
    assertEquals(12L, ok.latencyMillis());
    assertEquals(List.of(new TestResult.Header("x-hook", "yes"), new TestResult.Header("content-length", "11")),
        ok.headers());
    assertEquals("{\"ok\":true}", ok.body());
    assertNull(ok.error());
    assertEquals(ok.deliveryId(), sender.take().header("X-Tarn-Delivery"));
    assertEquals(ok.deliveryId(), log("media", r.id()).get(0).deliveryId(), "logged before the answer");

    // The delivery log keeps up to 4 KiB of an answer; a test's report shows its first KiB.
    sender.respond(new SendResult.Response(200, 3, "y".repeat(3000)));
    assertEquals("y".repeat(1024), n.sendTestAndWait("media", r.id(), CTX, Duration.ofSeconds(10)).body());
    sender.take();

    sender.respond(new SendResult.Failure("connection refused", 4));
    TestResult refused = n.sendTestAndWait("media", r.id(), CTX, Duration.ofSeconds(10));
    assertEquals("failed", refused.outcome());
    assertNull(refused.statusCode());
    assertEquals("connection refused", refused.error());
    assertTrue(refused.headers().isEmpty());
    sender.take();

    sender.hold = true; // no answer within the wait: pending, and the delivery goes on as any other
    TestResult pending = n.sendTestAndWait("media", r.id(), CTX, Duration.ofMillis(200));
    assertEquals("pending", pending.outcome());
    assertNull(pending.statusCode());
    assertTrue(pending.error().contains("200 ms"), pending.error());
  }

  /** Each waiting test holds an API thread: a ninth is refused at once rather than queued behind them. */
  @Test
  void atMostEightTestsWaitAtOnce() throws Exception {
    openWithBuckets();
    RuleView r = n.createRule(store.ref("media"), spec("https://hooks.example.com/h", "object:created"), USER);
    sender.hold = true;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<TestResult>> waiting = new ArrayList<>();
      for (int i = 0; i < Notifications.MAX_TEST_WAITERS; i++) {
        waiting.add(pool.submit(() -> n.sendTestAndWait("media", r.id(), CTX, Duration.ofSeconds(30))));
      }
      // Each queues its delivery once it holds its slot; none is answered while the sender holds.
      await("eight tests queued", () -> n.stats("media", r.id()).pending() == Notifications.MAX_TEST_WAITERS);
      WebhookException refused = assertThrows(WebhookException.class,
          () -> n.sendTestAndWait("media", r.id(), CTX, Duration.ofSeconds(30)));
      assertEquals(WebhookException.Kind.CONFLICT, refused.kind());
      assertEquals(Notifications.MAX_TEST_WAITERS, n.stats("media", r.id()).pending(), "refused before queueing");
      assertTrue(refused.getMessage().contains("without waiting"), refused.getMessage());

      sender.hold = false; // answers what is held; what was not sent yet is answered as it goes
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!waiting.stream().allMatch(java.util.concurrent.Future::isDone)) {
        assertTrue(System.nanoTime() < end, "the waiting tests were not answered");
        for (FakeSender.Call c : sender.all) {
          if (!c.future().isDone()) {
            sender.complete(c, FakeSender.OK);
          }
        }
        Thread.sleep(10);
      }
      for (java.util.concurrent.Future<TestResult> f : waiting) {
        assertEquals("delivered", f.get(30, java.util.concurrent.TimeUnit.SECONDS).outcome());
      }
      assertEquals("delivered", n.sendTestAndWait("media", r.id(), CTX, Duration.ofSeconds(10)).outcome(),
          "the slots are given back");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listingsPageWithOpaqueCursors() {
    options = options.withRetries(8, Duration.ofMinutes(1), Duration.ofHours(1), 0.2);
    openWithBuckets();
    RuleView r = n.createRule(store.ref("media"), spec("https://hooks.example.com/h", "ObjectCreated:*"), USER);
    RuleView r2 = n.createRule(store.ref("media"), spec("https://hooks.example.com/2", "ObjectCreated:*"), USER);
    for (int i = 0; i < 8; i++) {
      sender.respond(new SendResult.Response(500, 1, ""), new SendResult.Response(500, 1, ""));
    }
    put("media", "k", "v");
    sender.take();
    sender.take();
    for (int i = 1; i < 7; i++) {
      int done = i;
      await("both recorded", () -> log("media", r.id()).size() == done && log("media", r2.id()).size() == done);
      clock.advance(Duration.ofHours(2));
      n.wake();
      sender.take();
      sender.take();
    }
    await("seven each", () -> log("media", r.id()).size() == 7 && log("media", r2.id()).size() == 7);

    List<DeliveryView> all = log("media", r.id());
    List<DeliveryView> paged = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      Page<DeliveryView> p = n.deliveries("media", r.id(), after, 3);
      paged.addAll(p.items());
      after = p.next();
      pages++;
    } while (after != null);
    assertEquals(all, paged);
    assertEquals(3, pages);
    assertEquals(List.of(7, 6, 5, 4, 3, 2, 1), paged.stream().map(DeliveryView::attempt).toList());

    String cursor = n.deliveries("media", r.id(), null, 2).next();
    WebhookException bad = assertThrows(WebhookException.class, () -> n.deliveries("media", r2.id(), cursor, 2));
    assertEquals("after", bad.field(), "a cursor of another rule's log");
    assertEquals(WebhookException.Kind.INVALID, kind(() -> n.deliveries("media", r.id(), "%%%", 2)));

    // Dead letters of the whole bucket page across rules.
    clock.advance(Duration.ofHours(2));
    n.wake();
    sender.take();
    sender.take();
    await("two dead letters", () -> n.deadLetters("media", null, null, 10).items().size() == 2);
    Page<DeliveryView> one = n.deadLetters("media", null, null, 1);
    Page<DeliveryView> two = n.deadLetters("media", null, one.next(), 1);
    assertEquals(1, two.items().size());
    assertNull(two.next());
    assertFalse(one.items().get(0).ruleId().equals(two.items().get(0).ruleId()));
    assertEquals(WebhookException.Kind.INVALID, kind(() -> n.deadLetters("other", null, one.next(), 1)));
    assertEquals(1, n.purgeDeadLetters("media", r.id()));
    assertEquals(1, n.purgeDeadLetters("media", null));
    assertTrue(n.deadLetters("media", null, null, 10).items().isEmpty());
  }

  @Test
  void theAttemptLogKeepsTheNewestEntriesPerRule() {
    options = options.withRetention(Duration.ofDays(7), 3, Duration.ofDays(7));
    openWithBuckets();
    RuleView r = n.createRule(store.ref("media"), spec("https://hooks.example.com/h", "ObjectCreated:*"), USER);
    for (int i = 0; i < 5; i++) {
      put("media", "k" + i, "v");
      sender.take();
    }
    await("five logged", () -> log("media", r.id()).size() == 5);
    advance(options.sweepInterval());
    await("trimmed to three", () -> log("media", r.id()).size() == 3);
    assertEquals(5, n.stats("media", r.id()).delivered());
    assertEquals(0, n.backlog());
  }
}
