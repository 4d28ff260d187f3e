package io.tarn.core;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 CIDR block of an {@code IpAddress}/{@code NotIpAddress} condition; an address
 * without a prefix length is the single address
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress).
 * Only literal addresses are read: nothing here ever resolves a host name. Shared by bucket policies and
 * the HTTP layer's trusted proxies.
 */
public record IpRange(byte[] network, int prefix) {
  /** Parses {@code 192.0.2.0/24}, {@code 2001:db8::/32} or a bare address; null if it is neither. */
  public static IpRange parse(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    byte[] addr = address(slash < 0 ? t : t.substring(0, slash));
    if (addr == null) {
      return null;
    }
    int bits = addr.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      prefix = Integer.parseInt(p);
      if (prefix > bits) {
        return null;
      }
    }
    return new IpRange(mask(addr, prefix), prefix);
  }

  /** A literal IPv4 or IPv6 address as bytes (an IPv4-mapped IPv6 address as IPv4); null otherwise. */
  public static byte[] address(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return null;
    }
    if (t.indexOf(':') < 0) {
      return ipv4(t);
    }
    // InetAddress parses a literal without a lookup only when the text starts with a hex digit or ':' and
    // contains ':' (an invalid one is refused, never resolved); anything else is refused here first, and
    // so are other scripts' digits, which InetAddress (through Character.digit) would read as hex.
    if (Hex.digit(t.charAt(0)) < 0 && t.charAt(0) != ':') {
      return null;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (Hex.digit(c) < 0 && c != ':' && c != '.') {
        return null;
      }
    }
    try {
      // An IPv4-mapped address (::ffff:192.0.2.1) comes back as IPv4, so IPv4 blocks match it.
      return InetAddress.getByName(t).getAddress();
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Dotted decimal, four parts of 1 to 3 digits each, no more than 255: by hand, it runs per request. */
  private static byte[] ipv4(String t) {
    byte[] out = new byte[4];
    int part = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i <= t.length(); i++) {
      char c = i < t.length() ? t.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || part == 4) {
          return null;
        }
        out[part++] = (byte) value;
        value = 0;
        digits = 0;
      } else if (c >= '0' && c <= '9' && digits < 3) {
        value = value * 10 + (c - '0');
        digits++;
        if (value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static byte[] mask(byte[] addr, int prefix) {
    byte[] out = addr.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  public boolean contains(byte[] addr) {
    return addr != null && addr.length == network.length
        && java.util.Arrays.equals(mask(addr, prefix), network);
  }

  /**
   * Whether the block is too wide to make a policy non-public: S3 treats a block shorter than /8 (IPv4)
   * or /32 (IPv6) like no restriction at all (see BucketPolicy.isPublic).
   */
  public boolean isWide() {
    return prefix < (network.length == 4 ? 8 : 32);
  }
}
