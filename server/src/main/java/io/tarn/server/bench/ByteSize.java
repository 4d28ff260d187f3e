package io.tarn.server.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A number of bytes as given on the command line: {@code 4096}, {@code 4KiB}, {@code 64MiB},
 * {@code 1GiB}. Binary units (KiB, MiB, GiB, TiB, and the shorthands K, M, G, T) are powers of
 * 1024; decimal units (KB, MB, GB, TB) are powers of 1000, as their names say.
 */
public record ByteSize(long bytes) {
  private static final Pattern FORM = Pattern.compile("(\\d{1,19})\\s*([A-Za-z]*)");
  private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB"};

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size cannot be negative: " + bytes);
    }
  }

  /** @throws IllegalArgumentException with a message fit for the user */
  public static ByteSize parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a size: '" + text + "' (expected e.g. 4096, 4KiB, 64MiB, 1GiB)");
    }
    long multiplier = multiplier(m.group(2), text);
    try {
      return new ByteSize(Math.multiplyExact(Long.parseLong(m.group(1)), multiplier));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("size too large: '" + text + "'", e);
    }
  }

  private static long multiplier(String unit, String text) {
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "", "b":
        return 1;
      case "k", "kib":
        return 1L << 10;
      case "m", "mib":
        return 1L << 20;
      case "g", "gib":
        return 1L << 30;
      case "t", "tib":
        return 1L << 40;
      case "kb":
        return 1_000L;
      case "mb":
        return 1_000_000L;
      case "gb":
        return 1_000_000_000L;
      case "tb":
        return 1_000_000_000_000L;
      default:
        throw new IllegalArgumentException(
            "unknown size unit '" + unit + "' in '" + text + "' (use B, KiB, MiB, GiB or TiB)");
    }
  }

  /** The shortest exact binary spelling: 4096 -> "4KiB", 1000 -> "1000B", 0 -> "0B". */
  @Override
  public String toString() {
    int unit = 0;
    long value = bytes;
    while (unit < BINARY.length - 1 && value != 0 && value % 1024 == 0) {
      value /= 1024;
      unit++;
    }
    return value + BINARY[unit];
  }

  /** Picocli converter, so options can be typed {@code ByteSize}. */
  public static final class Converter implements CommandLine.ITypeConverter<ByteSize> {
    @Override
    public ByteSize convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
