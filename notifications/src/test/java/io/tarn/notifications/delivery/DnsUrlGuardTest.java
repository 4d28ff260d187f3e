package io.tarn.notifications.delivery;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.notifications.WebhookException;
import io.tarn.notifications.WebhookException.Kind;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DnsUrlGuardTest {
  private final Map<String, List<InetAddress>> zone = new HashMap<>();
  private final List<String> asked = new ArrayList<>();
  private final DnsUrlGuard guard = new DnsUrlGuard(host -> {
    asked.add(host);
    List<InetAddress> answer = zone.get(host);
    if (answer == null) {
      throw new UnknownHostException(host);
    }
    return answer;
  });

  private void zone(String host, String... addresses) throws UnknownHostException {
    List<InetAddress> list = new ArrayList<>();
    for (String a : addresses) {
      list.add(InetAddress.getByName(a));
    }
    zone.put(host, list);
  }

  @Test
  void publicNameIsAllowedForEveryone() throws Exception {
    zone("hooks.example.com", "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946");
    assertDoesNotThrow(() -> guard.check(URI.create("https://hooks.example.com/in"), false));
    assertDoesNotThrow(() -> guard.check(URI.create("https://hooks.example.com/in"), true));
  }

  @Test
  void publicLookingNameResolvingToLoopbackIsRefusedForUsersAllowedForAdmins() throws Exception {
    zone("innocent.example.com", "127.0.0.1");
    WebhookException e = assertThrows(WebhookException.class,
        () -> guard.check(URI.create("http://innocent.example.com/"), false));
    assertEquals(Kind.FORBIDDEN, e.kind());
    assertEquals("url", e.field());
    assertEquals("url host innocent.example.com resolves to 127.0.0.1 (loopback): only admins may target "
        + "private, loopback or link-local addresses", e.getMessage());
    assertDoesNotThrow(() -> guard.check(URI.create("http://innocent.example.com/"), true));
  }

  @Test
  void mixedPublicAndPrivateAnswersAreRefused() throws Exception {
    zone("mixed.example.com", "93.184.216.34", "10.0.0.5");
    WebhookException e = assertThrows(WebhookException.class,
        () -> guard.check(URI.create("https://mixed.example.com/"), false));
    assertEquals(Kind.FORBIDDEN, e.kind());
    assertTrue(e.getMessage().contains("resolves to 10.0.0.5 (private)"), e.getMessage());
  }

  @Test
  void ipv6AnswersAreCheckedToo() throws Exception {
    zone("v6.example.com", "2606:4700::1111", "fd00::1");
    WebhookException e = assertThrows(WebhookException.class,
        () -> guard.check(URI.create("https://v6.example.com/"), false));
    assertTrue(e.getMessage().contains("resolves to fd00::1 (unique-local)"), e.getMessage());
  }

  @Test
  void metadataAddressIsRefused() throws Exception {
    zone("metadata.example.com", "169.254.169.254");
    WebhookException e = assertThrows(WebhookException.class,
        () -> guard.check(URI.create("http://metadata.example.com/latest/meta-data/"), false));
    assertTrue(e.getMessage().contains("169.254.169.254 (link-local)"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/",
      "http://017700000001/", "http://0x7f000001/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:7f00:1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://0xa9fea9fe/",
      "http://10.1/", "http://0/", "http://[fe80::1]/", "http://[::]/", "http://100.64.0.1/",
      "http://198.18.0.1/", "http://224.0.0.1/", "http://255.255.255.255/", "http://127.0.0.1./"})
  void numericHostsAreCheckedWithoutDnsAndRefusedForUsers(String url) {
    WebhookException e = assertThrows(WebhookException.class, () -> guard.check(URI.create(url), false));
    assertEquals(Kind.FORBIDDEN, e.kind(), e.getMessage());
    assertDoesNotThrow(() -> guard.check(URI.create(url), true));
    assertEquals(List.of(), asked, "a numeric host must never be sent to DNS");
  }

  @Test
  void numericPublicHostIsAllowedWithoutDns() {
    assertDoesNotThrow(() -> guard.check(URI.create("http://134744072/"), false)); // 8.8.8.8
    assertDoesNotThrow(() -> guard.check(URI.create("http://[2606:4700:4700::1111]:8443/"), false));
    assertEquals(List.of(), asked);
  }

  @Test
  void unresolvableHostIsInvalid() {
    WebhookException e = assertThrows(WebhookException.class,
        () -> guard.check(URI.create("https://nowhere.invalid/"), true));
    assertEquals(Kind.INVALID, e.kind());
    assertEquals("url", e.field());
    assertEquals("cannot resolve host nowhere.invalid", e.getMessage());
  }

  @Test
  void emptyAnswerIsInvalid() {
    zone.put("empty.example.com", List.of());
    WebhookException e = assertThrows(WebhookException.class,
        () -> guard.check(URI.create("https://empty.example.com/"), false));
    assertEquals(Kind.INVALID, e.kind());
  }

  @Test
  void badUrlsAreInvalidBeforeAnyLookup() {
    for (String url : List.of("ftp://h.example/", "http://u:p@h.example/", "http://h.example:0/")) {
      WebhookException e = assertThrows(WebhookException.class, () -> guard.check(URI.create(url), true));
      assertEquals(Kind.INVALID, e.kind(), url);
    }
    assertEquals(List.of(), asked);
  }

  @Test
  void addressesReturnsEveryCheckedAddressInOrder() throws Exception {
    zone("two.example.com", "93.184.216.34", "93.184.216.35");
    List<InetAddress> got = guard.addresses(WebhookTarget.parse(URI.create("http://two.example.com/")), false);
    assertEquals(zone.get("two.example.com"), got);
  }
}
