package io.tarn.storage.identity;

import static io.tarn.storage.identity.IdentityRules.error;

import io.tarn.storage.BucketAccess;
import io.tarn.storage.BucketGrant;
import io.tarn.storage.Permission;
import io.tarn.storage.StorageException;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclPermission;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.access.Grant;
import io.tarn.storage.access.Grantee;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.objects.BucketAcls;
import io.tarn.storage.objects.BucketRecord;
import io.tarn.storage.objects.Locks;
import io.tarn.storage.objects.StoreContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may use a bucket: its owner and its ACL ({@link BucketAcls}). Tarn's grants ({@code tarn admin
 * bucket grant}, the console) are the ACL's grants to users: READ is the ACL's READ, READ_WRITE its READ
 * and WRITE, so both show the same thing.
 */
final class Grants {
  private final StoreContext c;
  private final IdentityGuard guard;
  private final Users users;

  Grants(StoreContext c, IdentityGuard guard, Users users) {
    this.c = c;
    this.guard = guard;
    this.users = users;
  }

  private BucketAcls acls() {
    return c.tables().acls();
  }

  Optional<BucketAccess> access(String bucket, String userId) {
    Objects.requireNonNull(bucket, "bucket");
    return guard.read(() -> {
      BucketRecord b = c.tables().bucket(bucket);
      if (b == null) {
        return Optional.empty();
      }
      Acl acl = acls().acl(bucket, b.ownerId());
      // The owner needs no grant, whatever the ACL says of it.
      Permission granted = userId == null || userId.isEmpty() || userId.equals(b.ownerId()) ? null
          : tarnPermission(acl.grantedTo(userId));
      return Optional.of(new BucketAccess(bucket, b.ownerId(), granted, acl, b.effectiveOwnership()));
    });
  }

  Acl acl(String bucket) {
    return guard.read(() -> acls().acl(bucket, c.requireBucket(bucket).ownerId()));
  }

  /** PutBucketAcl: the owner stays; ACLS_DISABLED if the bucket's ownership refuses the ACL. */
  Acl setAcl(String bucket, AclRequest request) {
    return guard.mutate(() -> {
      try (Locks.Held held = c.locks().bucketShared(bucket)) {
        BucketRecord r = c.requireBucket(bucket);
        Acl acl = request.forBucket(r.ownerId(), r.effectiveOwnership());
        try (MetaStore.Batch b = c.meta().batch()) {
          acls().put(b, bucket, acl);
          c.meta().commit(b, "put the ACL of bucket " + bucket);
        }
        return acl;
      }
    });
  }

