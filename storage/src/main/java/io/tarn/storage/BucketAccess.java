package io.tarn.storage;

import io.tarn.core.Principal;

/**
 * What one user may do on one bucket: the bucket's owner, and the grant the user has, if any.
 *
 * @param bucket the bucket
 * @param ownerId the owner's id
 * @param granted the user's grant, or {@code null} when it has none
 */
public record BucketAccess(String bucket, String ownerId, Permission granted) {
  /**
   * Whether {@code caller} may read the bucket: an admin, its owner, or a user with any grant (each
   * includes reading). The one rule behind S3's ListBuckets and reads and the console's live tail.
   */
  public boolean readableBy(Principal caller) {
    return caller.isAdmin() || ownerId.equals(caller.userId()) || granted != null;
  }
}
