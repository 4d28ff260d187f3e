package io.tarn.s3.route;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One S3 request, parsed by {@link Router}: one record per operation, parameters as typed and
 * validated fields (STYLE.md 3, "parse, then handle"). Strings are decoded. Handlers dispatch with a
 * {@link Visitor}, which the compiler keeps exhaustive, or with {@code instanceof}.
 *
 * <p>Bucket names are only validated for {@link CreateBucket}; other operations pass the name as
 * sent and storage answers NoSuchBucket. Keys are validated with {@code ObjectKeys.validate}.
 */
public sealed interface S3Operation {
  /** The AWS operation name, e.g. {@code GetObject} (for logs and metrics). */
  default String operationName() {
    return getClass().getSimpleName();
  }

  <R> R accept(Visitor<R> visitor);

  /** An operation on one bucket (and possibly one of its objects). */
  sealed interface BucketOperation extends S3Operation {
    String bucket();
  }

  /** An operation on one object key. */
  sealed interface ObjectOperation extends BucketOperation {
    String key();
  }

  /**
   * {@code GET /} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html).
   *
   * @param prefix only buckets whose name starts with this, or {@code null}
   * @param maxBuckets {@code max-buckets} 1..10000, or 0 when absent (then all buckets, unpaginated)
   * @param continuationToken {@code continuation-token}, or {@code null}
   * @param bucketRegion {@code bucket-region} filter, or {@code null}
   */
  record ListBuckets(
      String prefix,
      int maxBuckets,
      String continuationToken,
      String bucketRegion) implements S3Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.listBuckets(this);
    }
  }

  /**
   * A path-style request under the reserved {@code /_tarn/} prefix ({@code _tarn} is not a valid bucket
   * name): handed to the console API untouched.
   *
   * @param rawUri the request target as received, query included
   */
  record Console(String rawUri) implements S3Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.console(this);
    }
  }

  /**
   * {@code PUT /bucket}; the name is validated with {@code BucketNames.validate}.
   *
   * @param bucket bucket name
   */
  record CreateBucket(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.createBucket(this);
    }
  }

  /**
   * {@code HEAD /bucket}.
   *
   * @param bucket bucket name
   */
  record HeadBucket(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.headBucket(this);
    }
  }

  /**
   * {@code DELETE /bucket}.
   *
   * @param bucket bucket name
   */
  record DeleteBucket(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.deleteBucket(this);
    }
  }

  /**
   * {@code GET /bucket?location}.
   *
   * @param bucket bucket name
   */
  record GetBucketLocation(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getBucketLocation(this);
    }
  }

  /**
   * {@code GET /bucket} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html).
   *
   * @param bucket bucket name
   * @param prefix {@code prefix}, {@code ""} when absent
   * @param delimiter {@code delimiter}, or {@code null} when absent or empty
   * @param marker {@code marker}, or {@code null} when absent or empty
   * @param maxKeys {@code max-keys}: 0..1000, default 1000, larger values capped
   * @param urlEncoding {@code encoding-type=url} was given
   */
  record ListObjects(
      String bucket,
      String prefix,
      String delimiter,
      String marker,
      int maxKeys,
      boolean urlEncoding) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.listObjects(this);
    }
  }

  /**
   * {@code GET /bucket?list-type=2} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
   *
   * @param bucket bucket name
   * @param prefix {@code prefix}, {@code ""} when absent
   * @param delimiter {@code delimiter}, or {@code null} when absent or empty
   * @param continuationToken {@code continuation-token} (opaque, as sent), or {@code null} when absent
   * @param startAfter {@code start-after}, or {@code null} when absent or empty
   * @param maxKeys {@code max-keys}: 0..1000, default 1000, larger values capped
   * @param urlEncoding {@code encoding-type=url} was given
   * @param fetchOwner {@code fetch-owner=true}
   */
  record ListObjectsV2(
      String bucket,
      String prefix,
      String delimiter,
      String continuationToken,
      String startAfter,
      int maxKeys,
      boolean urlEncoding,
      boolean fetchOwner) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.listObjectsV2(this);
    }
  }

  /**
   * {@code GET /bucket?uploads} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html).
   *
   * @param bucket bucket name
   * @param prefix {@code prefix}, {@code ""} when absent
   * @param delimiter {@code delimiter}, or {@code null} when absent or empty
   * @param keyMarker {@code key-marker}, or {@code null} when absent or empty
   * @param uploadIdMarker {@code upload-id-marker}, or {@code null} when absent or empty
   * @param maxUploads {@code max-uploads}: 0..1000, default 1000, larger values capped
   * @param urlEncoding {@code encoding-type=url} was given
   */
  record ListMultipartUploads(
      String bucket,
      String prefix,
      String delimiter,
      String keyMarker,
      String uploadIdMarker,
      int maxUploads,
      boolean urlEncoding) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.listMultipartUploads(this);
    }
  }

  /**
   * {@code POST /bucket?delete}; the body is a {@code Delete} document.
   *
   * @param bucket bucket name
   */
  record DeleteObjects(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.deleteObjects(this);
    }
  }

  /**
   * {@code POST /bucket} with a {@code multipart/form-data} body: a browser form upload
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html). The key, the credentials
   * and the policy are fields of the body, so authentication and authorization happen as it is read.
   *
   * @param bucket bucket name
   * @param boundary the {@code boundary} parameter of the request's Content-Type
   */
  record PostObject(String bucket, String boundary) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.postObject(this);
    }
  }

  /**
   * {@code GET /bucket?acl}.
   *
   * @param bucket bucket name
   */
  record GetBucketAcl(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getBucketAcl(this);
    }
  }

  /**
   * {@code PUT /bucket?acl}.
   *
   * @param bucket bucket name
   */
  record PutBucketAcl(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.putBucketAcl(this);
    }
  }

  /**
   * {@code GET /bucket?ownershipControls}
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketOwnershipControls.html).
   *
   * @param bucket bucket name
   */
  record GetBucketOwnershipControls(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getBucketOwnershipControls(this);
    }
  }

  /**
   * {@code PUT /bucket?ownershipControls}.
   *
   * @param bucket bucket name
   */
  record PutBucketOwnershipControls(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.putBucketOwnershipControls(this);
    }
  }

  /**
   * {@code DELETE /bucket?ownershipControls}.
   *
   * @param bucket bucket name
   */
  record DeleteBucketOwnershipControls(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.deleteBucketOwnershipControls(this);
    }
  }

  /**
   * {@code GET /bucket?notification}.
   *
   * @param bucket bucket name
   */
  record GetBucketNotification(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getBucketNotification(this);
    }
  }

  /**
   * {@code GET /bucket?versioning}
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html).
   *
   * @param bucket bucket name
   */
  record GetBucketVersioning(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getBucketVersioning(this);
    }
  }

  /**
   * {@code PUT /bucket/key} without {@code x-amz-copy-source}.
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   */
  record PutObject(String bucket, String key) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.putObject(this);
    }
  }

  /**
   * {@code PUT /bucket/key} with {@code x-amz-copy-source}.
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   * @param source the decoded {@code x-amz-copy-source}
   */
  record CopyObject(String bucket, String key, CopySource source) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.copyObject(this);
    }
  }

  /**
   * {@code GET /bucket/key}. A {@code partNumber} together with a {@code Range} header is rejected by the
   * router (InvalidRequest), as AWS does.
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   * @param partNumber {@code partNumber} 1..10000, or 0 when absent
   * @param overrides the {@code response-*} parameters
   */
  record GetObject(
      String bucket,
      String key,
      int partNumber,
      ResponseOverrides overrides) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getObject(this);
    }
  }

  /**
   * {@code HEAD /bucket/key}.
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   * @param partNumber {@code partNumber} 1..10000, or 0 when absent
   * @param overrides the {@code response-*} parameters
   */
  record HeadObject(
      String bucket,
      String key,
      int partNumber,
      ResponseOverrides overrides) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.headObject(this);
    }
  }

  /**
   * {@code DELETE /bucket/key}.
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   */
  record DeleteObject(String bucket, String key) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.deleteObject(this);
    }
  }

  /**
   * {@code GET /bucket/key?acl}.
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   */
  record GetObjectAcl(String bucket, String key) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getObjectAcl(this);
    }
  }

  /**
   * {@code PUT /bucket/key?acl}.
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   */
  record PutObjectAcl(String bucket, String key) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.putObjectAcl(this);
    }
  }

  /**
   * {@code GET /bucket/key?attributes} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html).
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   * @param attributes from {@code x-amz-object-attributes}: non-empty, iterates in enum order
   * @param maxParts {@code x-amz-max-parts}: 0..1000, default 1000, larger values capped
   * @param partNumberMarker {@code x-amz-part-number-marker}, 0 when absent
   */
  record GetObjectAttributes(
      String bucket,
      String key,
      Set<ObjectAttribute> attributes,
      int maxParts,
      int partNumberMarker) implements ObjectOperation {
    public GetObjectAttributes {
      attributes = Collections.unmodifiableSet(
          attributes.isEmpty() ? EnumSet.noneOf(ObjectAttribute.class) : EnumSet.copyOf(attributes));
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getObjectAttributes(this);
    }
  }

  /**
   * {@code POST /bucket/key?uploads}.
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   */
  record CreateMultipartUpload(String bucket, String key) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.createMultipartUpload(this);
    }
  }

  /**
   * {@code PUT /bucket/key?partNumber=N&uploadId=U}.
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   * @param uploadId {@code uploadId}
   * @param partNumber {@code partNumber} 1..10000
   */
  record UploadPart(String bucket, String key, String uploadId, int partNumber) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.uploadPart(this);
    }
  }

  /**
   * {@code PUT /bucket/key?partNumber=N&uploadId=U} with {@code x-amz-copy-source}.
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   * @param uploadId {@code uploadId}
   * @param partNumber {@code partNumber} 1..10000
   * @param source the decoded {@code x-amz-copy-source}
   */
  record UploadPartCopy(
      String bucket,
      String key,
      String uploadId,
      int partNumber,
      CopySource source) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.uploadPartCopy(this);
    }
  }

  /**
   * {@code POST /bucket/key?uploadId=U}.
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   * @param uploadId {@code uploadId}
   */
  record CompleteMultipartUpload(String bucket, String key, String uploadId) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.completeMultipartUpload(this);
    }
  }

  /**
   * {@code DELETE /bucket/key?uploadId=U}.
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   * @param uploadId {@code uploadId}
   */
  record AbortMultipartUpload(String bucket, String key, String uploadId) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.abortMultipartUpload(this);
    }
  }

  /**
   * {@code GET /bucket/key?uploadId=U} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html).
   *
   * @param bucket bucket name
   * @param key object key, decoded and validated
   * @param uploadId {@code uploadId}
   * @param partNumberMarker {@code part-number-marker}, 0 when absent
   * @param maxParts {@code max-parts}: 0..1000, default 1000, larger values capped
   */
  record ListParts(
      String bucket,
      String key,
      String uploadId,
      int partNumberMarker,
      int maxParts) implements ObjectOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.listParts(this);
    }
  }

  /**
   * {@code GET /bucket?policy} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html).
   *
   * @param bucket bucket name
   */
  record GetBucketPolicy(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getBucketPolicy(this);
    }
  }

  /**
   * {@code PUT /bucket?policy} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html).
   *
   * @param bucket bucket name
   */
  record PutBucketPolicy(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.putBucketPolicy(this);
    }
  }

  /**
   * {@code DELETE /bucket?policy} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html).
   *
   * @param bucket bucket name
   */
  record DeleteBucketPolicy(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.deleteBucketPolicy(this);
    }
  }

  /**
   * {@code GET /bucket?policyStatus} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicyStatus.html).
   *
   * @param bucket bucket name
   */
  record GetBucketPolicyStatus(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getBucketPolicyStatus(this);
    }
  }

  /**
   * {@code GET /bucket?publicAccessBlock} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetPublicAccessBlock.html).
   *
   * @param bucket bucket name
   */
  record GetPublicAccessBlock(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getPublicAccessBlock(this);
    }
  }

  /**
   * {@code PUT /bucket?publicAccessBlock} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html).
   *
   * @param bucket bucket name
   */
  record PutPublicAccessBlock(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.putPublicAccessBlock(this);
    }
  }

  /**
   * {@code DELETE /bucket?publicAccessBlock} (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeletePublicAccessBlock.html).
   *
   * @param bucket bucket name
   */
  record DeletePublicAccessBlock(String bucket) implements BucketOperation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.deletePublicAccessBlock(this);
    }
  }

  /** One method per operation: implementing it is an exhaustive match over all operations. */
  interface Visitor<R> {
    R listBuckets(ListBuckets op);

    R console(Console op);

    R createBucket(CreateBucket op);

    R headBucket(HeadBucket op);

    R deleteBucket(DeleteBucket op);

    R getBucketLocation(GetBucketLocation op);

    R listObjects(ListObjects op);

    R listObjectsV2(ListObjectsV2 op);

    R listMultipartUploads(ListMultipartUploads op);

    R deleteObjects(DeleteObjects op);

    R postObject(PostObject op);

    R getBucketAcl(GetBucketAcl op);

    R putBucketAcl(PutBucketAcl op);

    R getBucketOwnershipControls(GetBucketOwnershipControls op);

    R putBucketOwnershipControls(PutBucketOwnershipControls op);

    R deleteBucketOwnershipControls(DeleteBucketOwnershipControls op);

    R getBucketNotification(GetBucketNotification op);

    R getBucketVersioning(GetBucketVersioning op);

    R putObject(PutObject op);

    R copyObject(CopyObject op);

    R getObject(GetObject op);

    R headObject(HeadObject op);

    R deleteObject(DeleteObject op);

    R getObjectAcl(GetObjectAcl op);

    R putObjectAcl(PutObjectAcl op);

    R getObjectAttributes(GetObjectAttributes op);

    R createMultipartUpload(CreateMultipartUpload op);

    R uploadPart(UploadPart op);

    R uploadPartCopy(UploadPartCopy op);

    R completeMultipartUpload(CompleteMultipartUpload op);

    R abortMultipartUpload(AbortMultipartUpload op);

    R listParts(ListParts op);

    R getBucketPolicy(GetBucketPolicy op);

    R putBucketPolicy(PutBucketPolicy op);

    R deleteBucketPolicy(DeleteBucketPolicy op);

    R getBucketPolicyStatus(GetBucketPolicyStatus op);

    R getPublicAccessBlock(GetPublicAccessBlock op);

    R putPublicAccessBlock(PutPublicAccessBlock op);

    R deletePublicAccessBlock(DeletePublicAccessBlock op);
  }
}
