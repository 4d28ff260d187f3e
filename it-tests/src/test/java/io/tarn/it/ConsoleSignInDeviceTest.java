package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tarn.it.support.AdminClient;
import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's device cookie against a real server: a browser that signed in with a key gets
 * {@code tarn_device}, and with it signs in while failures others made with the key's id (from many
 * addresses) hold everyone else. The "addresses" are loopback addresses other than 127.0.0.1 (Linux
 * answers for all of 127.0.0.0/8): each attacker attempt comes from an address of its own, so what
 * holds the key is its per-key count, never an address's. A server of its own, since the throttle's
 * counts are server-wide.
 */
class ConsoleSignInDeviceTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String SESSION = "/_tarn/api/v1/session";
  private static final String OWNER = "127.0.0.1";
  /** Attacker and probe addresses: 127.0.1.1, 127.0.1.2, ... (never 127.0.0.1) */
  private static int nextAddress;

  private static synchronized String freshAddress() {
    nextAddress++;
    return "127.0." + (1 + nextAddress / 250) + "." + (1 + nextAddress % 250);
  }

  private static RawResponse signIn(String from, String accessKey, String secret, String cookie) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    if (cookie != null) {
      headers.put("Cookie", cookie);
    }
    String body = "{\"accessKeyId\":\"" + accessKey + "\",\"secretKey\":\"" + secret + "\"}";
    return TARN.raw().from(from, "POST", SESSION, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The {@code name=value} of the cookie called {@code name} a response set. */
  private static String cookie(RawResponse r, String name) {
    List<String> set = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).toList();
    assertEquals(1, set.size(), name + " in " + r);
    return set.get(0).substring(0, set.get(0).indexOf(';'));
  }

  private static String error(RawResponse r) {
    String text = r.text();
    int at = text.indexOf("\"error\":\"");
    return at < 0 ? text : text.substring(at + 9, text.indexOf('"', at + 9));
  }

  @Test
  void aSignInSetsADeviceCookieForTheSignInEndpointOnly() {
    AdminClient.User u = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).createUser("device-flags", "user");
    RawResponse r = signIn(OWNER, u.accessKey(), u.secretKey(), null);
    assertEquals(200, r.status(), r.toString());
    List<String> set = r.headers().allValues("Set-Cookie");
    assertEquals(2, set.size(), r.toString());
    assertTrue(set.stream().anyMatch(c -> c.matches(
        "tarn_session=[A-Za-z0-9_-]{43}; Path=/_tarn/; HttpOnly; SameSite=Strict; Max-Age=43200")), set.toString());
    assertTrue(set.stream().anyMatch(c -> c.matches("tarn_device=v1\\.[A-Za-z0-9_-]+\\.[0-9]+\\.[A-Za-z0-9_-]{22}\\."
        + "[A-Za-z0-9_-]{43}; Path=/_tarn/api/v1/session; HttpOnly; SameSite=Strict; Max-Age=2592000")), set.toString());
    // The cookie signs in (and a fresh one comes back); the session cookie is a session.
    RawResponse again = signIn(OWNER, u.accessKey(), u.secretKey(), cookie(r, "tarn_device"));
    assertEquals(200, again.status(), again.toString());
    assertTrue(!cookie(again, "tarn_device").equals(cookie(r, "tarn_device")), "a new nonce each time");
    RawResponse who = TARN.raw().from(OWNER, "GET", SESSION, Map.of("Cookie", cookie(again, "tarn_session")), null);
    assertEquals(200, who.status(), who.toString());
  }

  /**
   * The attacker fails with the key's id, each attempt from a fresh address, until refused: the key
   * is held. The owner's browser (cookie) then signs in. A probe without the cookie (wrong secret, from
   * a fresh address) refused afterwards shows the key was still held when the owner got in (a window
   * runs from the last failure, and neither the owner's sign-in nor a refusal moves it). On a machine so
   * slow that the window passed before the probe, the probe's failure lengthens the next window, and the
   * round is repeated.
   */
  @Test
  void aKeyLockedOutByFailuresFromManyAddressesStillLetsInTheBrowserThatSignedInBefore() {
    AdminClient.User owner = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).createUser("device-owner", "user");
    RawResponse first = signIn(OWNER, owner.accessKey(), owner.secretKey(), null);
    assertEquals(200, first.status(), first.toString());
    String device = cookie(first, "tarn_device");
    for (int round = 0; round < 10; round++) {
      int failures = 0;
      RawResponse refused = null;
      while (refused == null) {
        RawResponse a = signIn(freshAddress(), owner.accessKey(), "guess-" + round + "-" + failures, null);
        if (a.status() == 429) {
          refused = a;
        } else {
          assertEquals("InvalidCredentials", error(a), a.toString());
          assertTrue(++failures <= 40, "the key was never held: " + a);
        }
      }
      assertEquals("TooManySignInAttempts", error(refused), refused.toString());
      assertTrue(refused.header("Retry-After").matches("[0-9]+"), refused.toString());

      RawResponse in = signIn(OWNER, owner.accessKey(), owner.secretKey(), device);
      assertEquals(200, in.status(), "the owner's browser is held by others' failures: " + in);
      RawResponse who = TARN.raw().from(OWNER, "GET", SESSION, Map.of("Cookie", cookie(in, "tarn_session")), null);
      assertEquals(200, who.status(), who.toString());
      assertTrue(who.text().contains("\"accessKeyId\":\"" + owner.accessKey() + "\""), who.text());
      device = cookie(in, "tarn_device");

      RawResponse probe = signIn(freshAddress(), owner.accessKey(), "probe-" + round, null);
      if (probe.status() == 429) {
        assertEquals("TooManySignInAttempts", error(probe), probe.toString());
        return; // held before and after the owner's sign-in, so during it
      }
      assertEquals("InvalidCredentials", error(probe), probe.toString());
    }
    fail("the key's window always ended before the probe; the machine is too slow for this test");
  }
}
