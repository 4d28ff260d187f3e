package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Virtual-hosted-style requests ({@code http://<bucket>.localhost:<port>/<key>}), server started with
 * {@code --domain localhost} (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html).
 */
class VirtualHostedStyleTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();

  @Test
  void theClientReallyAddressesBucketsByHostName() {
    URL url = TARN.s3VirtualHosted().utilities().getUrl(r -> r.bucket("some-bucket").key("a/b.txt"));
    assertEquals("some-bucket.localhost", url.getHost());
    assertEquals("/a/b.txt", url.getPath());
  }

  @Test
  void bucketAndObjectOperations() {
    S3Client vh = TARN.s3VirtualHosted();
    String bucket = bucketName("vhost");
    vh.createBucket(r -> r.bucket(bucket));
    vh.headBucket(r -> r.bucket(bucket));
    assertTrue(vh.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)));

    byte[] body = TestData.bytes(200_000, 3);
    List<String> keys = List.of("plain", "dir/sub/file.txt", "dir/with space & emoji \uD83D\uDE80", "/leading");
    for (String key : keys) {
      vh.putObject(r -> r.bucket(bucket).key(key).metadata(Map.of("k", key.length() + "")), RequestBody.fromBytes(body));
    }
    for (String key : keys) {
      var got = vh.getObjectAsBytes(r -> r.bucket(bucket).key(key));
      assertArrayEquals(body, got.asByteArray(), key);
      assertEquals(Map.of("k", key.length() + ""), got.response().metadata());
      // The same object through a path-style client.
      assertEquals(TestData.etag(body), TARN.s3().headObject(r -> r.bucket(bucket).key(key)).eTag());
    }

    ListObjectsV2Response top = vh.listObjectsV2(r -> r.bucket(bucket).delimiter("/"));
    assertEquals(List.of("plain"), top.contents().stream().map(S3Object::key).toList());
    assertEquals(List.of("/", "dir/"), top.commonPrefixes().stream().map(CommonPrefix::prefix).toList());

    vh.copyObject(r -> r.sourceBucket(bucket).sourceKey("dir/sub/file.txt")
        .destinationBucket(bucket).destinationKey("copy"));
    assertArrayEquals(body, vh.getObjectAsBytes(r -> r.bucket(bucket).key("copy")).asByteArray());

    String uploadId = vh.createMultipartUpload(r -> r.bucket(bucket).key("mpu")).uploadId();
    String etag = vh.uploadPart(r -> r.bucket(bucket).key("mpu").uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(body)).eTag();
    vh.completeMultipartUpload(r -> r.bucket(bucket).key("mpu").uploadId(uploadId)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
    assertEquals(TestData.multipartEtag(List.of(body)), vh.headObject(r -> r.bucket(bucket).key("mpu")).eTag());

    List<ObjectIdentifier> all = vh.listObjectsV2(r -> r.bucket(bucket)).contents().stream()
        .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
    assertEquals(keys.size() + 2, all.size());
    vh.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(all)));
    assertThrows(NoSuchKeyException.class, () -> vh.headObject(r -> r.bucket(bucket).key("plain")));
    vh.deleteBucket(r -> r.bucket(bucket));
    assertThrows(NoSuchBucketException.class, () -> vh.headBucket(r -> r.bucket(bucket)));
  }

  @Test
  void aMissingBucketByHostNameIsNoSuchBucket() {
    String bucket = bucketName("vhost-missing");
    NoSuchBucketException e = assertThrows(NoSuchBucketException.class,
        () -> TARN.s3VirtualHosted().listObjectsV2(r -> r.bucket(bucket)));
    assertEquals("NoSuchBucket", e.awsErrorDetails().errorCode());
  }
}
