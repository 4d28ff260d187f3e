package io.tarn.console.admin;

import io.tarn.core.EventName;
import io.tarn.core.RequestContext;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.BlobUpload;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.BucketRef;
import io.tarn.storage.CompletedPart;
import io.tarn.storage.ListPage;
import io.tarn.storage.ObjectContent;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.PartSummary;
import io.tarn.storage.PartsPage;
import io.tarn.storage.StoredChecksum;
import io.tarn.storage.UploadInfo;
import io.tarn.storage.UploadsPage;
import io.tarn.storage.WriteCondition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A real store whose bucket owners can be changed from outside: the in-memory identity fake cannot
 * write the store's bucket records as the real identity store does, so it records owner changes here.
 */
final class OwnerOverlayStore implements ObjectStore {
  private final ObjectStore real;
  private final Map<String, String> owners = new ConcurrentHashMap<>();
  private volatile Consumer<String> onDeleteBucket = name -> {};

  OwnerOverlayStore(ObjectStore real) {
    this.real = real;
  }

  void setOwner(String bucket, String ownerId) {
    owners.put(bucket, ownerId);
  }

  void onDeleteBucket(Consumer<String> listener) {
    this.onDeleteBucket = listener;
  }

  private BucketInfo overlay(BucketInfo b) {
    String owner = owners.get(b.name());
    return owner == null ? b : new BucketInfo(b.name(), owner, b.region(), b.created(), b.incarnation(),
        b.ownership());
  }

  @Override
  public BucketInfo createBucket(String name, String region, String ownerId,
      io.tarn.storage.access.ObjectOwnership ownership, io.tarn.storage.access.AclRequest acl) {
    return real.createBucket(name, region, ownerId, ownership, acl);
  }

  @Override
  public void setOwnership(String bucket, io.tarn.storage.access.ObjectOwnership ownership) {
    real.setOwnership(bucket, ownership);
  }

  @Override
  public io.tarn.storage.access.Acl setObjectAcl(String bucket, String key, io.tarn.storage.access.AclRequest acl) {
    return real.setObjectAcl(bucket, key, acl);
  }

  @Override
  public java.util.Optional<io.tarn.storage.access.policy.BucketPolicy> bucketPolicy(String bucket) {
    return real.bucketPolicy(bucket);
  }

  @Override
  public void putBucketPolicy(String bucket, io.tarn.storage.access.policy.BucketPolicy policy) {
    real.putBucketPolicy(bucket, policy);
  }

  @Override
  public void deleteBucketPolicy(String bucket) {
    real.deleteBucketPolicy(bucket);
  }

  @Override
  public java.util.Optional<io.tarn.storage.PublicAccessBlock> publicAccessBlock(String bucket) {
    return real.publicAccessBlock(bucket);
  }

  @Override
  public void putPublicAccessBlock(String bucket, io.tarn.storage.PublicAccessBlock block) {
    real.putPublicAccessBlock(bucket, block);
  }

  @Override
  public void deletePublicAccessBlock(String bucket) {
    real.deletePublicAccessBlock(bucket);
  }

  @Override
  public io.tarn.storage.StoreHealth health() {
    return real.health();
  }

  @Override
  public Optional<BucketInfo> bucket(String name) {
    return real.bucket(name).map(this::overlay);
  }

  @Override
  public List<BucketInfo> listBuckets() {
    return real.listBuckets().stream().map(this::overlay).toList();
  }

  @Override
  public void deleteBucket(String name) {
    real.deleteBucket(name);
    owners.remove(name);
    onDeleteBucket.accept(name);
  }

  @Override
  public BlobUpload openUpload(long expectedLength, Set<ChecksumAlgorithm> digests) {
    return real.openUpload(expectedLength, digests);
  }

  @Override
  public ObjectInfo putObject(BucketRef bucket, String key, BlobUpload body, ObjectMetadata metadata,
      StoredChecksum checksum, WriteCondition condition, EventName event, RequestContext ctx,
      io.tarn.storage.access.AclRequest acl) {
    return real.putObject(bucket, key, body, metadata, checksum, condition, event, ctx, acl);
  }

  @Override
  public Optional<ObjectInfo> head(String bucket, String key) {
    return real.head(bucket, key);
  }

  @Override
  public ObjectContent open(String bucket, String key) {
    return real.open(bucket, key);
  }

  @Override
  public boolean delete(BucketRef bucket, String key, WriteCondition condition, RequestContext ctx) {
    return real.delete(bucket, key, condition, ctx);
  }

  @Override
  public ObjectInfo copy(BucketRef sourceBucket, String sourceKey, BucketRef bucket, String key,
      Consumer<ObjectInfo> sourceCheck, ObjectMetadata newMetadata, ChecksumAlgorithm checksumAlgorithm,
      WriteCondition condition, RequestContext ctx, io.tarn.storage.access.AclRequest acl) {
    return real.copy(sourceBucket, sourceKey, bucket, key, sourceCheck, newMetadata, checksumAlgorithm, condition,
        ctx, acl);
  }

  @Override
  public ListPage list(String bucket, String prefix, String delimiter, String after, int maxKeys) {
    return real.list(bucket, prefix, delimiter, after, maxKeys);
  }

  @Override
  public UploadInfo createUpload(BucketRef bucket, String key, ObjectMetadata metadata,
      ChecksumAlgorithm checksumAlgorithm, boolean fullObjectChecksum, RequestContext ctx,
      io.tarn.storage.access.AclRequest acl) {
    return real.createUpload(bucket, key, metadata, checksumAlgorithm, fullObjectChecksum, ctx, acl);
  }

  @Override
  public UploadInfo upload(String bucket, String key, String uploadId) {
    return real.upload(bucket, key, uploadId);
  }

  @Override
  public PartSummary putPart(BucketRef bucket, String key, String uploadId, int partNumber, BlobUpload body,
      StoredChecksum checksum) {
    return real.putPart(bucket, key, uploadId, partNumber, body, checksum);
  }

  @Override
  public ObjectInfo completeUpload(BucketRef bucket, String key, String uploadId, List<CompletedPart> parts,
      long minPartSize, WriteCondition condition, ChecksumAlgorithm claimedAlgorithm, String claimedValue,
      RequestContext ctx) {
    return real.completeUpload(bucket, key, uploadId, parts, minPartSize, condition, claimedAlgorithm, claimedValue,
        ctx);
  }

  @Override
  public void abortUpload(BucketRef bucket, String key, String uploadId) {
    real.abortUpload(bucket, key, uploadId);
  }

  @Override
  public PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts) {
    return real.listParts(bucket, key, uploadId, partNumberMarker, maxParts);
  }

  @Override
  public UploadsPage listUploads(String bucket, String prefix, String delimiter, String keyMarker,
      String uploadIdMarker, int maxUploads) {
    return real.listUploads(bucket, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads);
  }

  @Override
  public void close() {
    real.close();
  }
}
