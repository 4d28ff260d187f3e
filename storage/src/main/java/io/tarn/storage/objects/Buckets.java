package io.tarn.storage.objects;

import io.tarn.storage.BucketInfo;
import io.tarn.storage.StorageException;
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

  public BucketInfo create(String name, String region, String ownerId) {
    try (Locks.Held b = c.locks().bucketExclusive(name)) {
      BucketRecord existing = c.tables().bucket(name);
      if (existing != null) {
        boolean mine = Objects.equals(existing.ownerId(), ownerId);
        throw new StorageException(
            mine ? StorageException.Kind.BUCKET_ALREADY_OWNED_BY_YOU : StorageException.Kind.BUCKET_ALREADY_EXISTS,
            "bucket " + name + " exists");
      }
      BucketRecord rec = BucketRecord.created(ownerId, region, c.now().toEpochMilli());
      try (MetaStore.Batch batch = c.meta().batch()) {
        c.tables().putBucket(batch, name, rec);
        c.meta().commit(batch, "create bucket " + name);
      }
      return rec.toInfo(name);
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
