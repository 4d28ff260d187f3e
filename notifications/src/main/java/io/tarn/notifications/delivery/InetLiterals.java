package io.tarn.notifications.delivery;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Numeric host spellings, read the way the C library's {@code inet_aton} and the WHATWG URL parser
 * read them: 1 to 4 parts, each decimal, octal (leading {@code 0}) or hex ({@code 0x}); the last part
 * fills the remaining bytes. So {@code 2130706433}, {@code 0x7f000001}, {@code 0x7f.1},
 * {@code 0177.0.0.1}, {@code 127.1} and {@code 017700000001} are all 127.0.0.1. A receiver's HTTP
 * stack or a proxy may read a host this way, so the SSRF check must too.
 */
final class InetLiterals {
  private static final BigInteger MAX_V4 = BigInteger.valueOf(0xFFFF_FFFFL);

  private InetLiterals() {}

  /**
   * Whether the host "ends in a number" (WHATWG URL standard): then it is an IPv4 address or
   * invalid, and must never be sent to DNS as a name.
   */
  static boolean looksNumeric(String host) {
    String[] parts = split(host);
    if (parts.length == 0) {
      return false;
    }
    String last = parts[parts.length - 1];
    if (!last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return true;
    }
    return isHexPrefixed(last) && last.substring(2).chars().allMatch(InetLiterals::isHexDigit);
  }

  /** The IPv4 address a numeric spelling stands for, or empty if it is not a valid one. */
  static Optional<Inet4Address> parseIpv4(String host) {
    String[] parts = split(host);
    if (parts.length == 0 || parts.length > 4) {
      return Optional.empty();
    }
    long value = 0;
    for (int i = 0; i < parts.length; i++) {
      BigInteger part = parsePart(parts[i]);
      boolean last = i == parts.length - 1;
      // Leading parts are one byte each; the last part fills the bytes that remain.
      BigInteger max = last ? MAX_V4.shiftRight(8 * i) : BigInteger.valueOf(255);
      if (part == null || part.compareTo(max) > 0) {
        return Optional.empty();
      }
      value = last ? (value << (8 * (4 - i))) | part.longValue() : (value << 8) | part.longValue();
    }
    return Optional.of(toInet4(value));
  }

  private static String[] split(String host) {
    // One trailing dot is allowed ("127.0.0.1." is still 127.0.0.1), as in the WHATWG parser.
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    return h.isEmpty() ? new String[0] : h.split("\\.", -1);
  }

  private static BigInteger parsePart(String part) {
    if (part.isEmpty()) {
      return null;
    }
    int radix = 10;
    String digits = part;
    if (isHexPrefixed(part)) {
      radix = 16;
      digits = part.substring(2);
      if (digits.isEmpty()) {
        return BigInteger.ZERO; // "0x" is 0 for inet_aton and WHATWG alike
      }
    } else if (part.length() > 1 && part.charAt(0) == '0') {
      radix = 8;
      digits = part.substring(1);
    }
    for (int i = 0; i < digits.length(); i++) {
      if (!isAsciiDigit(digits.charAt(i), radix)) {
        return null;
      }
    }
    return new BigInteger(digits, radix);
  }

  private static boolean isAsciiDigit(char c, int radix) {
    // Character.digit alone would accept non-ASCII digits (e.g. fullwidth), which no resolver reads.
    return c < 128 && Character.digit(c, radix) >= 0;
  }

  private static boolean isHexPrefixed(String part) {
    return part.length() >= 2 && part.charAt(0) == '0' && (part.charAt(1) == 'x' || part.charAt(1) == 'X');
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static Inet4Address toInet4(long v) {
    byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 bytes are always a valid address", e);
    }
  }
}
