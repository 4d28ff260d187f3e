package io.tarn.storage;

/**
 * A grant of access to a bucket.
 *
 * @param bucket the bucket
 * @param userId the user granted
 * @param permission what it may do
 */
public record BucketGrant(String bucket, String userId, Permission permission) {}
