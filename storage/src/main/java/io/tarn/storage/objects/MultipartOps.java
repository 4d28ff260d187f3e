package io.tarn.storage.objects;

import io.tarn.core.EventName;
import io.tarn.core.Hex;
import io.tarn.core.RequestContext;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.core.checksum.Digest;
import io.tarn.storage.BlobUpload;
import io.tarn.storage.BucketRef;
import io.tarn.storage.CompletedPart;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.PartSummary;
import io.tarn.storage.PartsPage;
import io.tarn.storage.StorageException;
import io.tarn.storage.StoredChecksum;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.UploadInfo;
import io.tarn.storage.WriteCondition;
import io.tarn.storage.blobs.InlineValue;
import io.tarn.storage.blobs.ReceivingUpload;
import io.tarn.storage.meta.Keys;
import io.tarn.storage.meta.MetaStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Multipart uploads (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html). Parts
 * are always blob files, each live through its blobref; completing turns the named parts into the
 * object's manifest (same files, no byte copy) and releases the others.
 */
public final class MultipartOps {
  static final int MAX_PART_NUMBER = 10_000;
  /**
   * How long a completion can be retried with the same parts and get its result again. AWS answers
   * a retried CompleteMultipartUpload like the first but documents no limit; a day covers SDK retries
   * and resumed transfers, and the completed object itself carries the memory, so it costs no record.
   */
  public static final long RETRY_WINDOW_MILLIS = 24L * 60 * 60 * 1000;

  private final StoreContext c;
  private final ObjectOps objects;

  public MultipartOps(StoreContext c, ObjectOps objects) {
    this.c = c;
    this.objects = objects;
  }

  /** An upload found by bucket, key and id. */
  private record Found(byte[] raw, byte[] cfKey, UploadRecord record) {}

  public UploadInfo create(BucketRef ref, String key, ObjectMetadata metadata, ChecksumAlgorithm algorithm,
      boolean fullObject, RequestContext ctx, AclRequest acl) {
    Names.requireObjectKey(key);
    Objects.requireNonNull(metadata, "metadata");
    if (algorithm == ChecksumAlgorithm.MD5) {
      throw new IllegalArgumentException("MD5 is not an additional checksum");
    }
    if (algorithm != null && !algorithm.allowsMultipartType(fullObject)) {
      throw new IllegalArgumentException(algorithm + " has no " + (fullObject ? "full-object" : "composite")
          + " multipart checksum");
    }
    c.space().admit(0); // its parts would be refused: refuse the upload itself, before it takes a record
    String bucket = ref.name();
    try (Locks.Held b = c.locks().bucketShared(bucket)) {
      BucketRecord bucketRecord = c.requireBucket(ref);
      // The owner and ACL are decided now, under the Object Ownership in force (and refused now if the
      // bucket does not allow them), and stored for CompleteMultipartUpload to give the object.
      String writer = StoreContext.principalId(ctx);
      AclRequest.Resolved resolved = acl.forObject(writer == null ? "" : writer, bucketRecord.ownerId(),
          bucketRecord.effectiveOwnership());
      Instant now = c.now();
      byte[] raw = UploadIds.newRaw(now.toEpochMilli());
      UploadRecord rec = new UploadRecord(key, now.toEpochMilli(), metadata, algorithm, resolved.ownerId(),
          algorithm != null && fullObject, ref.incarnation(), resolved.acl().grants());
      try (MetaStore.Batch batch = c.meta().batch()) {
        c.tables().putUpload(batch, ObjectTables.uploadKey(bucket, key, raw), rec);
        c.meta().commit(batch, "create upload " + bucket);
      }
      return rec.toInfo(bucket, UploadIds.text(raw));
    }
  }

  private Found find(BucketRef ref, String key, String uploadId) {
    Found found = lookUp(ref, key, uploadId);
    if (found == null) {
      throw noSuchUpload(ref.name(), key, uploadId);
    }
    return found;
  }

