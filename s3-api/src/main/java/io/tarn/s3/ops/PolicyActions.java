package io.tarn.s3.ops;

import io.tarn.s3.route.S3Operation;
import io.tarn.s3.route.S3Operation.*;
import io.tarn.storage.access.policy.PolicyRequest;

/**
 * The IAM action and resource of every S3 operation Tarn serves, as a bucket policy names them: the
 * "Actions, resources, and condition keys for Amazon S3" reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html) and
 * "Required permissions for Amazon S3 API operations"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html). An
 * exhaustive visitor: a new operation does not compile until it is mapped here.
 */
final class PolicyActions {
  /**
   * @param action e.g. {@code s3:GetObject}
   * @param bucket the bucket whose policy decides
   * @param resource {@code arn:aws:s3:::bucket} or {@code arn:aws:s3:::bucket/key}
   */
  record PolicyTarget(String action, String bucket, String resource) {}

  private PolicyActions() {}

  /**
   * The operation's action and resource, or null when no bucket policy applies to it as a whole
   * (ListBuckets, Tarn's own APIs, and DeleteObjects, whose keys are each checked: {@link #delete}).
   */
  static PolicyTarget of(S3Operation op) {
    return op.accept(MAP);
  }

  /** The action and resource of reading {@code key} of {@code bucket}: a copy's source. */
  static PolicyTarget read(String bucket, String key) {
    return object("s3:GetObject", bucket, key);
  }

  /** DeleteObjects' check of one of its keys. */
  static PolicyTarget delete(String bucket, String key) {
    return object("s3:DeleteObject", bucket, key);
  }

  private static PolicyTarget bucket(String action, String bucket) {
    return new PolicyTarget(action, bucket, PolicyRequest.bucketArn(bucket));
  }

  private static PolicyTarget object(String action, String bucket, String key) {
    return new PolicyTarget(action, bucket, PolicyRequest.objectArn(bucket, key));
  }

