package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** CopyObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html). */
class CopyObjectTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String SOURCE_BUCKET = bucketName("copy-src");
  private static final String TARGET_BUCKET = bucketName("copy-dst");
  private static final byte[] BODY = TestData.bytes(70_000, 7);
  private static final String SOURCE_KEY = "source object \u00e9/\uD83D\uDCE6?&=.bin";

  @BeforeAll
  static void createSource() {
    S3Client s3 = TARN.s3();
    s3.createBucket(r -> r.bucket(SOURCE_BUCKET));
    s3.createBucket(r -> r.bucket(TARGET_BUCKET));
    s3.putObject(r -> r.bucket(SOURCE_BUCKET).key(SOURCE_KEY).contentType("text/x-source")
        .metadata(Map.of("origin", "source")), RequestBody.fromBytes(BODY));
  }

  @Test
  void copyDirectiveKeepsBodyTypeAndMetadata() {
    S3Client s3 = TARN.s3();
    CopyObjectResponse copy = s3.copyObject(r -> source(r).destinationBucket(SOURCE_BUCKET).destinationKey("copied"));
    assertEquals(TestData.etag(BODY), copy.copyObjectResult().eTag());
    assertNotNull(copy.copyObjectResult().lastModified());

    ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(SOURCE_BUCKET).key("copied"));
    assertArrayEquals(BODY, got.asByteArray());
    assertEquals("text/x-source", got.response().contentType());
    assertEquals(Map.of("origin", "source"), got.response().metadata());
    assertEquals(TestData.etag(BODY), got.response().eTag());
  }

  @Test
  void replaceDirectiveTakesTheRequestsMetadata() {
    S3Client s3 = TARN.s3();
    s3.copyObject(r -> source(r).destinationBucket(SOURCE_BUCKET).destinationKey("replaced")
        .metadataDirective(MetadataDirective.REPLACE).contentType("application/json").metadata(Map.of("new", "yes")));
    HeadObjectResponse head = s3.headObject(r -> r.bucket(SOURCE_BUCKET).key("replaced"));
    assertEquals("application/json", head.contentType());
    assertEquals(Map.of("new", "yes"), head.metadata());
    assertArrayEquals(BODY, s3.getObjectAsBytes(r -> r.bucket(SOURCE_BUCKET).key("replaced")).asByteArray());
  }

  @Test
  void copiesAcrossBuckets() {
    S3Client s3 = TARN.s3();
    s3.copyObject(r -> source(r).destinationBucket(TARGET_BUCKET).destinationKey("dir/" + SOURCE_KEY));
    assertArrayEquals(BODY, s3.getObjectAsBytes(r -> r.bucket(TARGET_BUCKET).key("dir/" + SOURCE_KEY)).asByteArray());
    // The source is untouched.
    assertArrayEquals(BODY, s3.getObjectAsBytes(r -> r.bucket(SOURCE_BUCKET).key(SOURCE_KEY)).asByteArray());
  }

  @Test
  void copyOntoItselfNeedsReplace() {
    S3Client s3 = TARN.s3();
    s3.putObject(r -> r.bucket(SOURCE_BUCKET).key("self").metadata(Map.of("round", "1")), RequestBody.fromString("self"));

    // "...trying to copy an object to itself without changing the object's metadata..." is 400 InvalidRequest.
    S3Exception same = assertThrows(S3Exception.class, () -> s3.copyObject(r -> r.sourceBucket(SOURCE_BUCKET)
        .sourceKey("self").destinationBucket(SOURCE_BUCKET).destinationKey("self")));
    assertEquals(400, same.statusCode());
    assertEquals("InvalidRequest", same.awsErrorDetails().errorCode());

    s3.copyObject(r -> r.sourceBucket(SOURCE_BUCKET).sourceKey("self").destinationBucket(SOURCE_BUCKET)
        .destinationKey("self").metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("round", "2")));
    ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(SOURCE_BUCKET).key("self"));
    assertEquals("self", got.asUtf8String());
    assertEquals(Map.of("round", "2"), got.response().metadata());
  }

  /** x-amz-copy-source-if-* preconditions; a failed one is 412 PreconditionFailed. */
  @Test
  void copySourceConditions() {
    S3Client s3 = TARN.s3();
    HeadObjectResponse src = s3.headObject(r -> r.bucket(SOURCE_BUCKET).key(SOURCE_KEY));
    String etag = src.eTag();
    Instant modified = src.lastModified();
    Instant dayBefore = modified.minus(Duration.ofDays(1));
    String otherEtag = "\"0123456789abcdef0123456789abcdef\"";

    assertCopy(true, r -> r.copySourceIfMatch(etag));
    assertCopy(true, r -> r.copySourceIfNoneMatch(otherEtag));
    assertCopy(true, r -> r.copySourceIfModifiedSince(dayBefore));
    assertCopy(true, r -> r.copySourceIfUnmodifiedSince(modified));
    assertCopy(false, r -> r.copySourceIfMatch(otherEtag));
    assertCopy(false, r -> r.copySourceIfNoneMatch(etag));
    assertCopy(false, r -> r.copySourceIfModifiedSince(modified));
    assertCopy(false, r -> r.copySourceIfUnmodifiedSince(dayBefore));
  }

  private static void assertCopy(boolean copies, Consumer<CopyObjectRequest.Builder> condition) {
    S3Client s3 = TARN.s3();
    s3.deleteObject(r -> r.bucket(TARGET_BUCKET).key("conditional"));
    Consumer<CopyObjectRequest.Builder> request =
        r -> condition.accept(source(r).destinationBucket(TARGET_BUCKET).destinationKey("conditional"));
    if (copies) {
      s3.copyObject(request);
      assertArrayEquals(BODY, s3.getObjectAsBytes(r -> r.bucket(TARGET_BUCKET).key("conditional")).asByteArray());
    } else {
      S3Exception e = assertThrows(S3Exception.class, () -> s3.copyObject(request));
      assertEquals(412, e.statusCode());
      assertEquals("PreconditionFailed", e.awsErrorDetails().errorCode());
      assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(TARGET_BUCKET).key("conditional")));
    }
  }

  @Test
  void missingSourceIsNoSuchKey() {
    S3Exception e = assertThrows(S3Exception.class, () -> TARN.s3().copyObject(r -> r.sourceBucket(SOURCE_BUCKET)
        .sourceKey("no such source").destinationBucket(TARGET_BUCKET).destinationKey("x")));
    assertEquals(404, e.statusCode());
    assertEquals("NoSuchKey", e.awsErrorDetails().errorCode());
  }

  private static CopyObjectRequest.Builder source(CopyObjectRequest.Builder r) {
    return r.sourceBucket(SOURCE_BUCKET).sourceKey(SOURCE_KEY);
  }
}
