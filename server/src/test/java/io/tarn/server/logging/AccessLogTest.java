package io.tarn.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.s3.http.ExchangeRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The access log's writer: lines in both formats, and a full queue dropping records (never blocking
 * the caller) with a WARNING that counts them.
 */
class AccessLogTest {
  private static ExchangeRecord record(String id, String key) {
    return new ExchangeRecord(id, 1_000_000, 3_345_678, 1_764_000_000_123L, "10.0.0.7", "AKIAEXAMPLE", "u".repeat(64),
        "GetObject", "photos", key, 200, null, 0, 4096, false);
  }

  /** A destination that waits for {@code open} before taking any line. */
  private static final class GatedSink implements LineSink {
    final CountDownLatch open = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(1);
    final ByteArrayOutputStream lines = new ByteArrayOutputStream();

    @Override
    public void write(byte[] line, int off, int len) {
      entered.countDown();
      try {
        open.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (lines) {
        lines.write(line, off, len);
      }
    }

    @Override
    public void flush() {}

    @Override
    public String describe() {
      return "gated";
    }

    @Override
    public void close() {}

    String text() {
      synchronized (lines) {
        return lines.toString(StandardCharsets.UTF_8);
      }
    }
  }

  @Test
  void aFullQueueDropsAndCountsWithoutBlockingAndAWarningSaysHowMany() throws Exception {
    GatedSink sink = new GatedSink();
    List<String> warnings = new CopyOnWriteArrayList<>();
    AtomicLong clock = new AtomicLong();
    AccessLog log = new AccessLog(sink, AccessLogFormat.TEXT, 4, Duration.ofSeconds(60), warnings::add, clock::get);
    log.ended(record("first", "k")); // taken by the writer, which then waits in the sink
    assertTrue(sink.entered.await(10, TimeUnit.SECONDS));
    long start = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      log.ended(record("r" + i, "k")); // 4 fit in the queue, 6 are dropped
    }
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "ended() never waits for the disk");
    assertEquals(6, log.dropped());
    clock.addAndGet(Duration.ofSeconds(61).toNanos()); // the report is due
    sink.open.countDown();
    log.close();
    assertEquals(1 + 4, sink.text().split("\n").length, sink.text());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("access log: 6 lines dropped"), warnings.get(0));
    assertTrue(warnings.get(0).contains("queue of 4 was full"), warnings.get(0));
  }

  @Test
  void linesInBothFormats() throws IOException {
    StringBuilder text = new StringBuilder();
    AccessLogFormat.TEXT.append(record("18A2F0C3D1E4B5A6", "2026/a b\nc.jpg"), text);
    assertEquals("2025-11-24T16:00:00.123Z 18A2F0C3D1E4B5A6 10.0.0.7 AKIAEXAMPLE " + "u".repeat(64)
        + " GetObject photos 2026/a%20b%0Ac.jpg 200 - 0 4096 2.345", text.toString());

    ExchangeRecord anonymousCut = new ExchangeRecord("ID", 0, 1_000, 0, "::1", null, null, "Unknown", null, null, 0,
        null, 7, 0, true);
    StringBuilder cut = new StringBuilder();
    AccessLogFormat.TEXT.append(anonymousCut, cut);
    assertEquals("1970-01-01T00:00:00.000Z ID ::1 - - Unknown - - 0 - 7 0 0.001 cut", cut.toString());

    StringBuilder json = new StringBuilder();
    AccessLogFormat.JSON.append(record("ID2", "a\"b\nc"), json);
    JsonNode n = new ObjectMapper().readTree(json.toString());
    assertEquals("2025-11-24T16:00:00.123Z", n.get("time").asText());
    assertEquals("a\"b\nc", n.get("key").asText(), "the key as it is, escaped by JSON");
    assertEquals("AKIAEXAMPLE", n.get("accessKeyId").asText());
    assertTrue(n.get("errorCode").isNull());
    assertEquals(2.345, n.get("durationMs").asDouble(), 1e-9);
    assertEquals(4096, n.get("bytesOut").asLong());
    assertTrue(n.get("cut").isBoolean());
    assertEquals(14, n.size(), "every field, nothing else: " + n);
  }
}
