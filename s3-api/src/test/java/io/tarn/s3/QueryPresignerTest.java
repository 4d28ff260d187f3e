package io.tarn.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.api.Presigner;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.auth.QueryPresigner;
import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * URLs of the console's presigner, used against the real front end (router, verifier, authorizer,
 * store): the one SigV4 implementation signs what it verifies.
 */
class QueryPresignerTest {
  private static final String HOST = "tarn.test";
  @TempDir static Path dir;
  private static S3Fixture fixture;
  private static QueryPresigner presigner;

  @BeforeAll
  static void open() {
    fixture = S3Fixture.open(dir);
    // The lookup the server hands it is IdentityKeys over the same identity store as the verifier's.
    presigner = new QueryPresigner(new io.tarn.s3.auth.IdentityKeys(fixture.store().identity(),
        java.time.Clock.fixed(S3Fixture.NOW, java.time.ZoneOffset.UTC)), S3Fixture.REGION);
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  private static String url(String method, String bucket, String key, Map<String, String> query,
      Map<String, String> headers, Instant time, long expires) {
    return presigner.presign(new Presigner.Request(S3Fixture.ACCESS_KEY, method, HOST, bucket, key, query, headers,
        time, expires)).orElseThrow();
  }

  private static TestResponse send(TestRequest r) {
    return DirectExchange.run(fixture.api(), r.anonymous());
  }

  @Test
  void aPresignedPutAndGetRoundTripTheBytes() {
    String bucket = fixture.newBucket();
    byte[] data = "presigned bytes \u00e9".getBytes(StandardCharsets.UTF_8);
    String key = "dir/a b+c\u20ac.txt";
    String put = url("PUT", bucket, key, Map.of(), Map.of(), S3Fixture.NOW, 900);
    assertTrue(put.startsWith("/" + bucket + "/dir/a%20b%2Bc%E2%82%AC.txt?"), put);
    TestResponse stored = send(TestRequest.put(put).body(data).header("Content-Type", "text/plain"));
    assertEquals(200, stored.status(), stored.toString());

    Map<String, String> query = new LinkedHashMap<>();
    query.put("response-content-disposition", "attachment; filename=\"a b.txt\"");
    String get = url("GET", bucket, key, query, Map.of(), S3Fixture.NOW, 900);
    TestResponse read = send(TestRequest.get(get));
    assertEquals(200, read.status(), read.toString());
    assertArrayEquals(data, read.body());
    assertEquals("attachment; filename=\"a b.txt\"", read.header("Content-Disposition"));
  }

  @Test
  void aListingWithItsOwnQueryAndListBucketsAreAccepted() {
    String bucket = fixture.newBucket();
    fixture.putObject(bucket, "p/x", new byte[] {1}, io.tarn.storage.ObjectMetadata.of(null, Map.of()));
    Map<String, String> query = new LinkedHashMap<>();
    query.put("list-type", "2");
    query.put("prefix", "p/");
    query.put("delimiter", "/");
    TestResponse list = send(TestRequest.get(url("GET", bucket, null, query, Map.of(), S3Fixture.NOW, 60)));
    assertEquals(200, list.status(), list.toString());
    assertEquals("p/x", list.xml("Key"));
    TestResponse buckets = send(TestRequest.get(url("GET", null, null, Map.of(), Map.of(), S3Fixture.NOW, 60)));
    assertEquals(200, buckets.status(), buckets.toString());
    assertTrue(buckets.xmlAll("Name").contains(bucket));
  }

  @Test
  void aTamperedUrlIsRefused() {
    String bucket = fixture.newBucket();
    fixture.putObject(bucket, "k", new byte[] {1}, io.tarn.storage.ObjectMetadata.of(null, Map.of()));
    fixture.putObject(bucket, "other", new byte[] {2}, io.tarn.storage.ObjectMetadata.of(null, Map.of()));
    String get = url("GET", bucket, "k", Map.of(), Map.of(), S3Fixture.NOW, 900);
    assertEquals(200, send(TestRequest.get(get)).status());
    assertEquals("SignatureDoesNotMatch", send(TestRequest.get(get.replace("/k?", "/other?"))).xml("Code"));
    assertEquals("SignatureDoesNotMatch", send(TestRequest.get(get.replace("X-Amz-Expires=900", "X-Amz-Expires=901"))).xml("Code"));
    assertEquals("SignatureDoesNotMatch", send(TestRequest.delete(get)).xml("Code"));
  }

  @Test
  void anExpiredUrlIsRefused() {
    String bucket = fixture.newBucket();
    fixture.putObject(bucket, "k", new byte[] {1}, io.tarn.storage.ObjectMetadata.of(null, Map.of()));
    String get = url("GET", bucket, "k", Map.of(), Map.of(), S3Fixture.NOW.minus(Duration.ofHours(2)), 3600);
    TestResponse r = send(TestRequest.get(get));
    assertEquals(403, r.status());
    assertEquals("AccessDenied", r.xml("Code"));
    assertEquals("Request has expired", r.xml("Message"));
  }

  @Test
  void signedExtraHeadersMustBeSentAsSigned() {
    String bucket = fixture.newBucket();
    fixture.putObject(bucket, "k", new byte[] {1}, io.tarn.storage.ObjectMetadata.of(null, Map.of()));
    byte[] body = ("<Delete><Object><Key>k</Key></Object></Delete>").getBytes(StandardCharsets.UTF_8);
    String sha = Base64.getEncoder().encodeToString(ChecksumAlgorithm.SHA256.digest(body));
    Map<String, String> query = Map.of("delete", "");
    String post = url("POST", bucket, null, query, Map.of("x-amz-checksum-sha256", sha), S3Fixture.NOW, 900);
    assertTrue(post.contains("?delete&X-Amz-Algorithm="), post);
    assertTrue(post.contains("X-Amz-SignedHeaders=host%3Bx-amz-checksum-sha256"), post);
    // Without the signed header, or with another value: the signature does not match.
    assertEquals("SignatureDoesNotMatch", send(TestRequest.post(post).body(body)).xml("Code"));
    String otherSha = Base64.getEncoder().encodeToString(ChecksumAlgorithm.SHA256.digest(new byte[0]));
    assertEquals("SignatureDoesNotMatch",
        send(TestRequest.post(post).body(body).header("x-amz-checksum-sha256", otherSha)).xml("Code"));
    // A URL signing only host does not admit an x-amz-* header it did not sign.
    String hostOnly = url("POST", bucket, null, query, Map.of(), S3Fixture.NOW, 900);
    TestResponse unsigned = send(TestRequest.post(hostOnly).body(body).header("x-amz-checksum-sha256", sha));
    assertEquals("AccessDenied", unsigned.xml("Code"), unsigned.toString());
    TestResponse ok = send(TestRequest.post(post).body(body).header("x-amz-checksum-sha256", sha));
    assertEquals(200, ok.status(), ok.toString());
    assertEquals("k", ok.xml("Key"));
  }

  @Test
  void anUnknownOrDisabledKeyGetsNoUrl() {
    assertEquals(Optional.empty(), presigner.presign(new Presigner.Request("AKIANOSUCHKEY0000000", "GET", HOST, null,
        null, Map.of(), Map.of(), S3Fixture.NOW, 60)));
    QueryPresigner refusing = new QueryPresigner(id -> {
      throw new S3Exception(S3Error.INVALID_ACCESS_KEY_ID, "disabled");
    }, S3Fixture.REGION);
    assertEquals(Optional.empty(), refusing.presign(new Presigner.Request(S3Fixture.ACCESS_KEY, "GET", HOST, null,
        null, Map.of(), Map.of(), S3Fixture.NOW, 60)));
  }

  @Test
  void presignedReadsOfActiveContentAreSandboxedAndNeverSniffed() {
    String bucket = fixture.newBucket();
    byte[] html = "<script>fetch('/_tarn/api/v1/session')</script>".getBytes(StandardCharsets.UTF_8);
    fixture.putObject(bucket, "page.html", html, io.tarn.storage.ObjectMetadata.of("text/html; charset=utf-8", Map.of()));
    fixture.putObject(bucket, "pic.svg", html, io.tarn.storage.ObjectMetadata.of("image/svg+xml", Map.of()));
    fixture.putObject(bucket, "cat.png", new byte[] {1}, io.tarn.storage.ObjectMetadata.of("image/png", Map.of()));
    fixture.putObject(bucket, "note.txt", html, io.tarn.storage.ObjectMetadata.of("text/plain", Map.of()));
    for (String key : new String[] {"page.html", "pic.svg"}) {
      for (String method : new String[] {"GET", "HEAD"}) {
        TestResponse r = send(TestRequest.of(method, url(method, bucket, key, Map.of(), Map.of(), S3Fixture.NOW, 60)));
        assertEquals(200, r.status(), r.toString());
        assertEquals("sandbox", r.header("Content-Security-Policy"), method + " " + key);
        assertEquals("nosniff", r.header("X-Content-Type-Options"), method + " " + key);
      }
    }
    TestResponse png = send(TestRequest.get(url("GET", bucket, "cat.png", Map.of(), Map.of(), S3Fixture.NOW, 60)));
    assertEquals("nosniff", png.header("X-Content-Type-Options"));
    assertEquals(null, png.header("Content-Security-Policy"), "an image stays embeddable and viewable");
    // A type chosen in the URL counts, not the stored one.
    TestResponse asHtml = send(TestRequest.get(url("GET", bucket, "note.txt",
        Map.of("response-content-type", "text/html"), Map.of(), S3Fixture.NOW, 60)));
    assertEquals("text/html", asHtml.header("Content-Type"));
    assertEquals("sandbox", asHtml.header("Content-Security-Policy"));
    // S3 clients signing headers get S3's headers unchanged.
    TestResponse sdk = DirectExchange.run(fixture.api(), TestRequest.get("/" + bucket + "/page.html"));
    assertEquals(200, sdk.status());
    assertEquals(null, sdk.header("Content-Security-Policy"));
    assertEquals(null, sdk.header("X-Content-Type-Options"));
  }
}
