package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PutObject's checks before and after the body
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 */
class ObjectWritesTest extends S3FixtureTest {
  private String bkt;

  @BeforeEach
  void setUp() {
    bkt = fixture.newBucket();
  }

  private TestResponse put(TestRequest r) {
    return DirectExchange.run(fixture.api(), r);
  }

  private TestRequest putRequest(String key, String body) {
    return TestRequest.put("/" + bkt + "/" + key).body(body);
  }

  private String read(String key) {
    return DirectExchange.run(fixture.api(), TestRequest.get("/" + bkt + "/" + key)).text();
  }

  @Test
  void ifNoneMatchStarCreatesOnlyOnce() {
    assertEquals(200, put(putRequest("k", "first").header("If-None-Match", "*")).status());
    TestResponse second = put(putRequest("k", "second").header("If-None-Match", "*"));
    assertEquals(412, second.status(), second.toString());
    assertEquals("PreconditionFailed", second.xml("Code"));
    assertEquals("first", read("k"));
  }

  @Test
  void ifMatchReplacesOnlyTheNamedVersion() {
    TestResponse first = put(putRequest("k", "first"));
    assertEquals(412, put(putRequest("k", "x").header("If-Match", "\"0000\"")).status());
    assertEquals(200, put(putRequest("k", "second").header("If-Match", first.header("ETag"))).status());
    assertEquals("second", read("k"));
    TestResponse missing = put(putRequest("none", "x").header("If-Match", first.header("ETag")));
    assertEquals("NoSuchKey", missing.xml("Code"));
  }

  @Test
  void ifNoneMatchWithAnETagIsNotImplemented() {
    TestResponse r = put(putRequest("k", "x").header("If-None-Match", "\"abc\""));
    assertEquals(501, r.status());
    assertEquals("NotImplemented", r.xml("Code"));
  }

  @Test
  void serverSideEncryptionIsRefusedAndNothingIsStored() {
    String sseCKey = Base64.getEncoder().encodeToString(new byte[32]);
    String[][] requested = {
        {"x-amz-server-side-encryption-customer-algorithm", "AES256"},
        {"x-amz-server-side-encryption-customer-key", sseCKey},
        {"x-amz-server-side-encryption", "AES256"},
        {"x-amz-server-side-encryption", "aws:kms"},
        {"x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:1:key/k"},
        {"X-Amz-Server-Side-Encryption-Bucket-Key-Enabled", "true"}};
    for (String[] h : requested) {
      TestResponse r = put(putRequest("secret", "plaintext").header(h[0], h[1]));
      assertEquals(501, r.status(), h[0] + ": " + r);
      assertEquals("NotImplemented", r.xml("Code"));
      assertEquals(h[0].toLowerCase(java.util.Locale.ROOT), r.xml("Header"));
      assertFalse(fixture.store().head(bkt, "secret").isPresent(), h[0]);
    }
    TestResponse mpu = put(TestRequest.post("/" + bkt + "/secret?uploads").header("x-amz-server-side-encryption", "AES256"));
    assertEquals("NotImplemented", mpu.xml("Code"), mpu.toString());

    // A read or a copy that brings a customer key is refused too: nothing here was encrypted with it.
    assertEquals(200, put(putRequest("plain", "plaintext")).status());
    TestResponse get = put(TestRequest.get("/" + bkt + "/plain")
        .header("x-amz-server-side-encryption-customer-algorithm", "AES256")
        .header("x-amz-server-side-encryption-customer-key", sseCKey));
    assertEquals("NotImplemented", get.xml("Code"), get.toString());
    TestResponse copy = put(TestRequest.put("/" + bkt + "/copy").header("x-amz-copy-source", "/" + bkt + "/plain")
        .header("x-amz-copy-source-server-side-encryption-customer-algorithm", "AES256"));
    assertEquals("NotImplemented", copy.xml("Code"), copy.toString());
    assertFalse(fixture.store().head(bkt, "copy").isPresent());
  }

  @Test
  void tooMuchUserMetadataIsRefusedBeforeTheBody() {
    TestResponse r = put(putRequest("k", "x").header("x-amz-meta-big", "v".repeat(2100)));
    assertEquals(400, r.status());
    assertEquals("MetadataTooLarge", r.xml("Code"));
    assertFalse(fixture.store().head(bkt, "k").isPresent());
  }

  @Test
  void aBodyOverFiveGibIsEntityTooLarge() {
    TestResponse r = put(TestRequest.put("/" + bkt + "/k").header("Content-Length", Long.toString(5L << 30 | 1))
        .payload(TestRequest.Payload.UNSIGNED));
    assertEquals(400, r.status());
    assertEquals("EntityTooLarge", r.xml("Code"));
    assertEquals(Long.toString(5L << 30 | 1), r.xml("ProposedSize"));
  }

  @Test
  void anSdkChecksumAlgorithmIsComputedAndStored() {
    byte[] data = "checksum me".getBytes();
    TestResponse r = put(TestRequest.put("/" + bkt + "/k").header("x-amz-sdk-checksum-algorithm", "CRC32").body(data));
    assertEquals(200, r.status(), r.toString());
    assertEquals(Base64.getEncoder().encodeToString(ChecksumAlgorithm.CRC32.digest(data)), r.header("x-amz-checksum-crc32"));
  }

  @Test
  void twoChecksumHeadersAreInvalidRequest() {
    byte[] data = "x".getBytes();
    TestResponse r = put(TestRequest.put("/" + bkt + "/k").body(data)
        .header("x-amz-checksum-crc32", Base64.getEncoder().encodeToString(ChecksumAlgorithm.CRC32.digest(data)))
        .header("x-amz-checksum-sha1", Base64.getEncoder().encodeToString(ChecksumAlgorithm.SHA1.digest(data))));
    assertEquals(400, r.status());
    assertEquals("InvalidRequest", r.xml("Code"));
  }
}
