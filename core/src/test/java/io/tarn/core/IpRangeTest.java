package io.tarn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Literal addresses and CIDR blocks, as bucket policies' aws:SourceIp and --trusted-proxies read them. */
class IpRangeTest {
  @Test
  void blocksContainTheirAddresses() {
    IpRange v4 = IpRange.parse("192.0.2.0/24");
    assertNotNull(v4);
    assertEquals(24, v4.prefix());
    assertTrue(v4.contains(IpRange.address("192.0.2.255")));
    assertFalse(v4.contains(IpRange.address("192.0.3.0")));
    IpRange v6 = IpRange.parse("2001:db8::/32");
    assertTrue(v6.contains(IpRange.address("2001:db8:ffff::1")));
    assertFalse(v6.contains(IpRange.address("2001:db9::1")));
    assertEquals(32, IpRange.parse("203.0.113.7").prefix());
    // An IPv4-mapped IPv6 address is the IPv4 address.
    assertArrayEquals(IpRange.address("203.0.113.7"), IpRange.address("::ffff:203.0.113.7"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "example.com", "localhost", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3",
      "[::1]", "::1%eth0", "203.0.113.7:80", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1",
      // Other scripts' digits look like digits to Character.digit and Integer.parseInt; they are not.
      "10.0.0.0/\u0662\u0664", "\u0663::1", "2001:db8::\u0663", "\uFF11.2.3.4"})
  void anythingButALiteralAddressOrBlockIsRefused(String text) {
    assertNull(IpRange.parse(text), text);
  }
}
