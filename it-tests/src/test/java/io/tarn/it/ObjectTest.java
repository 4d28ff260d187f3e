package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** PutObject, GetObject, HeadObject and DeleteObject through the sync SDK client. */
class ObjectTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String BUCKET = bucketName("objects");

  @BeforeAll
  static void createBucket() {
    TARN.s3().createBucket(r -> r.bucket(BUCKET));
  }

  @Test
  void putGetAndHeadKeepBodyMetadataAndHeaders() {
    S3Client s3 = TARN.s3();
    byte[] body = TestData.bytes(300_001, 1);
    Instant expires = Instant.parse("2030-01-01T00:00:00Z");
    PutObjectResponse put = s3.putObject(r -> r.bucket(BUCKET).key("meta/object.bin")
        .contentType("text/plain; charset=utf-8")
        .cacheControl("max-age=60")
        .contentDisposition("inline; filename=\"object.bin\"")
        .contentLanguage("en-GB")
        .expires(expires)
        .metadata(Map.of("color", "blue", "Mixed-Case", "Value with spaces")),
        RequestBody.fromBytes(body));
    assertEquals(TestData.etag(body), put.eTag());

    ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("meta/object.bin"));
    assertArrayEquals(body, got.asByteArray());
    GetObjectResponse g = got.response();
    assertEquals(200, g.sdkHttpResponse().statusCode());
    assertEquals(TestData.etag(body), g.eTag());
    assertEquals(body.length, g.contentLength());
    assertEquals("text/plain; charset=utf-8", g.contentType());
    assertEquals("max-age=60", g.cacheControl());
    assertEquals("inline; filename=\"object.bin\"", g.contentDisposition());
    assertEquals("en-GB", g.contentLanguage());
    assertEquals(Map.of("color", "blue", "mixed-case", "Value with spaces"), g.metadata());
    assertEquals(expires, httpDate(g.sdkHttpResponse().firstMatchingHeader("Expires").orElse(null)));
    assertNotNull(g.lastModified());
    // The SDK sent "Content-Encoding: aws-chunked"; that is transport framing, not object metadata
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html).
    assertNull(g.contentEncoding(), "Content-Encoding stored from the aws-chunked upload");

    HeadObjectResponse head = s3.headObject(r -> r.bucket(BUCKET).key("meta/object.bin"));
    assertEquals(body.length, head.contentLength());
    assertEquals(TestData.etag(body), head.eTag());
    assertEquals("text/plain; charset=utf-8", head.contentType());
    assertEquals(Map.of("color", "blue", "mixed-case", "Value with spaces"), head.metadata());
    assertEquals(g.lastModified(), head.lastModified());
    assertEquals("bytes", head.acceptRanges());
  }

  @Test
  void contentTypeDefaultsToBinaryOctetStream() {
    // The SDK always sends a Content-Type, so this PUT goes through the raw signer without one.
    byte[] body = "no content type".getBytes(StandardCharsets.UTF_8);
    RawResponse put = TARN.raw().signed("PUT", "/" + BUCKET + "/untyped", "", Map.of(), body);
    assertEquals(200, put.status(), put::toString);
    assertEquals(TestData.etag(body), put.header("ETag"));
    assertEquals("binary/octet-stream", TARN.s3().headObject(r -> r.bucket(BUCKET).key("untyped")).contentType());
  }

  @Test
  void emptyObjectsAndOverwrites() {
    S3Client s3 = TARN.s3();
    s3.putObject(r -> r.bucket(BUCKET).key("empty"), RequestBody.empty());
    ResponseBytes<GetObjectResponse> empty = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("empty"));
    assertEquals(0, empty.asByteArray().length);
    assertEquals("\"d41d8cd98f00b204e9800998ecf8427e\"", empty.response().eTag());

    s3.putObject(r -> r.bucket(BUCKET).key("overwritten").metadata(Map.of("v", "1")), RequestBody.fromString("first"));
    s3.putObject(r -> r.bucket(BUCKET).key("overwritten"), RequestBody.fromString("second version"));
    ResponseBytes<GetObjectResponse> second = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("overwritten"));
    assertEquals("second version", second.asUtf8String());
    assertEquals(Map.of(), second.response().metadata(), "metadata of the replaced object must not survive");
  }

  /** Range reads (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax). */
  @Test
  void rangeReadsAnswer206AndUnsatisfiableRangesAnswer416() {
    S3Client s3 = TARN.s3();
    byte[] body = TestData.bytes(1000, 2);
    s3.putObject(r -> r.bucket(BUCKET).key("ranged"), RequestBody.fromBytes(body));

    assertRange(s3, "bytes=0-9", body, 0, 9);
    assertRange(s3, "bytes=990-", body, 990, 999);
    assertRange(s3, "bytes=-5", body, 995, 999);
    assertRange(s3, "bytes=995-5000", body, 995, 999);
    assertRange(s3, "bytes=0-0", body, 0, 0);

    S3Exception beyond = assertThrows(S3Exception.class,
        () -> s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("ranged").range("bytes=1000-")));
    assertEquals(416, beyond.statusCode());
    assertEquals("InvalidRange", beyond.awsErrorDetails().errorCode());
  }

  private static void assertRange(S3Client s3, String range, byte[] body, int first, int last) {
    ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("ranged").range(range));
    assertEquals(206, got.response().sdkHttpResponse().statusCode(), range);
    assertEquals("bytes " + first + "-" + last + "/" + body.length, got.response().contentRange(), range);
    assertEquals(last - first + 1, got.response().contentLength(), range);
    assertArrayEquals(java.util.Arrays.copyOfRange(body, first, last + 1), got.asByteArray(), range);
  }

  /**
   * Conditional reads, including the two documented precedence rules
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, If-Match / If-None-Match).
   */
  @Test
  void conditionalGetsAndHeadsAnswer304And412() {
    S3Client s3 = TARN.s3();
    PutObjectResponse put = s3.putObject(r -> r.bucket(BUCKET).key("conditional"), RequestBody.fromString("cond"));
    String etag = put.eTag();
    Instant modified = s3.headObject(r -> r.bucket(BUCKET).key("conditional")).lastModified();
    Instant dayBefore = modified.minus(Duration.ofDays(1));

    assertGetStatus(200, g -> g.ifMatch(etag));
    assertGetStatus(200, g -> g.ifNoneMatch("\"0123456789abcdef0123456789abcdef\""));
    assertGetStatus(200, g -> g.ifModifiedSince(dayBefore));
    assertGetStatus(200, g -> g.ifUnmodifiedSince(modified));
    assertGetStatus(304, g -> g.ifNoneMatch(etag));
    assertGetStatus(304, g -> g.ifModifiedSince(modified));
    assertGetStatus(412, g -> g.ifMatch("\"0123456789abcdef0123456789abcdef\""));
    assertGetStatus(412, g -> g.ifUnmodifiedSince(dayBefore));
    // If-Match true and If-Unmodified-Since false: 200.
    assertGetStatus(200, g -> g.ifMatch(etag).ifUnmodifiedSince(dayBefore));
    // If-None-Match false and If-Modified-Since true: 304.
    assertGetStatus(304, g -> g.ifNoneMatch(etag).ifModifiedSince(dayBefore));

    assertHeadStatus(304, h -> h.ifNoneMatch(etag));
    assertHeadStatus(412, h -> h.ifMatch("\"0123456789abcdef0123456789abcdef\""));
    assertHeadStatus(200, h -> h.ifMatch(etag));
  }

  private static void assertGetStatus(int expected, Consumer<GetObjectRequest.Builder> conditions) {
    Consumer<GetObjectRequest.Builder> request = r -> conditions.accept(r.bucket(BUCKET).key("conditional"));
    if (expected == 200) {
      assertEquals("cond", TARN.s3().getObjectAsBytes(request).asUtf8String());
      return;
    }
    S3Exception e = assertThrows(S3Exception.class, () -> TARN.s3().getObjectAsBytes(request));
    assertEquals(expected, e.statusCode());
    if (expected == 412) {
      assertEquals("PreconditionFailed", e.awsErrorDetails().errorCode());
    }
  }

  private static void assertHeadStatus(int expected, Consumer<HeadObjectRequest.Builder> conditions) {
    Consumer<HeadObjectRequest.Builder> request = r -> conditions.accept(r.bucket(BUCKET).key("conditional"));
    if (expected == 200) {
      assertEquals(4L, TARN.s3().headObject(request).contentLength());
      return;
    }
    S3Exception e = assertThrows(S3Exception.class, () -> TARN.s3().headObject(request));
    assertEquals(expected, e.statusCode());
  }

  /** response-* query parameters override response headers of a GET. */
  @Test
  void responseHeaderOverrides() {
    S3Client s3 = TARN.s3();
    s3.putObject(r -> r.bucket(BUCKET).key("overrides").contentType("text/plain"), RequestBody.fromString("a,b\n"));
    Instant expires = Instant.parse("2031-02-03T04:05:06Z");
    GetObjectResponse g = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("overrides")
        .responseContentType("text/csv")
        .responseContentDisposition("attachment; filename=\"data.csv\"")
        .responseCacheControl("no-cache")
        .responseContentLanguage("fr")
        .responseContentEncoding("identity")
        .responseExpires(expires)).response();
    SdkHttpResponse http = g.sdkHttpResponse();
    assertEquals("text/csv", g.contentType());
    assertEquals("attachment; filename=\"data.csv\"", g.contentDisposition());
    assertEquals("no-cache", g.cacheControl());
    assertEquals("fr", g.contentLanguage());
    assertEquals("identity", g.contentEncoding());
    assertEquals(expires, httpDate(http.firstMatchingHeader("Expires").orElse(null)));
    // The stored object is unchanged.
    assertEquals("text/plain", s3.headObject(r -> r.bucket(BUCKET).key("overrides")).contentType());
  }

  @Test
  void deleteRemovesTheObjectAndDeletingAMissingKeySucceeds() {
    S3Client s3 = TARN.s3();
    s3.putObject(r -> r.bucket(BUCKET).key("doomed"), RequestBody.fromString("bye"));
    assertEquals(204, s3.deleteObject(r -> r.bucket(BUCKET).key("doomed")).sdkHttpResponse().statusCode());

    NoSuchKeyException head =
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(BUCKET).key("doomed")));
    assertEquals(404, head.statusCode());
    NoSuchKeyException get = assertThrows(NoSuchKeyException.class,
        () -> s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("doomed")));
    assertEquals("NoSuchKey", get.awsErrorDetails().errorCode());
    assertEquals(204, s3.deleteObject(r -> r.bucket(BUCKET).key("doomed")).sdkHttpResponse().statusCode());
    assertEquals(204, s3.deleteObject(r -> r.bucket(BUCKET).key("never-existed")).sdkHttpResponse().statusCode());
  }

  @Test
  void wrongContentMd5IsBadDigestAndStoresNothing() {
    S3Client s3 = TARN.s3();
    byte[] body = "checked".getBytes(StandardCharsets.UTF_8);
    S3Exception bad = assertThrows(S3Exception.class, () -> s3.putObject(r -> r.bucket(BUCKET).key("md5")
        .contentMD5(TestData.contentMd5("something else".getBytes(StandardCharsets.UTF_8))), RequestBody.fromBytes(body)));
    assertEquals(400, bad.statusCode());
    assertEquals("BadDigest", bad.awsErrorDetails().errorCode());
    assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(BUCKET).key("md5")));

    S3Exception invalid = assertThrows(S3Exception.class,
        () -> s3.putObject(r -> r.bucket(BUCKET).key("md5").contentMD5("not base64!"), RequestBody.fromBytes(body)));
    assertEquals(400, invalid.statusCode());
    assertEquals("InvalidDigest", invalid.awsErrorDetails().errorCode());

    PutObjectResponse ok = s3.putObject(r -> r.bucket(BUCKET).key("md5").contentMD5(TestData.contentMd5(body)),
        RequestBody.fromBytes(body));
    assertEquals(TestData.etag(body), ok.eTag());
    assertEquals(body.length, s3.headObject(r -> r.bucket(BUCKET).key("md5")).contentLength());
  }

  /** Parses an HTTP date header; fails on a missing one. */
  private static Instant httpDate(String header) {
    assertNotNull(header, "Expires header");
    return DateTimeFormatter.RFC_1123_DATE_TIME.parse(header, Instant::from);
  }
}
