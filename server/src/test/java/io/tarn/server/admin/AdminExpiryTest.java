package io.tarn.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.server.admin.Expiry.Durations;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Durations for {@code key create --expires} and {@code key expire}. */
final class AdminExpiryTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "30d, PT720H",
      "12h, PT12H",
      "90m, PT1H30M",
      "1w, PT168H",
      "45s, PT45S",
      "1d12h, PT36H",
      "2W, PT336H",
      "' 7d ', PT168H",
      "P30D, PT720H",
      "p1d, PT24H",
      "PT12H, PT12H",
      "P1DT6H, PT30H",
      "P2W, PT336H"})
  void parses(String text, String iso) {
    assertEquals(Duration.parse(iso), Durations.parse(text));
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"", "30", "d", "30x", "1d 2h", "-1d", "1.5d", "P", "P1M", "P1Y", "30d!", "1dd"})
  void refusesWhatIsNotADuration(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertTrue(e.getMessage().contains("not a duration: '" + text + "'"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0d", "0m", "PT0S", "PT-5H"})
  void refusesZeroAndNegative(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertTrue(e.getMessage().contains("must be positive"), e.getMessage());
  }

  @Test
  void refusesAbsurdlyLong() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parse("36501d")).getMessage()
        .contains("longer than 100 years"));
    assertEquals(Duration.ofDays(36_500), Durations.parse("36500d"));
  }

  @Test
  void neverOrAnInstantFromNow() {
    Instant now = Instant.parse("2026-11-29T18:00:00.750Z");
    assertNull(Expiry.parse("never").isoFrom(now));
    assertNull(Expiry.parse("NEVER").isoFrom(now));
    assertEquals(new Expiry.After(Duration.ofDays(30)), Expiry.parse("30d"));
    assertEquals("2026-12-29T18:00:00Z", Expiry.parse("30d").isoFrom(now), "whole seconds, UTC");
  }

  @Test
  void convertersReportPicocliErrors() {
    assertThrows(picocli.CommandLine.TypeConversionException.class, () -> new Expiry.Converter().convert("soon"));
    assertThrows(picocli.CommandLine.TypeConversionException.class, () -> new Expiry.DurationConverter().convert("never"));
    assertEquals(new Expiry.Never(), new Expiry.Converter().convert("never"));
  }
}
