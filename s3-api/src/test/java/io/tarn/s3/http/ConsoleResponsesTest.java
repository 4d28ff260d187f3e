package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.api.ApiHandler;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.s3.S3Api;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the front end does for the console: hands Tarn's API answers through unchanged, tells the API
 * whether the connection is TLS, puts the security headers on its own errors under {@code /_tarn/},
 * and sends a browser opening {@code /} to the console while S3 clients keep S3's answers.
 */
class ConsoleResponsesTest {
  private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  @TempDir static Path dir;
  private static S3Fixture fixture;
  private static final AtomicReference<ApiRequest> seen = new AtomicReference<>();
  private static S3Api api;

  @BeforeAll
  static void open() {
    fixture = S3Fixture.open(dir);
    ApiHandler handler = r -> {
      seen.set(r);
      return new ApiResponse(200, "text/javascript; charset=utf-8", new byte[] {31, -117, 8, 0},
          Map.of("Content-Encoding", "gzip", "ETag", "\"abc-gz\"", "Cache-Control", "no-cache",
              "Set-Cookie", "tarn_session=x; Path=/_tarn/; HttpOnly; SameSite=Strict; Max-Age=60", "Vary", "Accept-Encoding"))
          .withCookie("tarn_device=y; Path=/_tarn/api/v1/session; HttpOnly; SameSite=Strict; Max-Age=60");
    };
    api = new S3Api(fixture.store(), fixture.store().identity(), handler, Clock.fixed(S3Fixture.NOW, ZoneOffset.UTC),
        new S3Api.Config(S3Fixture.REGION, List.of()));
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  private static TestResponse exchange(TestRequest r, boolean tls) {
    try (ChannelHarness h = new ChannelHarness(api, S3Server.Limits.defaults(), tls)) {
      return h.exchange(r);
    }
  }

  @Test
  void anApiAnswerPassesThroughUnchangedAndTheApiKnowsAboutTls() {
    TestResponse r = exchange(TestRequest.get("/_tarn/console/app.js").anonymous(), false);
    assertEquals(200, r.status(), r.toString());
    assertEquals("text/javascript; charset=utf-8", r.header("Content-Type"));
    assertEquals("gzip", r.header("Content-Encoding"));
    assertEquals("\"abc-gz\"", r.header("ETag"));
    assertEquals("no-cache", r.header("Cache-Control"));
    assertEquals("Accept-Encoding", r.header("Vary"));
    assertEquals(List.of("tarn_session=x; Path=/_tarn/; HttpOnly; SameSite=Strict; Max-Age=60",
        "tarn_device=y; Path=/_tarn/api/v1/session; HttpOnly; SameSite=Strict; Max-Age=60"),
        r.headers().getAll("Set-Cookie"), "two cookies, two headers");
    assertArrayEquals(new byte[] {31, -117, 8, 0}, r.body());
    assertFalse(seen.get().tls());
    exchange(TestRequest.get("/_tarn/console/app.js").anonymous(), true);
    assertTrue(seen.get().tls());
  }

  @Test
  void theFrontEndsOwnErrorsUnderTarnCarryTheSecurityHeaders() {
    TestResponse r = exchange(TestRequest.get("/_tarn/admin/v1/users").credentials(S3Fixture.ACCESS_KEY, "wrong-secret"),
        false);
    assertEquals(403, r.status(), r.toString());
    ApiResponse.SECURITY_HEADERS.forEach((name, value) -> assertEquals(value, r.header(name), name));
    TestResponse s3 = exchange(TestRequest.get("/nobucket/k"), false);
    assertEquals(404, s3.status());
    assertNull(s3.header("Content-Security-Policy"), "S3 answers are left alone");
  }

  @Test
  void aBrowserOpeningTheRootIsSentToTheConsole() {
    TestResponse r = exchange(TestRequest.get("/").anonymous().header("Accept", BROWSER_ACCEPT), false);
    assertEquals(302, r.status(), r.toString());
    assertEquals("/_tarn/console/", r.header("Location"));
  }

  @Test
  void s3ClientsAtTheRootKeepS3sAnswers() {
    // Unsigned, as an SDK sends it (no Accept, or */*): S3's AccessDenied XML.
    for (String accept : new String[] {null, "*/*", "application/xml"}) {
      TestRequest req = TestRequest.get("/").anonymous();
      if (accept != null) {
        req.header("Accept", accept);
      }
      TestResponse r = exchange(req, false);
      assertEquals(403, r.status(), accept + ": " + r);
      assertEquals("AccessDenied", r.xml("Code"));
    }
    // Asking for HTML but with a query, or with a HEAD: not a person's visit either.
    assertEquals(403, exchange(TestRequest.get("/?x-id=ListBuckets").anonymous().header("Accept", BROWSER_ACCEPT), false).status());
    TestResponse head = exchange(TestRequest.head("/").anonymous().header("Accept", BROWSER_ACCEPT), false);
    assertEquals(405, head.status(), "HEAD / is not an S3 operation; it stays so");
    assertNull(head.header("Location"));
    // A signed ListBuckets is unchanged, whatever it accepts.
    TestResponse signed = exchange(TestRequest.get("/").header("Accept", BROWSER_ACCEPT), false);
    assertEquals(200, signed.status(), signed.toString());
    assertTrue(signed.text().contains("<ListAllMyBucketsResult"), signed.text());
  }
}
