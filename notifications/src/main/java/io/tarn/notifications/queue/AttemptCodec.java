package io.tarn.notifications.queue;

import io.tarn.notifications.AttemptView;
import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.rules.Wire;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The versioned encoding of one attempt-log entry ({@code ATTEMPTS}). Format 1 (before the attempt
 * inspector) holds the fields of a {@link DeliveryView}; format 2 appends the next retry's due time,
 * the request headers as sent, the response headers and the start of the response body; format 3
 * appends the redelivery number (0: the event's own delivery). All are read; only format 3 is written. The request body is not here: it is the same on every attempt, so
 * it is kept once per delivery ({@link QueueKeys#attemptBody}).
 *
 * <p>Cost per attempt (format 2): the ~150 bytes of format 1, about 300-600 bytes of request headers
 * (Host, Content-Length, Content-Type, User-Agent, delivery id, event, and one to three signature
 * headers of 64-100 characters), the receiver's headers (typically 100-300 bytes; capped at 50
 * headers of 512 characters) and its body (0 to 4096 bytes, capped when received): ~0.6 KiB for
 * a receiver answering an empty 2xx, at most ~30 KiB for one answering 50 long headers and 4 KiB.
 */
public final class AttemptCodec {
  private static final int FORMAT_V1 = 1;
  private static final int FORMAT_V2 = 2;
  private static final int FORMAT_V3 = 3;

  private AttemptCodec() {}

  /** Encodes an entry in the current format (3). */
  public static byte[] encode(AttemptView a) {
    return encode(a, FORMAT_V3);
  }

  /** Encodes an entry in format 2 (entries logged before redeliveries were numbered; tests of reading them). */
  static byte[] encodeV2(AttemptView a) {
    return encode(a, FORMAT_V2);
  }

  private static byte[] encode(AttemptView a, int format) {
    DeliveryView v = a.summary();
    Wire.Writer w = new Wire.Writer(format);
    summary(w, v);
    w.nlong(a.nextRetry() == null ? null : a.nextRetry().toEpochMilli());
    map(w, a.requestHeaders());
    map(w, a.responseHeaders());
    w.nstr(a.responseBody());
    if (format >= FORMAT_V3) {
      w.i32(v.redelivery());
    }
    return w.toByteArray();
  }

  /** Encodes an entry in format 1 (entries logged before the inspector; tests of reading them). */
  static byte[] encodeV1(DeliveryView v) {
    Wire.Writer w = new Wire.Writer(FORMAT_V1);
    summary(w, v);
    return w.toByteArray();
  }

  private static void summary(Wire.Writer w, DeliveryView v) {
    w.str(v.deliveryId()).str(v.ruleId()).str(v.eventName()).nstr(v.key()).nstr(v.sequencer())
        .i64(v.time().toEpochMilli()).i32(v.attempt()).str(v.outcome()).nint(v.statusCode())
        .nlong(v.latencyMillis()).nstr(v.error());
  }

  private static void map(Wire.Writer w, Map<String, String> m) {
    w.i32(m.size());
    m.forEach((k, val) -> w.str(k).str(val));
  }

  /** The log row of an entry of either format. */
  public static DeliveryView decode(byte[] bytes) {
    return decodeFull(bytes).summary();
  }

  /** An entry of either format, with what it holds (format 1: the row only). */
  public static AttemptView decodeFull(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes, FORMAT_V1, FORMAT_V3, "attempt");
    DeliveryView v = new DeliveryView(r.str(), r.str(), r.str(), r.nstr(), r.nstr(), Instant.ofEpochMilli(r.i64()),
        r.i32(), r.str(), r.nint(), r.nlong(), r.nstr());
    if (r.format() == FORMAT_V1) {
      r.end();
      return new AttemptView(v, Map.of(), Map.of(), null, null, false);
    }
    Long next = r.nlong();
    Map<String, String> request = map(r);
    Map<String, String> response = map(r);
    String body = r.nstr();
    if (r.format() >= FORMAT_V3) {
      int redelivery = r.i32();
      v = new DeliveryView(v.deliveryId(), v.ruleId(), v.eventName(), v.key(), v.sequencer(), v.time(), v.attempt(),
          v.outcome(), v.statusCode(), v.latencyMillis(), v.error(), redelivery);
    }
    r.end();
    return new AttemptView(v, request, response, body, next == null ? null : Instant.ofEpochMilli(next), true);
  }

  private static Map<String, String> map(Wire.Reader r) {
    int n = r.i32();
    if (n < 0 || n > 10_000) {
      throw new Wire.CorruptRecordException("attempt: bad header count " + n, null);
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(r.str(), r.str());
    }
    return Collections.unmodifiableMap(m);
  }
}
