package io.tarn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MutationEventTest {
  @Test
  void aSequencerIsSixteenUpperCaseHexDigits() {
    assertEquals("0000000000000000", MutationEvent.sequencer(0));
    assertEquals("0000000000000001", MutationEvent.sequencer(1));
    assertEquals("00000000000000FF", MutationEvent.sequencer(255));
    assertEquals("7FFFFFFFFFFFFFFF", MutationEvent.sequencer(Long.MAX_VALUE));
  }

  @Test
  void stringOrderIsNumericOrder() {
    Random r = new Random(1);
    for (int i = 0; i < 10_000; i++) {
      long a = (r.nextLong() >>> 1) >>> r.nextInt(63);
      long b = (r.nextLong() >>> 1) >>> r.nextInt(63);
      assertEquals(Long.signum(Long.compare(a, b)),
          Integer.signum(MutationEvent.sequencer(a).compareTo(MutationEvent.sequencer(b))), a + " vs " + b);
    }
  }

  @Test
  void aNegativeCounterIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> MutationEvent.sequencer(-1));
    assertThrows(IllegalArgumentException.class, () -> MutationEvent.sequencer(Long.MIN_VALUE));
  }

  @Test
  void requiredFieldsMustBePresent() {
    Instant t = Instant.EPOCH;
    String s = MutationEvent.sequencer(1);
    EventName put = EventName.OBJECT_CREATED_PUT;
    // removals carry no eTag, content type or version; an unknown owner is null
    MutationEvent removal = new MutationEvent("b", "k", null, EventName.OBJECT_REMOVED_DELETE, 0, null, null, s, t,
        null, null, null, true, null);
    assertEquals("k", removal.key());
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> new MutationEvent(null, "k", null, put, 0, null, null, s, t, "r", "p", "ip", false, null));
    assertEquals("bucket", e.getMessage());
    assertEquals("key", assertThrows(NullPointerException.class,
        () -> new MutationEvent("b", null, null, put, 0, null, null, s, t, "r", "p", "ip", false, null)).getMessage());
    assertEquals("eventName", assertThrows(NullPointerException.class,
        () -> new MutationEvent("b", "k", null, null, 0, null, null, s, t, "r", "p", "ip", false, null)).getMessage());
    assertEquals("sequencer", assertThrows(NullPointerException.class,
        () -> new MutationEvent("b", "k", null, put, 0, null, null, null, t, "r", "p", "ip", false, null)).getMessage());
    assertEquals("time", assertThrows(NullPointerException.class,
        () -> new MutationEvent("b", "k", null, put, 0, null, null, s, null, "r", "p", "ip", false, null)).getMessage());
  }
}