  private static final Visitor<PolicyTarget> MAP = new Visitor<>() {
    @Override
    public PolicyTarget listBuckets(ListBuckets op) {
      return null; // ListAllMyBuckets: an account action, never a bucket policy's
    }

    @Override
    public PolicyTarget console(Console op) {
      return null; // Tarn's own APIs, authorized by the console API
    }

    @Override
    public PolicyTarget createBucket(CreateBucket op) {
      return bucket("s3:CreateBucket", op.bucket());
    }

    @Override
    public PolicyTarget headBucket(HeadBucket op) {
      return bucket("s3:ListBucket", op.bucket());
    }

    @Override
    public PolicyTarget deleteBucket(DeleteBucket op) {
      return bucket("s3:DeleteBucket", op.bucket());
    }

    @Override
    public PolicyTarget getBucketLocation(GetBucketLocation op) {
      return bucket("s3:GetBucketLocation", op.bucket());
    }

    @Override
    public PolicyTarget listObjects(ListObjects op) {
      return bucket("s3:ListBucket", op.bucket());
    }

    @Override
    public PolicyTarget listObjectsV2(ListObjectsV2 op) {
      return bucket("s3:ListBucket", op.bucket());
    }

    @Override
    public PolicyTarget listMultipartUploads(ListMultipartUploads op) {
      return bucket("s3:ListBucketMultipartUploads", op.bucket());
    }

    @Override
    public PolicyTarget deleteObjects(DeleteObjects op) {
      return null; // s3:DeleteObject on each key of the request: delete(bucket, key)
    }

    @Override
    public PolicyTarget getBucketAcl(GetBucketAcl op) {
      return bucket("s3:GetBucketAcl", op.bucket());
    }

    @Override
    public PolicyTarget putBucketAcl(PutBucketAcl op) {
      return bucket("s3:PutBucketAcl", op.bucket());
    }

    @Override
    public PolicyTarget getBucketOwnershipControls(GetBucketOwnershipControls op) {
      return bucket("s3:GetBucketOwnershipControls", op.bucket());
    }

    @Override
    public PolicyTarget putBucketOwnershipControls(PutBucketOwnershipControls op) {
      return bucket("s3:PutBucketOwnershipControls", op.bucket());
    }

    @Override
    public PolicyTarget deleteBucketOwnershipControls(DeleteBucketOwnershipControls op) {
      return bucket("s3:PutBucketOwnershipControls", op.bucket()); // S3 has no s3:DeleteBucketOwnershipControls
    }

    @Override
    public PolicyTarget postObject(PostObject op) {
      return null; // a form is checked as the s3:PutObject of its key once the key field is read (PostObjects)
    }

    @Override
    public PolicyTarget getBucketNotification(GetBucketNotification op) {
      return bucket("s3:GetBucketNotification", op.bucket());
    }

    @Override
    public PolicyTarget getBucketVersioning(GetBucketVersioning op) {
      return bucket("s3:GetBucketVersioning", op.bucket());
    }

    @Override
    public PolicyTarget putObject(PutObject op) {
      return object("s3:PutObject", op.bucket(), op.key());
    }

    @Override
    public PolicyTarget copyObject(CopyObject op) {
      return object("s3:PutObject", op.bucket(), op.key()); // and s3:GetObject on the source
    }

    @Override
    public PolicyTarget getObject(GetObject op) {
      return object("s3:GetObject", op.bucket(), op.key());
    }

    @Override
    public PolicyTarget headObject(HeadObject op) {
      return object("s3:GetObject", op.bucket(), op.key());
    }

    @Override
    public PolicyTarget deleteObject(DeleteObject op) {
      return object("s3:DeleteObject", op.bucket(), op.key());
    }

    @Override
    public PolicyTarget getObjectAcl(GetObjectAcl op) {
      return object("s3:GetObjectAcl", op.bucket(), op.key());
    }

    @Override
    public PolicyTarget putObjectAcl(PutObjectAcl op) {
      return object("s3:PutObjectAcl", op.bucket(), op.key());
    }

    @Override
    public PolicyTarget getObjectAttributes(GetObjectAttributes op) {
      return object("s3:GetObjectAttributes", op.bucket(), op.key());
    }

    @Override
    public PolicyTarget createMultipartUpload(CreateMultipartUpload op) {
      return object("s3:PutObject", op.bucket(), op.key());
    }

    @Override
    public PolicyTarget uploadPart(UploadPart op) {
      return object("s3:PutObject", op.bucket(), op.key());
    }

    @Override
    public PolicyTarget uploadPartCopy(UploadPartCopy op) {
      return object("s3:PutObject", op.bucket(), op.key()); // and s3:GetObject on the source
    }

    @Override
    public PolicyTarget completeMultipartUpload(CompleteMultipartUpload op) {
      return object("s3:PutObject", op.bucket(), op.key());
    }

    @Override
    public PolicyTarget abortMultipartUpload(AbortMultipartUpload op) {
      return object("s3:AbortMultipartUpload", op.bucket(), op.key());
    }

    @Override
    public PolicyTarget listParts(ListParts op) {
      return object("s3:ListMultipartUploadParts", op.bucket(), op.key());
    }

    @Override
    public PolicyTarget getBucketPolicy(GetBucketPolicy op) {
      return bucket("s3:GetBucketPolicy", op.bucket());
    }

    @Override
    public PolicyTarget putBucketPolicy(PutBucketPolicy op) {
      return bucket("s3:PutBucketPolicy", op.bucket());
    }

    @Override
    public PolicyTarget deleteBucketPolicy(DeleteBucketPolicy op) {
      return bucket("s3:DeleteBucketPolicy", op.bucket());
    }

    @Override
    public PolicyTarget getBucketPolicyStatus(GetBucketPolicyStatus op) {
      return bucket("s3:GetBucketPolicyStatus", op.bucket());
    }

    @Override
    public PolicyTarget getPublicAccessBlock(GetPublicAccessBlock op) {
      return bucket("s3:GetBucketPublicAccessBlock", op.bucket());
    }

    @Override
    public PolicyTarget putPublicAccessBlock(PutPublicAccessBlock op) {
      return bucket("s3:PutBucketPublicAccessBlock", op.bucket());
    }

    @Override
    public PolicyTarget deletePublicAccessBlock(DeletePublicAccessBlock op) {
      return bucket("s3:PutBucketPublicAccessBlock", op.bucket()); // S3 has no s3:DeleteBucketPublicAccessBlock
    }
  };
}
