package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.TarnServerExtension;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/** DeleteObjects (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html). */
class DeleteObjectsTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();

  @Test
  void verboseModeReportsEveryKeyIncludingMissingOnes() {
    S3Client s3 = TARN.s3();
    String bucket = filledBucket("verbose", List.of("keep", "one", "two", "xml<&>\"'", "space and \u00fcml\u00e4ut"));

    DeleteObjectsResponse response = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.quiet(false).objects(
        ids("one", "two", "xml<&>\"'", "space and \u00fcml\u00e4ut", "never-existed"))));

    // A key that does not exist is reported as deleted.
    assertEquals(Set.of("one", "two", "xml<&>\"'", "space and \u00fcml\u00e4ut", "never-existed"),
        response.deleted().stream().map(DeletedObject::key).collect(Collectors.toSet()));
    assertTrue(response.errors().isEmpty(), response.errors().toString());
    assertEquals(List.of("keep"), keys(s3, bucket));
  }

  @Test
  void quietModeReportsOnlyErrors() {
    S3Client s3 = TARN.s3();
    String bucket = filledBucket("quiet", List.of("a", "b", "c/d"));
    DeleteObjectsResponse response =
        s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.quiet(true).objects(ids("a", "b", "c/d"))));
    assertTrue(response.deleted().isEmpty(), response.deleted().toString());
    assertTrue(response.errors().isEmpty(), response.errors().toString());
    assertEquals(List.of(), keys(s3, bucket));
  }

  @Test
  void missingBucketIsNoSuchBucket() {
    String bucket = bucketName("nobucket");
    NoSuchBucketException e = assertThrows(NoSuchBucketException.class,
        () -> TARN.s3().deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(ids("a")))));
    assertEquals(404, e.statusCode());
  }

  private static String filledBucket(String prefix, List<String> keys) {
    String bucket = bucketName(prefix);
    TARN.s3().createBucket(r -> r.bucket(bucket));
    for (String key : keys) {
      TARN.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(key));
    }
    return bucket;
  }

  private static List<ObjectIdentifier> ids(String... keys) {
    return java.util.Arrays.stream(keys).map(k -> ObjectIdentifier.builder().key(k).build()).toList();
  }

  private static List<String> keys(S3Client s3, String bucket) {
    return s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).toList();
  }
}
