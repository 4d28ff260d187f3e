package io.tarn.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.notifications.delivery.SendResult;
import io.tarn.storage.RecordTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * First attempts are read from each bucket's event log (one entry per event, whatever the number of
 * rules) by a cursor per rule: commit order, restarts, and queue_full letters kept in the log.
 */
class EventLogTest extends NotificationsTestSupport {
  private static final SendResult DOWN = new SendResult.Response(503, 3, "busy");

  private void openWithBucket() {
    open();
    store.createBucket("media", "us-east-1", OWNER);
  }

  private static String keyOf(FakeSender.Call c) {
    String body = c.body();
    int at = body.indexOf("\"key\":\"") + 7;
    return body.substring(at, body.indexOf('"', at));
  }

  @Test
  void anEventThatCommitsAfterLaterOnesIsNotSkippedNorPassedByTheCursor() throws Exception {
    List<HoldingSink> holding = new ArrayList<>();
    sinkOf = sink -> {
      HoldingSink h = new HoldingSink(sink, event -> event.key().equals("slow"), false);
      holding.add(h);
      return h;
    };
    holdSends = true;
    openWithBucket();
    RuleView r = rule("media", new RuleSpec("http://hooks.example.com/h", List.of("ObjectCreated:*"), null, null, null,
        null, "compact", null, null));
    HoldingSink h = holding.get(0);
    Thread slow = new Thread(() -> put("media", "slow", "v"));
    slow.start();
    assertTrue(h.reached.await(5, TimeUnit.SECONDS));
    // "slow" holds the lowest sequencer and has not committed; two later events commit first and are
    // sent at once. One of them is recorded: the rule's cursor must not pass "slow" for it.
    put("media", "fast1", "v");
    put("media", "fast2", "v");
    FakeSender.Call first = sender.take();
    FakeSender.Call second = sender.take();
    assertEquals(List.of("fast1", "fast2"), List.of(keyOf(first), keyOf(second)));
    sender.complete(first, FakeSender.OK);
    await("fast1 recorded", () -> n.stats("media", r.id()).delivered() == 1);
    h.release.countDown();
    slow.join();
    assertEquals("slow", keyOf(sender.take()));
    // A restart now (neither outcome recorded) sends both again: nothing was skipped or passed.
    holdSends = false;
    reopen();
    List<String> again = new ArrayList<>(List.of(keyOf(sender.take()), keyOf(sender.take())));
    again.sort(null);
    assertEquals(List.of("fast2", "slow"), again);
    await("all delivered", () -> n.backlog() == 0);
    sender.assertNoCall(50);
    assertTrue(table(RecordTable.EVENT_PAYLOADS).isEmpty());
  }

  /** Each rule's request count per object key. */
  private Map<String, Map<String, Integer>> sentPerRule() {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    for (FakeSender.Call c : sender.all) {
      out.computeIfAbsent(c.request().url().getPath(), p -> new TreeMap<>()).merge(keyOf(c), 1, Integer::sum);
    }
    return out;
  }

  private static Map<String, Integer> once(List<String> keys) {
    Map<String, Integer> out = new TreeMap<>();
    keys.forEach(k -> out.put(k, 1));
    return out;
  }

