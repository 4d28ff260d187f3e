package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Conditional writes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html). */
class ConditionalWriteTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String BUCKET = bucketName("condwrite");

  @BeforeAll
  static void createBucket() {
    TARN.s3().createBucket(r -> r.bucket(BUCKET));
  }

  @Test
  void ifNoneMatchStarCreatesOnlyOnce() {
    S3Client s3 = TARN.s3();
    s3.putObject(r -> r.bucket(BUCKET).key("once").ifNoneMatch("*"), RequestBody.fromString("first"));
    S3Exception e = assertThrows(S3Exception.class,
        () -> s3.putObject(r -> r.bucket(BUCKET).key("once").ifNoneMatch("*"), RequestBody.fromString("second")));
    assertEquals(412, e.statusCode());
    assertEquals("PreconditionFailed", e.awsErrorDetails().errorCode());
    assertEquals("first", s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("once")).asUtf8String());
  }

  @Test
  void ifMatchReplacesOnlyTheExpectedVersion() {
    S3Client s3 = TARN.s3();
    PutObjectResponse v1 = s3.putObject(r -> r.bucket(BUCKET).key("cas"), RequestBody.fromString("v1"));
    PutObjectResponse v2 = s3.putObject(r -> r.bucket(BUCKET).key("cas").ifMatch(v1.eTag()), RequestBody.fromString("v2"));
    S3Exception stale = assertThrows(S3Exception.class,
        () -> s3.putObject(r -> r.bucket(BUCKET).key("cas").ifMatch(v1.eTag()), RequestBody.fromString("v3")));
    assertEquals(412, stale.statusCode());
    assertEquals("PreconditionFailed", stale.awsErrorDetails().errorCode());
    assertEquals("v2", s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("cas")).asUtf8String());
    assertEquals(TestData.etag("v2".getBytes(java.nio.charset.StandardCharsets.UTF_8)), v2.eTag());

    // If-Match on a key that does not exist: 404 NoSuchKey.
    S3Exception missing = assertThrows(S3Exception.class,
        () -> s3.putObject(r -> r.bucket(BUCKET).key("absent").ifMatch(v1.eTag()), RequestBody.fromString("x")));
    assertEquals(404, missing.statusCode());
    assertEquals("NoSuchKey", missing.awsErrorDetails().errorCode());
  }

  @Test
  void completeMultipartUploadHonoursIfNoneMatch() {
    S3Client s3 = TARN.s3();
    s3.putObject(r -> r.bucket(BUCKET).key("mpu-exists"), RequestBody.fromString("already here"));
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key("mpu-exists")).uploadId();
    String etag = s3.uploadPart(r -> r.bucket(BUCKET).key("mpu-exists").uploadId(uploadId).partNumber(1),
        RequestBody.fromString("part")).eTag();
    List<CompletedPart> parts = List.of(CompletedPart.builder().partNumber(1).eTag(etag).build());

    S3Exception e = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(BUCKET)
        .key("mpu-exists").uploadId(uploadId).ifNoneMatch("*").multipartUpload(m -> m.parts(parts))));
    assertEquals(412, e.statusCode());
    assertEquals("PreconditionFailed", e.awsErrorDetails().errorCode());
    assertEquals("already here", s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("mpu-exists")).asUtf8String());

    String fresh = s3.createMultipartUpload(r -> r.bucket(BUCKET).key("mpu-new")).uploadId();
    String freshEtag = s3.uploadPart(r -> r.bucket(BUCKET).key("mpu-new").uploadId(fresh).partNumber(1),
        RequestBody.fromString("new part")).eTag();
    s3.completeMultipartUpload(r -> r.bucket(BUCKET).key("mpu-new").uploadId(fresh).ifNoneMatch("*")
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(freshEtag).build())));
    assertEquals("new part", s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("mpu-new")).asUtf8String());
  }
}
