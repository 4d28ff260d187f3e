package io.tarn.server.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** When an access key expires, as given on the command line: {@code never} or a duration from now. */
public sealed interface Expiry {
  /** Longest accepted duration: beyond it an expiry is a typo, not a plan. */
  Duration MAX = Duration.ofDays(36_500);

  /** The key never expires (clears an expiry). */
  record Never() implements Expiry {}

  /** The key expires {@code duration} from now. */
  record After(Duration duration) implements Expiry {}

  /** The expiry time as the API wants it (ISO-8601 UTC, whole seconds), or null for never. */
  default String isoFrom(Instant now) {
    return this instanceof After a
        ? DateTimeFormatter.ISO_INSTANT.format(now.plus(a.duration()).truncatedTo(ChronoUnit.SECONDS))
        : null;
  }

  /** {@code never} or a duration ({@link Durations#parse}). @throws IllegalArgumentException */
  static Expiry parse(String text) {
    return text != null && text.strip().equalsIgnoreCase("never") ? new Never() : new After(Durations.parse(text));
  }

  /**
   * Positive durations: number-unit pairs with units {@code w d h m s} ({@code 30d}, {@code 12h},
   * {@code 90m}, {@code 1w}, {@code 1d12h}), or ISO-8601 ({@code P30D}, {@code PT12H}, {@code P2W}).
   */
  final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})([wdhms])");
    private static final Pattern ISO_WEEKS = Pattern.compile("P(\\d{1,9})W");

    private Durations() {}

    /** @throws IllegalArgumentException with a message fit for the user */
    public static Duration parse(String text) {
      String s = text == null ? "" : text.strip();
      Duration d = s.toUpperCase(Locale.ROOT).startsWith("P") ? iso(text, s.toUpperCase(Locale.ROOT)) : units(text, s);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("the duration '" + text + "' must be positive");
      }
      if (d.compareTo(MAX) > 0) {
        throw new IllegalArgumentException("the duration '" + text + "' is longer than 100 years");
      }
      return d;
    }

    private static Duration units(String text, String s) {
      Matcher m = PART.matcher(s.toLowerCase(Locale.ROOT));
      Duration total = Duration.ZERO;
      int end = 0;
      while (m.find() && m.start() == end) {
        long n = Long.parseLong(m.group(1));
        total = total.plus(switch (m.group(2)) {
          case "w" -> Duration.ofDays(7 * n);
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        });
        end = m.end();
      }
      if (end == 0 || end != s.length()) {
        throw invalid(text);
      }
      return total;
    }

    private static Duration iso(String text, String upper) {
      Matcher weeks = ISO_WEEKS.matcher(upper);
      if (weeks.matches()) {
        return Duration.ofDays(7 * Long.parseLong(weeks.group(1)));
      }
      try {
        return Duration.parse(upper);
      } catch (DateTimeParseException | ArithmeticException e) {
        throw invalid(text);
      }
    }

    private static IllegalArgumentException invalid(String text) {
      return new IllegalArgumentException("not a duration: '" + text + "' (expected e.g. 30d, 12h, 90m, 1w or P30D)");
    }
  }

  /** Picocli converter for {@code DURATION|never}. */
  final class Converter implements ITypeConverter<Expiry> {
    @Override
    public Expiry convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage() + ", or never");
      }
    }
  }

  /** Picocli converter for a positive {@code DURATION}. */
  final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
