package io.tarn.notifications.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // IPv4, edges of every range
      "127.0.0.1 | loopback",
      "127.255.255.254 | loopback",
      "10.0.0.0 | private",
      "10.255.255.255 | private",
      "172.16.0.1 | private",
      "172.31.255.255 | private",
      "192.168.0.1 | private",
      "192.168.255.255 | private",
      "169.254.0.1 | link-local",
      "169.254.169.254 | link-local",
      "100.64.0.0 | cgnat",
      "100.127.255.255 | cgnat",
      "0.0.0.0 | unspecified",
      "0.255.255.255 | unspecified",
      "198.18.0.0 | benchmarking",
      "198.19.255.255 | benchmarking",
      "224.0.0.1 | multicast",
      "239.255.255.255 | multicast",
      "255.255.255.255 | broadcast",
      "240.0.0.1 | reserved",
      "192.0.0.170 | ietf-protocol",
      "192.0.2.1 | documentation",
      "198.51.100.7 | documentation",
      "203.0.113.9 | documentation",
      // IPv6
      ":: | unspecified",
      "::1 | loopback",
      "fe80::1 | link-local",
      "febf:ffff::1 | link-local",
      "fc00::1 | unique-local",
      "fd12:3456::1 | unique-local",
      "fec0::1 | site-local",
      "ff02::1 | multicast",
      "ff0e::101 | multicast",
      "2001:db8::1 | documentation",
      "2001:0:4136:e378::1 | teredo",
      "100::1 | discard",
      "64:ff9b:1::a00:1 | nat64-local",
      // IPv6 forms carrying a forbidden IPv4 address
      "::ffff:127.0.0.1 | loopback, IPv4-mapped",
      "::ffff:0:10.1.2.3 | private, IPv4-translated",
      "::127.0.0.1 | loopback, IPv4-compatible",
      "::169.254.169.254 | link-local, IPv4-compatible",
      "64:ff9b::7f00:1 | loopback, NAT64",
      "64:ff9b::a9fe:a9fe | link-local, NAT64",
      "64:ff9b::192.168.1.1 | private, NAT64",
      "2002:7f00:1::1 | loopback, 6to4",
      "2002:a9fe:a9fe:: | link-local, 6to4",
      "2002:c0a8:101:5::9 | private, 6to4",
  })
  void forbiddenAddresses(String address, String reason) throws Exception {
    assertEquals(Optional.of(reason), AddressPolicy.forbiddenReason(parse(address)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "9.255.255.255", "11.0.0.0", "100.63.255.255",
      "100.128.0.0", "126.255.255.255", "128.0.0.1", "169.253.255.255", "169.255.0.0", "172.15.255.255",
      "172.32.0.0", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "192.0.1.1", "192.0.3.1",
      "223.255.255.255", "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001:82b::200e",
      "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "::8.8.8.8", "fbff::1", "fe00::1", "2001:1::1"})
  void publicAddressesAreAllowed(String address) throws Exception {
    assertEquals(Optional.empty(), AddressPolicy.forbiddenReason(parse(address)), address);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(delimiter = '|', value = {
      "2130706433 | loopback",
      "0x7f.1 | loopback",
      "0177.0.0.1 | loopback",
      "127.1 | loopback",
      "017700000001 | loopback",
      "0xa9fea9fe | link-local",
      "0xA9.254.0251.0376 | link-local",
      "167772160 | private",
      "0 | unspecified",
      "0xffffffff | broadcast",
  })
  void numericSpellingsAreJudgedAsTheAddressTheyAre(String host, String reason) {
    assertEquals(Optional.of(reason), InetLiterals.parseIpv4(host).flatMap(AddressPolicy::forbiddenReason));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "::1 | ::1",
      ":: | ::",
      "fe80:0:0:0:0:0:0:1 | fe80::1",
      "2001:db8:0:0:1:0:0:1 | 2001:db8::1:0:0:1",
      "1:0:0:2:0:0:0:3 | 1:0:0:2::3",
      "1:2:3:4:5:6:7:8 | 1:2:3:4:5:6:7:8",
      "1:0:2:3:4:5:6:7 | 1:0:2:3:4:5:6:7",
      "10.0.0.5 | 10.0.0.5",
  })
  void formatsCompressed(String address, String text) throws Exception {
    assertEquals(text, AddressPolicy.format(parse(address)));
  }

  /** Keeps IPv6 forms as IPv6 (InetAddress.getByName would turn ::ffff:a.b.c.d into IPv4). */
  private static InetAddress parse(String text) throws Exception {
    InetAddress parsed = InetAddress.getByName(text);
    if (!text.contains(":")) {
      return parsed;
    }
    byte[] bytes = parsed.getAddress();
    if (bytes.length == 4) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(bytes, 0, mapped, 12, 4);
      bytes = mapped;
    }
    return java.net.Inet6Address.getByAddress(null, bytes, -1);
  }
}
