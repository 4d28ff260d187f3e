package io.tarn.notifications.delivery;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a regular user's webhook may not target (SSRF protection, issue #4): anything
 * that reaches the host itself, the local network, the cloud metadata service or no single public
 * host. Admins may target all of them. IPv6 forms that carry an IPv4 address (IPv4-mapped,
 * IPv4-compatible, SIIT, NAT64, 6to4) are judged by the IPv4 address they carry, because the kernel
 * or a NAT64 gateway delivers them there.
 */
public final class AddressPolicy {
  /** An IPv4 CIDR range and why it is refused. */
  private record V4Range(int network, int prefix, String reason) {
    boolean contains(int address) {
      int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
      return (address & mask) == (network & mask);
    }
  }

  /** An IPv6 prefix (up to 64 bits are enough here) and why it is refused. */
  private record V6Range(long high, int prefix, String reason) {
    boolean contains(long addressHigh) {
      long mask = -1L << (64 - prefix);
      return (addressHigh & mask) == (high & mask);
    }
  }

  // Order matters only where ranges nest: broadcast (a /32) before reserved 240/4.
  private static final List<V4Range> V4 = List.of(
      v4("255.255.255.255", 32, "broadcast"),
      v4("0.0.0.0", 8, "unspecified"),
      v4("10.0.0.0", 8, "private"),
      v4("100.64.0.0", 10, "cgnat"),
      v4("127.0.0.0", 8, "loopback"),
      v4("169.254.0.0", 16, "link-local"),
      v4("172.16.0.0", 12, "private"),
      v4("192.0.0.0", 24, "ietf-protocol"),
      v4("192.0.2.0", 24, "documentation"),
      v4("192.168.0.0", 16, "private"),
      v4("198.18.0.0", 15, "benchmarking"),
      v4("198.51.100.0", 24, "documentation"),
      v4("203.0.113.0", 24, "documentation"),
      v4("224.0.0.0", 4, "multicast"),
      v4("240.0.0.0", 4, "reserved"));

  private static final List<V6Range> V6 = List.of(
      v6(0x0100_0000_0000_0000L, 64, "discard"),
      v6(0x2001_0000_0000_0000L, 32, "teredo"),
      v6(0x2001_0db8_0000_0000L, 32, "documentation"),
      v6(0x0064_ff9b_0001_0000L, 48, "nat64-local"),
      v6(0xfc00_0000_0000_0000L, 7, "unique-local"),
      v6(0xfe80_0000_0000_0000L, 10, "link-local"),
      v6(0xfec0_0000_0000_0000L, 10, "site-local"),
      v6(0xff00_0000_0000_0000L, 8, "multicast"));

  private AddressPolicy() {}

  /**
   * Why a regular user may not target {@code address} ("loopback", "private", "link-local",
   * "unique-local", "cgnat", "unspecified", "benchmarking", "multicast", "broadcast", ...; for an
   * IPv6 form of an IPv4 address e.g. "loopback, IPv4-mapped"), or empty if it is a public address.
   */
  public static Optional<String> forbiddenReason(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 4 ? v4Reason(toInt(b, 0)) : v6Reason(b);
  }

  /** The usual text form: dotted quad, or compressed IPv6 ({@code ::ffff:7f00:1}). */
  public static String format(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    return compress(groups);
  }

  private static Optional<String> v4Reason(int address) {
    return V4.stream().filter(r -> r.contains(address)).map(V4Range::reason).findFirst();
  }

  private static Optional<String> v6Reason(byte[] b) {
    long high = toLong(b, 0);
    long low = toLong(b, 8);
    if (high == 0 && low == 0) {
      return Optional.of("unspecified");
    }
    if (high == 0 && low == 1) {
      return Optional.of("loopback");
    }
    Optional<String> embedded = embeddedV4(b, high, low);
    if (embedded != null) {
      return embedded;
    }
    return V6.stream().filter(r -> r.contains(high)).map(V6Range::reason).findFirst();
  }

  /** The verdict on the IPv4 address an IPv6 form carries; null if it carries none. */
  private static Optional<String> embeddedV4(byte[] b, long high, long low) {
    int lastWord = toInt(b, 12);
    long upper32OfLow = low >>> 32;
    if (high == 0 && upper32OfLow == 0x0000_ffffL) {
      return tagged(lastWord, "IPv4-mapped"); // ::ffff:a.b.c.d
    }
    if (high == 0 && upper32OfLow == 0xffff_0000L) {
      return tagged(lastWord, "IPv4-translated"); // ::ffff:0:a.b.c.d (SIIT, RFC 2765)
    }
    if (high == 0 && upper32OfLow == 0) {
      return tagged(lastWord, "IPv4-compatible"); // ::a.b.c.d (deprecated, still routed by some stacks)
    }
    if (high == 0x0064_ff9b_0000_0000L && upper32OfLow == 0) {
      return tagged(lastWord, "NAT64"); // 64:ff9b::/96, RFC 6052
    }
    if ((high >>> 48) == 0x2002) {
      return tagged(toInt(b, 2), "6to4"); // 2002:AABB:CCDD::/48, RFC 3056
    }
    return null;
  }

  private static Optional<String> tagged(int v4, String form) {
    return v4Reason(v4).map(reason -> reason + ", " + form);
  }

  private static String compress(int[] g) {
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen && j - i > 1) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  private static int toInt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
  }

  private static long toLong(byte[] b, int off) {
    return ((long) toInt(b, off) << 32) | (toInt(b, off + 4) & 0xffff_ffffL);
  }

  private static V4Range v4(String dotted, int prefix, String reason) {
    String[] p = dotted.split("\\.");
    int n = 0;
    for (String s : p) {
      n = (n << 8) | Integer.parseInt(s);
    }
    return new V4Range(n, prefix, reason);
  }

  private static V6Range v6(long high, int prefix, String reason) {
    return new V6Range(high, prefix, reason);
  }
}
