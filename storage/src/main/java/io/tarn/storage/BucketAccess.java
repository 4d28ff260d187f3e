package io.tarn.storage;

import io.tarn.core.Principal;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclPermission;
import io.tarn.storage.access.ObjectOwnership;

/**
 * Who may do what on one bucket: its owner, its ACL and Object Ownership, and the grant of the user
 * it was looked up for.
 *
 * @param bucket the bucket
 * @param ownerId the owner's id
 * @param granted that user's grant in Tarn's terms, or {@code null} when it has none
 * @param acl the bucket's ACL
 * @param ownership its Object Ownership in force
 */
public record BucketAccess(String bucket, String ownerId, Permission granted, Acl acl, ObjectOwnership ownership) {
  /**
   * Whether {@code caller} holds {@code permission} on the bucket: an admin or the owner always, anyone
   * else through the ACL.
   */
  public boolean allows(Principal caller, AclPermission permission) {
    return caller.isAdmin() || (!caller.isAnonymous() && ownerId.equals(caller.userId()))
        || acl.allows(caller, permission);
  }

  /**
   * Whether {@code caller} may read the bucket (list it): an admin, its owner, or a grantee of READ.
   * The one rule behind S3's ListBuckets and reads and the console's live tail.
   */
  public boolean readableBy(Principal caller) {
    return allows(caller, AclPermission.READ);
  }
}
