package io.tarn.console.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.api.Presigner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code POST /api/v1/presign} accepts and what it asks the presigner for. */
class PresignApiTest extends ConsoleTestSupport {
  private Resp presign(Session s, String json) {
    return req("POST", "/api/v1/presign").as(s).json(json).send();
  }

  @Test
  void aValidRequestIsPresignedWithTheSessionsKeyForTheRequestsHost() {
    Session s = signIn(alice);
    Resp r = presign(s, "{\"method\":\"PUT\",\"bucket\":\"b\",\"key\":\"dir/a b.txt\","
        + "\"headers\":{\"X-Amz-Checksum-SHA256\":\"abc=\"},\"query\":{\"uploads\":\"\"},\"expiresSeconds\":60}");
    assertEquals(200, r.status(), r.toString());
    assertEquals("/signed?by=" + alice.accessKeyId(), r.json().path("url").asText());
    assertEquals("PUT", r.json().path("method").asText());
    assertEquals("2026-12-06T08:01:00Z", r.json().path("expires").asText());
    Presigner.Request asked = presigned.get(0);
    assertEquals(alice.accessKeyId(), asked.accessKeyId());
    assertEquals(HOST, asked.host());
    assertEquals("b", asked.bucket());
    assertEquals("dir/a b.txt", asked.key());
    assertEquals(Map.of("x-amz-checksum-sha256", "abc="), asked.headers());
    assertEquals(Map.of("uploads", ""), asked.query());
    assertEquals(60, asked.expiresSeconds());
    assertEquals(START, asked.time());
  }

  @Test
  void theDefaultExpiryIs900SecondsAndListBucketsNeedsNoBucket() {
    Session s = signIn(alice);
    Resp r = presign(s, "{\"method\":\"GET\"}");
    assertEquals(200, r.status(), r.toString());
    assertEquals(START.plus(Duration.ofSeconds(900)).toString(), r.json().path("expires").asText());
    assertEquals(null, presigned.get(0).bucket());
    assertEquals(900, presigned.get(0).expiresSeconds());
  }

  @Test
  void badRequestsAre400() {
    Session s = signIn(alice);
    for (String json : List.of(
        "{\"method\":\"PATCH\",\"bucket\":\"b\"}",
        "{\"method\":\"get\",\"bucket\":\"b\"}",
        "{\"bucket\":\"b\"}",
        "{\"method\":\"GET\",\"bucket\":\"b\",\"expiresSeconds\":0}",
        "{\"method\":\"GET\",\"bucket\":\"b\",\"expiresSeconds\":604801}",
        "{\"method\":\"GET\",\"bucket\":\"b\",\"expiresSeconds\":\"60\"}",
        "{\"method\":\"GET\",\"key\":\"k\"}",
        "{\"method\":\"GET\",\"bucket\":\"\"}",
        "{\"method\":\"GET\",\"bucket\":\"_tarn\"}",
        "{\"method\":\"GET\",\"bucket\":\"a/b\"}",
        "{\"method\":\"GET\",\"bucket\":\"b\",\"key\":\"\"}",
        "{\"method\":\"GET\",\"bucket\":\"b\",\"query\":{\"X-Amz-Signature\":\"x\"}}",
        "{\"method\":\"GET\",\"bucket\":\"b\",\"query\":{\"AWSAccessKeyId\":\"x\"}}",
        "{\"method\":\"GET\",\"bucket\":\"b\",\"query\":{\"list-type\":2}}",
        "{\"method\":\"GET\",\"bucket\":\"b\",\"headers\":{\"Host\":\"evil\"}}",
        "{\"method\":\"GET\",\"bucket\":\"b\",\"headers\":{\"authorization\":\"x\"}}",
        "{\"method\":\"GET\",\"bucket\":\"b\",\"headers\":{\"x-amz-meta-a\":\"line\\r\\nbreak\"}}",
        "{\"method\":\"GET\",\"bucket\":\"b\",\"headers\":{\"bad name\":\"x\"}}",
        "{\"method\":\"GET\",\"bucket\":\"b\",\"unknown\":1}")) {
      assertError(presign(s, json), 400, "InvalidRequest");
    }
    assertEquals(List.of(), presigned, "nothing was signed");
    assertEquals(200, presign(s, "{\"method\":\"GET\",\"bucket\":\"b\",\"expiresSeconds\":604800}").status());
    assertEquals(200, presign(s, "{\"method\":\"GET\",\"bucket\":\"b\",\"expiresSeconds\":1}").status());
  }

  /**
   * A browser (and most HTTP libraries) resolves "." and ".." path segments away before sending a URL:
   * "/b/a/../k" would go to "/b/k", another object. Such keys are refused for every method and caller;
   * keys that only look alike (dots inside a segment, a literal "%2e", empty segments) are signed.
   */
  @Test
  void aKeyWithADotSegmentIsRefusedInWordsAndNothingIsSigned() {
    Session s = signIn(alice);
    for (String key : List.of("..", ".", "a/../k", "./k", "dir/./f", "x/..", "x/.", "../", "a//../b", "/..")) {
      for (String method : List.of("GET", "HEAD", "PUT", "DELETE")) {
        Resp r = presign(s, "{\"method\":\"" + method + "\",\"bucket\":\"b\",\"key\":" + quoted(key) + "}");
        assertError(r, 400, "InvalidRequest");
        String message = r.json().path("error").path("message").asText();
        assertTrue(message.contains("\".\" or \"..\" path segment") && message.contains("S3 client"), message);
      }
    }
    Resp signed = req("POST", "/api/v1/presign").signedBy(admin.principal())
        .json("{\"method\":\"GET\",\"bucket\":\"b\",\"key\":\"a/../k\"}").send();
    assertError(signed, 400, "InvalidRequest");
    assertEquals(List.of(), presigned, "nothing was signed");

    List<String> alike = List.of("...", ".a", "a.", "..a/b", "a/..b", "a/%2e%2e/b", "a/%2E/b", "/lead", "a//b", "a/",
        ". ", "\u2025");
    for (String key : alike) {
      Resp r = presign(s, "{\"method\":\"GET\",\"bucket\":\"b\",\"key\":" + quoted(key) + "}");
      assertEquals(200, r.status(), key + ": " + r);
    }
    assertEquals(alike, presigned.stream().map(Presigner.Request::key).toList());
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Test
  void aTokenCallerGets400AndNoCredentialGets401() {
    Resp bearer = req("POST", "/api/v1/presign").header("authorization", "Bearer tarn_abc")
        .json("{\"method\":\"GET\"}").send();
    assertError(bearer, 400, "InvalidRequest");
    Resp token = req("POST", "/api/v1/presign").signedBy(io.tarn.console.Credentials.tokenPrincipal(alice.userId(),
        "alice", "t1", alice.role())).json("{\"method\":\"GET\"}").send();
    assertError(token, 400, "InvalidRequest");
    assertFlatError(req("POST", "/api/v1/presign").json("{\"method\":\"GET\"}").send(), 401, "NotSignedIn");
    assertEquals(List.of(), presigned);
  }

  @Test
  void aSignedCallerPresignsWithItsOwnKey() {
    Resp r = req("POST", "/api/v1/presign").signedBy(admin.principal()).json("{\"method\":\"GET\",\"bucket\":\"b\"}").send();
    assertEquals(200, r.status(), r.toString());
    assertEquals(admin.accessKeyId(), presigned.get(0).accessKeyId());
  }
}
