package io.tarn.console.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.core.Role;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Sign-in, the session cookie as a credential, and every way a session ends. */
class SessionTest extends ConsoleTestSupport {
  private static final String COOKIE = "tarn_session=[A-Za-z0-9_-]{43}; Path=/_tarn/; HttpOnly; SameSite=Strict";

  @Override
  SessionOptions options() {
    return SessionOptions.defaults().withCaps(3, 5);
  }

  @Test
  void signInAnswersTheContractsBodyAndCookie() {
    Session s = signIn(alice);
    assertTrue(s.setCookie().matches(COOKIE + "; Max-Age=43200"), s.setCookie());
    JsonNode b = s.body();
    assertEquals(alice.userId(), b.path("user").path("id").asText());
    assertEquals("alice", b.path("user").path("name").asText());
    assertEquals("user", b.path("user").path("role").asText());
    assertEquals(alice.accessKeyId(), b.path("accessKeyId").asText());
    assertEquals("2026-12-06T20:00:00Z", b.path("expires").asText());
    assertEquals(1800, b.path("idleTimeoutSeconds").asLong());
    assertEquals(43, s.csrf().length(), s.csrf());
    assertFalse(s.body().toString().contains(alice.secret()));
    assertEquals("admin", signIn(admin).body().path("user").path("role").asText());
  }

  @Test
  void underTlsTheCookieIsSecure() {
    Session s = signIn(alice, true);
    assertTrue(s.setCookie().matches(COOKIE + "; Secure; Max-Age=43200"), s.setCookie());
    Resp out = req("DELETE", "/api/v1/session").as(s).tls().send();
    assertEquals(204, out.status(), out.toString());
    assertEquals("tarn_session=; Path=/_tarn/; HttpOnly; SameSite=Strict; Secure; Max-Age=0", out.header("Set-Cookie"));
  }

  @Test
  void getSessionAnswersTheSameBodyAndToken() {
    Session s = signIn(alice);
    Resp r = req("GET", "/api/v1/session").cookie(s).send();
    assertEquals(200, r.status(), r.toString());
    assertEquals(s.body(), r.json());
    assertFlatError(req("GET", "/api/v1/session").send(), 401, "NotSignedIn");
  }

  @Test
  void theCookieActsAsItsKeyOnTheAdminApi() {
    Session s = signIn(alice);
    Resp who = req("GET", "/admin/v1/whoami").cookie(s).send();
    assertEquals(200, who.status(), who.toString());
    assertEquals(alice.accessKeyId(), who.json().path("accessKeyId").asText(), who.toString());
    // Authorized by the admin API's own rule, as a signed request of alice's would be.
    assertError(req("GET", "/admin/v1/users").cookie(s).send(), 403, "AccessDenied");
    Session a = signIn(admin);
    assertEquals(200, req("GET", "/admin/v1/users").cookie(a).send().status());
    // The webhooks API too.
    assertEquals(200, req("GET", "/api/v1/tokens").cookie(s).send().status());
  }

  @Test
  void theIdleTimeoutEndsAnUnusedSession() {
    Session s = signIn(alice);
    clock.advance(Duration.ofMinutes(29));
    assertEquals(200, req("GET", "/api/v1/session").cookie(s).send().status());
    clock.advance(Duration.ofMinutes(29));
    assertEquals(200, req("GET", "/api/v1/session").cookie(s).send().status(), "each use restarts the idle time");
    clock.advance(Duration.ofMinutes(30));
    Resp r = req("GET", "/api/v1/session").cookie(s).send();
    assertFlatError(r, 401, "NotSignedIn");
    assertEquals("tarn_session=; Path=/_tarn/; HttpOnly; SameSite=Strict; Max-Age=0", r.header("Set-Cookie"));
    assertFlatError(req("GET", "/admin/v1/whoami").cookie(s).send(), 401, "NotSignedIn");
  }

