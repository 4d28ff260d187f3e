package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** IMF-fixdate (RFC 9110 section 5.6.7), checked against its own example and the JDK's parser. */
class HttpDatesTest {
  @Test
  void formatsTheRfcExampleWithTwoDigitDays() {
    assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(Instant.parse("1994-11-06T08:49:37Z").getEpochSecond()));
    assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpDates.format(0));
    assertEquals("Sat, 29 Feb 2020 23:59:59 GMT", HttpDates.format(Instant.parse("2020-02-29T23:59:59Z").getEpochSecond()));
  }

  @Test
  void roundTripsThroughTheJdkParserForEveryDayOfAYear() {
    long start = Instant.parse("2026-01-01T13:14:15Z").getEpochSecond();
    for (int day = 0; day < 366; day++) {
      long t = start + day * 86_400L + day * 37L;
      ZonedDateTime parsed = ZonedDateTime.parse(HttpDates.format(t), DateTimeFormatter.RFC_1123_DATE_TIME);
      assertEquals(t, parsed.toEpochSecond());
    }
  }
}
