package io.tarn.console.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.console.PublicUrl;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The console behind a TLS-terminating reverse proxy ({@code --public-url}): the proxy passes the
 * browser's {@code Host} through to a plain-http listener, so the page's origin is the public URL's,
 * which the gate accepts besides the request's own; and the cookies are {@code Secure} because the
 * browser speaks https. Without the option the same requests are cross-site.
 */
class PublicUrlGateTest {
  static final String PROXIED_HOST = "s3.example.com";
  private static final String NEW_KEY = "{\"user\":\"alice\"}";
  private static final String SESSION_COOKIE = "tarn_session=[A-Za-z0-9_-]{43}; Path=/_tarn/; HttpOnly; SameSite=Strict";

  @Nested
  class BehindAnHttpsProxy extends ConsoleTestSupport {
    @Override
    SessionOptions options() {
      return SessionOptions.defaults().withPublicUrl(Optional.of(PublicUrl.parse("https://S3.example.com")));
    }

    private Req viaProxy(String method, String path, String origin) {
      return req(method, path).header("host", PROXIED_HOST).header("origin", origin);
    }

    @Test
    void theProxiedPageSignsInWithSecureCookiesAndWrites() {
      Resp in = viaProxy("POST", "/api/v1/session", "https://s3.example.com")
          .header("sec-fetch-site", "same-origin").json(body(alice.accessKeyId(), alice.secret())).send();
      assertEquals(200, in.status(), in.toString());
      String setCookie = in.header("Set-Cookie");
      assertTrue(setCookie.matches(SESSION_COOKIE + "; Secure; Max-Age=43200"), setCookie);
      List<String> device = in.raw().cookies();
      assertEquals(1, device.size(), in.toString());
      assertTrue(device.get(0).startsWith("tarn_device=") && device.get(0).contains("; SameSite=Strict; Secure;"),
          device.get(0));
      Session s = new Session(setCookie.substring("tarn_session=".length(), setCookie.indexOf(';')),
          in.json().path("csrfToken").asText(), in.json(), setCookie);

      // Case and the default port aside, as browsers may differ there.
      for (String origin : List.of("https://s3.example.com", "HTTPS://S3.EXAMPLE.COM:443")) {
        Resp w = viaProxy("POST", "/admin/v1/keys", origin).as(s).json(NEW_KEY).send();
        assertEquals(201, w.status(), origin + ": " + w);
      }
      // Sign-out, and the refusal of a cookie naming no session, clear the cookie Secure too.
      Resp out = viaProxy("DELETE", "/api/v1/session", "https://s3.example.com").as(s).send();
      assertEquals(204, out.status(), out.toString());
      assertEquals("tarn_session=; Path=/_tarn/; HttpOnly; SameSite=Strict; Secure; Max-Age=0", out.header("Set-Cookie"));
      Resp gone = viaProxy("GET", "/api/v1/session", "https://s3.example.com").cookie(s).send();
      assertFlatError(gone, 401, "NotSignedIn");
      assertEquals("tarn_session=; Path=/_tarn/; HttpOnly; SameSite=Strict; Secure; Max-Age=0", gone.header("Set-Cookie"));
    }

    @Test
    void otherOriginsAreStillRefused() {
      Session s = signIn(alice);
      for (String origin : List.of("https://evil.example", "https://s3.example.com:8443", "https://x.s3.example.com",
          "http://s3.example.com:443", "null")) {
        String m = assertFlatError(viaProxy("POST", "/admin/v1/keys", origin).as(s).json(NEW_KEY).send(), 403,
            "CrossSiteRequest");
        assertTrue(m.contains("https://s3.example.com/_tarn/console/"), m);
        assertFlatError(viaProxy("POST", "/api/v1/session", origin).json(body(alice.accessKeyId(), alice.secret()))
            .send(), 403, "CrossSiteRequest");
      }
      // Sec-Fetch-Site: cross-site is refused whatever the Origin says.
      assertFlatError(viaProxy("POST", "/api/v1/session", "https://s3.example.com").header("sec-fetch-site", "cross-site")
          .json(body(alice.accessKeyId(), alice.secret())).send(), 403, "CrossSiteRequest");
    }

    @Test
    void theListenersOwnOriginStillWorksAndItsCookiesAreSecureToo() {
      // Someone on the server's own network opening http://tarn.test:9000: its own origin, as before.
      Resp direct = req("POST", "/api/v1/session").header("origin", "http://tarn.test:9000")
          .json(body(alice.accessKeyId(), alice.secret())).send();
      assertEquals(200, direct.status(), direct.toString());
      assertTrue(direct.header("Set-Cookie").contains("; Secure;"), "an https public URL makes every cookie Secure");
    }
  }

  @Nested
  class WithAnHttpPublicUrlOnAPort extends ConsoleTestSupport {
    @Override
    SessionOptions options() {
      return SessionOptions.defaults().withPublicUrl(Optional.of(PublicUrl.parse("http://tarn.lan:8080")));
    }

    @Test
    void itsOriginIsAcceptedItsPortMustMatchAndCookiesStayPlain() {
      Resp in = req("POST", "/api/v1/session").header("host", "tarn.lan:8080").header("origin", "http://tarn.lan:8080")
          .json(body(alice.accessKeyId(), alice.secret())).send();
      assertEquals(200, in.status(), in.toString());
      assertTrue(in.header("Set-Cookie").matches(SESSION_COOKIE + "; Max-Age=43200"), in.header("Set-Cookie"));
      assertFalse(in.raw().cookies().get(0).contains("Secure"), in.raw().cookies().toString());
      // A proxy that rewrites Host to the listener's: the public origin still matches.
      assertEquals(200, req("POST", "/api/v1/session").header("origin", "http://tarn.lan:8080")
          .json(body(alice.accessKeyId(), alice.secret())).send().status());
      for (String origin : List.of("http://tarn.lan", "https://tarn.lan:8080", "http://tarn.lan:8081")) {
        assertFlatError(req("POST", "/api/v1/session").header("host", "127.0.0.1:9000").header("origin", origin)
            .json(body(alice.accessKeyId(), alice.secret())).send(), 403,
            "CrossSiteRequest");
      }
      // Over TLS to the listener the cookie is Secure whatever the public URL says.
      assertTrue(signIn(alice, true).setCookie().contains("; Secure;"));
    }
  }

  @Nested
  class WithoutAPublicUrl extends ConsoleTestSupport {
    @Test
    void theProxiedPageIsCrossSiteAndCookiesArePlain() {
      String m = assertFlatError(req("POST", "/api/v1/session").header("host", PROXIED_HOST)
          .header("origin", "https://s3.example.com").json(body(alice.accessKeyId(), alice.secret())).send(), 403,
          "CrossSiteRequest");
      assertTrue(m.endsWith("Open the console from this server's own address."), m);
      Resp in = req("POST", "/api/v1/session").header("host", PROXIED_HOST).header("origin", "http://s3.example.com")
          .json(body(alice.accessKeyId(), alice.secret())).send();
      assertEquals(200, in.status(), in.toString());
      assertFalse(in.header("Set-Cookie").contains("Secure") || in.raw().cookies().get(0).contains("Secure"),
          in.toString());
    }
  }
}
