package io.tarn.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --public-url}'s value: an origin, normalised as browsers send {@code Origin}, and nothing else. */
class PublicUrlTest {
  @Test
  void anOriginIsReadAndNormalised() {
    PublicUrl u = PublicUrl.parse(" HTTPS://S3.Example.COM ");
    assertEquals("https://s3.example.com", u.origin());
    assertTrue(u.https());
    assertEquals("https://s3.example.com/_tarn/console/", u.resolve("/_tarn/console/"));
    assertEquals(u, PublicUrl.parse("https://s3.example.com:443/"), "the default port and a lone / change nothing");
    assertEquals("http://s3.example.com", PublicUrl.parse("http://s3.example.com:80").origin());
    assertEquals("https://127.0.0.1:8443", PublicUrl.parse("https://127.0.0.1:8443").origin());
    assertEquals("http://s3.example.com:443", PublicUrl.parse("http://s3.example.com:443").origin());
    assertEquals("https://[::1]:9443", PublicUrl.parse("https://[::1]:9443").origin());
    assertFalse(PublicUrl.parse("http://tarn.lan:8080").https());
  }

  @Test
  void anythingButAnOriginIsRefusedSayingWhy() {
    Map<String, String> cases = Map.ofEntries(
        Map.entry("s3.example.com", "'s3.example.com' is not an absolute URL like https://s3.example.com"),
        Map.entry("ftp://s3.example.com", "'ftp://s3.example.com' must start with http:// or https://"),
        Map.entry("https://s3.example.com/tarn", "'https://s3.example.com/tarn' has a path (/tarn): Tarn is served at"
            + " the root of its URL"),
        Map.entry("https://s3.example.com?x=1", "'https://s3.example.com?x=1' must not have a query (?x=1)"),
        Map.entry("https://s3.example.com#top", "'https://s3.example.com#top' must not have a fragment (#top)"),
        Map.entry("https://me:pw@s3.example.com", "'https://me:pw@s3.example.com' must not carry user info (user@)"),
        Map.entry("https://s3.example.com:", "'https://s3.example.com:' has an empty port"),
        Map.entry("https://s3.example.com:0", "'https://s3.example.com:0' has a port out of range 1-65535"),
        Map.entry("https://s3.example.com:70000", "'https://s3.example.com:70000' has a port out of range 1-65535"),
        Map.entry("https://bad_host.example", "'https://bad_host.example' has no host name Tarn can use (letters,"
            + " digits, '-' and '.', an IPv4 address or [IPv6])"),
        Map.entry("https://s3 example.com", "'https://s3 example.com' is not a URL (Illegal character in authority)"),
        Map.entry("", "'' is not an absolute URL like https://s3.example.com"));
    cases.forEach((text, message) -> assertEquals(message,
        assertThrows(IllegalArgumentException.class, () -> PublicUrl.parse(text), text).getMessage(), text));
  }
}
