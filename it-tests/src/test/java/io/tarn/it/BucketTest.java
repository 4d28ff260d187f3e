package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Bucket operations through the sync SDK client, path-style. */
class BucketTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();

  @Test
  void createHeadListLocateAndDelete() {
    S3Client s3 = TARN.s3();
    String bucket = bucketName("life");

    CreateBucketResponse created = s3.createBucket(r -> r.bucket(bucket));
    assertEquals(200, created.sdkHttpResponse().statusCode());
    // "Location: A forward slash followed by the name of the bucket."
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html#API_CreateBucket_ResponseSyntax)
    assertEquals("/" + bucket, created.location());

    HeadBucketResponse head = s3.headBucket(r -> r.bucket(bucket));
    assertEquals(200, head.sdkHttpResponse().statusCode());
    assertEquals("us-east-1", head.bucketRegion());

    ListBucketsResponse listed = s3.listBuckets();
    Bucket entry = listed.buckets().stream().filter(b -> b.name().equals(bucket)).findFirst()
        .orElseThrow(() -> new AssertionError(bucket + " missing from " + listed.buckets()));
    assertNotNull(entry.creationDate(), "CreationDate");
    assertNotNull(listed.owner(), "Owner");
    assertFalse(listed.owner().id().isBlank(), "Owner/ID");

    // us-east-1 answers an empty LocationConstraint
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html).
    String location = s3.getBucketLocation(r -> r.bucket(bucket)).locationConstraintAsString();
    assertTrue(location == null || location.isEmpty(), "LocationConstraint for us-east-1: " + location);

    assertEquals(204, s3.deleteBucket(r -> r.bucket(bucket)).sdkHttpResponse().statusCode());
    NoSuchBucketException gone = assertThrows(NoSuchBucketException.class, () -> s3.headBucket(r -> r.bucket(bucket)));
    assertEquals(404, gone.statusCode());
    assertTrue(s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket)));
  }

  @Test
  void listBucketsIsSortedByName() {
    S3Client s3 = TARN.s3();
    List<String> names = List.of(bucketName("zz-sort"), bucketName("aa-sort"), bucketName("mm-sort"));
    names.forEach(n -> s3.createBucket(r -> r.bucket(n)));
    List<String> all = s3.listBuckets().buckets().stream().map(Bucket::name).toList();
    assertEquals(all.stream().sorted().toList(), all);
    assertTrue(all.containsAll(names), all.toString());
  }

  @Test
  void creatingYourOwnBucketAgainIsBucketAlreadyOwnedByYou() {
    S3Client s3 = TARN.s3();
    String bucket = bucketName("twice");
    s3.createBucket(r -> r.bucket(bucket));
    BucketAlreadyOwnedByYouException e =
        assertThrows(BucketAlreadyOwnedByYouException.class, () -> s3.createBucket(r -> r.bucket(bucket)));
    assertEquals(409, e.statusCode());
    assertEquals("BucketAlreadyOwnedByYou", e.awsErrorDetails().errorCode());
  }

  @Test
  void deletingANonEmptyBucketIsBucketNotEmpty() {
    S3Client s3 = TARN.s3();
    String bucket = bucketName("full");
    s3.createBucket(r -> r.bucket(bucket));
    s3.putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("x"));

    S3Exception e = assertThrows(S3Exception.class, () -> s3.deleteBucket(r -> r.bucket(bucket)));
    assertEquals(409, e.statusCode());
    assertEquals("BucketNotEmpty", e.awsErrorDetails().errorCode());
    assertEquals(200, s3.headBucket(r -> r.bucket(bucket)).sdkHttpResponse().statusCode());

    s3.deleteObject(r -> r.bucket(bucket).key("k"));
    s3.deleteBucket(r -> r.bucket(bucket));
    assertThrows(NoSuchBucketException.class, () -> s3.headBucket(r -> r.bucket(bucket)));
  }

  /** Names breaking https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html. */
  @ParameterizedTest
  @ValueSource(strings = {"ab", "Upper-Case", "under_score", "-leading-dash", "trailing-dash-", "two..dots",
      "192.168.5.4", "xn--punycode", "this-name-is-much-too-long-for-a-bucket-name-because-it-has-64-c"})
  void invalidBucketNamesAreRejected(String name) {
    // The SDK refuses most of these names itself, so the request is signed and sent raw.
    RawResponse response = TARN.raw().signed("PUT", "/" + name, "", Map.of(), null);
    assertEquals(400, response.status(), response::toString);
    assertEquals("InvalidBucketName", response.error().code(), response::toString);
  }

  @Test
  void operationsOnAMissingBucketAreNoSuchBucket() {
    S3Client s3 = TARN.s3();
    String bucket = bucketName("missing");
    NoSuchBucketException delete = assertThrows(NoSuchBucketException.class, () -> s3.deleteBucket(r -> r.bucket(bucket)));
    assertEquals("NoSuchBucket", delete.awsErrorDetails().errorCode());
    NoSuchBucketException list = assertThrows(NoSuchBucketException.class, () -> s3.listObjectsV2(r -> r.bucket(bucket)));
    assertEquals(404, list.statusCode());
    S3Exception put = assertThrows(S3Exception.class,
        () -> s3.putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("x")));
    assertEquals(404, put.statusCode());
    assertEquals("NoSuchBucket", put.awsErrorDetails().errorCode());
  }
}
