package io.tarn.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server log's lines: text as before (UTC now), JSON parseable, the level threshold applied. */
class ServerLogTest {
  @TempDir Path dir;

  private static LogRecord record(Level level, String message, Throwable thrown) {
    LogRecord r = new LogRecord(level, message);
    r.setLoggerName("io.tarn.test.Thing");
    r.setInstant(Instant.parse("2026-12-06T12:00:00.250Z"));
    r.setThrown(thrown);
    return r;
  }

  @Test
  void textLinesAndTheLevelThreshold() throws IOException {
    Path file = dir.resolve("server.log");
    ServerLog log = new ServerLog(new RotatingFileWriter(file, 0, 0), false, ServerLog.LogLevel.WARN.jul);
    log.publish(record(Level.INFO, "not at warn", null));
    log.publish(record(Level.WARNING, "disk low", null));
    log.publish(record(Level.SEVERE, "broke", new IllegalStateException("boom", new java.io.IOException("root"))));
    log.close();
    List<String> lines = Files.readAllLines(file);
    assertEquals("2026-12-06T12:00:00.250Z WARNING io.tarn.test.Thing: disk low", lines.get(0));
    assertEquals("2026-12-06T12:00:00.250Z SEVERE io.tarn.test.Thing: broke", lines.get(1));
    assertEquals("java.lang.IllegalStateException: boom", lines.get(2));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("Caused by: java.io.IOException: root")), lines.toString());
  }

  @Test
  void jsonLines() throws IOException {
    Path file = dir.resolve("server.json");
    ServerLog log = new ServerLog(new RotatingFileWriter(file, 0, 0), true, ServerLog.LogLevel.DEBUG.jul);
    log.publish(record(Level.FINE, "detail \"quoted\"\nsecond line", null));
    log.publish(record(Level.SEVERE, "broke", new IllegalStateException("boom")));
    log.close();
    List<String> lines = Files.readAllLines(file);
    assertEquals(2, lines.size(), lines.toString());
    ObjectMapper json = new ObjectMapper();
    JsonNode debug = json.readTree(lines.get(0));
    assertEquals("DEBUG", debug.get("level").asText());
    assertEquals("detail \"quoted\"\nsecond line", debug.get("message").asText());
    assertEquals("2026-12-06T12:00:00.250Z", debug.get("time").asText());
    assertEquals("io.tarn.test.Thing", debug.get("logger").asText());
    JsonNode error = json.readTree(lines.get(1));
    assertEquals("ERROR", error.get("level").asText());
    assertTrue(error.get("thrown").asText().startsWith("java.lang.IllegalStateException: boom"), error.toString());
  }
}
