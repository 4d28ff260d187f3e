package io.tarn.notifications.queue;

import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.rules.Wire;
import java.time.Instant;

/** The versioned encoding of one attempt-log entry ({@code ATTEMPTS}): the fields of a {@link DeliveryView}. */
public final class AttemptCodec {
  private static final int FORMAT_V1 = 1;

  private AttemptCodec() {}

  public static byte[] encode(DeliveryView v) {
    return new Wire.Writer(FORMAT_V1).str(v.deliveryId()).str(v.ruleId()).str(v.eventName()).nstr(v.key())
        .nstr(v.sequencer()).i64(v.time().toEpochMilli()).i32(v.attempt()).str(v.outcome()).nint(v.statusCode())
        .nlong(v.latencyMillis()).nstr(v.error()).toByteArray();
  }

  public static DeliveryView decode(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes, FORMAT_V1, "attempt");
    DeliveryView v = new DeliveryView(r.str(), r.str(), r.str(), r.nstr(), r.nstr(), Instant.ofEpochMilli(r.i64()),
        r.i32(), r.str(), r.nint(), r.nlong(), r.nstr());
    r.end();
    return v;
  }
}
