package io.tarn.storage.objects;

import io.tarn.storage.BucketInfo;
import io.tarn.storage.StorageException;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.access.ObjectOwnership;
import io.tarn.storage.meta.MetaStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Buckets: create, look up, list, delete (run inside the store's lifecycle guard by the caller). */
public final class Buckets {
  private final StoreContext c;
  private final MultipartOps multipart;
  /** Stages the removal of what others keep for a bucket being deleted (its grants). */
  private final BiConsumer<MetaStore.Batch, String> stageDeleted;

  public Buckets(StoreContext c, MultipartOps multipart, BiConsumer<MetaStore.Batch, String> stageDeleted) {
    this.c = c;
    this.multipart = multipart;
    this.stageDeleted = stageDeleted;
  }

  public BucketInfo create(String name, String region, String ownerId, ObjectOwnership ownership, AclRequest acl) {
    try (Locks.Held b = c.locks().bucketExclusive(name)) {
      BucketRecord existing = c.tables().bucket(name);
      if (existing != null) {
        boolean mine = Objects.equals(existing.ownerId(), ownerId);
        throw new StorageException(
            mine ? StorageException.Kind.BUCKET_ALREADY_OWNED_BY_YOU : StorageException.Kind.BUCKET_ALREADY_EXISTS,
            "bucket " + name + " exists");
      }
      BucketRecord rec = BucketRecord.created(ownerId, region, c.now().toEpochMilli(), ownership);
      Acl bucketAcl;
      try {
        bucketAcl = acl.forBucket(ownerId, rec.effectiveOwnership()); // refused before anything is written
      } catch (StorageException e) {
        // CreateBucket with an ACL and BucketOwnerEnforced is S3's InvalidBucketAclWithObjectOwnership
        // ("Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"), not the
        // AccessControlListNotSupported of a put to an existing bucket.
        throw new StorageException(StorageException.Kind.INVALID_BUCKET_ACL_WITH_OWNERSHIP, e.getMessage());
      }
      try (MetaStore.Batch batch = c.meta().batch()) {
        c.tables().putBucket(batch, name, rec);
        if (!bucketAcl.equals(Acl.privateTo(ownerId))) {
          c.tables().acls().put(batch, name, bucketAcl);
        }
        c.meta().commit(batch, "create bucket " + name);
      }
      return rec.toInfo(name);
    }
  }

  /**
   * PutBucketOwnershipControls (null: DeleteBucketOwnershipControls). BucketOwnerEnforced is refused
   * while the bucket's ACL grants anyone but its owner: S3 answers InvalidBucketAclWithObjectOwnership
   * until the ACL is private again
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-migrating-acls-prerequisites.html).
   */
  public void setOwnership(String name, ObjectOwnership ownership) {
    try (Locks.Held b = c.locks().bucketExclusive(name)) {
      BucketRecord r = c.requireBucket(name);
      if (ownership != null && !ownership.aclsEnabled()
          && !c.tables().acls().acl(name, r.ownerId()).onlyBucketOwnerFullControl(r.ownerId())) {
        throw new StorageException(StorageException.Kind.INVALID_BUCKET_ACL_WITH_OWNERSHIP, "bucket " + name
            + " has an ACL granting others: make it private before setting BucketOwnerEnforced");
      }
      try (MetaStore.Batch batch = c.meta().batch()) {
        c.tables().putBucket(batch, name, r.withOwnership(ownership));
        c.meta().commit(batch, "set the object ownership of bucket " + name);
      }
    }
  }

  public Optional<BucketInfo> bucket(String name) {
    return Optional.ofNullable(c.tables().bucket(name)).map(r -> r.toInfo(name));
  }

  public List<BucketInfo> list() {
    List<BucketInfo> out = new ArrayList<>();
    for (Map.Entry<String, BucketRecord> e : c.tables().buckets().entrySet()) {
      out.add(e.getValue().toInfo(e.getKey()));
    }
    return out;
  }

  /** Deletes an empty bucket with its uploads, and what the sink and {@code stageDeleted} keep for it. */
  public void delete(String name) {
    List<String> garbage;
    try (Locks.Held b = c.locks().bucketExclusive(name)) {
      c.requireBucket(name);
      if (c.tables().hasObjects(name)) {
        throw new StorageException(StorageException.Kind.BUCKET_NOT_EMPTY, "bucket " + name + " is not empty");
      }
      try (MetaStore.Batch batch = c.meta().batch()) {
        garbage = multipart.stageAbortAll(batch, name);
        stageDeleted.accept(batch, name);
        c.tables().deleteBucket(batch, name);
        c.tables().usage().remove(batch, name); // no objects, so zero: a bucket created again starts without
        batch.staging(c.sink()).bucketDeleted(name);
        c.meta().commit(batch, "delete bucket " + name);
      }
    }
    c.blobs().deleteAll(garbage);
  }
}
