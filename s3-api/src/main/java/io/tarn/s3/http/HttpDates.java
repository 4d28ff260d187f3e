package io.tarn.s3.http;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * HTTP dates in the IMF-fixdate form of RFC 9110 section 5.6.7 ({@code Sun, 06 Nov 1994 08:49:37 GMT}):
 * two-digit days, always GMT. The JDK's RFC_1123_DATE_TIME writes one-digit days, which the
 * preferred format does not allow; and this runs for every response, so it is written by hand.
 */
public final class HttpDates {
  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  private HttpDates() {}

  /** The date of {@code epochSecond}. */
  public static String format(long epochSecond) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(29);
    b.append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
    two(b, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
    int year = t.getYear();
    if (year < 1000) {
      b.append(year < 10 ? "000" : year < 100 ? "00" : "0");
    }
    b.append(year).append(' ');
    two(b, t.getHour()).append(':');
    two(b, t.getMinute()).append(':');
    two(b, t.getSecond()).append(" GMT");
    return b.toString();
  }

  private static StringBuilder two(StringBuilder b, int v) {
    return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
