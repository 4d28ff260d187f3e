package io.tarn.storage.identity;

import static io.tarn.storage.identity.IdentityRules.error;

import io.tarn.storage.BucketAccess;
import io.tarn.storage.BucketGrant;
import io.tarn.storage.Permission;
import io.tarn.storage.StorageException;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.objects.BucketRecord;
import io.tarn.storage.objects.Locks;
import io.tarn.storage.objects.StoreContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Who may use a bucket: its owner and the users granted read or read-write on it. */
final class Grants {
  private final StoreContext c;
  private final IdentityTables t;
  private final IdentityGuard guard;
  private final Users users;

  Grants(StoreContext c, IdentityTables t, IdentityGuard guard, Users users) {
    this.c = c;
    this.t = t;
    this.guard = guard;
    this.users = users;
  }

  Optional<BucketAccess> access(String bucket, String userId) {
    Objects.requireNonNull(bucket, "bucket");
    return guard.read(() -> {
      BucketRecord b = c.tables().bucket(bucket);
      if (b == null) {
        return Optional.empty();
      }
      GrantRecord g = userId == null ? null : t.grant(bucket, userId);
      return Optional.of(new BucketAccess(bucket, b.ownerId(), g == null ? null : g.permission()));
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
        try (MetaStore.Batch b = c.meta().batch()) {
          t.putGrant(b, bucket, userId, new GrantRecord(permission));
          c.meta().commit(b, "grant " + permission + " on bucket " + bucket + " to user " + u.name());
        }
      }
    });
  }

  void revoke(String bucket, String userId) {
    guard.mutateVoid(() -> {
      try (Locks.Held held = c.locks().bucketShared(bucket)) {
        if (userId != null && t.grant(bucket, userId) != null) {
          try (MetaStore.Batch b = c.meta().batch()) {
            t.deleteGrant(b, bucket, userId);
            c.meta().commit(b, "revoke the grant on bucket " + bucket + " of user " + userId);
          }
        }
      }
    });
  }

  List<BucketGrant> grants(String bucket) {
    return guard.read(() -> {
      c.requireBucket(bucket);
      List<BucketGrant> out = new ArrayList<>();
      t.grants(bucket).forEach((userId, g) -> out.add(new BucketGrant(bucket, userId, g.permission())));
      return out;
    });
  }

  /** Stages the removal of every grant on {@code bucket}, which is being deleted. */
  void stageBucketDeleted(MetaStore.Batch b, String bucket) {
    for (String userId : t.grants(bucket).keySet()) {
      t.deleteGrant(b, bucket, userId);
    }
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
          stageOwner(b, bucket, r, newOwnerId);
          c.meta().commit(b, "give bucket " + bucket + " to user " + u.name());
        }
      }
    });
  }

  /** The new owner, without a grant it had on the bucket (an owner needs none). */
  void stageOwner(MetaStore.Batch b, String bucket, BucketRecord r, String newOwnerId) {
    c.tables().putBucket(b, bucket, r.withOwner(newOwnerId));
    if (t.grant(bucket, newOwnerId) != null) {
      t.deleteGrant(b, bucket, newOwnerId);
    }
  }
}
