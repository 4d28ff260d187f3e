package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The X-Forwarded-For walk: from the right, past trusted proxies, to the first untrusted address. */
class TrustedProxiesTest {
  private static final TrustedProxies PROXIES = TrustedProxies.parse("10.0.0.0/8, 192.0.2.1,2001:db8:1::/48");

  private static String client(TrustedProxies p, String peer, String... xff) throws Exception {
    InetAddress a = InetAddress.getByName(peer);
    return p.clientAddress(a, a.getHostAddress(), List.of(xff));
  }

  @Test
  void aTrustedPeersHeaderNamesTheClient() throws Exception {
    assertEquals("203.0.113.7", client(PROXIES, "10.1.2.3", "203.0.113.7"));
    assertEquals("203.0.113.7", client(PROXIES, "192.0.2.1", " 203.0.113.7 "));
  }

  @Test
  void anUntrustedPeersHeaderIsIgnored() throws Exception {
    assertEquals("198.51.100.9", client(PROXIES, "198.51.100.9", "203.0.113.7"));
    assertEquals("192.0.2.2", client(PROXIES, "192.0.2.2", "203.0.113.7")); // a bare address is a /32
  }

  @Test
  void withNoProxiesTheHeaderIsNeverBelieved() throws Exception {
    assertTrue(TrustedProxies.parse("").isEmpty());
    assertTrue(TrustedProxies.parse(null).isEmpty());
    assertEquals("10.1.2.3", client(TrustedProxies.NONE, "10.1.2.3", "203.0.113.7"));
  }

  @Test
  void aMissingHeaderKeepsThePeer() throws Exception {
    assertEquals("10.1.2.3", client(PROXIES, "10.1.2.3"));
  }

  @Test
  void aChainOfTrustedProxiesIsWalkedFromTheRight() throws Exception {
    assertEquals("203.0.113.7", client(PROXIES, "10.1.2.3", "203.0.113.7, 10.9.9.9, 192.0.2.1"));
    // Several field lines are one list, in order.
    assertEquals("203.0.113.7", client(PROXIES, "10.1.2.3", "203.0.113.7", "10.9.9.9,192.0.2.1"));
  }

  @Test
  void entriesLeftOfTheFirstUntrustedOneAreNeverBelieved() throws Exception {
    // The client sent "X-Forwarded-For: 10.0.0.1, 1.2.3.4"; the proxy appended the address it saw.
    assertEquals("198.51.100.9", client(PROXIES, "10.1.2.3", "10.0.0.1, 1.2.3.4, 198.51.100.9"));
    assertEquals("198.51.100.9", client(PROXIES, "10.1.2.3", "garbage, 198.51.100.9"));
  }

  @Test
  void whenEveryEntryIsTrustedTheLeftmostIsTheClient() throws Exception {
    assertEquals("10.0.0.5", client(PROXIES, "10.1.2.3", "10.0.0.5, 10.0.0.6"));
  }

  @Test
  void ipv6PeersAndEntries() throws Exception {
    assertEquals("2001:db8:2:0:0:0:0:7", client(PROXIES, "2001:db8:1::5", "2001:db8:2::7"));
    assertEquals("203.0.113.7", client(PROXIES, "2001:db8:1::5", "203.0.113.7, 2001:db8:1::9"));
    assertEquals("2001:db8:1:0:0:0:0:5", client(PROXIES, "2001:db8:1::5", "[2001:db8:2::7]"));
    // An IPv4-mapped entry is the IPv4 address, so IPv4 blocks and policies match it.
    assertEquals("203.0.113.7", client(PROXIES, "10.1.2.3", "::ffff:203.0.113.7"));
  }

  @Test
  void anEntryThatIsNotAnAddressStopsTheWalkAtTheLastGoodOne() throws Exception {
    assertEquals("10.1.2.3", client(PROXIES, "10.1.2.3", "unknown"));
    assertEquals("10.1.2.3", client(PROXIES, "10.1.2.3", "203.0.113.7:4711"));
    assertEquals("10.1.2.3", client(PROXIES, "10.1.2.3", "proxy.example.com"));
    assertEquals("10.1.2.3", client(PROXIES, "10.1.2.3", ""));
    assertEquals("10.1.2.3", client(PROXIES, "10.1.2.3", "203.0.113.7,"));
    assertEquals("10.1.2.3", client(PROXIES, "10.1.2.3", "fe80::1%eth0"));
    assertEquals("10.1.2.3", client(PROXIES, "10.1.2.3", "256.1.1.1"));
    // A trusted proxy's address read before the bad entry is the last good one.
    assertEquals("10.9.9.9", client(PROXIES, "10.1.2.3", "203.0.113.7, bogus, 10.9.9.9"));
  }

  @Test
  void blocksAreValidatedNamingTheBadEntry() {
    assertEquals("'10.0.0.0/33' is not an IPv4 or IPv6 address or CIDR block",
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33")).getMessage());
    assertEquals("'proxy.example.com' is not an IPv4 or IPv6 address or CIDR block",
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/8,proxy.example.com"))
            .getMessage());
    assertEquals("has an empty entry in '10.0.0.0/8,'",
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/8,")).getMessage());
    assertEquals("10.0.0.0/8,192.0.2.1/32,2001:db8:1:0:0:0:0:0/48", PROXIES.toString());
  }
}
