package io.tarn.console.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.ManualClock;
import io.tarn.core.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Device cookies at the sign-in, on a test clock: a browser that signed in with a key before is not
 * kept out by failures others make with the key's id (which is no secret), while guessing stays slow.
 */
class DeviceCookieTest extends ConsoleTestSupport {
  private static final String OWNER_IP = "192.0.2.50";
  private static final String COOKIE_RE =
      "tarn_device=v1\\.[A-Za-z0-9_-]+\\.[0-9]+\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}; Path=/_tarn/api/v1/session;"
      + " HttpOnly; SameSite=Strict%s; Max-Age=2592000";

  private Resp attempt(String ip, String keyId, String secret, String device) {
    Req r = req("POST", "/api/v1/session").from(ip).json(body(keyId, secret));
    if (device != null) {
      r.header("cookie", "theme=dark; tarn_device=" + device + "; other=1");
    }
    return r.send();
  }

  /** The device cookie's value a successful sign-in set. */
  private static String device(Resp r) {
    assertEquals(200, r.status(), r.toString());
    List<String> cookies = r.raw().cookies();
    assertEquals(1, cookies.size(), r.toString());
    String c = cookies.get(0);
    return c.substring("tarn_device=".length(), c.indexOf(';'));
  }

  private String deviceOf(Key k) {
    return device(attempt(OWNER_IP, k.accessKeyId(), k.secret(), null));
  }

  /**
   * An attacker fails sign-ins with the key's id, each from another address (so no address is held),
   * until the key is held: then even the right secret without a device cookie is refused.
   */
  private void lockOut(Key k) {
    for (int i = 0; i < 20; i++) {
      Resp r = attempt("198.51.100." + i, k.accessKeyId(), "guess-" + i, null);
      if (r.status() == 429) {
        break;
      }
      assertFlatError(r, 401, "InvalidCredentials");
    }
    assertThrottled(attempt("203.0.113.9", k.accessKeyId(), k.secret(), null));
  }

  private static void assertThrottled(Resp r) {
    assertFlatError(r, 429, "TooManySignInAttempts");
    assertTrue(r.raw().cookies().isEmpty(), r.toString());
  }

  @Test
  void aSignInSetsTheDeviceCookieBesideTheSessionCookie() {
    Resp plain = attempt(OWNER_IP, alice.accessKeyId(), alice.secret(), null);
    assertTrue(plain.header("Set-Cookie").startsWith("tarn_session="), plain.toString());
    assertTrue(plain.raw().cookies().get(0).matches(COOKIE_RE.formatted("")), plain.raw().cookies().toString());
    Resp tls = req("POST", "/api/v1/session").tls().json(body(alice.accessKeyId(), alice.secret())).send();
    assertTrue(tls.raw().cookies().get(0).matches(COOKIE_RE.formatted("; Secure")), tls.raw().cookies().toString());
    // Every success issues a fresh one (a new nonce), a sign-in with a device cookie included.
    String first = device(plain);
    String again = device(attempt(OWNER_IP, alice.accessKeyId(), alice.secret(), first));
    assertNotEquals(first, again);
    assertFalse(device(tls).equals(first));
  }

  @Test
  void aKeyLockedOutByAnAttackerStillLetsItsOwnersBrowserIn() {
    String device = deviceOf(alice);
    lockOut(alice);
    // The owner's browser: in at once, while everyone without the cookie still waits.
    String fresh = device(attempt(OWNER_IP, alice.accessKeyId(), alice.secret(), device));
    assertThrottled(attempt("203.0.113.9", alice.accessKeyId(), alice.secret(), null));
    // The owner mistyping is not held either (below the device's free failures), nor is the fresh cookie.
    assertFlatError(attempt(OWNER_IP, alice.accessKeyId(), "typo", fresh), 401, "InvalidCredentials");
    device(attempt(OWNER_IP, alice.accessKeyId(), alice.secret(), fresh));
    // The owner's success did not reset the key's count for the others.
    assertThrottled(attempt("203.0.113.10", alice.accessKeyId(), alice.secret(), null));
  }

  @Test
  void aDeviceCookieForAnotherKeyDoesNotHelp() {
    String bobs = deviceOf(key("bob", Role.USER));
    lockOut(alice);
    Resp r = attempt(OWNER_IP, alice.accessKeyId(), alice.secret(), bobs);
    assertThrottled(r);
    assertEquals(attempt("203.0.113.9", alice.accessKeyId(), alice.secret(), null).text()
        .replaceAll("\"requestId\":\"[^\"]*\"", ""), r.text().replaceAll("\"requestId\":\"[^\"]*\"", ""),
        "answered as if there were no cookie");
  }

