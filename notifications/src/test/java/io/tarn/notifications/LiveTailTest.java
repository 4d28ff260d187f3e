package io.tarn.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.core.EventName;
import io.tarn.core.MutationEvent;
import io.tarn.notifications.delivery.SendResult;
import io.tarn.notifications.live.LiveViewer;
import io.tarn.storage.EventSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a live tail sees through the real staging and delivery path: committed events only, then outcomes. */
class LiveTailTest extends NotificationsTestSupport {
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void setUp() {
    open();
    store.createBucket("media", "us-east-1", OWNER);
  }

  private record Msg(String kind, JsonNode data) {}

  /** The next message, waiting up to 5 s for it. */
  private Msg next(LiveViewer v) throws IOException, InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    byte[] m;
    while ((m = v.poll()) == null) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no live message within 5 s");
      }
      Thread.sleep(5);
    }
    String[] lines = new String(m, StandardCharsets.UTF_8).split("\n");
    assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), lines[0]);
    return new Msg(lines[0].substring(7), json.readTree(lines[1].substring(6)));
  }

  @Test
  void showsEachCommittedEventWithItsRulesThenItsDeliveriesOutcomes() throws Exception {
    RuleView hook = rule("media", spec("https://hooks.example.com/a", "object:created"));
    rule("media", spec("https://hooks.example.com/del", "s3:ObjectRemoved:*"));
    LiveViewer v = n.watch("media", OWNER);
    assertEquals("ready", next(v).kind());
    sender.respond(new SendResult.Response(500, 12, "nope"));
    put("media", "img/a\"b.jpg", "hello");

    Msg event = next(v);
    assertEquals("event", event.kind());
    assertEquals("img/a\"b.jpg", event.data().path("key").asText());
    assertEquals("s3:ObjectCreated:Put", event.data().path("event").asText());
    assertEquals(5, event.data().path("size").asLong());
    assertEquals(1, event.data().path("rules").size(), "only the rule it matched");
    assertEquals(hook.id(), event.data().path("rules").get(0).path("id").asText());
    assertEquals("object:created", event.data().path("rules").get(0).path("event").asText());
    String sequencer = event.data().path("sequencer").asText();

    Msg failed = next(v);
    assertEquals("delivery", failed.kind());
    assertEquals(sequencer, failed.data().path("sequencer").asText());
    assertEquals(hook.id(), failed.data().path("rule").asText());
    assertEquals("failed", failed.data().path("outcome").asText());
    assertEquals(500, failed.data().path("status").asInt());
    assertEquals(1, failed.data().path("attempt").asInt());

    advance(Duration.ofHours(1)); // the retry is due
    Msg delivered = next(v);
    assertEquals("delivered", delivered.data().path("outcome").asText());
    assertEquals(200, delivered.data().path("status").asInt());
    assertEquals(2, delivered.data().path("attempt").asInt());
    assertEquals(sequencer, delivered.data().path("sequencer").asText());
  }

  @Test
  void aBatchThatDoesNotCommitShowsNothingAndOneThatCommitsShowsItsEvent() throws Exception {
    LiveViewer v = n.watch("media", OWNER);
    assertEquals("ready", next(v).kind());
    MutationEvent e = new MutationEvent("media", "k", null, EventName.OBJECT_CREATED_PUT, 1, "e", "text/plain",
        "00000000000000AA", Instant.parse("2026-11-29T18:00:00Z"), "R", OWNER, "203.0.113.7", false, OWNER);
    // The bucket has no rule: staging writes nothing into the batch, so a batch is not needed here.
    EventSink.Staging aborted = n.open(null);
    aborted.stage(e);
    aborted.aborted();
    assertNull(v.poll(), "an event whose write did not commit is never shown");
    EventSink.Staging staged = n.open(null);
    staged.stage(e);
    assertNull(v.poll(), "nor before its batch committed");
    staged.committed();
    Msg m = next(v);
    assertEquals("event", m.kind());
    assertEquals("00000000000000AA", m.data().path("sequencer").asText());
    assertEquals(0, m.data().path("rules").size());
  }

  @Test
  void everyMutationOfAWatchedBucketWithoutRulesArrives() throws Exception {
    LiveViewer v = n.watch("media", OWNER);
    next(v);
    for (int i = 0; i < 50; i++) {
      put("media", "k", "v" + i);
    }
    store.delete("media", "k", CTX);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      Msg m = next(v);
      names.add(m.data().path("event").asText());
    }
    assertEquals("s3:ObjectRemoved:Delete", names.get(50));
    assertEquals(50, names.stream().filter("s3:ObjectCreated:Put"::equals).count());
  }
}
