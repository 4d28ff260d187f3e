package io.tarn.notifications;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.notifications.delivery.SendResult;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The delivery log of issue 13: the inspector's details, filters and paging, redeliver any, a key's deliveries. */
class DeliveryLogTest extends NotificationsTestSupport {
  private static final String SECRET = "s3cr3t-never-logged";

  private RuleView openWithRule() {
    open();
    store.createBucket("media", "us-east-1", OWNER);
    return rule("media", new RuleSpec("https://hooks.example.com/h", List.of("ObjectCreated:*"), null, null, SECRET,
        null, null, null, null));
  }

  /** ATTEMPTS keys of request bodies (rule id, 0x00, 0xFF, delivery id). */
  private List<RecordStore.Entry> bodies() {
    return table(RecordTable.ATTEMPTS).stream().filter(e -> e.key()[37] == (byte) 0xFF).toList();
  }

  @Test
  void inspectorShowsHeadersAsSentTheBodyOnceTheResponseAndTheNextRetry() {
    RuleView r = openWithRule();
    sender.respond(new SendResult.Response(500, 9, "{\"error\":\"db down\"}",
        Map.of("content-type", "application/json", "retry-after", "30")));
    put("media", "p/a.jpg", "v");
    FakeSender.Call first = sender.take();
    await("failure recorded", () -> log("media", r.id()).size() == 1);
    long due = dueTimes(r.id()).get(0);
    FakeSender.Call second = retry("media", r.id(), 1);
    await("success recorded", () -> log("media", r.id()).size() == 2);

    String id = first.header("X-Tarn-Delivery");
    DeliveryDetail d = n.delivery("media", id);
    assertEquals("done", d.state());
    assertArrayEquals(first.request().body(), d.body());
    assertEquals(2, d.attempts().size());
    AttemptView ok = d.attempts().get(0);
    AttemptView failed = d.attempts().get(1);
    assertEquals("delivered", ok.summary().outcome());
    assertEquals("failed", failed.summary().outcome());
    assertTrue(failed.detailed());
    assertEquals(500, failed.summary().statusCode());
    assertEquals("{\"error\":\"db down\"}", failed.responseBody());
    assertEquals("30", failed.responseHeaders().get("retry-after"));
    assertEquals(Instant.ofEpochMilli(due), failed.nextRetry());
    assertNull(ok.nextRetry());
    // The headers as sent on each attempt, signatures included; the secret itself never.
    assertEquals(first.header("X-Tarn-Signature-256"), failed.requestHeaders().get("X-Tarn-Signature-256"));
    assertEquals(second.header("X-Tarn-Delivery"), ok.requestHeaders().get("X-Tarn-Delivery"));
    assertEquals("hooks.example.com", failed.requestHeaders().get("Host"));
    assertEquals(Integer.toString(first.request().body().length), failed.requestHeaders().get("Content-Length"));
    for (RecordStore.Entry e : table(RecordTable.ATTEMPTS)) {
      assertFalse(new String(e.value(), StandardCharsets.ISO_8859_1).contains(SECRET));
    }
    assertEquals(1, bodies().size(), "the body is kept once per delivery, not per attempt");
    // The plain listing never shows the body entries as attempts.
    assertEquals(2, n.deliveries("media", r.id(), null, 1000).items().size());
  }

