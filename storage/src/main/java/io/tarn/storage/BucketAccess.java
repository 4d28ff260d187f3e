package io.tarn.storage;

/**
 * What one user may do on one bucket: the bucket's owner, and the grant the user has, if any.
 *
 * @param bucket the bucket
 * @param ownerId the owner's id
 * @param granted the user's grant, or {@code null} when it has none
 */
public record BucketAccess(String bucket, String ownerId, Permission granted) {}
