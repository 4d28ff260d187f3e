package io.tarn.console.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentErrorsTest {
  @Test
  void keepsTheNewestUpToItsCapacityNewestFirst() {
    RecentErrors errors = new RecentErrors();
    for (int i = 0; i < RecentErrors.CAPACITY + 7; i++) {
      errors.add(Instant.ofEpochSecond(i), "Source", "error " + i);
    }
    List<RecentErrors.Entry> list = errors.list();
    assertEquals(RecentErrors.CAPACITY, list.size());
    assertEquals("error " + (RecentErrors.CAPACITY + 6), list.get(0).message());
    assertEquals("error 7", list.get(list.size() - 1).message(), "the oldest are forgotten first");
  }

  @Test
  void cutsLongMessages() {
    RecentErrors errors = new RecentErrors();
    errors.add(Instant.EPOCH, "S", "x".repeat(10_000));
    String m = errors.list().get(0).message();
    assertEquals(RecentErrors.MAX_MESSAGE, m.length());
    assertTrue(m.endsWith("…"), m);
  }
}