  @Test
  void forgedTamperedAndExpiredCookiesAreIgnored() {
    String device = deviceOf(alice);
    lockOut(alice);
    String[] parts = device.split("\\.");
    String otherKey = Base64.getUrlEncoder().withoutPadding().encodeToString(admin.accessKeyId().getBytes());
    String aliceB64 = parts[1];
    // The MAC's last character with its spare low bits changed: decodes to the very same 32 bytes.
    String b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    String spareBits = device.substring(0, device.length() - 1)
        + b64.charAt(b64.indexOf(device.charAt(device.length() - 1)) ^ 1);
    List<String> bad = List.of(
        "v1." + aliceB64 + "." + parts[2] + "." + parts[3] + "." + "A".repeat(43),         // forged MAC
        parts[0] + "." + aliceB64 + "." + (Long.parseLong(parts[2]) + 1) + "." + parts[3] + "." + parts[4], // re-dated
        parts[0] + "." + aliceB64 + "." + parts[2] + "." + "B".repeat(22) + "." + parts[4], // other nonce
        parts[0] + "." + otherKey + "." + parts[2] + "." + parts[3] + "." + parts[4],       // other key
        device.substring(0, device.length() - 2) + (device.charAt(device.length() - 2) == 'A' ? "B" : "A")
            + device.charAt(device.length() - 1),                                           // one character
        spareBits,                                                                          // another spelling
        "v1.x", "", "....", "v1." + aliceB64 + ".x.y.%%%", "x".repeat(5000));
    for (String b : bad) {
      assertThrottled(attempt(OWNER_IP, alice.accessKeyId(), alice.secret(), b));
    }
    // A cookie from another server process (another secret) is as good as none.
    String foreign = DeviceCookies.withRandomSecret().issue(alice.accessKeyId(), clock.instant());
    assertThrottled(attempt(OWNER_IP, alice.accessKeyId(), alice.secret(), foreign));
    // The real one works, until it is 30 days old.
    String fresh = device(attempt(OWNER_IP, alice.accessKeyId(), alice.secret(), device));
    clock.advance(DeviceCookies.MAX_AGE.minusSeconds(1));
    lockOut(alice);
    device(attempt(OWNER_IP, alice.accessKeyId(), alice.secret(), fresh));
    clock.advance(Duration.ofSeconds(1));
    lockOut(alice);
    assertThrottled(attempt(OWNER_IP, alice.accessKeyId(), alice.secret(), fresh));
  }

  @Test
  void aDeviceGetsFiveFailuresThenTheKeysRuleAppliesToItUntilForgotten() {
    String device = deviceOf(alice);
    lockOut(alice);
    for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
      // Each from its own address, so that only the device's count is at work.
      assertFlatError(attempt("192.0.2." + (100 + i), alice.accessKeyId(), "guess-" + i, device), 401, "InvalidCredentials");
    }
    assertThrottled(attempt("192.0.2.120", alice.accessKeyId(), alice.secret(), device));
    clock.advance(SignInThrottle.FORGET_AFTER);
    // An hour later both the device and the key are forgotten; lock the key again: the device is trusted again.
    lockOut(alice);
    device(attempt("192.0.2.121", alice.accessKeyId(), alice.secret(), device));
  }

  @Test
  void theAddressCountStillAppliesToDeviceCookieHolders() {
    String device = deviceOf(alice);
    for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
      assertFlatError(attempt("192.0.2.60", "TARNGUESS" + i, "wrong", null), 401, "InvalidCredentials");
    }
    assertThrottled(attempt("192.0.2.60", alice.accessKeyId(), alice.secret(), device));
    clock.advance(Duration.ofSeconds(1));
    device(attempt("192.0.2.60", alice.accessKeyId(), alice.secret(), device));
  }

  @Test
  void theThrottleCountsDevicesInABoundedTable() {
    ManualClock c = new ManualClock(START);
    SignInThrottle t = new SignInThrottle(c, 3);
    for (int i = 0; i < 8; i++) {
      t.failed("a" + i, "k", null);
    }
    assertTrue(t.wait("b", "k", null).compareTo(Duration.ZERO) > 0, "the key is held");
    assertEquals(Duration.ZERO, t.wait("b", "k", "dev"), "not for its device");
    for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
      t.failed("b" + i, "k", "dev");
    }
    assertTrue(t.wait("c", "k", "dev").compareTo(Duration.ZERO) > 0, "the device spent its failures");
    for (int i = 0; i < 100; i++) {
      t.failed("address" + i, "key" + i, "device" + i);
    }
    assertTrue(t.size() <= 9, "size " + t.size());
  }

  @Test
  void theCookieValueVerifiesOnlyForItsKeyAndTime() {
    DeviceCookies d = new DeviceCookies(new byte[32]);
    Instant now = START;
    String v = d.issue("TARNKEY", now);
    assertEquals("TARNKEY", d.verify("tarn_device=" + v, "TARNKEY", now).orElseThrow().accessKeyId());
    assertTrue(d.verify("a=b; tarn_device=junk; tarn_device=" + v, "TARNKEY", now).isPresent(), "any of several");
    assertTrue(d.verify("tarn_device=" + v, "TARNKEY2", now).isEmpty());
    assertTrue(d.verify("tarn_session=" + v, "TARNKEY", now).isEmpty());
    assertTrue(d.verify(null, "TARNKEY", now).isEmpty());
    assertTrue(d.verify("tarn_device=" + v, "TARNKEY", now.plus(DeviceCookies.MAX_AGE)).isEmpty(), "expired");
    assertTrue(d.verify("tarn_device=" + v, "TARNKEY", now.minus(Duration.ofHours(1))).isEmpty(), "from the future");
    assertTrue(new DeviceCookies(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
        22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}).verify("tarn_device=" + v, "TARNKEY", now).isEmpty(), "another secret");
  }
}
