package io.tarn.notifications.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.notifications.WebhookException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fan-out of live tails: bounded queues, drops counted for the slow viewer only, and the caps. */
class LiveEventsTest {
  private static byte[] msg(int i) {
    return ("event: event\ndata: {\"n\":" + i + "}\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static List<String> drain(LiveViewer v) {
    List<String> out = new ArrayList<>();
    byte[] m;
    while ((m = v.poll()) != null) {
      out.add(text(m));
    }
    return out;
  }

  @Test
  void aViewerThatNeverReadsHoldsOnlyTheFeedsBoundAndTheOthersGetEverything() {
    LiveEvents hub = new LiveEvents(new LiveEvents.Limits(4, 4, 8, 10));
    LiveViewer stalled = hub.open("media", "u1");
    LiveViewer reader = hub.open("media", "u2");
    List<String> got = new ArrayList<>(drain(reader));
    for (int i = 0; i < 5000; i++) {
      hub.publish("media", msg(i));
      assertTrue(stalled.queued() <= 11, "the stalled viewer waits for its ready message and the feed's bound only");
      if (i % 7 == 0) {
        got.addAll(drain(reader));
      }
    }
    got.addAll(drain(reader));
    assertEquals("event: ready\ndata: {\"bucket\":\"media\"}\n\n", got.get(0));
    assertEquals(5001, got.size(), "the reader misses nothing");
    for (int i = 0; i < 5000; i++) {
      assertEquals(text(msg(i)), got.get(i + 1));
    }
    assertEquals(11, stalled.queued());
    // Its ready message, then one notice that the 4,990 oldest events were missed, then the newest ten.
    List<String> late = drain(stalled);
    assertEquals("event: ready\ndata: {\"bucket\":\"media\"}\n\n", late.get(0));
    assertEquals("event: skipped\ndata: {\"skipped\":4990}\n\n", late.get(1));
    assertEquals(12, late.size());
    assertEquals(text(msg(4990)), late.get(2));
    assertEquals(text(msg(4999)), late.get(11));
    assertEquals(4990, stalled.skippedTotal());
    assertEquals(0, reader.skippedTotal());
  }

  @Test
  void aViewerFarBehindSaysSoAndCatchingUpEndsIt() {
    LiveEvents hub = new LiveEvents(new LiveEvents.Limits(4, 4, 8, 40));
    LiveViewer v = hub.open("media", "u1");
    for (int i = 0; i < 20; i++) {
      hub.publish("media", msg(i));
    }
    assertFalse(v.backlogged(), "20 behind of 40: the sender may wait to batch more");
    hub.publish("media", msg(20));
    assertTrue(v.backlogged(), "more than half the feed behind: send now");
    drain(v);
    assertFalse(v.backlogged());
  }

  @Test
  void publishingWakesTheViewerAndOtherBucketsSeeNothing() {
    LiveEvents hub = new LiveEvents(LiveEvents.Limits.defaults());
    LiveViewer v = hub.open("media", "u1");
    AtomicInteger wakes = new AtomicInteger();
    v.onReady(wakes::incrementAndGet);
    int before = wakes.get();
    hub.publish("other", msg(1));
    assertFalse(hub.watching("other"));
    assertEquals(before, wakes.get());
    hub.publish("media", msg(2));
    assertEquals(before + 1, wakes.get());
    assertEquals(List.of("event: ready\ndata: {\"bucket\":\"media\"}\n\n", text(msg(2))), drain(v));
  }

  @Test
  void capsPerBucketPerUserAndOverallAndClosingFreesTheSlot() {
    LiveEvents hub = new LiveEvents(new LiveEvents.Limits(2, 2, 3, 10));
    LiveViewer a = hub.open("b1", "u1");
    hub.open("b1", "u2");
    WebhookException perBucket = assertThrows(WebhookException.class, () -> hub.open("b1", "u3"));
    assertEquals(WebhookException.Kind.TOO_MANY, perBucket.kind());
    assertTrue(perBucket.getMessage().contains("bucket b1"), perBucket.getMessage());
    hub.open("b2", "u1");
    WebhookException perUser = assertThrows(WebhookException.class, () -> hub.open("b3", "u1"));
    assertTrue(perUser.getMessage().contains("you have 2"), perUser.getMessage());
    WebhookException total = assertThrows(WebhookException.class, () -> hub.open("b3", "u3"));
    assertTrue(total.getMessage().contains("on this server"), total.getMessage());

    a.close();
    a.close(); // idempotent: frees its slot once
    assertEquals(1, hub.viewers("b1").size());
    hub.open("b3", "u3");
    hub.publish("b1", msg(1));
    assertEquals(0, a.queued(), "a closed viewer gets nothing");
  }

  @Test
  void closingTheHubEndsEveryTailAfterWhatItQueuedAndRefusesNewOnes() {
    LiveEvents hub = new LiveEvents(LiveEvents.Limits.defaults());
    LiveViewer v = hub.open("media", "u1");
    hub.publish("media", msg(1));
    hub.close();
    assertFalse(v.finished(), "what was queued is still sent");
    assertEquals(2, drain(v).size());
    assertTrue(v.finished());
    assertNull(v.poll());
    hub.publish("media", msg(2));
    assertNull(v.poll());
    assertEquals(WebhookException.Kind.TOO_MANY, assertThrows(WebhookException.class, () -> hub.open("m", "u")).kind());
  }
}