  @Test
  void theLifetimeEndsASessionInUse() {
    Session s = signIn(alice);
    for (int i = 0; i < 35; i++) {
      clock.advance(Duration.ofMinutes(20));
      assertEquals(200, req("GET", "/api/v1/session").cookie(s).send().status(), "at " + clock.instant());
    }
    clock.advance(Duration.ofMinutes(20)); // 12 h after sign-in
    assertFlatError(req("GET", "/api/v1/session").cookie(s).send(), 401, "NotSignedIn");
  }

  @Test
  void aDisabledKeyEndsItsSessionAtTheNextRequest() {
    Session s = signIn(alice);
    Session other = signIn(key("alice", Role.USER));
    identity.setKeyEnabled(alice.accessKeyId(), false);
    assertFlatError(req("GET", "/admin/v1/whoami").cookie(s).send(), 401, "NotSignedIn");
    identity.setKeyEnabled(alice.accessKeyId(), true);
    assertFlatError(req("GET", "/api/v1/session").cookie(s).send(), 401, "NotSignedIn"); // ended for good
    assertEquals(200, req("GET", "/api/v1/session").cookie(other).send().status(), "the user's other key goes on");
  }

  @Test
  void anExpiredOrDeletedKeyOrADisabledUserEndsTheSession() {
    Session expiring = signIn(alice);
    identity.setKeyExpiry(alice.accessKeyId(), START.plus(Duration.ofMinutes(10)));
    clock.advance(Duration.ofMinutes(10));
    assertFlatError(req("GET", "/api/v1/session").cookie(expiring).send(), 401, "NotSignedIn");

    Key bobKey = key("bob", Role.USER);
    Session bob = signIn(bobKey);
    identity.deleteKey(bobKey.accessKeyId());
    assertFlatError(req("GET", "/api/v1/session").cookie(bob).send(), 401, "NotSignedIn");

    Key carolKey = key("carol", Role.USER);
    Session carol = signIn(carolKey);
    identity.setUserEnabled(carolKey.userId(), false);
    assertFlatError(req("GET", "/api/v1/session").cookie(carol).send(), 401, "NotSignedIn");
  }

  @Test
  void signOutEndsTheSession() {
    Session s = signIn(alice);
    Resp out = req("DELETE", "/api/v1/session").as(s).send();
    assertEquals(204, out.status(), out.toString());
    assertEquals("tarn_session=; Path=/_tarn/; HttpOnly; SameSite=Strict; Max-Age=0", out.header("Set-Cookie"));
    assertFlatError(req("GET", "/api/v1/session").cookie(s).send(), 401, "NotSignedIn");
    assertFlatError(req("GET", "/admin/v1/whoami").cookie(s).send(), 401, "NotSignedIn");
  }

  @Test
  void signOutEverywhereEndsEverySessionOfTheUserOnly() {
    Session one = signIn(alice);
    Session two = signIn(key("alice", Role.USER));
    Session adminSession = signIn(admin);
    Resp out = req("DELETE", "/api/v1/sessions").as(one).send();
    assertEquals(204, out.status(), out.toString());
    assertFlatError(req("GET", "/api/v1/session").cookie(one).send(), 401, "NotSignedIn");
    assertFlatError(req("GET", "/api/v1/session").cookie(two).send(), 401, "NotSignedIn");
    assertEquals(200, req("GET", "/api/v1/session").cookie(adminSession).send().status());
    // A signed caller can end its user's sessions too.
    assertEquals(204, req("DELETE", "/api/v1/sessions").signedBy(admin.principal()).send().status());
    assertFlatError(req("GET", "/api/v1/session").cookie(adminSession).send(), 401, "NotSignedIn");
  }

