package io.tarn.console.admin;

import io.tarn.console.ApiException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** The API's times: ISO-8601 UTC strings to the second ({@code 2026-11-29T18:00:00Z}). */
public final class Times {
  private Times() {}

  /** The wire form, or null for null. Sub-second digits are dropped: the contract's form has none. */
  public static String format(Instant t) {
    return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * Parses an ISO-8601 time with a zone offset ({@code Z} or {@code +02:00}).
   *
   * @throws ApiException InvalidRequest naming {@code field}
   */
  static Instant parse(String field, String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("\"" + field + "\" must be an ISO-8601 time such as 2026-11-29T18:00:00Z, not \""
          + text + "\"");
    }
  }
}
