package io.tarn.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.s3.auth.SigV4;
import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.ObjectMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher: routing and authentication before any storage work, and the resource named in errors. */
class S3ApiTest {
  @TempDir static Path dir;
  private static S3Fixture fixture;
  private static String bkt;

  @BeforeAll
  static void openStore() {
    fixture = S3Fixture.open(dir);
    bkt = fixture.newBucket();
    fixture.putObject(bkt, "k", "value".getBytes(), ObjectMetadata.of(null, Map.of()));
  }

  @AfterAll
  static void closeStore() {
    fixture.close();
  }

  private static TestResponse run(TestRequest r) {
    return DirectExchange.run(fixture.api(), r);
  }

  @Test
  void theConsolePathGoesToTarnsOwnApis() {
    TestResponse r = run(TestRequest.get("/_tarn/api/buckets").anonymous());
    assertEquals(200, r.status());
    assertEquals("GET /api/buckets {} principal=- body=", r.text());
  }

  @Test
  void aSkewedRequestTimeIsRefused() {
    String old = SigV4.formatAmzDate(S3Fixture.NOW.minus(Duration.ofHours(1)));
    TestResponse r = run(TestRequest.get("/" + bkt + "/k").header("x-amz-date", old));
    assertEquals(403, r.status());
    assertEquals("RequestTimeTooSkewed", r.xml("Code"));
  }

  @Test
  void aSignatureForAnotherPathDoesNotMatch() {
    TestRequest.Built signed = TestRequest.get("/" + bkt + "/k").build();
    TestRequest tampered = TestRequest.get("/" + bkt + "/other");
    signed.headers().forEach(e -> tampered.header(e.getKey(), e.getValue()));
    TestResponse r = DirectExchange.run(fixture.api(), tampered.anonymous());
    assertEquals(403, r.status());
    assertEquals("SignatureDoesNotMatch", r.xml("Code"));
  }

  @Test
  void aPresignedUrlReadsTheObject() {
    String query = SigV4.presignQuery("GET", "/" + bkt + "/k", null, "tarn.test", S3Fixture.ACCESS_KEY, S3Fixture.SECRET,
        S3Fixture.REGION, S3Fixture.NOW.minus(Duration.ofMinutes(30)), 3600);
    TestResponse r = run(TestRequest.get("/" + bkt + "/k?" + query).anonymous());
    assertEquals(200, r.status(), r.toString());
    assertEquals("value", r.text());
  }

  @Test
  void errorsNameTheirResource() {
    assertEquals("/" + bkt + "/missing", run(TestRequest.get("/" + bkt + "/missing")).xml("Resource"));
    assertEquals("/nobucket", run(TestRequest.get("/nobucket?location")).xml("Resource"));
  }
}
