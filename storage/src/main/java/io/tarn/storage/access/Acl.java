package io.tarn.storage.access;

import io.tarn.core.Principal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A bucket's or an object's access control list: its owner and its grants, in the order they were
 * given (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html). ACLs only grant,
 * never deny; a bucket's ACL and its objects' ACLs are independent.
 *
 * <p>The owner holds every permission on what it owns whatever the grants say: Tarn has always let an
 * owner do everything on its bucket, and an owner that removed its own grant must still be able to
 * put it back (S3 too keeps the owner able to read and write the ACL).
 *
 * @param ownerId the owner's canonical id
 * @param grants the grants, duplicates dropped
 */
public record Acl(String ownerId, List<Grant> grants) {
  /** S3 caps an ACL at 100 grants (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html). */
  public static final int MAX_GRANTS = 100;

  public Acl {
    Objects.requireNonNull(ownerId, "ownerId");
    grants = List.copyOf(new LinkedHashSet<>(grants));
  }

  /** The default ACL of anything new, S3's {@code private}: the owner has FULL_CONTROL. */
  public static Acl privateTo(String ownerId) {
    return new Acl(ownerId, List.of(new Grant(new Grantee.User(ownerId), AclPermission.FULL_CONTROL)));
  }

  /** Whether {@code caller} holds {@code permission}: it owns the resource, or a grant gives it. */
  public boolean allows(Principal caller, AclPermission permission) {
    if (!caller.isAnonymous() && ownerId.equals(caller.userId())) {
      return true;
    }
    for (Grant g : grants) {
      if (g.permission().implies(permission) && g.grantee().includes(caller)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the ACL grants anything to AllUsers or AuthenticatedUsers, which S3 counts as public
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
   */
  public boolean isPublic() {
    return grants.stream().anyMatch(g -> g.grantee() == Grantee.Group.ALL_USERS
        || g.grantee() == Grantee.Group.AUTHENTICATED_USERS);
  }

  /**
   * This ACL without its public grants (to AllUsers and AuthenticatedUsers): what decides access while
   * the public access block's IgnorePublicAcls is in force, the ACL itself kept and shown as it is.
   */
  public Acl withoutPublicGrants() {
    return new Acl(ownerId, grants.stream().filter(g -> g.grantee() != Grantee.Group.ALL_USERS
        && g.grantee() != Grantee.Group.AUTHENTICATED_USERS).toList());
  }

  /** The permissions granted to user {@code userId} by name (not by groups), in the ACL's order. */
  public List<AclPermission> grantedTo(String userId) {
    List<AclPermission> out = new ArrayList<>();
    for (Grant g : grants) {
      if (g.grantee() instanceof Grantee.User u && u.id().equals(userId) && !out.contains(g.permission())) {
        out.add(g.permission());
      }
    }
    return out;
  }

  /** The same grants under another owner (a bucket given to another user). */
  public Acl withOwner(String newOwnerId) {
    return new Acl(newOwnerId, grants);
  }

  /** This ACL with {@code userId}'s own grants replaced by {@code permissions} (none: removed). */
  public Acl withUserGrants(String userId, List<AclPermission> permissions) {
    List<Grant> out = new ArrayList<>();
    for (Grant g : grants) {
      if (!(g.grantee() instanceof Grantee.User u && u.id().equals(userId))) {
        out.add(g);
      }
    }
    for (AclPermission p : permissions) {
      out.add(new Grant(new Grantee.User(userId), p));
    }
    return new Acl(ownerId, out);
  }

  /**
   * Whether this ACL gives the bucket owner full control and nothing to anyone else: what S3 still
   * accepts when object ownership is BucketOwnerEnforced, {@code bucket-owner-full-control} or its
   * equivalent (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html).
   */
  public boolean onlyBucketOwnerFullControl(String bucketOwnerId) {
    boolean ownerFull = false;
    for (Grant g : grants) {
      if (!(g.grantee() instanceof Grantee.User u)) {
        return false;
      }
      if (u.id().equals(bucketOwnerId) && g.permission() == AclPermission.FULL_CONTROL) {
        ownerFull = true;
      } else if (!u.id().equals(ownerId)) {
        return false;
      }
    }
    return ownerFull;
  }
}
