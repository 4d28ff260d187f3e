package io.tarn.s3.route;

/**
 * The source named by {@code x-amz-copy-source}, decoded
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html#API_CopyObject_RequestSyntax).
 * Only the current (or {@code null}) version can be copied until versioning exists; any other
 * {@code versionId} is rejected by the router with {@code NoSuchVersion}.
 *
 * @param bucket source bucket name (not validated: storage answers NoSuchBucket)
 * @param key source object key, validated with {@code ObjectKeys.validate}
 */
public record CopySource(String bucket, String key) {}