  /**
   * The upload, or null if there is none (never was, aborted, or completed) or it belongs to another
   * incarnation of the bucket. NO_SUCH_BUCKET if {@code ref} is no longer the bucket's incarnation.
   */
  private Found lookUp(BucketRef ref, String key, String uploadId) {
    c.requireBucket(ref);
    byte[] raw = UploadIds.parse(uploadId);
    if (raw != null) {
      byte[] cfKey = ObjectTables.uploadKey(ref.name(), key, raw);
      UploadRecord rec = c.tables().upload(cfKey);
      if (rec != null && rec.belongsTo(ref.incarnation())) {
        return new Found(raw, cfKey, rec);
      }
    }
    return null;
  }

  private static StorageException noSuchUpload(String bucket, String key, String uploadId) {
    return new StorageException(StorageException.Kind.NO_SUCH_UPLOAD,
        "no such upload " + uploadId + " for " + bucket + "/" + key);
  }

  public UploadInfo upload(String bucket, String key, String uploadId) {
    Names.requireObjectKey(key);
    return find(c.currentRef(bucket), key, uploadId).record().toInfo(bucket, uploadId);
  }

  public PartSummary putPart(BucketRef ref, String key, String uploadId, int partNumber, BlobUpload body,
      StoredChecksum checksum) {
    Names.requireObjectKey(key);
    if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      throw new IllegalArgumentException("part number must be 1.." + MAX_PART_NUMBER + ": " + partNumber);
    }
    ReceivingUpload upload = c.own(body);
    BlobUpload.Digests digests = upload.digests();
    String bucket = ref.name();
    // Fails before writing a file; checked again under the locks. The records go into the description.
    BucketRecord bucketRecord = c.requireBucket(ref);
    ChecksumAlgorithm algorithm = find(ref, key, uploadId).record().checksumAlgorithm();
    Function<String, byte[]> describe = self -> BlobDescription.part(bucket, bucketRecord, key,
        c.sequencer().peekNext(), uploadId, new PartRecord(partNumber, digests.size(), digests.md5Hex(),
            c.now().toEpochMilli(), partChecksum(checksum, algorithm, digests), self)).encode();
    ReceivingUpload.Claimed claimed = upload.claim();
    String id;
    if (claimed instanceof ReceivingUpload.InMemory m) {
      id = c.blobs().writeBlob(m.inlineValue(), InlineValue.OFFSET, m.inlineValue().length - InlineValue.OFFSET,
          describe);
    } else {
      ReceivingUpload.InFile f = (ReceivingUpload.InFile) claimed;
      id = c.blobs().install(f.file(), describe.apply(f.blobId()));
    }
    PartRecord old;
    PartRecord rec;
    boolean committed = false;
    StorageException failure = null;
    try (Locks.Held b = c.locks().bucketShared(bucket);
        Locks.Held u = c.locks().uploadShared(uploadId);
        Locks.Held p = c.locks().part(uploadId, partNumber)) {
      Found found = find(ref, key, uploadId);
      old = c.tables().part(found.raw(), partNumber);
      rec = new PartRecord(partNumber, digests.size(), digests.md5Hex(), c.now().toEpochMilli(),
          partChecksum(checksum, found.record().checksumAlgorithm(), digests), id);
      try (MetaStore.Batch batch = c.meta().batch()) {
        c.tables().putPart(batch, found.raw(), rec);
        c.tables().putBlobRef(batch, id);
        if (old != null) {
          c.tables().releaseBlobRef(batch, old.blobId());
        }
        c.meta().commit(batch, "put part " + bucket);
      }
      committed = true;
    } catch (StorageException e) {
      failure = e;
      throw e;
    } finally {
      if (!committed) {
        c.discardUncommitted(List.of(id), failure);
      }
    }
    if (old != null) {
      c.blobs().delete(old.blobId());
    }
    return rec.summary();
  }

  /**
   * The part's checksum in the upload's algorithm, so that completion can build the object's: the one
   * the caller verified, or else the one computed while receiving. Without an algorithm, the caller's.
   */
  private static StoredChecksum partChecksum(StoredChecksum given, ChecksumAlgorithm algorithm,
      BlobUpload.Digests digests) {
    if (algorithm == null || given != null && given.algorithm() == algorithm) {
      return given;
    }
    byte[] computed = digests.digests().get(algorithm);
    return computed == null ? given : new StoredChecksum(algorithm, computed, 0);
  }

  public ObjectInfo complete(BucketRef ref, String key, String uploadId, List<CompletedPart> parts, long minPartSize,
      WriteCondition condition, ChecksumAlgorithm claimedAlgorithm, String claimedValue, RequestContext ctx) {
    Names.requireObjectKey(key);
    String bucket = ref.name();
    List<String> unnamed = new ArrayList<>();
    ObjectInfo info;
    try (Locks.Held b = c.locks().bucketShared(bucket); Locks.Held u = c.locks().uploadExclusive(uploadId)) {
      Found found = lookUp(ref, key, uploadId);
      if (found == null) {
        // Checked before the conditions: a retry's If-None-Match: * must not fail on its own object.
        return completedBefore(bucket, key, uploadId, parts);
      }
      Map<Integer, PartRecord> stored = new TreeMap<>();
      for (PartRecord p : c.tables().parts(found.raw(), 0, MAX_PART_NUMBER)) {
        stored.put(p.partNumber(), p);
      }
      List<PartRecord> chosen = choose(parts, stored, minPartSize);
      Set<Integer> named = new HashSet<>();
      long size = 0;
      for (PartRecord p : chosen) {
        named.add(p.partNumber());
        size += p.size();
      }
      for (PartRecord p : stored.values()) {
        if (!named.contains(p.partNumber())) {
          unnamed.add(p.blobId());
        }
      }
      UploadRecord up = found.record();
      StoredChecksum checksum = objectChecksum(up.checksumAlgorithm(), up.fullObjectChecksum(), chosen);
      if (claimedAlgorithm != null && (checksum == null || checksum.algorithm() != claimedAlgorithm
          || !checksum.wireValue().equals(claimedValue.trim()))) {
        throw new StorageException(StorageException.Kind.BAD_DIGEST, "The " + claimedAlgorithm.s3Name()
            + " you specified did not match the calculated checksum"
            + (checksum == null ? "" : " (" + checksum.algorithm().s3Name() + " " + checksum.wireValue() + ")") + ".");
      }
      ObjectOps.NewObject made = new ObjectOps.NewObject(size, multipartEtag(chosen), up.metadata(), checksum,
          up.ownerId(), new ObjectRecord.Parts(chosen, uploadId, null), null, List.of(),
          up.grants() == null ? AclRequest.NONE : AclRequest.grants(up.grants()));
      // The parts' files describe parts; the object is described by a manifest listing them. Written
      // under the upload's lock (the parts are chosen under it), before the key's is taken.
      BucketRecord bucketRecord = c.requireBucket(ref);
      String manifest = c.blobs().writeBlob(new byte[0], 0, 0, self -> objects.describe(
          BlobDescription.Kind.MANIFEST, bucket, bucketRecord, key, ObjectOps.withManifest(made, self)));
      ObjectOps.NewObject obj = ObjectOps.withManifest(made, manifest);
      info = objects.commitNew(ref, key, condition, EventName.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD, ctx, obj,
          batch -> {
            // The named parts' blobrefs stay: their files now belong to the object.
            c.tables().deleteUpload(batch, found.cfKey());
            for (PartRecord p : stored.values()) {
              c.tables().deletePart(batch, found.raw(), p.partNumber());
            }
            unnamed.forEach(id -> c.tables().releaseBlobRef(batch, id));
          });
    }
    c.blobs().deleteAll(unnamed);
    return info;
  }

  /**
   * A CompleteMultipartUpload of an upload that is gone: a retry (after a lost response) of one that
   * succeeded gets the same result, as from AWS (the SDKs retry completions, and a NoSuchUpload would
   * fail an upload that in fact succeeded), if the object it made is still the key's current one,
   * within {@link #RETRY_WINDOW_MILLIS}, and the part list is the one it completed with; another part
   * list is InvalidPart. Nothing is committed, so no second event. Once the key has been overwritten or
   * deleted the completion's result is no longer what the key holds: NoSuchUpload, as for any upload
   * that is gone (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html).
   */
  private ObjectInfo completedBefore(String bucket, String key, String uploadId, List<CompletedPart> parts) {
    ObjectRecord current = c.tables().object(bucket, key);
    if (current == null || !(current.body() instanceof ObjectRecord.Parts made) || !uploadId.equals(made.uploadId())
        || c.now().toEpochMilli() - current.lastModifiedMillis() > RETRY_WINDOW_MILLIS) {
      throw noSuchUpload(bucket, key, uploadId);
    }
    checkOrder(parts);
    List<PartRecord> completed = made.parts();
    boolean same = parts.size() == completed.size();
    for (int i = 0; same && i < parts.size(); i++) {
      CompletedPart p = parts.get(i);
      same = p.partNumber() == completed.get(i).partNumber() && p.etag() != null
          && unquote(p.etag()).equalsIgnoreCase(completed.get(i).etag());
    }
    if (!same) {
      throw new StorageException(StorageException.Kind.INVALID_PART,
          "upload " + uploadId + " was completed with other parts");
    }
    return current.toInfo(bucket, key);
  }

  /** InvalidPart for an empty list, InvalidPartOrder unless part numbers ascend strictly. */
  private static void checkOrder(List<CompletedPart> parts) {
    if (parts == null || parts.isEmpty()) {
      throw new StorageException(StorageException.Kind.INVALID_PART, "the part list is empty");
    }
    int previous = 0;
    for (CompletedPart p : parts) {
      if (p.partNumber() <= previous) {
        throw new StorageException(StorageException.Kind.INVALID_PART_ORDER,
            "part " + p.partNumber() + " follows part " + previous);
      }
      previous = p.partNumber();
    }
  }

  /**
   * Validates the CompleteMultipartUpload part list against the stored parts
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html#API_CompleteMultipartUpload_Errors).
   */
  private static List<PartRecord> choose(List<CompletedPart> parts, Map<Integer, PartRecord> stored,
      long minPartSize) {
    checkOrder(parts);
    List<PartRecord> chosen = new ArrayList<>(parts.size());
    for (CompletedPart p : parts) {
      PartRecord rec = stored.get(p.partNumber());
      if (rec == null || p.etag() == null || !unquote(p.etag()).equalsIgnoreCase(rec.etag())) {
        throw new StorageException(StorageException.Kind.INVALID_PART,
            "part " + p.partNumber() + " was not uploaded or its ETag does not match");
      }
      if (p.checksum() != null && rec.checksum() != null && !p.checksum().equals(rec.checksum().wireValue())) {
        throw new StorageException(StorageException.Kind.INVALID_PART,
            "part " + p.partNumber() + " checksum does not match");
      }
      chosen.add(rec);
    }
    for (int i = 0; i < chosen.size() - 1; i++) {
      if (chosen.get(i).size() < minPartSize) {
        throw new StorageException(StorageException.Kind.ENTITY_TOO_SMALL,
            "part " + chosen.get(i).partNumber() + " is " + chosen.get(i).size() + " bytes, under the minimum "
                + minPartSize);
      }
    }
    return chosen;
  }

  private static String unquote(String etag) {
    String e = etag.trim();
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
  }

  /** {@code hex(md5(concat(raw part MD5s)))-N}. */
  static String multipartEtag(List<PartRecord> parts) {
    Digest md5 = ChecksumAlgorithm.MD5.newDigest();
    for (PartRecord p : parts) {
      byte[] raw = Hex.decode(p.etag());
      md5.update(raw, 0, raw.length);
    }
    return Hex.encode(md5.finish()) + "-" + parts.size();
  }

  /**
   * The completed object's checksum from its parts'
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html): with
   * {@code fullObject} the CRC of the whole object, combined from the parts' CRCs and sizes without
   * reading them; else composite, the digest of the concatenated part digests with the part count.
   * None when the upload has no algorithm or a part has no checksum in it.
   */
  static StoredChecksum objectChecksum(ChecksumAlgorithm algorithm, boolean fullObject, List<PartRecord> parts) {
    if (algorithm == null) {
      return null;
    }
    Digest composite = algorithm.newDigest();
    byte[] crc = fullObject ? algorithm.digest(new byte[0]) : null;
    for (PartRecord p : parts) {
      StoredChecksum pc = p.checksum();
      if (pc == null || pc.algorithm() != algorithm || pc.composite()) {
        return null;
      }
      if (fullObject) {
        crc = algorithm.combine(crc, pc.value(), p.size());
      } else {
        composite.update(pc.value(), 0, pc.value().length);
      }
    }
    return fullObject ? new StoredChecksum(algorithm, crc, 0)
        : new StoredChecksum(algorithm, composite.finish(), parts.size());
  }

  public void abort(BucketRef ref, String key, String uploadId) {
    Names.requireObjectKey(key);
    List<String> garbage;
    try (Locks.Held b = c.locks().bucketShared(ref.name()); Locks.Held u = c.locks().uploadExclusive(uploadId)) {
      Found found = find(ref, key, uploadId);
      try (MetaStore.Batch batch = c.meta().batch()) {
        garbage = stageRemoval(batch, found.raw(), found.cfKey());
        c.meta().commit(batch, "abort upload " + ref.name());
      }
    }
    c.blobs().deleteAll(garbage);
  }

  /** Stages the removal of an upload and all its parts; returns the part files to delete after commit. */
  private List<String> stageRemoval(MetaStore.Batch batch, byte[] raw, byte[] cfKey) {
    List<String> garbage = new ArrayList<>();
    c.tables().deleteUpload(batch, cfKey);
    for (PartRecord p : c.tables().parts(raw, 0, MAX_PART_NUMBER)) {
      c.tables().deletePart(batch, raw, p.partNumber());
      c.tables().releaseBlobRef(batch, p.blobId());
      garbage.add(p.blobId());
    }
    return garbage;
  }

  /**
   * Stages the abort of every upload of a bucket being deleted. The caller holds the bucket
   * exclusively, so no part or completion can race it.
   */
  List<String> stageAbortAll(MetaStore.Batch batch, String bucket) {
    byte[] prefix = ObjectTables.bucketPrefix(bucket);
    List<byte[]> keys = new ArrayList<>();
    try (MetaStore.Cursor cur = c.tables().uploads()) {
      for (cur.seek(prefix); cur.valid() && Keys.startsWith(cur.key(), prefix); cur.next()) {
        keys.add(cur.key());
      }
    }
    List<String> garbage = new ArrayList<>();
    for (byte[] k : keys) {
      garbage.addAll(stageRemoval(batch, ObjectTables.uploadRawOf(k), k));
    }
    return garbage;
  }

  public PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts) {
    Names.requireObjectKey(key);
    if (partNumberMarker < 0 || maxParts < 0) {
      throw new IllegalArgumentException("negative part number marker or max parts");
    }
    Found found = find(c.currentRef(bucket), key, uploadId);
    UploadInfo upload = found.record().toInfo(bucket, uploadId);
    if (maxParts == 0 || partNumberMarker >= MAX_PART_NUMBER) {
      return new PartsPage(upload, List.of(), false, partNumberMarker);
    }
    // One more than asked tells whether the page is truncated.
    List<PartRecord> recs = c.tables().parts(found.raw(), partNumberMarker, Math.min(maxParts, MAX_PART_NUMBER) + 1);
    boolean truncated = recs.size() > maxParts;
    List<PartSummary> parts = new ArrayList<>();
    for (PartRecord r : truncated ? recs.subList(0, maxParts) : recs) {
      parts.add(r.summary());
    }
    int next = parts.isEmpty() ? partNumberMarker : parts.get(parts.size() - 1).partNumber();
    return new PartsPage(upload, parts, truncated, next);
  }
}
