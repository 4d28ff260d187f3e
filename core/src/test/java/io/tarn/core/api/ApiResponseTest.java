package io.tarn.core.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiResponseTest {
  private static final String SESSION = "tarn_session=x; Path=/_tarn/; HttpOnly; SameSite=Strict";
  private static final String DEVICE = "tarn_device=y; Path=/_tarn/api/v1/session; HttpOnly; SameSite=Strict";

  @Test
  void jsonAndNoContent() {
    ApiResponse r = ApiResponse.json(201, "{\"a\":\"\u00e9\"}");
    assertEquals(201, r.status());
    assertEquals(ApiResponse.JSON, r.contentType());
    assertArrayEquals("{\"a\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8), r.body());
    assertEquals(Map.of(), r.headers());
    assertNull(r.cause());
    assertNull(r.stream());
    assertEquals(List.of(), r.cookies());

    ApiResponse none = ApiResponse.noContent();
    assertEquals(204, none.status());
    assertEquals(0, none.body().length);
  }

  @Test
  void everyShorterConstructorMeansNoCookiesNoStream() {
    IllegalStateException boom = new IllegalStateException();
    assertEquals(List.of(), new ApiResponse(200, "t", new byte[0], Map.of()).cookies());
    ApiResponse withCause = new ApiResponse(500, "t", new byte[0], Map.of(), boom);
    assertSame(boom, withCause.cause());
    assertEquals(List.of(), withCause.cookies());
    assertNull(withCause.stream());
    assertEquals(List.of(), new ApiResponse(200, "t", new byte[0], Map.of(), null, null, null).cookies());
  }

  /** Each cookie is an entry of its own, in order: a header map could hold only one {@code Set-Cookie}. */
  @Test
  void cookiesAccumulateOneEntryEach() {
    ApiResponse base = new ApiResponse(200, ApiResponse.JSON, new byte[0], Map.of("Set-Cookie", SESSION));
    ApiResponse one = base.withCookie(DEVICE);
    ApiResponse two = one.withCookie("a=b");
    assertEquals(List.of(), base.cookies(), "withCookie leaves the original alone");
    assertEquals(List.of(DEVICE), one.cookies());
    assertEquals(List.of(DEVICE, "a=b"), two.cookies());
    assertEquals(SESSION, two.headers().get("Set-Cookie"), "the header's own cookie stays where it was");
    // a value with commas (an Expires date) stays one cookie
    String expires = "c=d; Expires=Wed, 21 Oct 2015 07:28:00 GMT";
    assertEquals(List.of(expires), base.withCookie(expires).cookies());
    assertThrows(NullPointerException.class, () -> base.withCookie(null));
  }

  @Test
  void theCookieListIsACopyAndUnmodifiable() {
    List<String> mine = new ArrayList<>(List.of(SESSION));
    ApiResponse r = new ApiResponse(200, "t", new byte[0], Map.of(), null, null, mine);
    mine.add(DEVICE);
    assertEquals(List.of(SESSION), r.cookies());
    assertThrows(UnsupportedOperationException.class, () -> r.cookies().add(DEVICE));
    assertThrows(UnsupportedOperationException.class, () -> r.withCookie(DEVICE).cookies().clear());
    assertThrows(NullPointerException.class,
        () -> new ApiResponse(200, "t", new byte[0], Map.of(), null, null, java.util.Arrays.asList("a", null)));
  }

  @Test
  void withHeadersAddsAndReplacesSameNamedOnesInOrder() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("ETag", "\"1\"");
    h.put("Cache-Control", "no-cache");
    ApiResponse r = new ApiResponse(200, "t", new byte[] {1}, h).withCookie(DEVICE)
        .withHeaders(Map.of("Cache-Control", "no-store"))
        .withHeaders(Map.of("Vary", "Accept-Encoding"));
    assertEquals(List.of("ETag", "Cache-Control", "Vary"), List.copyOf(r.headers().keySet()));
    assertEquals("no-store", r.headers().get("Cache-Control"));
    assertEquals(List.of(DEVICE), r.cookies(), "cookies survive");
    assertEquals("no-cache", h.get("Cache-Control"), "the original map is untouched");
  }

  @Test
  void withCauseKeepsEverythingElse() {
    ApiStream s = new ApiStreamTest.FakeStream();
    ApiResponse r = new ApiResponse(503, "t", new byte[] {7}, Map.of("Retry-After", "1"), null, s)
        .withCookie(DEVICE);
    RuntimeException boom = new RuntimeException("boom");
    ApiResponse c = r.withCause(boom);
    assertSame(boom, c.cause());
    assertEquals(503, c.status());
    assertEquals("t", c.contentType());
    assertArrayEquals(new byte[] {7}, c.body());
    assertEquals(Map.of("Retry-After", "1"), c.headers());
    assertSame(s, c.stream());
    assertEquals(List.of(DEVICE), c.cookies());
    assertNull(r.cause());
  }

  @Test
  void anEventStreamIsANeverCached200() {
    ApiStream s = new ApiStreamTest.FakeStream();
    ApiResponse r = ApiResponse.eventStream(s);
    assertEquals(200, r.status());
    assertEquals("text/event-stream", r.contentType());
    assertEquals(Map.of("Cache-Control", "no-store"), r.headers());
    assertSame(s, r.stream());
    assertEquals(0, r.body().length);
    assertThrows(NullPointerException.class, () -> ApiResponse.eventStream(null));
  }

  /** The console contract: a strict CSP (no inline script, no eval), no framing, no sniffing, no referrer. */
  @Test
  void securityHeaders() {
    Map<String, String> h = ApiResponse.SECURITY_HEADERS;
    assertEquals(List.of("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"),
        List.copyOf(h.keySet()));
    String csp = h.get("Content-Security-Policy");
    assertTrue(csp.contains("script-src 'self';"), csp);
    assertTrue(csp.contains("object-src 'none'"), csp);
    assertTrue(csp.endsWith("frame-ancestors 'none'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    assertFalse(csp.contains("unsafe-eval"), csp);
    assertEquals("nosniff", h.get("X-Content-Type-Options"));
    assertEquals("no-referrer", h.get("Referrer-Policy"));
    assertEquals("DENY", h.get("X-Frame-Options"));
    assertThrows(UnsupportedOperationException.class, () -> h.put("X-Frame-Options", "SAMEORIGIN"));
  }
}