  @Test
  void sessionsAreCappedPerUserAndInAll() {
    Session first = signIn(alice);
    signIn(alice);
    signIn(alice);
    Session fourth = signIn(alice); // cap 3 per user: the first ends
    assertFlatError(req("GET", "/api/v1/session").cookie(first).send(), 401, "NotSignedIn");
    assertEquals(200, req("GET", "/api/v1/session").cookie(fourth).send().status());
    Session a1 = signIn(admin);
    signIn(admin);
    signIn(admin); // cap 5 in all: alice's two oldest live ones end
    assertEquals(5, sessions.store().size());
    assertEquals(200, req("GET", "/api/v1/session").cookie(a1).send().status());
  }

  @Test
  void theAnswerIsTheSameForAWrongSecretAnUnknownKeyAndADisabledKey() {
    String wrong = assertFlatError(req("POST", "/api/v1/session").json(body(alice.accessKeyId(), "nope")).send(),
        401, "InvalidCredentials");
    String unknown = assertFlatError(req("POST", "/api/v1/session").from("192.0.2.2")
        .json(body("TARNNOSUCHKEY0000000", "nope")).send(), 401, "InvalidCredentials");
    Key bobKey = key("bob", Role.USER);
    identity.setKeyEnabled(bobKey.accessKeyId(), false);
    String disabled = assertFlatError(req("POST", "/api/v1/session").from("192.0.2.3")
        .json(body(bobKey.accessKeyId(), bobKey.secret())).send(), 401, "InvalidCredentials");
    Key carolKey = key("carol", Role.USER);
    identity.setUserEnabled(carolKey.userId(), false);
    String userDisabled = assertFlatError(req("POST", "/api/v1/session").from("192.0.2.4")
        .json(body(carolKey.accessKeyId(), carolKey.secret())).send(), 401, "InvalidCredentials");
    assertEquals("The access key or secret key is not right.", wrong);
    assertEquals(wrong, unknown);
    assertEquals(wrong, disabled);
    assertEquals(wrong, userDisabled);
  }

  @Test
  void eachSignInGetsItsOwnIdAndToken() {
    Session a = signIn(alice);
    Session b = signIn(alice);
    assertNotEquals(a.cookie(), b.cookie());
    assertNotEquals(a.csrf(), b.csrf());
  }

  @Test
  void aMalformedOrForeignCookieIsNotASession() {
    for (String value : new String[] {"", "x", "A".repeat(43), "!".repeat(43)}) {
      Resp r = req("GET", "/api/v1/session").header("cookie", "tarn_session=" + value).send();
      assertFlatError(r, 401, "NotSignedIn");
    }
  }

  @Test
  void signInNeedsAJsonBodyWithBothFields() {
    Resp form = req("POST", "/api/v1/session").header("content-type", "application/x-www-form-urlencoded")
        .send();
    assertError(form, 415, "UnsupportedMediaType");
    Resp plain = req("POST", "/api/v1/session").header("content-type", "text/plain").send();
    assertError(plain, 415, "UnsupportedMediaType");
    assertError(req("POST", "/api/v1/session").json("{\"accessKeyId\":\"x\"}").send(), 400, "InvalidRequest");
    assertError(req("POST", "/api/v1/session").json("not json").send(), 400, "InvalidRequest");
    assertEquals(200, req("POST", "/api/v1/session").header("content-type", "application/json; charset=UTF-8")
        .json(body(alice.accessKeyId(), alice.secret())).header("content-type", "Application/JSON; charset=UTF-8")
        .send().status());
  }

  @Test
  void otherMethodsOnTheSessionEndpointsAre405() {
    assertError(req("PUT", "/api/v1/session").send(), 405, "MethodNotAllowed");
    assertError(req("GET", "/api/v1/sessions").send(), 405, "MethodNotAllowed");
  }

  @Test
  void timedOutSessionsAreSweptFromTheTable() {
    signIn(alice);
    signIn(admin);
    assertEquals(2, sessions.store().size());
    clock.advance(Duration.ofMinutes(31));
    signIn(alice); // a sign-in sweeps (at most once a minute)
    assertEquals(1, sessions.store().size(), "the two idle ones are gone without being used again");
  }
}
