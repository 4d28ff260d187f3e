package io.tarn.storage;

import io.tarn.storage.access.AclPermission;
import java.util.List;

/**
 * A user's grants on a bucket: its entries in the bucket's ACL.
 *
 * @param bucket the bucket
 * @param userId the user granted
 * @param permission what it may do in Tarn's terms (READ: the ACL's READ; READ_WRITE: WRITE too), or
 *     null when the ACL gives it neither (only READ_ACP or WRITE_ACP)
 * @param aclPermissions its ACL permissions, as GetBucketAcl shows them
 */
public record BucketGrant(String bucket, String userId, Permission permission, List<AclPermission> aclPermissions) {
  public BucketGrant {
    aclPermissions = List.copyOf(aclPermissions);
  }

  /** A grant in Tarn's terms, with the ACL permissions it stands for (READ; READ_WRITE: READ and WRITE). */
  public BucketGrant(String bucket, String userId, Permission permission) {
    this(bucket, userId, permission, permission == Permission.READ_WRITE
        ? List.of(AclPermission.READ, AclPermission.WRITE) : List.of(AclPermission.READ));
  }
}
