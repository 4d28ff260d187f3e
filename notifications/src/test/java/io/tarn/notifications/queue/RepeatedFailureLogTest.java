package io.tarn.notifications.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepeatedFailureLogTest {
  private static final String NAME = "tarn.test.RepeatedFailureLog";
  private final Logger jul = Logger.getLogger(NAME);
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private long now;
  private final RepeatedFailureLog failures =
      new RepeatedFailureLog(System.getLogger(NAME), "the loop", 60_000_000_000L, () -> now);

  @BeforeEach
  void setUp() {
    jul.addHandler(capture);
    jul.setUseParentHandlers(false);
  }

  @AfterEach
  void tearDown() {
    jul.removeHandler(capture);
    jul.setUseParentHandlers(true);
  }

  private static RuntimeException diskFull(int batch) {
    return new IllegalStateException("could not record " + batch + " outcomes",
        new UncheckedIOException(new IOException("No space left on device")));
  }

  @Test
  void aFailureRepeatingEveryPassIsOneStackTraceThenAMinutelySummaryThenARecovery() {
    for (int pass = 0; pass < 500; pass++) { // 500 passes, 0.2 s apart: 100 s of a full disk
      failures.failed(diskFull(pass));
      now += 200_000_000L;
    }
    assertEquals(2, records.size(), "one ERROR with the stack, one summary a minute later: " + records);
    assertEquals(Level.SEVERE, records.get(0).getLevel());
    assertNotNull(records.get(0).getThrown(), "the first failure keeps its stack trace");
    assertEquals(Level.WARNING, records.get(1).getLevel());
    assertNull(records.get(1).getThrown());
    assertTrue(records.get(1).getMessage().contains("300 more times, 301 in a row"), records.get(1).getMessage());
    assertTrue(records.get(1).getMessage().contains("No space left on device"), records.get(1).getMessage());

    failures.succeeded();
    failures.succeeded();
    assertEquals(3, records.size());
    assertEquals(Level.INFO, records.get(2).getLevel());
    assertTrue(records.get(2).getMessage().contains("works again after 500 failed attempts"), records.get(2).getMessage());

    failures.failed(diskFull(1));
    assertEquals(4, records.size(), "a new run of failures starts with its stack trace again");
    assertNotNull(records.get(3).getThrown());
  }

  @Test
  void aDifferentFailureIsLoggedInFullAtOnce() {
    failures.failed(diskFull(1));
    failures.failed(diskFull(2));
    failures.failed(new IllegalArgumentException("unreadable record"));
    assertEquals(2, records.size(), records.toString());
    assertEquals("java.lang.IllegalArgumentException", records.get(1).getThrown().getClass().getName());
  }
}
