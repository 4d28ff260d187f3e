package io.tarn.notifications.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.notifications.WebhookException;
import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookTargetTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // url | https | host | port | Host header | literal (or empty)
      "http://hooks.example.com/x | false | hooks.example.com | 80 | hooks.example.com | ",
      "https://Hooks.Example.COM/x?a=1 | true | hooks.example.com | 443 | hooks.example.com | ",
      "HTTPS://h.example:8443/ | true | h.example | 8443 | h.example:8443 | ",
      "http://h.example:80/ | false | h.example | 80 | h.example | ",
      "https://h.example:443 | true | h.example | 443 | h.example | ",
      "http://h.example:/ | false | h.example | 80 | h.example | ",
      "http://h_1.example/ | false | h_1.example | 80 | h_1.example | ",
      "http://h.example./ | false | h.example. | 80 | h.example. | ",
      "http://2130706433/ | false | 2130706433 | 80 | 2130706433 | 127.0.0.1",
      "http://0x7f.1:9000/ | false | 0x7f.1 | 9000 | 0x7f.1:9000 | 127.0.0.1",
      "http://0177.0.0.1/ | false | 0177.0.0.1 | 80 | 0177.0.0.1 | 127.0.0.1",
      "http://127.1/ | false | 127.1 | 80 | 127.1 | 127.0.0.1",
      "http://10.0.0.5:8080/ | false | 10.0.0.5 | 8080 | 10.0.0.5:8080 | 10.0.0.5",
      "http://[::1]:8080/ | false | ::1 | 8080 | [::1]:8080 | ::1",
      "https://[2606:4700::1111]/ | true | 2606:4700::1111 | 443 | [2606:4700::1111] | 2606:4700::1111",
      "http://[::ffff:127.0.0.1]/ | false | ::ffff:127.0.0.1 | 80 | [::ffff:127.0.0.1] | 127.0.0.1",
  })
  void parses(String url, boolean https, String host, int port, String hostHeader, String literal) throws Exception {
    WebhookTarget t = WebhookTarget.parse(new URI(url));
    assertEquals(https, t.https());
    assertEquals(host, t.host());
    assertEquals(port, t.port());
    assertEquals(hostHeader, t.hostHeader());
    if (literal == null) {
      assertNull(t.literal());
    } else {
      assertEquals(InetAddress.getByName(literal), t.literal());
    }
  }

  @Test
  void internationalNamesBecomePunycode() throws Exception {
    WebhookTarget t = WebhookTarget.parse(new URI("https://bücher.example/hook"));
    assertEquals("xn--bcher-kva.example", t.host());
    assertEquals("xn--bcher-kva.example", t.hostHeader());
    assertEquals("xn--bcher-kva.example", t.tlsHost());
  }

  @Test
  void tlsHostDropsTheTrailingDotAndCanonicalisesLiterals() throws Exception {
    assertEquals("h.example", WebhookTarget.parse(new URI("https://h.example./")).tlsHost());
    assertEquals("127.0.0.1", WebhookTarget.parse(new URI("https://0x7f.1/")).tlsHost());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "ftp://h.example/ | http or https",
      "file:///etc/passwd | http or https",
      "h.example/x | http or https",
      "http:///x | must have a host",
      "mailto:a@b.example | http or https",
      "http:h.example | must have a host",
      "http://user:pw@h.example/ | user info",
      "http://user@h.example/ | user info",
      "http://h.example:0/ | invalid port",
      "http://h.example:65536/ | invalid port",
      "http://h.example:99999999/ | invalid port",
      "http://h.example:8x/ | invalid port",
      "http://%31%32%37.0.0.1/ | percent-encoded",
      "http://1.2.3.4.5/ | not a valid IPv4 address",
      "http://256.1.1.1/ | not a valid IPv4 address",
      "http://0x1g.1/ | not a valid IPv4 address",
      "http://[fe80::1%25eth0]/ | zone ids",
      "http://h..example/ | not a valid host name",
      "http://-h.example/ | not a valid host name",
  })
  void refusesWithAnInvalidUrlError(String url, String message) throws Exception {
    WebhookException e = assertThrows(WebhookException.class, () -> WebhookTarget.parse(new URI(url)));
    assertEquals(WebhookException.Kind.INVALID, e.kind());
    assertEquals("url", e.field());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