  @Test
  void filtersByStatusPrefixAndTimeAndPagesNewestFirst() {
    RuleView r = openWithRule();
    List<String> keys = List.of("p/1", "q/2", "p/3", "p/4", "q/5", "p/6");
    for (int i = 0; i < keys.size(); i++) {
      if (i % 2 == 1) {
        sender.respond(new SendResult.Response(503, 2, "busy"));
      }
      put("media", keys.get(i), "v");
      int done = i + 1;
      await("attempt " + done, () -> log("media", r.id()).size() == done);
      clock.advance(Duration.ofSeconds(1));
    }
    Instant start = Instant.parse("2026-11-29T18:00:00.123Z");
    List<String> failed = keysOf(n.deliveries("media", r.id(), new DeliveryFilter("failed", null, null, null), null,
        100).items());
    assertEquals(List.of("p/6", "p/4", "q/2"), failed);
    assertEquals(List.of("p/3", "p/1"),
        keysOf(n.deliveries("media", r.id(), new DeliveryFilter("delivered", "p/", null, null), null, 100).items()));
    // [start+1s, start+4s): the attempts made at +1, +2 and +3 s.
    assertEquals(List.of("p/4", "p/3", "q/2"), keysOf(n.deliveries("media", r.id(),
        new DeliveryFilter(null, null, start.plusSeconds(1), start.plusSeconds(4)), null, 100).items()));
    // Paging by 2 over the prefix p/ visits p/6, p/4, p/3, p/1 once each, and ends with no cursor.
    List<String> paged = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      Page<DeliveryView> page = n.deliveries("media", r.id(), new DeliveryFilter(null, "p/", null, null), after, 2);
      paged.addAll(keysOf(page.items()));
      after = page.next();
      pages++;
    } while (after != null);
    assertEquals(List.of("p/6", "p/4", "p/3", "p/1"), paged);
    assertEquals(2, pages);
    // pending: the retries queued now.
    assertEquals(List.of("p/6", "p/4", "q/2"),
        keysOf(n.deliveries("media", r.id(), new DeliveryFilter("pending", null, null, null), null, 100).items()));
    WebhookException bad = assertThrows(WebhookException.class, () -> new DeliveryFilter("lost", null, null, null));
    assertEquals("status", bad.field());
    assertThrows(WebhookException.class, () -> n.deliveries("media", r.id(), DeliveryFilter.NONE, "bm9wZQ", 10));
  }

  private static List<String> keysOf(List<DeliveryView> views) {
    return views.stream().map(DeliveryView::key).toList();
  }

  @Test
  void aDeliveredDeliveryIsRedeliveredByteIdenticalUnderItsId() {
    RuleView r = openWithRule();
    put("media", "a", "v");
    FakeSender.Call first = sender.take();
    await("delivered", () -> log("media", r.id()).size() == 1);
    String id = first.header("X-Tarn-Delivery");
    clock.advance(Duration.ofSeconds(1)); // an attempt's log key has its time: a later one is another entry
    n.redeliverDelivery("media", id);
    FakeSender.Call again = sender.take();
    assertArrayEquals(first.request().body(), again.request().body());
    assertEquals(id, again.header("X-Tarn-Delivery"));
    await("redelivery logged", () -> log("media", r.id()).size() == 2);
    assertEquals(1, log("media", r.id()).get(0).attempt(), "a redelivery starts its attempts again");
    assertEquals(1, log("media", r.id()).get(0).redelivery(), "and the log says it is the first redelivery");
    assertEquals(0, log("media", r.id()).get(1).redelivery(), "the event's own delivery");
    clock.advance(Duration.ofSeconds(1));
    n.redeliverDelivery("media", id);
    sender.take();
    await("second redelivery logged", () -> log("media", r.id()).size() == 3);
    assertEquals(2, log("media", r.id()).get(0).redelivery());
    WebhookException none = assertThrows(WebhookException.class,
        () -> n.redeliverDelivery("media", "00000000000000ff-" + r.id()));
    assertEquals(WebhookException.Kind.NOT_FOUND, none.kind());
    assertThrows(WebhookException.class, () -> n.delivery("other", id));
  }

  @Test
  void aQueuedDeliveryIsNotQueuedTwice() {
    RuleView r = openWithRule();
    sender.respond(new SendResult.Response(500, 1, ""));
    put("media", "a", "v");
    String id = sender.take().header("X-Tarn-Delivery");
    await("failure recorded", () -> log("media", r.id()).size() == 1);
    WebhookException e = assertThrows(WebhookException.class, () -> n.redeliverDelivery("media", id));
    assertEquals(WebhookException.Kind.CONFLICT, e.kind());
    assertEquals("pending", n.delivery("media", id).state());
    assertNotNull(n.delivery("media", id).nextDue());
  }

  @Test
  void theDeliveriesOfOneKeyAreExactMatchesNewestFirst() {
    RuleView r = openWithRule();
    RuleView other = rule("media", new RuleSpec("https://other.example.com/h", List.of("ObjectCreated:*"), null, null,
        null, null, null, null, null));
    put("media", "photo", "1");
    put("media", "photo.jpg", "2");
    await("four attempts", () -> log("media", r.id()).size() + log("media", other.id()).size() == 4);
    clock.advance(Duration.ofSeconds(1));
    put("media", "photo", "3");
    await("six attempts", () -> log("media", r.id()).size() + log("media", other.id()).size() == 6);
    List<DeliveryView> photo = n.objectDeliveries("media", "photo", 100);
    assertEquals(4, photo.size());
    assertTrue(photo.stream().allMatch(v -> v.key().equals("photo")));
    assertTrue(photo.get(0).time().isAfter(photo.get(3).time()), "newest first");
    assertEquals(2, n.objectDeliveries("media", "photo", 2).size());
  }

  @Test
  void deadLettersAreCountedBeforeTheyAreRedelivered() {
    options = options.withRetries(1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0);
    RuleView r = openWithRule();
    sender.respond(new SendResult.Response(500, 1, ""), new SendResult.Response(500, 1, ""));
    put("media", "a", "v");
    put("media", "b", "v");
    await("two dead", () -> log("media", r.id()).size() == 2);
    assertEquals(2, n.countDeadLetters("media", r.id()));
    assertEquals(2, n.redeliverAll("media", r.id()));
    assertEquals(0, n.countDeadLetters("media", r.id()));
  }

  @Test
  void bodiesAreTrimmedWithTheAttemptsOfTheirDelivery() {
    options = options.withRetention(Duration.ofDays(7), 2, Duration.ofDays(7));
    RuleView r = openWithRule();
    for (String k : List.of("a", "b", "c")) {
      put("media", k, "v");
      int done = List.of("a", "b", "c").indexOf(k) + 1;
      await("attempt " + done, () -> table(RecordTable.ATTEMPTS).size() == 2 * done);
      clock.advance(Duration.ofSeconds(1));
    }
    advance(Duration.ofMinutes(2)); // the sweep trims the log to 2 entries
    await("trimmed", () -> table(RecordTable.ATTEMPTS).size() == 4);
    assertEquals(2, bodies().size());
    assertEquals(List.of("c", "b"), keysOf(log("media", r.id())));
  }
}
