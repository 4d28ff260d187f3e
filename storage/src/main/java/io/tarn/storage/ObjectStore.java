package io.tarn.storage;

import io.tarn.core.EventName;
import io.tarn.core.RequestContext;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.access.ObjectOwnership;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Buckets, objects and multipart uploads, committed durably: when a mutating method returns, the
 * change (and its {@link io.tarn.core.MutationEvent}, staged through the {@link EventSink}) is in a
 * synced RocksDB write batch, and the bytes it references are fsynced. Reads are strongly
 * consistent with acknowledged writes. All methods block on disk: never call them on a network
 * event loop. Thread-safe.
 *
 * <p>Failures are {@link StorageException}s with a {@link StorageException.Kind}; exceptions thrown by
 * caller-supplied checks pass through unchanged.
 *
 * <p>Writes name their bucket by {@link BucketRef}: the incarnation the request was authorized
 * against. Each commits only if that incarnation is still the bucket's, checked under the bucket's lock
 * at commit; else NO_SUCH_BUCKET and nothing is committed (the body's installed files are deleted).
 * The forms taking a bucket name bind to the incarnation current at the call: for callers that
 * authorized nothing against the bucket beforehand (admin tools, tests).
 */
public interface ObjectStore extends AutoCloseable {
  /**
   * Whether the store is open and can write, and its free space against the floor: for readiness
   * probes. Unlike every other method it does not block on disk (volatile reads, a cached write
   * probe, one {@code statvfs}) and takes no lock, so it may be called on an event loop.
   */
  StoreHealth health();

  // ---- buckets

  /**
   * Creates a bucket owned by {@code ownerId}, without an Object Ownership setting and private.
   *
   * @throws StorageException BUCKET_ALREADY_OWNED_BY_YOU or BUCKET_ALREADY_EXISTS
   */
  default BucketInfo createBucket(String name, String region, String ownerId) {
    return createBucket(name, region, ownerId, null, AclRequest.NONE);
  }

  /**
   * Creates a bucket owned by {@code ownerId} with Object Ownership {@code ownership} (null: none,
   * which behaves as ObjectWriter) and the ACL {@code acl} asks for, in one batch.
   *
   * @throws StorageException BUCKET_ALREADY_OWNED_BY_YOU or BUCKET_ALREADY_EXISTS;
   *     INVALID_BUCKET_ACL_WITH_OWNERSHIP if {@code ownership} is BucketOwnerEnforced and {@code acl} is
   *     more than the owner's full control
   */
  BucketInfo createBucket(String name, String region, String ownerId, ObjectOwnership ownership, AclRequest acl);

  /**
   * Sets (null: removes) the bucket's Object Ownership. NO_SUCH_BUCKET; ACLS_DISABLED when setting
   * BucketOwnerEnforced on a bucket whose ACL grants anyone but its owner, which S3 refuses until the
   * ACL is private again.
   */
  void setOwnership(String bucket, ObjectOwnership ownership);

  /**
   * Replaces an object's ACL (PutObjectAcl); its owner stays. NO_SUCH_BUCKET, NO_SUCH_KEY;
   * ACLS_DISABLED when the bucket's Object Ownership refuses the ACL.
   */
  Acl setObjectAcl(String bucket, String key, AclRequest acl);

  Optional<BucketInfo> bucket(String name);

  // ---- bucket policies and public access blocks (docs/access/policies.md)

  /**
   * The bucket's policy, parsed once and cached (every request asks: a cache hit, never a parse). Empty
   * when the bucket has none, or does not exist.
   *
   * @throws StorageException IO if the stored policy no longer parses (deleting it is the way out)
   */
  Optional<io.tarn.storage.access.policy.BucketPolicy> bucketPolicy(String bucket);

  /** Stores {@code policy} (parsed for {@code bucket}) as the bucket's policy. NO_SUCH_BUCKET. */
  void putBucketPolicy(String bucket, io.tarn.storage.access.policy.BucketPolicy policy);

  /** Removes the bucket's policy, if any. NO_SUCH_BUCKET. */
  void deleteBucketPolicy(String bucket);

  /** The bucket's own public access block configuration (cached); empty without one or without the bucket. */
  Optional<PublicAccessBlock> publicAccessBlock(String bucket);

  /** Stores the bucket's public access block configuration. NO_SUCH_BUCKET. */
  void putPublicAccessBlock(String bucket, PublicAccessBlock block);

  /** Removes the bucket's public access block configuration, if any. NO_SUCH_BUCKET. */
  void deletePublicAccessBlock(String bucket);

  /**
   * The bucket's current incarnation.
   *
   * @throws StorageException NO_SUCH_BUCKET
   */
  default BucketRef ref(String name) {
    return bucket(name).map(BucketInfo::ref).orElseThrow(
        () -> new StorageException(StorageException.Kind.NO_SUCH_BUCKET, "no such bucket: " + name));
  }

  /** All buckets in name order. */
  List<BucketInfo> listBuckets();

  /**
   * Deletes an empty bucket; its in-progress multipart uploads are aborted with it.
   *
   * @throws StorageException NO_SUCH_BUCKET or BUCKET_NOT_EMPTY
   */
  void deleteBucket(String name);

  // ---- object bodies

  /**
   * Starts receiving a body.
   *
   * @param expectedLength the declared length, or -1 if unknown (lets small bodies stay in memory
   *     and large ones go straight to a file)
   * @param digests additional digests to compute while receiving (MD5 is always computed)
   * @throws StorageException STORAGE_FULL if the body would take the disk below the free-space floor
   *     ({@link SpaceLimits}); its writes throw it too when the disk fills while the body arrives
   */
  BlobUpload openUpload(long expectedLength, Set<ChecksumAlgorithm> digests);

  // ---- objects

  /**
   * Commits a finished upload as {@code bucket/key}, replacing any current object.
   *
   * @param checksum the verified additional checksum to keep, or {@code null}
   * @param event {@code OBJECT_CREATED_PUT} or {@code OBJECT_CREATED_POST}
   * @throws StorageException NO_SUCH_BUCKET, PRECONDITION_FAILED, NO_SUCH_KEY (If-Match on a missing
   *     key)
   */
  ObjectInfo putObject(
      BucketRef bucket,
      String key,
      BlobUpload body,
      ObjectMetadata metadata,
      StoredChecksum checksum,
      WriteCondition condition,
      EventName event,
      RequestContext ctx,
      AclRequest acl);

  /** A put with no ACL asked for (the owner's alone). */
  default ObjectInfo putObject(BucketRef bucket, String key, BlobUpload body, ObjectMetadata metadata,
      StoredChecksum checksum, WriteCondition condition, EventName event, RequestContext ctx) {
    return putObject(bucket, key, body, metadata, checksum, condition, event, ctx, AclRequest.NONE);
  }

  /** {@link #putObject(BucketRef, String, BlobUpload, ObjectMetadata, StoredChecksum, WriteCondition, EventName, RequestContext)} into the current incarnation. */
  default ObjectInfo putObject(String bucket, String key, BlobUpload body, ObjectMetadata metadata,
      StoredChecksum checksum, WriteCondition condition, EventName event, RequestContext ctx) {
    return putObject(ref(bucket), key, body, metadata, checksum, condition, event, ctx);
  }

  /** @throws StorageException NO_SUCH_BUCKET */
  Optional<ObjectInfo> head(String bucket, String key);

  /**
   * Opens an object for reading.
   *
   * @throws StorageException NO_SUCH_BUCKET or NO_SUCH_KEY
   */
  ObjectContent open(String bucket, String key);

  /**
   * Deletes an object. Deleting a missing key succeeds and emits no event.
   *
   * @return whether an object was removed
   * @throws StorageException NO_SUCH_BUCKET
   */
  default boolean delete(String bucket, String key, RequestContext ctx) {
    return delete(bucket, key, WriteCondition.NONE, ctx);
  }

  /**
   * Deletes an object if {@code condition} holds for the current one, checked atomically with the
   * delete (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html). A failed
   * condition deletes nothing and emits no event.
   *
   * @return whether an object was removed
   * @throws StorageException NO_SUCH_BUCKET, PRECONDITION_FAILED, NO_SUCH_KEY (If-Match on a missing
   *     key)
   */
  boolean delete(BucketRef bucket, String key, WriteCondition condition, RequestContext ctx);

  /** {@link #delete(BucketRef, String, WriteCondition, RequestContext)} in the current incarnation. */
  default boolean delete(String bucket, String key, WriteCondition condition, RequestContext ctx) {
    return delete(ref(bucket), key, condition, ctx);
  }

  /**
   * Copies an object without sending its bytes through the caller (file blobs are hard-linked).
   *
   * @param sourceCheck called with the source's metadata under its read; may throw (e.g. the
   *     x-amz-copy-source-if-* preconditions)
   * @param newMetadata the REPLACE directive's metadata, or {@code null} to keep the source's
   * @param checksumAlgorithm algorithm for the copy's checksum, or {@code null} to keep the source's
   *     full-object checksum if it has one
   * @throws StorageException NO_SUCH_BUCKET (either incarnation is gone) or NO_SUCH_KEY
   */
  ObjectInfo copy(
      BucketRef sourceBucket,
      String sourceKey,
      BucketRef bucket,
      String key,
      Consumer<ObjectInfo> sourceCheck,
      ObjectMetadata newMetadata,
      ChecksumAlgorithm checksumAlgorithm,
      WriteCondition condition,
      RequestContext ctx,
      AclRequest acl);

  /** A copy with no ACL asked for: S3 does not copy the source's ACL, the copy is its owner's alone. */
  default ObjectInfo copy(BucketRef sourceBucket, String sourceKey, BucketRef bucket, String key,
      Consumer<ObjectInfo> sourceCheck, ObjectMetadata newMetadata, ChecksumAlgorithm checksumAlgorithm,
      WriteCondition condition, RequestContext ctx) {
    return copy(sourceBucket, sourceKey, bucket, key, sourceCheck, newMetadata, checksumAlgorithm, condition, ctx,
        AclRequest.NONE);
  }

  /** {@link #copy(BucketRef, String, BucketRef, String, Consumer, ObjectMetadata, ChecksumAlgorithm, WriteCondition, RequestContext)} between the current incarnations. */
  default ObjectInfo copy(String sourceBucket, String sourceKey, String bucket, String key,
      Consumer<ObjectInfo> sourceCheck, ObjectMetadata newMetadata, ChecksumAlgorithm checksumAlgorithm,
      WriteCondition condition, RequestContext ctx) {
    return copy(ref(sourceBucket), sourceKey, ref(bucket), key, sourceCheck, newMetadata, checksumAlgorithm, condition,
        ctx);
  }

  /**
   * Lists objects in UTF-8 byte order of keys.
   *
   * @param prefix only keys starting with this ("" for all)
   * @param delimiter group keys sharing {@code prefix + ... + delimiter} into common prefixes, or
   *     {@code null}
   * @param after resume strictly after this key or common prefix, or {@code null}
   * @param maxKeys 0..1000: objects plus common prefixes on the page
   * @throws StorageException NO_SUCH_BUCKET
   */
  ListPage list(String bucket, String prefix, String delimiter, String after, int maxKeys);

  // ---- multipart

  /**
   * An upload whose object gets a checksum of {@code checksumAlgorithm} of S3's default type for it: a
   * full-object checksum for CRC64NVME, a composite one for the others.
   *
   * @throws StorageException NO_SUCH_BUCKET
   */
  default UploadInfo createUpload(
      String bucket, String key, ObjectMetadata metadata, ChecksumAlgorithm checksumAlgorithm, RequestContext ctx) {
    return createUpload(ref(bucket), key, metadata, checksumAlgorithm,
        checksumAlgorithm != null && checksumAlgorithm.multipartFullObjectByDefault(), ctx);
  }

  /**
   * @param fullObjectChecksum whether the completed object's checksum is of the whole object (combined
   *     from the parts' CRCs) rather than composite; only for {@link ChecksumAlgorithm#fullObjectCapable}
   *     algorithms, and required for those that are not {@link ChecksumAlgorithm#compositeCapable}
   * @param acl the ACL the completed object gets; its owner and ACL are decided now, under the bucket's
   *     Object Ownership
   * @throws StorageException NO_SUCH_BUCKET; ACLS_DISABLED if the bucket does not allow {@code acl}
   */
  UploadInfo createUpload(BucketRef bucket, String key, ObjectMetadata metadata, ChecksumAlgorithm checksumAlgorithm,
      boolean fullObjectChecksum, RequestContext ctx, AclRequest acl);

  /** An upload with no ACL asked for. */
  default UploadInfo createUpload(BucketRef bucket, String key, ObjectMetadata metadata,
      ChecksumAlgorithm checksumAlgorithm, boolean fullObjectChecksum, RequestContext ctx) {
    return createUpload(bucket, key, metadata, checksumAlgorithm, fullObjectChecksum, ctx, AclRequest.NONE);
  }

  /** {@link #createUpload(BucketRef, String, ObjectMetadata, ChecksumAlgorithm, boolean, RequestContext)} in the current incarnation. */
  default UploadInfo createUpload(String bucket, String key, ObjectMetadata metadata,
      ChecksumAlgorithm checksumAlgorithm, boolean fullObjectChecksum, RequestContext ctx) {
    return createUpload(ref(bucket), key, metadata, checksumAlgorithm, fullObjectChecksum, ctx);
  }

  /** @throws StorageException NO_SUCH_BUCKET or NO_SUCH_UPLOAD (also when key does not match) */
  UploadInfo upload(String bucket, String key, String uploadId);

  /**
   * Stores a finished upload as a part, replacing a previous part with the same number. An upload
   * belongs to the bucket incarnation it was created in: naming another is NO_SUCH_UPLOAD.
   *
   * @param checksum the part's verified checksum, or {@code null}
   * @throws StorageException NO_SUCH_BUCKET or NO_SUCH_UPLOAD
   */
  PartSummary putPart(BucketRef bucket, String key, String uploadId, int partNumber, BlobUpload body,
      StoredChecksum checksum);

  /** {@link #putPart(BucketRef, String, String, int, BlobUpload, StoredChecksum)} in the current incarnation. */
  default PartSummary putPart(String bucket, String key, String uploadId, int partNumber, BlobUpload body,
      StoredChecksum checksum) {
    return putPart(ref(bucket), key, uploadId, partNumber, body, checksum);
  }

  /**
   * Completes an upload. The object becomes a manifest of the named parts (their bytes are not
   * copied); parts not named are deleted. ETag is {@code hex(md5(concat(part md5s)))-N}.
   *
   * <p>A retry of a completion that succeeded (same upload id and part list, while the object it made
   * is still the key's current one, for up to a day) returns that object again and commits nothing;
   * with another part list it is INVALID_PART.
   *
   * @param minPartSize parts other than the last must be at least this large
   * @throws StorageException NO_SUCH_UPLOAD, INVALID_PART, INVALID_PART_ORDER, ENTITY_TOO_SMALL,
   *     PRECONDITION_FAILED, NO_SUCH_KEY
   */
  default ObjectInfo completeUpload(
      String bucket,
      String key,
      String uploadId,
      List<CompletedPart> parts,
      long minPartSize,
      WriteCondition condition,
      RequestContext ctx) {
    return completeUpload(ref(bucket), key, uploadId, parts, minPartSize, condition, null, null, ctx);
  }

  /**
   * As above, and when {@code claimedAlgorithm} is not null the object's checksum must be of that
   * algorithm with the wire value {@code claimedValue} ({@code base64}, or {@code base64-N} for a
   * composite one), else BAD_DIGEST and nothing changes. NO_SUCH_BUCKET if {@code bucket} is no longer
   * the bucket's incarnation, NO_SUCH_UPLOAD if the upload belongs to another one.
   */
  ObjectInfo completeUpload(
      BucketRef bucket,
      String key,
      String uploadId,
      List<CompletedPart> parts,
      long minPartSize,
      WriteCondition condition,
      ChecksumAlgorithm claimedAlgorithm,
      String claimedValue,
      RequestContext ctx);

  /** {@link #completeUpload(BucketRef, String, String, List, long, WriteCondition, ChecksumAlgorithm, String, RequestContext)} in the current incarnation. */
  default ObjectInfo completeUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
      long minPartSize, WriteCondition condition, ChecksumAlgorithm claimedAlgorithm, String claimedValue,
      RequestContext ctx) {
    return completeUpload(ref(bucket), key, uploadId, parts, minPartSize, condition, claimedAlgorithm, claimedValue,
        ctx);
  }

  /** Aborts an upload and deletes its parts. @throws StorageException NO_SUCH_BUCKET or NO_SUCH_UPLOAD */
  void abortUpload(BucketRef bucket, String key, String uploadId);

  /** {@link #abortUpload(BucketRef, String, String)} in the current incarnation. */
  default void abortUpload(String bucket, String key, String uploadId) {
    abortUpload(ref(bucket), key, uploadId);
  }

  /** @throws StorageException NO_SUCH_UPLOAD */
  PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts);

  /** @throws StorageException NO_SUCH_BUCKET */
  UploadsPage listUploads(
      String bucket, String prefix, String delimiter, String keyMarker, String uploadIdMarker, int maxUploads);

  @Override
  void close();
}
