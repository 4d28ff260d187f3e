package io.tarn.console.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The CSRF token on cookie-authenticated writes, and the refusal of requests other sites make. */
class CsrfTest extends ConsoleTestSupport {
  private static final String NEW_KEY = "{\"user\":\"alice\"}";

  @Test
  void aCookieWriteWithoutTheRightTokenIsRefused() {
    Session s = signIn(alice);
    assertFlatError(req("POST", "/admin/v1/keys").cookie(s).json(NEW_KEY).send(), 403, "CsrfTokenInvalid");
    assertFlatError(req("POST", "/admin/v1/keys").cookie(s).header("x-tarn-csrf", "wrong").json(NEW_KEY).send(),
        403, "CsrfTokenInvalid");
    // Another session's token is not this one's.
    Session other = signIn(alice);
    assertFlatError(req("POST", "/admin/v1/keys").cookie(s).header("x-tarn-csrf", other.csrf()).json(NEW_KEY).send(),
        403, "CsrfTokenInvalid");
    assertFlatError(req("DELETE", "/api/v1/session").cookie(s).send(), 403, "CsrfTokenInvalid");
    assertFlatError(req("POST", "/api/v1/presign").cookie(s).json("{\"method\":\"GET\"}").send(), 403, "CsrfTokenInvalid");
    assertEquals(1, identity.keys(alice.userId()).size(), "nothing was created");
    Resp ok = req("POST", "/admin/v1/keys").as(s).json(NEW_KEY).send();
    assertEquals(201, ok.status(), ok.toString());
    assertEquals(2, identity.keys(alice.userId()).size());
  }

  @Test
  void readsNeedNoToken() {
    Session s = signIn(alice);
    assertEquals(200, req("GET", "/admin/v1/whoami").cookie(s).send().status());
    assertEquals(200, req("HEAD", "/api/v1/session").cookie(s).send().status());
  }

  @Test
  void aRequestFromAnotherOriginIsRefusedSignInIncluded() {
    Session s = signIn(alice);
    for (String origin : new String[] {"http://evil.example", "null", "https://tarn.test:9000", "http://tarn.test:9001"}) {
      assertFlatError(req("POST", "/admin/v1/keys").as(s).header("origin", origin).json(NEW_KEY).send(), 403,
          "CrossSiteRequest");
      assertFlatError(req("POST", "/api/v1/session").header("origin", origin)
          .json(body(alice.accessKeyId(), alice.secret())).send(), 403, "CrossSiteRequest");
    }
    assertFlatError(req("GET", "/admin/v1/whoami").cookie(s).header("sec-fetch-site", "cross-site").send(), 403,
        "CrossSiteRequest");
    assertFlatError(req("POST", "/api/v1/session").header("sec-fetch-site", "cross-site")
        .json(body(alice.accessKeyId(), alice.secret())).send(), 403, "CrossSiteRequest");
    // The request's own origin passes, its case and default port aside; over TLS it is https.
    assertEquals(201, req("POST", "/admin/v1/keys").as(s).header("origin", "http://TARN.test:9000")
        .header("sec-fetch-site", "same-origin").json(NEW_KEY).send().status());
    Req local = req("POST", "/api/v1/session").header("host", "localhost").header("origin", "http://localhost:80")
        .json(body(alice.accessKeyId(), alice.secret()));
    assertEquals(200, local.send().status());
    assertEquals(200, req("POST", "/api/v1/session").tls().header("origin", "https://tarn.test:9000")
        .json(body(alice.accessKeyId(), alice.secret())).send().status());
  }

  @Test
  void aSignedRequestIsItsOwnCredentialAndNeedsNoToken() {
    Session s = signIn(alice);
    // The cookie rides along but the signature is what authenticates (as admin, here).
    Resp r = req("GET", "/admin/v1/whoami").cookie(s).signedBy(admin.principal()).send();
    assertEquals(admin.accessKeyId(), r.json().path("accessKeyId").asText());
    assertEquals(201, req("POST", "/admin/v1/keys").signedBy(alice.principal()).json(NEW_KEY).send().status());
  }

  @Test
  void signInIgnoresAnOldCookie() {
    Session s = signIn(alice);
    req("DELETE", "/api/v1/session").as(s).send();
    Resp again = req("POST", "/api/v1/session").cookie(s).json(body(alice.accessKeyId(), alice.secret())).send();
    assertEquals(200, again.status(), again.toString());
    assertEquals(200, req("GET", "/api/v1/session").header("cookie", "tarn_session=" + again.header("Set-Cookie")
        .substring(13, 56)).send().status());
  }
}
