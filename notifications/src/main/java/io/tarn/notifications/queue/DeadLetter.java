package io.tarn.notifications.queue;

import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.rules.Format;
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
 * @param bodyIn null when {@code delivery} holds the body; else the body is the event payload's, in
 *     this format ({@code delivery}'s own body is then empty)
 */
public record DeadLetter(
    DeliveryRecord delivery, String outcome, String reason, long deadMillis, Integer lastStatus,
    Long lastLatencyMillis, Format bodyIn) {
  public static final String DEAD = "dead";
  public static final String QUEUE_FULL = "queue_full";
  private static final int FORMAT_V1 = 1;
  /** V1 and a byte: 0 body inline, 1 + format ordinal body in the event payload. */
  private static final int FORMAT_V2 = 2;

  /** A letter holding its body. */
  public DeadLetter(DeliveryRecord delivery, String outcome, String reason, long deadMillis, Integer lastStatus,
      Long lastLatencyMillis) {
    this(delivery, outcome, reason, deadMillis, lastStatus, lastLatencyMillis, null);
  }

  public DeadLetter {
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(outcome, "outcome");
  }

  public DeliveryView view() {
    return new DeliveryView(delivery.id(), delivery.ruleId().toString(), delivery.eventName(), delivery.key(),
        delivery.sequencer(), Instant.ofEpochMilli(deadMillis), delivery.attempts(), outcome, lastStatus,
        lastLatencyMillis, reason, delivery.redelivery());
  }

  public byte[] encode() {
    return new Wire.Writer(FORMAT_V2).bytes(delivery.encode()).str(outcome).nstr(reason).i64(deadMillis)
        .nint(lastStatus).nlong(lastLatencyMillis).u8(bodyIn == null ? 0 : 1 + bodyIn.ordinal()).toByteArray();
  }

  public static DeadLetter decode(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes, FORMAT_V1, FORMAT_V2, "dead letter");
    DeliveryRecord delivery = DeliveryRecord.decode(r.bytes());
    String outcome = r.str();
    String reason = r.nstr();
    long deadMillis = r.i64();
    Integer status = r.nint();
    Long latency = r.nlong();
    Format bodyIn = null;
    if (r.format() >= FORMAT_V2) {
      int b = r.u8();
      if (b > Format.values().length) {
        throw new Wire.CorruptRecordException("dead letter: bad body place " + b, null);
      }
      bodyIn = b == 0 ? null : Format.values()[b - 1];
    }
    r.end();
    return new DeadLetter(delivery, outcome, reason, deadMillis, status, latency, bodyIn);
  }
}
