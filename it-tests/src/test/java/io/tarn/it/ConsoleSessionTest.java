package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The console's server side against a real server, over plain HTTP as a browser speaks it: sign in
 * with the root key, the cookie as the credential of the admin API, CSRF, presigned URLs used for
 * the bytes, the session's end (sign-out, a disabled key), the {@code /} redirect and the headers.
 */
class ConsoleSessionTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
      + " media-src 'self' blob:; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none';"
      + " form-action 'self'; frame-ancestors 'none'";

  /** A signed-in browser. */
  private record Browser(String cookie, String csrf) {}

  private static HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(TARN.raw().base().resolve(pathAndQuery)).timeout(Duration.ofSeconds(30));
  }

  private static RawResponse send(HttpRequest.Builder r) {
    return TARN.raw().send(r.build());
  }

  private static JsonNode json(RawResponse r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r, e);
    }
  }

  private static RawResponse signInRaw(String accessKey, String secret) {
    String body = "{\"accessKeyId\":\"" + accessKey + "\",\"secretKey\":\"" + secret + "\"}";
    return send(request("/_tarn/api/v1/session").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static Browser signIn(String accessKey, String secret) {
    RawResponse r = signInRaw(accessKey, secret);
    assertEquals(200, r.status(), r.toString());
    String setCookie = r.header("Set-Cookie");
    assertTrue(setCookie.matches("tarn_session=[A-Za-z0-9_-]{43}; Path=/_tarn/; HttpOnly; SameSite=Strict; Max-Age=43200"),
        setCookie);
    return new Browser(setCookie.substring(0, setCookie.indexOf(';')), json(r).path("csrfToken").asText());
  }

  private static RawResponse get(Browser b, String path) {
    return send(request(path).header("Cookie", b.cookie()).GET());
  }

  private static RawResponse write(Browser b, String method, String path, String json) {
    return send(request(path).header("Cookie", b.cookie()).header("X-Tarn-CSRF", b.csrf())
        .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)));
  }

  private static String presign(Browser b, String json) {
    RawResponse r = write(b, "POST", "/_tarn/api/v1/presign", json);
    assertEquals(200, r.status(), r.toString());
    String url = json(r).path("url").asText();
    assertTrue(url.startsWith("/") && url.contains("X-Amz-Signature="), url);
    return url;
  }

  @Test
  void aBrowserSignsInUsesTheAdminApiAndMovesBytesThroughPresignedUrls() {
    RawResponse wrong = signInRaw(TARN.accessKey(), "not-the-secret");
    assertEquals(401, wrong.status(), wrong.toString());
    assertEquals("InvalidCredentials", json(wrong).path("error").asText());
    assertEquals(CSP, wrong.header("Content-Security-Policy"));

    Browser b = signIn(TARN.accessKey(), TARN.secretKey());
    RawResponse who = get(b, "/_tarn/admin/v1/whoami");
    assertEquals(200, who.status(), who.toString());
    assertEquals(TARN.accessKey(), json(who).path("accessKeyId").asText());
    assertEquals(CSP, who.header("Content-Security-Policy"));
    assertEquals("nosniff", who.header("X-Content-Type-Options"));

    RawResponse noToken = send(request("/_tarn/admin/v1/users").header("Cookie", b.cookie())
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"mallory\",\"role\":\"admin\"}")));
    assertEquals(403, noToken.status(), noToken.toString());
    assertEquals("CsrfTokenInvalid", json(noToken).path("error").asText());
    RawResponse crossSite = send(request("/_tarn/admin/v1/users").header("Cookie", b.cookie()).header("X-Tarn-CSRF", b.csrf())
        .header("Origin", "http://evil.example").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"mallory\",\"role\":\"admin\"}")));
    assertEquals(403, crossSite.status(), crossSite.toString());
    assertEquals(404, new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).call("GET", "/users/mallory", null)
        .status(), "neither request created the user");

    String bucket = bucketName("console");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    byte[] data = TestData.bytes(300_000, 12);
    String put = presign(b, "{\"method\":\"PUT\",\"bucket\":\"" + bucket + "\",\"key\":\"docs/a file.bin\"}");
    RawResponse stored = send(request(put).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
    assertEquals(200, stored.status(), stored.toString());
    String getUrl = presign(b, "{\"method\":\"GET\",\"bucket\":\"" + bucket + "\",\"key\":\"docs/a file.bin\","
        + "\"query\":{\"response-content-disposition\":\"attachment; filename=\\\"a file.bin\\\"\"}}");
    RawResponse read = send(request(getUrl).GET());
    assertEquals(200, read.status(), read.toString());
    assertArrayEquals(data, read.body());
    assertEquals("attachment; filename=\"a file.bin\"", read.header("Content-Disposition"));
    ResponseBytes<GetObjectResponse> viaSdk = TARN.s3().getObject(r -> r.bucket(bucket).key("docs/a file.bin"),
        ResponseTransformer.toBytes());
    assertArrayEquals(data, viaSdk.asByteArray());
    RawResponse list = send(request(presign(b, "{\"method\":\"GET\",\"bucket\":\"" + bucket
        + "\",\"query\":{\"list-type\":\"2\",\"prefix\":\"docs/\",\"delimiter\":\"/\"}}")).GET());
    assertEquals(200, list.status(), list.toString());
    assertTrue(list.text().contains("<Key>docs/a file.bin</Key>"), list.text());

    RawResponse out = write(b, "DELETE", "/_tarn/api/v1/session", "");
    assertEquals(204, out.status(), out.toString());
    assertEquals("tarn_session=; Path=/_tarn/; HttpOnly; SameSite=Strict; Max-Age=0", out.header("Set-Cookie"));
    RawResponse after = get(b, "/_tarn/admin/v1/whoami");
    assertEquals(401, after.status(), after.toString());
    assertEquals("NotSignedIn", json(after).path("error").asText());
    // A URL made during the session outlives it (share links must).
    assertEquals(200, send(request(getUrl).GET()).status());
  }

  @Test
  void disablingTheKeyEndsItsSessionAtTheNextRequest() {
    AdminClient root = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    AdminClient.User bob = root.createUser("bob-console", "user");
    Browser b = signIn(bob.accessKey(), bob.secretKey());
    assertEquals(200, get(b, "/_tarn/api/v1/session").status());
    root.expect(200, "PATCH", "/keys/" + bob.accessKey(), Map.of("enabled", false));
    RawResponse r = get(b, "/_tarn/api/v1/session");
    assertEquals(401, r.status(), r.toString());
    assertEquals("NotSignedIn", json(r).path("error").asText());
  }

  @Test
  void aBrowserOpeningTheRootIsSentToTheConsoleAndS3ClientsAreNot() {
    RawResponse browser = TARN.raw().anonymous("GET", "/", Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"), null);
    assertEquals(302, browser.status(), browser.toString());
    assertEquals("/_tarn/console/", browser.header("Location"));
    RawResponse sdk = TARN.raw().anonymous("GET", "/", Map.of("Accept", "*/*"), null);
    assertEquals(403, sdk.status());
    assertEquals("AccessDenied", sdk.error().code());
    assertTrue(TARN.s3().listBuckets().buckets() != null, "a signed ListBuckets still works");
  }

  @Test
  void consoleAnswersCarryTheSecurityHeadersAndRefuseTraversal() throws IOException {
    for (String path : new String[] {"/_tarn/console/", "/_tarn/console/no-such-file-for-tests.js",
        "/_tarn/console/%2e%2e/admin/v1/users", "/_tarn/console/..%2Fadmin/v1/users"}) {
      RawResponse r = TARN.raw().anonymous("GET", path, Map.of(), null);
      assertEquals(CSP, r.header("Content-Security-Policy"), path + ": " + r);
      assertEquals("DENY", r.header("X-Frame-Options"), path);
      assertEquals("no-referrer", r.header("Referrer-Policy"), path);
      assertFalse(r.status() == 403, path + " reached the admin API: " + r);
    }
    RawResponse missing = TARN.raw().anonymous("GET", "/_tarn/console/no-such-file-for-tests.js", Map.of(), null);
    assertEquals(404, missing.status());
    assertEquals("NotFound", json(missing).path("error").path("code").asText());
    String log = Files.readString(TARN.server().logFile());
    assertTrue(log.contains("console: http://127.0.0.1:" + TARN.port() + "/_tarn/console/"), TARN.server().outputTail());
  }
}