  void grant(String bucket, String userId, Permission permission) {
    if (permission == null) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "a permission is required to grant bucket " + bucket);
    }
    guard.mutateVoid(() -> {
      try (Locks.Held held = c.locks().bucketShared(bucket)) {
        BucketRecord r = c.requireBucket(bucket);
        UserRecord u = users.require(userId);
        if (userId.equals(r.ownerId())) {
          throw error(StorageException.Kind.INVALID_ARGUMENT, "user " + u.name() + " owns bucket " + bucket
              + ": an owner needs no grant");
        }
        if (!r.effectiveOwnership().aclsEnabled()) {
          throw error(StorageException.Kind.INVALID_ARGUMENT, "bucket " + bucket + " has ACLs disabled (Object"
              + " Ownership BucketOwnerEnforced), and grants are ACL grants: set its ownership to ObjectWriter or"
              + " BucketOwnerPreferred first");
        }
        Acl acl = acls().acl(bucket, r.ownerId()).withUserGrants(userId, permissions(permission));
        try (MetaStore.Batch b = c.meta().batch()) {
          acls().put(b, bucket, acl);
          c.meta().commit(b, "grant " + permission + " on bucket " + bucket + " to user " + u.name());
        }
      }
    });
  }

  void revoke(String bucket, String userId) {
    guard.mutateVoid(() -> {
      try (Locks.Held held = c.locks().bucketShared(bucket)) {
        BucketRecord r = c.tables().bucket(bucket);
        if (r == null || userId == null) {
          return;
        }
        Acl acl = acls().acl(bucket, r.ownerId());
        if (!acl.grantedTo(userId).isEmpty()) {
          try (MetaStore.Batch b = c.meta().batch()) {
            acls().put(b, bucket, acl.withUserGrants(userId, List.of()));
            c.meta().commit(b, "revoke the grant on bucket " + bucket + " of user " + userId);
          }
        }
      }
    });
  }

  /** The users the bucket's ACL names (its owner aside), each with its permissions, by user id. */
  List<BucketGrant> grants(String bucket) {
    return guard.read(() -> {
      BucketRecord r = c.requireBucket(bucket);
      Acl acl = acls().acl(bucket, r.ownerId());
      Set<String> named = new TreeSet<>(); // by user id, as the grants of earlier builds were listed
      for (Grant g : acl.grants()) {
        if (g.grantee() instanceof Grantee.User u && !u.id().equals(r.ownerId())) {
          named.add(u.id());
        }
      }
      List<BucketGrant> out = new ArrayList<>();
      for (String userId : named) {
        List<AclPermission> p = acl.grantedTo(userId);
        out.add(new BucketGrant(bucket, userId, tarnPermission(p), p));
      }
      return out;
    });
  }

  /** Stages the removal of the ACL of {@code bucket}, which is being deleted. */
  void stageBucketDeleted(MetaStore.Batch b, String bucket) {
    acls().delete(b, bucket);
  }

  void changeOwner(String bucket, String newOwnerId) {
    guard.mutateVoid(() -> {
      // Shared is enough: bucket create and delete take it exclusively, and owner changes are
      // serialised by the mutation lock.
      try (Locks.Held held = c.locks().bucketShared(bucket)) {
        BucketRecord r = c.requireBucket(bucket);
        UserRecord u = users.require(newOwnerId);
        if (newOwnerId.equals(r.ownerId())) {
          return;
        }
        try (MetaStore.Batch b = c.meta().batch()) {
          c.tables().putBucket(b, bucket, r.withOwner(newOwnerId));
          acls().put(b, bucket, newOwnerAcl(acls().acl(bucket, r.ownerId()), r.ownerId(), newOwnerId));
          c.meta().commit(b, "give bucket " + bucket + " to user " + u.name());
        }
      }
    });
  }

  /**
   * Stages what deleting user {@code userId} does to buckets: those it owns pass to {@code reassignTo},
   * and its grants are removed from every ACL. One put per bucket, since a batch's later put wins.
   */
  void stageUserDeleted(MetaStore.Batch b, String userId, List<String> owned, String reassignTo) {
    Map<String, Acl> changed = new LinkedHashMap<>();
    for (String bucket : owned) {
      BucketRecord r = c.tables().bucket(bucket);
      if (r != null && userId.equals(r.ownerId())) {
        c.tables().putBucket(b, bucket, r.withOwner(reassignTo));
        changed.put(bucket, newOwnerAcl(acls().acl(bucket, r.ownerId()), r.ownerId(), reassignTo));
      }
    }
    for (String bucket : acls().bucketsGranting(userId)) {
      BucketRecord r = c.tables().bucket(bucket);
      if (r != null) {
        Acl acl = changed.getOrDefault(bucket, acls().acl(bucket, r.ownerId()));
        changed.put(bucket, acl.withUserGrants(userId, List.of()));
      }
    }
    changed.forEach((bucket, acl) -> acls().put(b, bucket, acl));
  }

  /**
   * The ACL of a bucket given to {@code newOwner}: the old owner's grants become the new owner's
   * FULL_CONTROL (the new owner needs no other grant), the others stay.
   */
  private static Acl newOwnerAcl(Acl acl, String oldOwner, String newOwner) {
    List<Grant> out = new ArrayList<>();
    out.add(new Grant(new Grantee.User(newOwner), AclPermission.FULL_CONTROL));
    for (Grant g : acl.grants()) {
      if (!(g.grantee() instanceof Grantee.User u && (u.id().equals(oldOwner) || u.id().equals(newOwner)))) {
        out.add(g);
      }
    }
    return new Acl(newOwner, out);
  }

  private static List<AclPermission> permissions(Permission p) {
    return BucketAcls.legacyPermissions(p.name());
  }

  /**
   * How a user's ACL permissions read as Tarn's grants: READ_WRITE when it may write (WRITE or
   * FULL_CONTROL), READ when it may read, else none (it holds only ACL permissions such as READ_ACP,
   * which {@link BucketGrant#aclPermissions()} shows).
   */
  static Permission tarnPermission(List<AclPermission> p) {
    if (p.contains(AclPermission.FULL_CONTROL) || p.contains(AclPermission.WRITE)) {
      return Permission.READ_WRITE;
    }
    return p.contains(AclPermission.READ) ? Permission.READ : null;
  }
}
