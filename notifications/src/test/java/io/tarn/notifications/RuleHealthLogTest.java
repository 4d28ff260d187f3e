package io.tarn.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.notifications.delivery.SendResult;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A webhook rule failing and recovering is a server event (issue 14): its first failed attempt after
 * a success is one WARNING, later failures of the same run say nothing, the delivery that ends the run
 * is one INFO naming since when it failed.
 */
class RuleHealthLogTest extends NotificationsTestSupport {
  private static final SendResult DOWN = new SendResult.Response(500, 7, "down for maintenance");

  @Test
  void aRuleFailingThenRecoveringIsLoggedOnceEachWay() {
    Logger jul = Logger.getLogger("io.tarn.notifications.queue.Outcomes");
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    jul.addHandler(capture);
    try {
      open();
      store.createBucket("media", "us-east-1", OWNER);
      RuleView r = rule("media", new RuleSpec("https://hooks.example.com/h", List.of("ObjectCreated:*"), null, null,
          "s3cr3t", null, null, null, null));
      sender.respond(DOWN, DOWN, FakeSender.OK);
      put("media", "k", "v");
      long previousDue = -1;
      for (int attempt = 1; attempt <= 2; attempt++) {
        sender.take();
        long before = previousDue;
        // Recorded once the retry is scheduled (a new due time); the line is logged before that.
        await("attempt " + attempt + " recorded", () -> !dueTimes(r.id()).isEmpty() && dueTimes(r.id()).get(0) != before);
        previousDue = dueTimes(r.id()).get(0);
        await("the failure logged", () -> records.size() >= 1); // just after the due time is written
        clock.set(Instant.ofEpochMilli(previousDue));
        n.wake();
      }
      sender.take();
      await("the recovery logged", () -> records.size() >= 2);
      assertEquals(2, records.size(), "one line for the run of failures, one for the recovery: " + records);
      LogRecord failing = records.get(0);
      assertEquals(Level.WARNING, failing.getLevel());
      assertTrue(failing.getMessage().contains("webhook rule " + r.id() + " of bucket media is failing: HTTP 500"),
          failing.getMessage());
      LogRecord recovered = records.get(1);
      assertEquals(Level.INFO, recovered.getLevel());
      assertTrue(recovered.getMessage().contains("webhook rule " + r.id() + " of bucket media recovered"),
          recovered.getMessage());
    } finally {
      jul.removeHandler(capture);
    }
  }
}
