package io.tarn.storage.objects;

import io.tarn.core.EventName;
import io.tarn.core.MutationEvent;
import io.tarn.core.RequestContext;
import io.tarn.storage.BlobUpload;
import io.tarn.storage.BucketRef;
import io.tarn.storage.EventSink;
import io.tarn.storage.StorageException;
import io.tarn.storage.StorageOptions;
import io.tarn.storage.blobs.BlobStore;
import io.tarn.storage.blobs.DiskSpace;
import io.tarn.storage.blobs.ReceivingUpload;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.meta.Sequencer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** What the operation classes of {@link TarnStore} share. */
public record StoreContext(
    StorageOptions options,
    MetaStore meta,
    ObjectTables tables,
    BlobStore blobs,
    DiskSpace space,
    Locks locks,
    Sequencer sequencer,
    EventSink sink,
    Clock clock) {

  private static final System.Logger LOG = System.getLogger(StoreContext.class.getName());

  /** Now, at the millisecond precision S3 timestamps (and our records) have. */
  public Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  /**
   * The bucket's record if it is still the incarnation {@code ref} names. Under the bucket's lock (shared
   * by every commit, taken exclusively by create and delete) this is what binds a commit to the bucket
   * its request was authorized against: once that bucket is deleted, even if another is created under
   * its name, the answer is NO_SUCH_BUCKET.
   */
  public BucketRecord requireBucket(BucketRef ref) {
    BucketRecord b = tables.bucket(ref.name());
    if (b == null || !b.incarnation().equals(ref.incarnation())) {
      throw new StorageException(StorageException.Kind.NO_SUCH_BUCKET, b == null ? "no such bucket: " + ref.name()
          : "bucket " + ref.name() + " was deleted and created again since the request was authorized");
    }
    return b;
  }

  /** The bucket's current incarnation, for operations that do not name one. */
  BucketRef currentRef(String bucket) {
    return new BucketRef(bucket, requireBucket(bucket).incarnation());
  }

  public BucketRecord requireBucket(String bucket) {
    BucketRecord b = tables.bucket(bucket);
    if (b == null) {
      throw new StorageException(StorageException.Kind.NO_SUCH_BUCKET, "no such bucket: " + bucket);
    }
    return b;
  }

  /**
   * Deletes the files a commit that failed with {@code failure} would have made live, unless that
   * commit may have reached the WAL anyway ({@link MetaStore#outcomeUnknown}: a full disk met by
   * the WAL's sync): then a record replayed at the next open would name deleted files, so they are
   * left for the start-up sweep, which keeps what a committed record references.
   */
  void discardUncommitted(List<String> fileIds, StorageException failure) {
    if (failure != null && MetaStore.outcomeUnknown(failure) && !fileIds.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "kept " + fileIds.size() + " new blob file(s) " + fileIds
          + ": their commit met a full disk and may be in the WAL; the start-up sweep decides");
      return;
    }
    blobs.deleteAll(fileIds);
  }

  /** The store's own upload: anything else cannot be committed here. */
  ReceivingUpload own(BlobUpload body) {
    if (body instanceof ReceivingUpload u && u.ownedBy(blobs)) {
      return u;
    }
    throw new IllegalArgumentException("body was not opened by this store's openUpload");
  }

  static String principalId(RequestContext ctx) {
    return ctx == null || ctx.principal() == null ? null : ctx.principal().userId();
  }

  /** Builds a mutation's event and stages it into the batch being committed (EventSink contract). */
  void stageEvent(MetaStore.Batch batch, String bucket, BucketRecord bucketRecord, String key, EventName name,
      long size, String etag, String contentType, long sequencer, Instant time, RequestContext ctx,
      boolean replacedExisting) {
    MutationEvent event = new MutationEvent(bucket, key, null, name, size, etag, contentType,
        MutationEvent.sequencer(sequencer), time, ctx == null ? null : ctx.requestId(), principalId(ctx),
        ctx == null ? null : ctx.sourceIp(), replacedExisting, bucketRecord.ownerId());
    batch.staging(sink).stage(event);
  }
}
