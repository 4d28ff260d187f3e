package io.tarn.notifications.queue;

import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.rules.Wire;
import java.time.Instant;
import java.util.Objects;

/**
 * A delivery given up on, as stored in {@code DEAD_LETTERS}: the whole delivery (body included, so a
 * redelivery sends the identical bytes) and why.
 *
 * @param delivery the delivery as it was last
 * @param outcome {@code dead} (attempts exhausted) or {@code queue_full} (backlog at its cap)
 * @param reason the last error, e.g. {@code HTTP 503} or {@code connection refused}
 * @param deadMillis when it was dead-lettered
 * @param lastStatus the last attempt's HTTP status, or null
 * @param lastLatencyMillis the last attempt's latency, or null
 */
public record DeadLetter(
    DeliveryRecord delivery, String outcome, String reason, long deadMillis, Integer lastStatus,
    Long lastLatencyMillis) {
  public static final String DEAD = "dead";
  public static final String QUEUE_FULL = "queue_full";
  private static final int FORMAT_V1 = 1;

  public DeadLetter {
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(outcome, "outcome");
  }

  public DeliveryView view() {
    return new DeliveryView(delivery.id(), delivery.ruleId().toString(), delivery.eventName(), delivery.key(),
        delivery.sequencer(), Instant.ofEpochMilli(deadMillis), delivery.attempts(), outcome, lastStatus,
        lastLatencyMillis, reason);
  }

  public byte[] encode() {
    return new Wire.Writer(FORMAT_V1).bytes(delivery.encode()).str(outcome).nstr(reason).i64(deadMillis)
        .nint(lastStatus).nlong(lastLatencyMillis).toByteArray();
  }

  public static DeadLetter decode(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes, FORMAT_V1, "dead letter");
    DeadLetter d = new DeadLetter(DeliveryRecord.decode(r.bytes()), r.str(), r.nstr(), r.i64(), r.nint(), r.nlong());
    r.end();
    return d;
  }
}
