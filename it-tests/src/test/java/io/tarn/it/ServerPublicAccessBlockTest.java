package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.TarnServerExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PolicyStatus;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code tarn server --public-access-block BlockPublicPolicy}: every bucket refuses a public policy,
 * and a bucket's own configuration with every setting off does not loosen it (docs/access/policies.md).
 */
class ServerPublicAccessBlockTest {
  @RegisterExtension
  static final TarnServerExtension TARN = new TarnServerExtension(List.of("--public-access-block", "BlockPublicPolicy"));

  private static String policy(String bucket, String principal) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principal
        + ",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + bucket + "/*\"}]}";
  }

  @Test
  void aPublicPolicyIsRefusedOnEveryBucketWhateverItsOwnConfigurationSays() {
    S3Client s3 = TARN.s3();
    String bucket = bucketName("server-pab");
    s3.createBucket(b -> b.bucket(bucket));
    S3Exception e = assertThrows(S3Exception.class,
        () -> s3.putBucketPolicy(b -> b.bucket(bucket).policy(policy(bucket, "\"*\""))));
    assertEquals(403, e.statusCode());
    assertEquals("AccessDenied", e.awsErrorDetails().errorCode());

    s3.putPublicAccessBlock(b -> b.bucket(bucket).publicAccessBlockConfiguration(PublicAccessBlockConfiguration
        .builder().blockPublicAcls(false).ignorePublicAcls(false).blockPublicPolicy(false)
        .restrictPublicBuckets(false).build()));
    e = assertThrows(S3Exception.class,
        () -> s3.putBucketPolicy(b -> b.bucket(bucket).policy(policy(bucket, "\"*\""))));
    assertEquals(403, e.statusCode(), "a bucket cannot loosen the server's block");

    // A policy that names a user is not public: accepted.
    String root = s3.listBuckets().owner().displayName();
    s3.putBucketPolicy(b -> b.bucket(bucket).policy(policy(bucket, "{\"AWS\":\"arn:aws:iam:::user/" + root + "\"}")));
    PolicyStatus status = s3.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus();
    assertTrue(!status.isPublic(), status.toString());
  }
}
