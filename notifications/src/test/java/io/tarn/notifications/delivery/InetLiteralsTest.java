package io.tarn.notifications.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InetLiteralsTest {
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "127.0.0.1, 127.0.0.1",
      "2130706433, 127.0.0.1",
      "0x7f000001, 127.0.0.1",
      "0X7F000001, 127.0.0.1",
      "0x7f.1, 127.0.0.1",
      "0177.0.0.1, 127.0.0.1",
      "0177.1, 127.0.0.1",
      "127.1, 127.0.0.1",
      "127.0.1, 127.0.0.1",
      "017700000001, 127.0.0.1",
      "0x7f.0.0.01, 127.0.0.1",
      "0x7f.000.0x0.1, 127.0.0.1",
      "127.0.0.1., 127.0.0.1",
      "10.0x00.00.012, 10.0.0.10",
      "0xa9.0xfe.0xa9.0xfe, 169.254.169.254",
      "0xa9fea9fe, 169.254.169.254",
      "2852039166, 169.254.169.254",
      "0, 0.0.0.0",
      "0x, 0.0.0.0",
      "4294967295, 255.255.255.255",
      "192.168.65535, 192.168.255.255",
      "8.8.8.8, 8.8.8.8",
      "134744072, 8.8.8.8",
  })
  void numericSpellingsAreTheAddressesTheyAre(String host, String expected) throws Exception {
    assertTrue(InetLiterals.looksNumeric(host));
    assertEquals(Optional.of(InetAddress.getByName(expected)),
        InetLiterals.parseIpv4(host).map(a -> (InetAddress) a));
  }

  @ParameterizedTest
  @ValueSource(strings = {"4294967296", "256.0.0.1", "1.2.3.4.5", "1.2.3.256", "1.2.65536", "08.0.0.1", "0x1g.1",
      "1..1", ".1.2.3", "0x100.1", "099", "1.2.3.4.5.", "0x1.0x2.0x3.0x4.0x5"})
  void invalidNumericHostsEndInANumberButAreNoAddress(String host) {
    // Ending in a number makes the host an IPv4 attempt (never a DNS name), and these are invalid.
    assertTrue(InetLiterals.looksNumeric(host), host);
    assertFalse(InetLiterals.parseIpv4(host).isPresent(), host);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "example.com", "0x7f.example", "127.0.0.1.nip.io", "a1", "1a", "0xg", "localhost", "ip6.arpa"})
  void namesAreNotNumeric(String host) {
    assertFalse(InetLiterals.looksNumeric(host), host);
  }
}
