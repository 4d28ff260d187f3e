package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.S3ErrorXml;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.Xml;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Authentication failures, presigned URLs, unsupported operations and the error document shape
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 */
class AuthAndErrorsTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String BUCKET = bucketName("auth");
  private static final String ODD_KEY = "dir/hello world \uD83E\uDD80+%.txt";

  @BeforeAll
  static void fill() {
    S3Client s3 = TARN.s3();
    s3.createBucket(r -> r.bucket(BUCKET));
    s3.putObject(r -> r.bucket(BUCKET).key("hello.txt"), RequestBody.fromString("hello"));
    s3.putObject(r -> r.bucket(BUCKET).key("other.txt"), RequestBody.fromString("other"));
    s3.putObject(r -> r.bucket(BUCKET).key(ODD_KEY), RequestBody.fromString("odd"));
  }

  @Test
  void aWrongSecretIsSignatureDoesNotMatch() {
    String secret = TARN.secretKey();
    S3Client forged = TARN.s3With(S3Clients.credentials(TARN.accessKey(), "X" + secret.substring(1, 39) + "Y"));
    assertError(403, "SignatureDoesNotMatch", assertThrows(S3Exception.class, forged::listBuckets));
    assertError(403, "SignatureDoesNotMatch",
        assertThrows(S3Exception.class, () -> forged.getObjectAsBytes(r -> r.bucket(BUCKET).key("hello.txt"))));
    // A streaming (aws-chunked) upload with a bad signature stores nothing.
    assertError(403, "SignatureDoesNotMatch", assertThrows(S3Exception.class,
        () -> forged.putObject(r -> r.bucket(BUCKET).key("forged"), RequestBody.fromBytes(TestData.bytes(200_000, 5)))));
    assertThrows(NoSuchKeyException.class, () -> TARN.s3().headObject(r -> r.bucket(BUCKET).key("forged")));
  }

  @Test
  void anUnknownAccessKeyIsInvalidAccessKeyId() {
    S3Client stranger =
        TARN.s3With(S3Clients.credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    assertError(403, "InvalidAccessKeyId", assertThrows(S3Exception.class, stranger::listBuckets));
    assertError(403, "InvalidAccessKeyId",
        assertThrows(S3Exception.class, () -> stranger.getObjectAsBytes(r -> r.bucket(BUCKET).key("hello.txt"))));
  }

  @Test
  void anonymousRequestsAreAccessDenied() {
    RawResponse get = TARN.raw().anonymous("GET", "/" + BUCKET + "/hello.txt", Map.of(), null);
    S3ErrorXml error = assertErrorDocument(get, 403, "AccessDenied");
    assertEquals("/" + BUCKET + "/hello.txt", error.resource());

    assertErrorDocument(TARN.raw().anonymous("GET", "/", Map.of(), null), 403, "AccessDenied");
    assertErrorDocument(TARN.raw().anonymous("PUT", "/" + BUCKET + "/anonymous", Map.of(),
        "sneaky".getBytes(StandardCharsets.UTF_8)), 403, "AccessDenied");
    assertThrows(NoSuchKeyException.class, () -> TARN.s3().headObject(r -> r.bucket(BUCKET).key("anonymous")));
  }

  @Test
  void credentialsOfOtherSchemesAreNeverEchoed() {
    String token = "tarn-secret-token-" + Long.toHexString(System.nanoTime());
    for (String path : List.of("/" + BUCKET + "/hello.txt", "/", "/" + BUCKET)) {
      RawResponse r = TARN.raw().anonymous("GET", path, Map.of("Authorization", "Bearer " + token), null);
      S3ErrorXml error = assertErrorDocument(r, 400, "InvalidArgument");
      assertEquals("Unsupported Authorization Type", error.message());
      assertTrue(error.raw().contains("<ArgumentName>Authorization</ArgumentName>"), error.raw());
      assertNotEchoed(token, r);
    }
    // A malformed Signature Version 2 header: the same, with S3's message.
    RawResponse v2 = TARN.raw().anonymous("GET", "/" + BUCKET + "/hello.txt", Map.of("Authorization", "AWS " + token,
        "Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC))),
        null);
    assertErrorDocument(v2, 400, "InvalidArgument");
    assertNotEchoed(token, v2);
    // Tarn's own API takes bearer tokens: an unknown one is refused without being repeated.
    RawResponse api = TARN.raw().anonymous("GET", "/_tarn/api/v1/tokens", Map.of("Authorization", "Bearer " + token), null);
    assertEquals(403, api.status(), api::toString);
    assertNotEchoed(token, api);
  }

  private static void assertNotEchoed(String secret, RawResponse r) {
    assertFalse(r.text().contains(secret), r::toString);
    r.headers().map().forEach((name, values) -> values.forEach(v -> assertFalse(v.contains(secret), name + ": " + v)));
  }

  @Test
  void unknownSubresourceIsNotImplemented() {
    S3Exception e = assertThrows(S3Exception.class,
        () -> TARN.s3().getObjectTorrentAsBytes(r -> r.bucket(BUCKET).key("hello.txt")));
    assertError(501, "NotImplemented", e);
    assertErrorDocument(TARN.raw().signed("GET", "/" + BUCKET + "/hello.txt", "torrent", Map.of(), null), 501,
        "NotImplemented");
  }

  @Test
  void errorDocumentsHaveCodeMessageResourceAndRequestId() {
    RawResponse noKey = TARN.raw().signed("GET", "/" + BUCKET + "/missing-key", "", Map.of(), null);
    S3ErrorXml error = assertErrorDocument(noKey, 404, "NoSuchKey");
    assertEquals("/" + BUCKET + "/missing-key", error.resource());
    assertEquals("missing-key", Xml.childText(Xml.parse(noKey.body()), "Key"));

    String missingBucket = bucketName("absent");
    RawResponse noBucket = TARN.raw().signed("GET", "/" + missingBucket + "/key", "", Map.of(), null);
    assertErrorDocument(noBucket, 404, "NoSuchBucket");
    assertEquals(missingBucket, Xml.childText(Xml.parse(noBucket.body()), "BucketName"));

    // HEAD has no body, but still the status and the request ids.
    RawResponse head = TARN.raw().signed("HEAD", "/" + BUCKET + "/missing-key", "", Map.of(), null);
    assertEquals(404, head.status());
    assertEquals(0, head.body().length);
    assertNotNull(head.header("x-amz-request-id"));
  }

  @Test
  void requestIdsAreOnEveryResponseAndUnique() {
    List<RawResponse> responses = List.of(
        TARN.raw().signed("GET", "/" + BUCKET + "/hello.txt", "", Map.of(), null),
        TARN.raw().signed("GET", "/" + BUCKET + "/hello.txt", "", Map.of(), null),
        TARN.raw().signed("HEAD", "/" + BUCKET + "/nothing", "", Map.of(), null),
        TARN.raw().signed("GET", "/", "", Map.of(), null),
        TARN.raw().anonymous("GET", "/" + BUCKET, Map.of(), null));
    List<String> ids = responses.stream().map(r -> r.header("x-amz-request-id")).toList();
    for (RawResponse r : responses) {
      assertFalse(r.header("x-amz-request-id") == null || r.header("x-amz-request-id").isBlank(), r::toString);
      assertFalse(r.header("x-amz-id-2") == null || r.header("x-amz-id-2").isBlank(), r::toString);
    }
    assertEquals(ids.size(), ids.stream().distinct().count(), "request ids repeat: " + ids);
  }

  @Test
  void presignedGetAndPutWorkWithAPlainHttpClient() throws URISyntaxException {
    PresignedGetObjectRequest get = TARN.presigner().presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
        .getObjectRequest(g -> g.bucket(BUCKET).key(ODD_KEY)));
    RawResponse fetched = TARN.raw().send(HttpRequest.newBuilder(get.url().toURI()).GET().build());
    assertEquals(200, fetched.status(), fetched::toString);
    assertEquals("odd", fetched.text());

    byte[] body = "uploaded through a presigned URL".getBytes(StandardCharsets.UTF_8);
    PresignedPutObjectRequest put = TARN.presigner().presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(5))
        .putObjectRequest(p -> p.bucket(BUCKET).key("presigned/put target").contentType("text/plain")));
    HttpRequest.Builder upload = HttpRequest.newBuilder(put.url().toURI()).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    put.signedHeaders().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        values.forEach(v -> upload.header(name, v));
      }
    });
    RawResponse uploaded = TARN.raw().send(upload.build());
    assertEquals(200, uploaded.status(), uploaded::toString);
    assertEquals(TestData.etag(body), uploaded.header("ETag"));
    var stored = TARN.s3().getObjectAsBytes(r -> r.bucket(BUCKET).key("presigned/put target"));
    assertArrayEquals(body, stored.asByteArray());
    assertEquals("text/plain", stored.response().contentType());
  }

  @Test
  void aTamperedPresignedUrlIsSignatureDoesNotMatch() throws URISyntaxException {
    URI url = TARN.presigner().presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
        .getObjectRequest(g -> g.bucket(BUCKET).key("hello.txt"))).url().toURI();
    URI tampered = URI.create(url.toString().replace("/hello.txt?", "/other.txt?"));
    assertNotEquals(url, tampered);
    assertErrorDocument(TARN.raw().send(HttpRequest.newBuilder(tampered).GET().build()), 403, "SignatureDoesNotMatch");
  }

  @Test
  void anExpiredPresignedUrlIsAccessDenied() {
    // Signed two hours ago, valid for ten minutes.
    URI url = TARN.raw().presign(Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)), "GET", "/" + BUCKET + "/hello.txt",
        Duration.ofMinutes(10));
    assertErrorDocument(TARN.raw().send(HttpRequest.newBuilder(url).GET().build()), 403, "AccessDenied");
    // The same URL signed now works, so it is the expiry that was refused.
    URI fresh = TARN.raw().presign(Clock.systemUTC(), "GET", "/" + BUCKET + "/hello.txt", Duration.ofMinutes(10));
    RawResponse ok = TARN.raw().send(HttpRequest.newBuilder(fresh).GET().build());
    assertEquals(200, ok.status(), ok::toString);
    assertEquals("hello", ok.text());
  }

  @Test
  void aSkewedClockIsRequestTimeTooSkewed() {
    RawResponse skewed = TARN.raw().signedAt(Clock.offset(Clock.systemUTC(), Duration.ofHours(1)), "GET",
        "/" + BUCKET + "/hello.txt", "", Map.of(), null);
    assertErrorDocument(skewed, 403, "RequestTimeTooSkewed");
  }

  private static void assertError(int status, String code, S3Exception e) {
    assertEquals(status, e.statusCode(), e::toString);
    assertEquals(code, e.awsErrorDetails().errorCode(), e::toString);
    assertNotNull(e.requestId(), "request id of " + e);
  }

  /** Asserts the status, the XML error code and the document's shape; returns the parsed document. */
  static S3ErrorXml assertErrorDocument(RawResponse response, int status, String code) {
    assertEquals(status, response.status(), response::toString);
    String contentType = response.header("Content-Type");
    assertTrue(contentType != null && contentType.startsWith("application/xml"), "Content-Type " + contentType);
    S3ErrorXml error = response.error();
    assertEquals(code, error.code(), error::raw);
    assertFalse(error.message() == null || error.message().isBlank(), "Message in " + error.raw());
    assertNotNull(error.resource(), "Resource in " + error.raw());
    assertEquals(response.header("x-amz-request-id"), error.requestId(), "RequestId in " + error.raw());
    return error;
  }
}