  @Test
  void concurrentUploadsAreEachSentOnceToEveryRule() throws Exception {
    // Rules that keep up take new events from the log's in-memory tail, while uploads commit in any
    // order around their reads: none may be skipped (it would stay pending) or sent twice.
    openWithBucket();
    rule("media", new RuleSpec("http://hooks.example.com/a", List.of("ObjectCreated:*"), null, null, null, null,
        "compact", null, null));
    rule("media", new RuleSpec("http://hooks.example.com/b", List.of("ObjectCreated:*"), null, null, null, null,
        null, null, null));
    int threads = 8;
    int each = 150;
    List<String> keys = new ArrayList<>();
    List<Thread> uploaders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<String> mine = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        mine.add(String.format("t%d/k%03d", t, i));
      }
      keys.addAll(mine);
      uploaders.add(new Thread(() -> mine.forEach(k -> put("media", k, "v"))));
    }
    uploaders.forEach(Thread::start);
    for (Thread u : uploaders) {
      u.join();
    }
    awaitFor(Duration.ofSeconds(30), "every event delivered", () -> n.backlog() == 0);
    Map<String, Integer> expected = once(keys);
    assertEquals(Map.of("/a", expected, "/b", expected), sentPerRule());
    assertTrue(table(RecordTable.EVENT_PAYLOADS).isEmpty());
  }

  @Test
  void aRuleFarBehindReadsTheLogAndCatchesUpWithoutSkippingOrRepeating() {
    // More events wait than the log's in-memory tail holds (1024 per bucket): the rule reads them from
    // RocksDB, then takes the newer ones from memory again; uploads go on meanwhile.
    holdSends = true;
    openWithBucket();
    rule("media", new RuleSpec("http://hooks.example.com/a", List.of("ObjectCreated:*"), null, null, null, null,
        "compact", null, null));
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1300; i++) {
      keys.add(String.format("k%04d", i));
    }
    keys.subList(0, 1100).forEach(k -> put("media", k, "v"));
    int answered = 0;
    for (String k : keys.subList(1100, 1300)) {
      put("media", k, "v");
      sender.complete(sender.take(), FakeSender.OK);
      answered++;
    }
    for (; answered < keys.size(); answered++) {
      sender.complete(sender.take(), FakeSender.OK);
    }
    await("every event delivered", () -> n.backlog() == 0);
    sender.assertNoCall(50);
    assertEquals(Map.of("/a", once(keys)), sentPerRule());
    assertTrue(table(RecordTable.EVENT_PAYLOADS).isEmpty());
  }

  @Test
  void afterARestartOnlyTheAttemptsWhoseOutcomeWasNotRecordedAreSentAgain() {
    holdSends = true;
    openWithBucket();
    RuleView a = rule("media", new RuleSpec("http://hooks.example.com/a", List.of("ObjectCreated:*"), null, null,
        null, null, "compact", null, null));
    rule("media", new RuleSpec("http://hooks.example.com/b", List.of("ObjectCreated:*"), null, null, null, null,
        "compact", null, null));
    for (String k : List.of("k1", "k2", "k3")) {
      put("media", k, "v");
    }
    assertEquals(3, table(RecordTable.EVENT_PAYLOADS).size(), "one entry per event for both rules");
    List<FakeSender.Call> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(sender.take());
    }
    // Rule a: k2 and k3 end before k1 (so its cursor cannot pass k1: they are marked done); rule b: all end.
    for (FakeSender.Call c : calls) {
      boolean ruleA = c.request().url().getPath().equals("/a");
      if (!(ruleA && keyOf(c).equals("k1"))) {
        sender.complete(c, FakeSender.OK);
      }
    }
    await("five recorded", () -> n.stats("media", a.id()).delivered() == 2 && n.backlog() == 1);
    assertEquals(1, table(RecordTable.EVENT_PAYLOADS).size(), "k2 and k3 are done for every rule");
    holdSends = false;
    reopen();
    FakeSender.Call again = sender.take();
    assertEquals("/a", again.request().url().getPath());
    assertEquals("k1", keyOf(again), "only the attempt that never ended");
    sender.assertNoCall(100);
    await("delivered", () -> n.backlog() == 0);
    assertTrue(table(RecordTable.EVENT_PAYLOADS).isEmpty());
  }

  @Test
  void queueFullLettersAreListedAfterTheRecordedOnesAndExpireWithTheRetention() {
    options = options.withBacklogCap(1).withRetries(1, Duration.ofMinutes(1), Duration.ofHours(1), 0);
    holdSends = true;
    openWithBucket();
    RuleView r = rule("media", new RuleSpec("http://hooks.example.com/h", List.of("ObjectCreated:*"), null, null,
        null, null, "compact", null, null));
    sender.respond(DOWN);
    put("media", "dead", "v"); // queued; its only attempt fails: a dead letter with a record
    put("media", "full1", "v"); // the backlog is at its cap of 1: queue_full, kept in the log
    put("media", "full2", "v");
    sender.complete(sender.take(), DOWN);
    await("dead-lettered", () -> n.stats("media", r.id()).deadLettered() == 3 && n.backlog() == 0);
    assertEquals(2, table(RecordTable.DEAD_LETTERS).size(), "the recorded letter and its purge-index entry");
    assertEquals(2, table(RecordTable.EVENT_PAYLOADS).size(), "the queue_full letters' events");

    List<String> keys = new ArrayList<>();
    String after = null;
    do {
      Page<DeliveryView> page = n.deadLetters("media", r.id(), after, 1);
      assertEquals(1, page.items().size());
      keys.add(page.items().get(0).key() + ":" + page.items().get(0).outcome());
      after = page.next();
    } while (after != null);
    assertEquals(List.of("dead:dead", "full1:queue_full", "full2:queue_full"), keys);
    assertEquals(3, n.deadLetters("media", null, null, 10).items().size());

    // Retention: 7 days after the events, all three are purged, and with them the log entries.
    clock.set(clock.instant().plus(Duration.ofDays(7)).plus(options.sweepInterval()).plusSeconds(1));
    n.wake();
    await("purged", () -> n.deadLetters("media", r.id(), null, 10).items().isEmpty());
    await("log entries gone", () -> table(RecordTable.EVENT_PAYLOADS).isEmpty());
    assertTrue(table(RecordTable.DEAD_LETTERS).isEmpty());
  }
}
