package io.tarn.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
      "0, 0",
      "0s, 0",
      "500ms, 500",
      "10s, 10000",
      "10S, 10000",
      "2m, 120000",
      "1h, 3600000",
      "1m30s, 90000",
      "1h2m3s4ms, 3723004",
      "' 3s ', 3000"})
  void parses(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "s", "-1s", "1.5s", "10 s", "10sec", "3d", "1s2", "m1",
      "s10"})
  void refuses(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertTrue(e.getMessage().contains("not a duration"), e.getMessage());
  }

  @Test
  void refusesNull() {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
  }

  @ParameterizedTest
  @CsvSource({
      "0, 0ms",
      "250, 250ms",
      "1000, 1s",
      "1500, 1.5s",
      "10000, 10s",
      "60000, 1m",
      "150000, 2m30s"})
  void formats(long millis, String text) {
    assertEquals(text, Durations.format(Duration.ofMillis(millis)));
  }

  @Test
  void formattedDurationsParseBackWhenWhole() {
    for (long ms : new long[] {0, 7, 999, 1000, 59_000, 60_000, 61_000, 3_600_000}) {
      Duration d = Duration.ofMillis(ms);
      assertEquals(d, Durations.parse(Durations.format(d)), Durations.format(d));
    }
  }

  @Test
  void picocliConverterReportsTheProblem() {
    assertThrows(CommandLine.TypeConversionException.class,
        () -> new Durations.Converter().convert("ten seconds"));
    assertEquals(Duration.ofSeconds(10), new Durations.Converter().convert("10s"));
  }
}
