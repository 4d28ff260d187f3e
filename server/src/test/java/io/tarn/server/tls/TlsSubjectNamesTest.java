package io.tarn.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TlsSubjectNamesTest {
  private static final InetAddress V4_LOOPBACK = ip("127.0.0.1");
  private static final InetAddress V6_LOOPBACK = ip("::1");

  @Test
  void aSpecificListenAddressIsAddedToTheLoopbackNames() {
    SubjectNames names = SubjectNames.forListenAddress(new InetSocketAddress(ip("10.1.2.3"), 9000));
    assertTrue(names.dnsNames().contains("localhost"));
    assertEquals(Set.of(ip("10.1.2.3"), V4_LOOPBACK, V6_LOOPBACK), names.addresses());
    assertEquals(Set.of(V4_LOOPBACK, V6_LOOPBACK),
        SubjectNames.forListenAddress(new InetSocketAddress(V4_LOOPBACK, 0)).addresses());
  }

  @Test
  void aWildcardListenAddressTakesTheInterfacesButNeverTheWildcard() {
    SubjectNames names = SubjectNames.forListenAddress(new InetSocketAddress(9000));
    assertTrue(names.addresses().containsAll(Set.of(V4_LOOPBACK, V6_LOOPBACK)));
    assertTrue(names.addresses().stream().noneMatch(a -> a.isAnyLocalAddress() || a.isLinkLocalAddress()),
        names.toString());
    SubjectNames v6 = SubjectNames.forListenAddress(new InetSocketAddress(ip("::"), 9000));
    assertEquals(names, v6);
  }

  @Test
  void aListenHostNameIsOneOfTheNames() {
    SubjectNames names = SubjectNames.forListenAddress(InetSocketAddress.createUnresolved("Tarn.Example", 9000));
    assertTrue(names.dnsNames().containsAll(Set.of("localhost", "tarn.example")), names.toString());
  }

  @Test
  void hostNamesAreCheckedBeforeTheyGoIntoACertificate() {
    for (String ok : List.of("localhost", "tarn-1", "a.b.example", "x1.y2.z3com")) {
      assertTrue(SubjectNames.isDnsName(ok), ok);
    }
    for (String bad : List.of("", "10.1.2.3", "::1", "-a", "a-", "a..b", "a b", "under_score", "a".repeat(64))) {
      assertFalse(SubjectNames.isDnsName(bad), bad);
    }
  }

  @Test
  void coversMeansEveryWantedNameIsPresent() {
    SubjectNames big = new SubjectNames(Set.of("localhost", "Host"), Set.of(V4_LOOPBACK, V6_LOOPBACK));
    SubjectNames small = new SubjectNames(Set.of("host"), Set.of(V6_LOOPBACK));
    assertTrue(big.covers(small));
    assertFalse(small.covers(big));
    assertFalse(big.covers(new SubjectNames(Set.of("host"), Set.of(ip("10.0.0.1")))));
    assertEquals("host, localhost, 127.0.0.1, [::1]", big.toString());
    assertEquals("[fe80::1:2]", new SubjectNames(Set.of(), Set.of(ip("fe80::1:2"))).toString());
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
