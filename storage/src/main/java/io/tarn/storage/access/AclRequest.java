package io.tarn.storage.access;

import io.tarn.storage.StorageException;
import java.util.List;

/**
 * The ACL a write asks for: none (the default, {@code private}), a canned ACL ({@code x-amz-acl}), or
 * explicit grants ({@code x-amz-grant-*} headers or an {@code AccessControlPolicy}, e-mail grantees
 * already resolved to users). Which user owns the result, and whether it may be set at all, depends on
 * the bucket's Object Ownership, read when the write commits: {@link #forObject}, {@link #forBucket}.
 *
 * @param canned the canned ACL, or null
 * @param grants the explicit grants, or null; never both
 */
public record AclRequest(CannedAcl canned, List<Grant> grants) {
  /** No ACL asked for: the owner's alone. */
  public static final AclRequest NONE = new AclRequest(null, null);

  public AclRequest {
    if (canned != null && grants != null) {
      throw new IllegalArgumentException("a canned ACL or grants, not both");
    }
    grants = grants == null ? null : List.copyOf(grants);
  }

  public static AclRequest canned(CannedAcl canned) {
    return new AclRequest(canned, null);
  }

  public static AclRequest grants(List<Grant> grants) {
    return new AclRequest(null, grants);
  }

  /**
   * Whether this asks for a public ACL: a canned ACL granting AllUsers or AuthenticatedUsers
   * ({@code public-read}, {@code public-read-write}, {@code authenticated-read}) or a grant to either.
   * What the public access block's BlockPublicAcls refuses
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
   */
  public boolean isPublic() {
    if (canned != null) {
      return canned == CannedAcl.PUBLIC_READ || canned == CannedAcl.PUBLIC_READ_WRITE
          || canned == CannedAcl.AUTHENTICATED_READ;
    }
    return grants != null && new Acl("", grants).isPublic();
  }

  /**
   * A new object's owner and ACL: the owner as {@code ownership} says
   * ({@link ObjectOwnership#objectOwner}), the ACL expanded for it.
   *
   * @throws StorageException ACLS_DISABLED when {@code ownership} is BucketOwnerEnforced and the request
   *     asks for anything but the bucket owner's full control: AWS accepts only
   *     {@code bucket-owner-full-control} or its equivalent there, and {@code private} (which many tools
   *     send by default) is that very ACL once the bucket owner owns the object
   *     (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html)
   */
  public Resolved forObject(String writerId, String bucketOwnerId, ObjectOwnership ownership) {
    String owner = ownership.objectOwner(writerId, bucketOwnerId, canned);
    Acl acl = forExistingObject(owner, bucketOwnerId, ownership);
    // With ACLs disabled the object is the bucket owner's alone, whatever equivalent was sent.
    return new Resolved(owner, ownership.aclsEnabled() ? acl : Acl.privateTo(bucketOwnerId));
  }

  /**
   * The ACL of an object owned by {@code ownerId} (PutObjectAcl: the owner stays).
   *
   * @throws StorageException ACLS_DISABLED as {@link #forObject}
   */
  public Acl forExistingObject(String ownerId, String bucketOwnerId, ObjectOwnership ownership) {
    Acl acl = canned != null ? canned.forObject(ownerId, bucketOwnerId)
        : grants != null ? new Acl(ownerId, grants) : Acl.privateTo(ownerId);
    if (!ownership.aclsEnabled()) {
      boolean allowed = canned != null ? canned == CannedAcl.PRIVATE || canned == CannedAcl.BUCKET_OWNER_FULL_CONTROL
          : grants == null || acl.onlyBucketOwnerFullControl(bucketOwnerId);
      if (!allowed) {
        throw disabled();
      }
    }
    return acl;
  }

  /**
   * A bucket's ACL, owned by {@code ownerId}. {@code bucket-owner-read} and
   * {@code bucket-owner-full-control} are {@code private} on a bucket, as S3 ignores them there.
   *
   * @throws StorageException ACLS_DISABLED when {@code ownership} is BucketOwnerEnforced and the ACL is
   *     more than the owner's full control
   */
  public Acl forBucket(String ownerId, ObjectOwnership ownership) {
    Acl acl = canned != null ? canned.forBucket(ownerId)
        : grants != null ? new Acl(ownerId, grants) : Acl.privateTo(ownerId);
    if (!ownership.aclsEnabled() && !acl.onlyBucketOwnerFullControl(ownerId)) {
      throw disabled();
    }
    return acl;
  }

  private static StorageException disabled() {
    return new StorageException(StorageException.Kind.ACLS_DISABLED,
        "The bucket does not allow ACLs (its Object Ownership is BucketOwnerEnforced)");
  }

  /** A new object's owner and ACL. */
  public record Resolved(String ownerId, Acl acl) {}
}
