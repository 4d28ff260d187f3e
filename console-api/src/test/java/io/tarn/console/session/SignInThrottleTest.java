package io.tarn.console.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Growing delays after failed sign-ins, per address and per key, on a test clock. */
class SignInThrottleTest extends ConsoleTestSupport {
  private Resp attempt(String ip, String keyId, String secret) {
    return req("POST", "/api/v1/session").from(ip).json(body(keyId, secret)).send();
  }

  private void fail(String ip, String keyId, int times) {
    for (int i = 0; i < times; i++) {
      assertFlatError(attempt(ip, keyId, "wrong"), 401, "InvalidCredentials");
    }
  }

  private static void assertThrottled(Resp r, long seconds) {
    String message = assertFlatError(r, 429, "TooManySignInAttempts");
    assertEquals(Long.toString(seconds), r.header("Retry-After"), r.toString());
    assertTrue(message.contains("try again in " + seconds + " seconds."), message);
  }

  @Test
  void afterFiveFailuresTheDelaysGrowFromOneSecondToFiveMinutes() {
    fail("192.0.2.10", alice.accessKeyId(), 5);
    long expected = 1;
    for (int round = 0; round < 12; round++) {
      // Within the window even the right secret is refused, unchecked.
      assertThrottled(attempt("192.0.2.10", alice.accessKeyId(), alice.secret()), expected);
      clock.advance(Duration.ofSeconds(expected));
      fail("192.0.2.10", alice.accessKeyId(), 1);
      expected = Math.min(expected * 2, 300);
    }
    assertEquals(300, expected);
    assertThrottled(attempt("192.0.2.10", alice.accessKeyId(), alice.secret()), 300);
  }

  @Test
  void aSuccessResetsTheCounts() {
    fail("192.0.2.11", alice.accessKeyId(), 5);
    clock.advance(Duration.ofSeconds(1));
    assertEquals(200, attempt("192.0.2.11", alice.accessKeyId(), alice.secret()).status());
    fail("192.0.2.11", alice.accessKeyId(), 5); // five free failures again
    assertThrottled(attempt("192.0.2.11", alice.accessKeyId(), "wrong"), 1);
  }

  @Test
  void failuresCountPerAddressAcrossKeysAndPerKeyAcrossAddresses() {
    for (int i = 0; i < 5; i++) {
      assertFlatError(attempt("192.0.2.12", "TARNGUESS" + i, "wrong"), 401, "InvalidCredentials");
    }
    assertThrottled(attempt("192.0.2.12", alice.accessKeyId(), alice.secret()), 1);
    for (int i = 0; i < 5; i++) {
      assertFlatError(attempt("198.51.100." + i, admin.accessKeyId(), "wrong"), 401, "InvalidCredentials");
    }
    assertThrottled(attempt("198.51.100.99", admin.accessKeyId(), admin.secret()), 1);
    assertEquals(200, attempt("203.0.113.1", alice.accessKeyId(), alice.secret()).status(), "others are unaffected");
  }

  @Test
  void anUnknownKeyIsThrottledAndAnsweredAlike() {
    fail("192.0.2.13", "TARNNOSUCHKEY0000000", 5);
    assertThrottled(attempt("192.0.2.14", "TARNNOSUCHKEY0000000", "wrong"), 1);
    fail("192.0.2.15", alice.accessKeyId(), 5);
    assertThrottled(attempt("192.0.2.16", alice.accessKeyId(), "wrong"), 1);
  }

  @Test
  void entriesAreForgottenAndTheTablesAreBounded() {
    ManualClock c = new ManualClock(START);
    SignInThrottle t = new SignInThrottle(c, 3);
    for (int i = 0; i < 5; i++) {
      t.failed("a", "k");
    }
    assertEquals(Duration.ofSeconds(1), t.wait("a", "k"));
    c.advance(SignInThrottle.FORGET_AFTER);
    assertEquals(Duration.ZERO, t.wait("a", "k"), "an hour without failures forgets");
    for (int i = 0; i < 100; i++) {
      t.failed("address" + i, "key" + i);
    }
    assertTrue(t.size() <= 6, "size " + t.size());
  }
}
