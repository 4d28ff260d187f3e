package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import io.tarn.it.support.TarnServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Conditional deletes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html): If-Match, its size and
 * last-modified-time companions, and the same conditions per object in DeleteObjects.
 */
class ConditionalDeleteTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String BUCKET = bucketName("conddel");

  @BeforeAll
  static void createBucket() {
    TARN.s3().createBucket(r -> r.bucket(BUCKET));
  }

  private static HeadObjectResponse put(String key, String body) {
    TARN.s3().putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(body));
    return TARN.s3().headObject(r -> r.bucket(BUCKET).key(key));
  }

  private static boolean exists(String key) {
    try {
      TARN.s3().headObject(r -> r.bucket(BUCKET).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    }
  }

  private static void assertPreconditionFailed(String key, Consumer<DeleteObjectRequest.Builder> condition) {
    S3Exception e = assertThrows(S3Exception.class,
        () -> TARN.s3().deleteObject(r -> condition.accept(r.bucket(BUCKET).key(key))));
    assertEquals(412, e.statusCode());
    assertEquals("PreconditionFailed", e.awsErrorDetails().errorCode());
    assertTrue(exists(key), "a failed condition deletes nothing");
  }

  @Test
  void ifMatchDeletesOnlyTheVersionItNames() {
    S3Client s3 = TARN.s3();
    HeadObjectResponse v1 = put("etag", "v1");
    put("etag", "v2");
    assertPreconditionFailed("etag", r -> r.ifMatch(v1.eTag()));
    String current = s3.headObject(r -> r.bucket(BUCKET).key("etag")).eTag();
    assertEquals(204, s3.deleteObject(r -> r.bucket(BUCKET).key("etag").ifMatch(current)).sdkHttpResponse()
        .statusCode());
    assertTrue(!exists("etag"));

    put("star", "x");
    s3.deleteObject(r -> r.bucket(BUCKET).key("star").ifMatch("*"));
    assertTrue(!exists("star"));
  }

  @Test
  void ifMatchOnAMissingKeyIsNoSuchKey() {
    S3Exception e = assertThrows(S3Exception.class,
        () -> TARN.s3().deleteObject(r -> r.bucket(BUCKET).key("never-was").ifMatch("\"0123456789abcdef0123456789abcdef\"")));
    assertEquals(404, e.statusCode());
    assertEquals("NoSuchKey", e.awsErrorDetails().errorCode());
    S3Exception star = assertThrows(S3Exception.class,
        () -> TARN.s3().deleteObject(r -> r.bucket(BUCKET).key("never-was").ifMatch("*")));
    assertEquals("NoSuchKey", star.awsErrorDetails().errorCode());
  }

  @Test
  void sizeAndLastModifiedTimeConditions() {
    S3Client s3 = TARN.s3();
    HeadObjectResponse head = put("sized", "12345");
    assertPreconditionFailed("sized", r -> r.ifMatchSize(4L));
    assertPreconditionFailed("sized", r -> r.ifMatchLastModifiedTime(head.lastModified().minusSeconds(60)));
    assertPreconditionFailed("sized", r -> r.ifMatch(head.eTag()).ifMatchSize(5L)
        .ifMatchLastModifiedTime(Instant.parse("2020-01-01T00:00:00Z")));
    s3.deleteObject(r -> r.bucket(BUCKET).key("sized").ifMatch(head.eTag()).ifMatchSize(5L)
        .ifMatchLastModifiedTime(head.lastModified()));
    assertTrue(!exists("sized"));
  }

  @Test
  void deleteObjectsDeletesOnlyTheEntriesWhoseConditionsHold() {
    S3Client s3 = TARN.s3();
    HeadObjectResponse a = put("multi/a", "aaa");
    HeadObjectResponse b = put("multi/b", "bbb");
    HeadObjectResponse c = put("multi/c", "ccc");
    put("multi/d", "ddd");
    DeleteObjectsResponse response = s3.deleteObjects(r -> r.bucket(BUCKET).delete(d -> d.objects(
        ObjectIdentifier.builder().key("multi/a").eTag(a.eTag()).build(),
        ObjectIdentifier.builder().key("multi/b").eTag(a.eTag()).build(),
        ObjectIdentifier.builder().key("multi/c").size(3L).lastModifiedTime(c.lastModified()).build(),
        ObjectIdentifier.builder().key("multi/d").size(4L).build(),
        ObjectIdentifier.builder().key("multi/missing").eTag(b.eTag()).build())));
    assertEquals(List.of("multi/a", "multi/c"), response.deleted().stream().map(DeletedObject::key).sorted().toList());
    Map<String, String> errors = response.errors().stream().collect(Collectors.toMap(S3Error::key, S3Error::code));
    assertEquals(Map.of("multi/b", "PreconditionFailed", "multi/d", "PreconditionFailed", "multi/missing", "NoSuchKey"),
        errors);
    assertTrue(!exists("multi/a"));
    assertTrue(exists("multi/b"));
    assertTrue(!exists("multi/c"));
    assertTrue(exists("multi/d"));
  }
}
