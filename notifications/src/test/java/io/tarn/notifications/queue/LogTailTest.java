package io.tarn.notifications.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tarn.notifications.rules.Format;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The in-memory tail of a bucket's event log: what it claims to hold, and its bounds. */
class LogTailTest {
  private static final long HOUR = 3_600_000_000_000L;
  private static final UUID RULE = UUID.fromString("00000000-0000-0000-0000-000000000001");

  private static EventPayload event(long seq) {
    return new EventPayload(String.format("%016X", seq), "media", "ObjectCreated:Put", "k" + seq, 1, 1, null,
        "{}".getBytes(StandardCharsets.UTF_8), List.of(RULE), List.of(Format.COMPACT), Set.of());
  }

  private static List<Long> seqs(List<EventPayload> events) {
    return events.stream().map(EventPayload::sequence).toList();
  }

  @Test
  void holdsNothingItCanVouchForUntilStartedThenEverythingFromTheNextSequencer() {
    AtomicInteger total = new AtomicInteger();
    LogTail t = new LogTail(100, total, 1000, HOUR);
    t.add(event(3)); // committed while the tail was being made: below where it starts, so dropped
    t.add(event(5));
    assertNull(t.after(4, 10), "not started: a reader must use the log");
    t.start(5);
    assertEquals(1, total.get());
    assertNull(t.after(3, 10), "event 4 is not vouched for");
    assertEquals(List.of(5L), seqs(t.after(4, 10)));
    t.add(event(7));
    t.add(event(6));
    assertEquals(List.of(5L, 6L, 7L), seqs(t.after(4, 10)), "in sequence order, whatever the commit order");
    assertEquals(List.of(6L), seqs(t.after(5, 1)));
    assertEquals(List.of(), t.after(7, 10));
    t.remove(6);
    assertEquals(List.of(5L, 7L), seqs(t.after(4, 10)), "an event deleted from the log");
    assertEquals(2, total.get());
  }

  @Test
  void aStoreThatDoesNotTrackSequencersLeavesItUnused() {
    LogTail t = new LogTail(100, new AtomicInteger(), 1000, HOUR);
    t.start(Long.MAX_VALUE);
    t.add(event(1));
    assertNull(t.after(0, 10));
  }

  @Test
  void droppingTheOldestPastTheBoundsMovesWhereItStarts() {
    AtomicInteger total = new AtomicInteger();
    LogTail a = new LogTail(3, total, 5, HOUR);
    LogTail b = new LogTail(3, total, 5, HOUR);
    a.start(0);
    b.start(0);
    for (long s = 0; s < 5; s++) {
      a.add(event(s)); // per bucket: at most 3
    }
    assertEquals(List.of(2L, 3L, 4L), seqs(a.after(1, 10)));
    assertNull(a.after(0, 10), "events 0 and 1 were dropped: read them from the log");
    b.add(event(10));
    b.add(event(11));
    assertEquals(5, total.get());
    b.add(event(12)); // over all tails: at most 5, so b drops its own oldest
    assertEquals(5, total.get());
    assertEquals(List.of(11L, 12L), seqs(b.after(10, 10)));
    assertNull(b.after(9, 10));
  }

  @Test
  void whenNoRuleReadsItItHoldsNothingUntilOneIsNearItsHeadAgain() throws InterruptedException {
    AtomicInteger total = new AtomicInteger();
    LogTail t = new LogTail(100, total, 1000, 20_000_000L); // idle after 20 ms
    t.start(5);
    t.add(event(5));
    assertEquals(List.of(5L), seqs(t.after(4, 10)));
    Thread.sleep(60);
    t.add(event(6)); // nobody read for a while: uploads only move where it starts
    t.add(event(7));
    assertEquals(0, total.get());
    Thread.sleep(60);
    assertNull(t.after(2, 10), "a rule far behind (before where it stopped holding) reads the log");
    t.add(event(8));
    assertEquals(0, total.get(), "and does not make it hold events again");
    assertNull(t.after(7, 10), "a rule that read the log past where it stopped: events 6-8 are in the log only");
    t.add(event(9)); // held again from now on
    assertEquals(List.of(9L), seqs(t.after(8, 10)));
    assertEquals(1, total.get());
  }

  @Test
  void aRetiredTailIsNeverUsedAgain() {
    AtomicInteger total = new AtomicInteger();
    LogTail t = new LogTail(100, total, 1000, HOUR);
    t.add(event(1));
    t.retire(); // e.g. removed while its maker was about to start it
    t.start(0);
    t.add(event(2));
    assertNull(t.after(0, 10));
    assertEquals(0, total.get());
  }
}
