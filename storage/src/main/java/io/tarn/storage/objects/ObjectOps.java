package io.tarn.storage.objects;

import io.tarn.core.EventName;
import io.tarn.core.Ids;
import io.tarn.core.RequestContext;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.core.checksum.Digest;
import io.tarn.storage.BlobUpload;
import io.tarn.storage.BucketRef;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.StorageException;
import io.tarn.storage.StoredChecksum;
import io.tarn.storage.WriteCondition;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.blobs.BlobStore;
import io.tarn.storage.blobs.InlineValue;
import io.tarn.storage.blobs.ReceivingUpload;
import io.tarn.storage.meta.MetaStore;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Object put, head, delete and copy (reads are {@link ObjectReader}'s), and the commit every object write goes through (also
 * CompleteMultipartUpload's). The write path is DESIGN.md's: the body is already in a temp file (or
 * in memory), the file is installed (fsync, move, directory fsync) before any lock is taken, then
 * under the key's lock the condition is checked and one synced batch commits the record, the
 * blobrefs, the sequencer's event and the release of the replaced body; the replaced files are
 * deleted only after that commit.
 */
public final class ObjectOps {
  private final StoreContext c;

  /** A body to be stored by this store: small ones stay in memory, larger ones go to a temp file. */
  public BlobUpload openUpload(long expectedLength, Set<ChecksumAlgorithm> digests) {
    return new ReceivingUpload(c.blobs(), c.space(), c.options().inlineThreshold(), expectedLength, digests);
  }

  public ObjectOps(StoreContext c) {
    this.c = c;
  }

  /**
   * An object version ready to commit, all but its commit time.
   *
   * @param inlineValue the {@link InlineValue} to store under the {@link ObjectRecord.Inline} body's id,
   *     else null
   * @param newFileIds blob files this commit makes live (installed, not yet referenced)
   */
  record NewObject(long size, String etag, ObjectMetadata metadata, StoredChecksum checksum, String ownerId,
      ObjectRecord.Body body, byte[] inlineValue, List<String> newFileIds, AclRequest acl) {
    /**
     * Its record in {@code bucket} as of {@code millis}: {@code ownerId} is the writer, the record's
     * owner the one the bucket's Object Ownership gives it, with the ACL the write asked for.
     *
     * @throws StorageException ACLS_DISABLED if the bucket does not allow that ACL
     */
    ObjectRecord record(long millis, BucketRecord bucket) {
      AclRequest.Resolved r = acl.forObject(ownerId == null ? "" : ownerId, bucket.ownerId(),
          bucket.effectiveOwnership());
      return new ObjectRecord(size, etag, millis, metadata, checksum, r.ownerId(), body, r.acl().grants());
    }
  }

  /**
   * PutObjectAcl: replaces the ACL of {@code bucket/key}, keeping its owner, in one batch under the
   * key's lock: it rewrites the record it read under that lock, so a concurrent put is never lost.
   */
  public Acl setAcl(String bucket, String key, AclRequest request) {
    Names.requireObjectKey(key);
    try (Locks.Held b = c.locks().bucketShared(bucket); Locks.Held k = c.locks().key(bucket, key)) {
      BucketRecord bucketRecord = c.requireBucket(bucket);
      ObjectRecord old = c.tables().object(bucket, key);
      if (old == null) {
        throw new StorageException(StorageException.Kind.NO_SUCH_KEY, "no such key: " + bucket + "/" + key);
      }
      String owner = old.ownerId() == null ? "" : old.ownerId();
      Acl acl = request.forExistingObject(owner, bucketRecord.ownerId(), bucketRecord.effectiveOwnership());
      try (MetaStore.Batch batch = c.meta().batch()) {
        c.tables().putObject(batch, bucket, key, old.withGrants(acl.grants()));
        c.meta().commit(batch, "put the ACL of an object in " + bucket);
      }
      return acl;
    }
  }

  /** More work for the same batch (CompleteMultipartUpload removes its upload with it). */
  @FunctionalInterface
  interface Extra {
    Extra NONE = batch -> {};

    void stage(MetaStore.Batch batch);
  }

  public ObjectInfo put(BucketRef bucket, String key, BlobUpload body, ObjectMetadata metadata, StoredChecksum checksum,
      WriteCondition condition, EventName event, RequestContext ctx, AclRequest acl) {
    Names.requireObjectKey(key);
    Objects.requireNonNull(metadata, "metadata");
    if (event != EventName.OBJECT_CREATED_PUT && event != EventName.OBJECT_CREATED_POST) {
      throw new IllegalArgumentException("putObject event must be ObjectCreated:Put or :Post, not " + event);
    }
    ReceivingUpload upload = c.own(body);
    BlobUpload.Digests digests = upload.digests();
    // Fails before installing a file; checked again under the lock. Its record goes into the description.
    BucketRecord bucketRecord = c.requireBucket(bucket);
    NewObject obj;
    ReceivingUpload.Claimed claimed = upload.claim();
    if (claimed instanceof ReceivingUpload.InMemory m) {
      obj = new NewObject(digests.size(), digests.md5Hex(), metadata, checksum, StoreContext.principalId(ctx),
          new ObjectRecord.Inline(Ids.random128()), m.inlineValue(), List.of(), acl);
    } else {
      ReceivingUpload.InFile f = (ReceivingUpload.InFile) claimed;
      obj = new NewObject(digests.size(), digests.md5Hex(), metadata, checksum, StoreContext.principalId(ctx),
          new ObjectRecord.BlobFile(f.blobId()), null, List.of(f.blobId()), acl);
      c.blobs().install(f.file(), describe(BlobDescription.Kind.OBJECT, bucket.name(), bucketRecord, key, obj));
    }
    return commitNew(bucket, key, condition, event, ctx, obj, Extra.NONE);
  }

  /**
   * The description of a blob file of {@code obj} at {@code bucket/key}: its record as of now, and
   * the event sequencer's next number as the stamp that orders it among the key's versions.
   */
  byte[] describe(BlobDescription.Kind kind, String bucket, BucketRecord bucketRecord, String key, NewObject obj) {
    ObjectRecord rec = obj.record(c.now().toEpochMilli(), bucketRecord);
    long stamp = c.sequencer().peekNext();
    return (kind == BlobDescription.Kind.MANIFEST ? BlobDescription.manifest(bucket, bucketRecord, key, stamp, rec)
        : BlobDescription.object(bucket, bucketRecord, key, stamp, rec)).encode();
  }

  /** {@link #commit}s a version whose files are new; if it does not commit, they are deleted. */
  ObjectInfo commitNew(BucketRef bucket, String key, WriteCondition condition, EventName event,
      RequestContext ctx, NewObject obj, Extra extra) {
    boolean committed = false;
    StorageException failure = null;
    try {
      ObjectInfo info = commit(bucket, key, condition, event, ctx, obj, extra);
      committed = true;
      return info;
    } catch (StorageException e) {
      failure = e;
      throw e;
    } finally {
      if (!committed) {
        c.discardUncommitted(obj.newFileIds(), failure);
      }
    }
  }

  /**
   * Makes {@code obj} the current version of {@code bucket/key} in one synced batch, then deletes the
   * files of the version it replaced. Nothing commits unless {@code bucket} is still the bucket's
   * incarnation: the request was authorized against it, maybe long before its body ended.
   *
   * @return the committed object
   */
  ObjectInfo commit(BucketRef ref, String key, WriteCondition condition, EventName event, RequestContext ctx,
      NewObject obj, Extra extra) {
    List<String> garbage;
    ObjectInfo info;
    String bucket = ref.name();
    try (Locks.Held b = c.locks().bucketShared(bucket); Locks.Held k = c.locks().key(bucket, key)) {
      BucketRecord bucketRecord = c.requireBucket(ref);
      ObjectRecord old = c.tables().object(bucket, key);
      checkCondition(condition, old, bucket, key);
      Instant now = c.now();
      ObjectRecord rec = obj.record(now.toEpochMilli(), bucketRecord);
      try (MetaStore.Batch batch = c.meta().batch()) {
        long sequencer = batch.takeSequencer(c.sequencer());
        c.tables().putObject(batch, bucket, key, rec);
        // What this batch replaces, read under the key's lock: an overwrite changes only the bytes.
        c.tables().usage().add(batch, bucket, old == null ? 1 : 0, rec.size() - (old == null ? 0 : old.size()));
        if (obj.inlineValue() != null) {
          c.tables().putInline(batch, ((ObjectRecord.Inline) rec.body()).blobId(), obj.inlineValue());
        }
        for (String id : obj.newFileIds()) {
          c.tables().putBlobRef(batch, id);
        }
        garbage = old == null ? List.of() : release(batch, old.body(), rec.body());
        extra.stage(batch);
        c.stageEvent(batch, bucket, bucketRecord, key, event, rec.size(), rec.etag(),
            rec.metadata().effectiveContentType(), sequencer, now, ctx, old != null);
        c.meta().commit(batch, event.wireName() + " " + bucket);
      }
      info = rec.toInfo(bucket, key);
    }
    c.blobs().deleteAll(garbage);
    return info;
  }

  /**
   * Stages the removal of a replaced or deleted body: its inline bytes, or its files' blobrefs.
   *
   * @param keep the body replacing it (its ids are not released), or {@code null}
   * @return the files to delete once the batch has committed
   */
  private List<String> release(MetaStore.Batch batch, ObjectRecord.Body old, ObjectRecord.Body keep) {
    if (old instanceof ObjectRecord.Inline i) {
      if (!(keep instanceof ObjectRecord.Inline k && k.blobId().equals(i.blobId()))) {
        c.tables().deleteInline(batch, i.blobId());
      }
      return List.of();
    }
    Set<String> kept = keep == null ? Set.of() : new HashSet<>(keep.ownedIds());
    List<String> garbage = new ArrayList<>();
    for (String id : old.ownedIds()) {
      if (!kept.contains(id)) {
        c.tables().releaseBlobRef(batch, id);
        garbage.add(id);
      }
    }
    return garbage;
  }

  /** Conditional writes: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html */
  static void checkCondition(WriteCondition condition, ObjectRecord current, String bucket, String key) {
    if (condition == null) {
      return;
    }
    if (condition.ifNoneMatchAny() && current != null) {
      throw new StorageException(StorageException.Kind.PRECONDITION_FAILED,
          "If-None-Match: * failed: " + bucket + "/" + key + " exists");
    }
    String ifMatch = condition.ifMatch();
    if (ifMatch != null) {
      if (current == null) {
        throw new StorageException(StorageException.Kind.NO_SUCH_KEY, "If-Match on missing key " + bucket + "/" + key);
      }
      if (!etagMatches(ifMatch, current.etag())) {
        throw new StorageException(StorageException.Kind.PRECONDITION_FAILED,
            "If-Match failed: " + bucket + "/" + key + " has a different ETag");
      }
    }
    // The size and time conditions of deletes hold for a missing object: DeleteObject answers 204
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html#API_DeleteObject_RequestSyntax).
    if (current == null) {
      return;
    }
    if (condition.ifMatchSize() != null && condition.ifMatchSize() != current.size()) {
      throw new StorageException(StorageException.Kind.PRECONDITION_FAILED,
          "size condition failed: " + bucket + "/" + key + " is " + current.size() + " bytes");
    }
    if (condition.ifMatchLastModified() != null
        && condition.ifMatchLastModified().getEpochSecond() != Math.floorDiv(current.lastModifiedMillis(), 1000L)) {
      throw new StorageException(StorageException.Kind.PRECONDITION_FAILED,
          "last-modified condition failed: " + bucket + "/" + key + " was modified at another time");
    }
  }

  private static boolean etagMatches(String wanted, String actual) {
    String w = wanted.trim();
    if (w.length() >= 2 && w.startsWith("\"") && w.endsWith("\"")) {
      w = w.substring(1, w.length() - 1);
    }
    return w.equals("*") || w.equalsIgnoreCase(actual);
  }

  public Optional<ObjectInfo> head(String bucket, String key) {
    Names.requireObjectKey(key);
    c.requireBucket(bucket);
    ObjectRecord rec = c.tables().object(bucket, key);
    return rec == null ? Optional.empty() : Optional.of(rec.toInfo(bucket, key));
  }

  /** Deletes the object if {@code condition} holds for it (checked under the key's lock, like writes'). */
  public boolean delete(BucketRef ref, String key, WriteCondition condition, RequestContext ctx) {
    Names.requireObjectKey(key);
    String bucket = ref.name();
    List<String> garbage;
    try (Locks.Held b = c.locks().bucketShared(bucket); Locks.Held k = c.locks().key(bucket, key)) {
      BucketRecord bucketRecord = c.requireBucket(ref);
      ObjectRecord old = c.tables().object(bucket, key);
      checkCondition(condition, old, bucket, key);
      if (old == null) {
        return false; // S3 answers 204 and emits no event
      }
      Instant now = c.now();
      try (MetaStore.Batch batch = c.meta().batch()) {
        long sequencer = batch.takeSequencer(c.sequencer());
        c.tables().deleteObject(batch, bucket, key);
        c.tables().usage().add(batch, bucket, -1, -old.size());
        garbage = release(batch, old.body(), null);
        c.stageEvent(batch, bucket, bucketRecord, key, EventName.OBJECT_REMOVED_DELETE, 0, null, null, sequencer, now,
            ctx, true);
        c.meta().commit(batch, "delete object " + bucket);
      }
    }
    c.blobs().deleteAll(garbage);
    return true;
  }

  /** The source's bytes under new ids: the inline value copied, files hard-linked. */
  private record Duplicate(ObjectRecord.Body body, byte[] inlineValue, List<String> newFileIds) {}

  public ObjectInfo copy(BucketRef sourceRef, String sourceKey, BucketRef bucket, String key, Consumer<ObjectInfo> sourceCheck,
      ObjectMetadata newMetadata, ChecksumAlgorithm checksumAlgorithm, WriteCondition condition, RequestContext ctx,
      AclRequest acl) {
    Names.requireObjectKey(sourceKey);
    Names.requireObjectKey(key);
    if (checksumAlgorithm == ChecksumAlgorithm.MD5) {
      throw new IllegalArgumentException("MD5 is not an additional checksum");
    }
    // Hard links take no blocks, but the copy is a new object: below the floor only deletes go on.
    c.space().admit(0);
    c.requireBucket(bucket); // fail before linking anything; checked again under the lock
    ObjectRecord source;
    Duplicate dup;
    // Under the source key's lock its files cannot be deleted, so the links see exactly this version.
    // The lock is released before the destination's is taken: no two key locks are ever held.
    // The source is read under its bucket's shared lock and must be the incarnation the request was
    // authorized to read: a source bucket deleted and created again is another bucket.
    String sourceBucket = sourceRef.name();
    try (Locks.Held sb = c.locks().bucketShared(sourceBucket); Locks.Held k = c.locks().key(sourceBucket, sourceKey)) {
      c.requireBucket(sourceRef);
      source = c.tables().object(sourceBucket, sourceKey);
      if (source == null) {
        throw new StorageException(StorageException.Kind.NO_SUCH_KEY,
            "no such key: " + sourceBucket + "/" + sourceKey);
      }
      if (sourceCheck != null) {
        sourceCheck.accept(source.toInfo(sourceBucket, sourceKey));
      }
      dup = duplicate(source, sourceBucket, sourceKey);
    }
    boolean committed = false;
    StorageException failure = null;
    List<String> newFileIds = new ArrayList<>(dup.newFileIds());
    try {
      StoredChecksum checksum = copyChecksum(source.checksum(), checksumAlgorithm, dup);
      NewObject obj = new NewObject(source.size(), source.etag(), newMetadata != null ? newMetadata : source.metadata(),
          checksum, StoreContext.principalId(ctx), dup.body(), dup.inlineValue(), dup.newFileIds(), acl);
      obj = describeCopy(bucket, key, obj, newFileIds);
      ObjectInfo info = commit(bucket, key, condition, EventName.OBJECT_CREATED_COPY, ctx, obj, Extra.NONE);
      committed = true;
      return info;
    } catch (StorageException e) {
      failure = e;
      throw e;
    } finally {
      if (!committed) {
        c.discardUncommitted(newFileIds, failure);
      }
    }
  }

  /**
   * Gives a copy its blob files' description: the linked files still describe the source, so a
   * manifest names the destination and lists them; an inline source's bytes become a described blob
   * file unless this store keeps such bodies inline. Adds the files it writes to {@code newFileIds}.
   */
  private NewObject describeCopy(BucketRef ref, String key, NewObject obj, List<String> newFileIds) {
    BucketRecord bucketRecord = c.requireBucket(ref);
    if (obj.inlineValue() != null) {
      if (c.options().inlines(obj.size())) {
        return obj;
      }
      byte[] value = obj.inlineValue();
      String id = c.blobs().writeBlob(value, InlineValue.OFFSET, value.length - InlineValue.OFFSET,
          self -> describe(BlobDescription.Kind.OBJECT, ref.name(), bucketRecord, key, withBody(obj,
              new ObjectRecord.BlobFile(self), null, List.of(self))));
      newFileIds.add(id);
      return withBody(obj, new ObjectRecord.BlobFile(id), null, List.of(id));
    }
    String id = c.blobs().writeBlob(new byte[0], 0, 0, self -> describe(BlobDescription.Kind.MANIFEST, ref.name(),
        bucketRecord, key, withManifest(obj, self)));
    newFileIds.add(id);
    return withManifest(obj, id);
  }

  private static NewObject withBody(NewObject o, ObjectRecord.Body body, byte[] inlineValue, List<String> newFileIds) {
    return new NewObject(o.size(), o.etag(), o.metadata(), o.checksum(), o.ownerId(), body, inlineValue, newFileIds,
        o.acl());
  }

  /** {@code o} with the manifest {@code id} in its body and among its new files. */
  static NewObject withManifest(NewObject o, String id) {
    ObjectRecord.Body body = o.body() instanceof ObjectRecord.BlobFile f ? new ObjectRecord.BlobFile(f.blobId(), id)
        : new ObjectRecord.Parts(((ObjectRecord.Parts) o.body()).parts(), ((ObjectRecord.Parts) o.body()).uploadId(), id);
    List<String> ids = new ArrayList<>(o.newFileIds());
    ids.add(id);
    return withBody(o, body, null, ids);
  }

  private Duplicate duplicate(ObjectRecord source, String bucket, String key) {
    ObjectRecord.Body body = source.body();
    if (body instanceof ObjectRecord.Inline i) {
      byte[] value = c.tables().inline(i.blobId());
      if (value == null) {
        throw new StorageException(StorageException.Kind.IO, "inline bytes of " + bucket + "/" + key + " are missing");
      }
      InlineValue.check(value, i.blobId());
      return new Duplicate(new ObjectRecord.Inline(Ids.random128()), value, List.of());
    }
    List<String> ids;
    try {
      ids = c.blobs().link(body.fileIds());
    } catch (NoSuchFileException e) {
      throw new StorageException(StorageException.Kind.IO, "a blob of " + bucket + "/" + key + " is missing", e);
    }
    if (body instanceof ObjectRecord.BlobFile) {
      return new Duplicate(new ObjectRecord.BlobFile(ids.get(0)), null, ids);
    }
    List<PartRecord> parts = new ArrayList<>();
    int i = 0;
    for (PartRecord p : ((ObjectRecord.Parts) body).parts()) {
      parts.add(new PartRecord(p.partNumber(), p.size(), p.etag(), p.lastModifiedMillis(), p.checksum(), ids.get(i++)));
    }
    // A copy is not the completion of an upload: a retried completion must not answer with it.
    return new Duplicate(new ObjectRecord.Parts(parts, null, null), null, ids);
  }

  /**
   * The copy's checksum: with no algorithm requested, the source's full-object checksum if it has one;
   * otherwise the requested algorithm's digest, reused from the source or computed from the bytes.
   */
  private StoredChecksum copyChecksum(StoredChecksum source, ChecksumAlgorithm algorithm, Duplicate dup) {
    boolean fullObject = source != null && !source.composite();
    if (algorithm == null) {
      return fullObject ? source : null;
    }
    if (fullObject && source.algorithm() == algorithm) {
      return source;
    }
    byte[] value;
    if (dup.inlineValue() != null) {
      Digest d = algorithm.newDigest();
      d.update(dup.inlineValue(), InlineValue.OFFSET, dup.inlineValue().length - InlineValue.OFFSET);
      value = d.finish();
    } else {
      value = c.blobs().digest(dup.body().fileIds(), algorithm);
    }
    return new StoredChecksum(algorithm, value, 0);
  }
}
