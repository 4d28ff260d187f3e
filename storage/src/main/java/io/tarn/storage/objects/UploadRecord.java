package io.tarn.storage.objects;

import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.UploadInfo;
import io.tarn.storage.access.Grant;
import io.tarn.storage.meta.Codec;
import java.time.Instant;
import java.util.List;

/**
 * An in-progress multipart upload as stored in the {@code uploads} column family. The bucket and
 * upload id are in the column family key ({@link ObjectTables#uploadKey}).
 */
record UploadRecord(String key, long initiatedMillis, ObjectMetadata metadata, ChecksumAlgorithm checksumAlgorithm,
    String ownerId, boolean fullObjectChecksum, String bucketIncarnation, List<Grant> grants) {
  /**
   * Format 2 adds whether the checksum is of the full object; format 1 records read as composite.
   * Format 3 adds the incarnation of the bucket the upload was created in; older records have none
   * ({@code null}) and belong to the bucket's current incarnation: deleting a bucket removes its uploads
   * in the same batch, so an upload that exists belongs to the bucket that exists. Format 4 adds the
   * ACL grants the completed object gets (null in older records: the owner's alone).
   */
  static final int FORMAT = 4;

  UploadRecord {
    grants = grants == null ? null : List.copyOf(grants);
  }

  UploadRecord(String key, long initiatedMillis, ObjectMetadata metadata, ChecksumAlgorithm checksumAlgorithm,
      String ownerId, boolean fullObjectChecksum, String bucketIncarnation) {
    this(key, initiatedMillis, metadata, checksumAlgorithm, ownerId, fullObjectChecksum, bucketIncarnation, null);
  }

  /** Whether this upload was created in the bucket incarnation {@code incarnation}. */
  boolean belongsTo(String incarnation) {
    return bucketIncarnation == null || bucketIncarnation.equals(incarnation);
  }

  byte[] encode() {
    Codec.Out out = new Codec.Out(FORMAT).string(key).i64(initiatedMillis);
    ObjectFields.metadata(out, metadata);
    ObjectFields.algorithm(out, checksumAlgorithm);
    out.string(ownerId).bool(fullObjectChecksum).string(bucketIncarnation);
    AclFields.writeOptional(out, grants);
    return out.toBytes();
  }

  static UploadRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "upload", 1, FORMAT);
    UploadRecord r = new UploadRecord(in.requiredString(), in.i64(), ObjectFields.metadata(in), ObjectFields.algorithm(in),
        in.string(), in.format() >= 2 && in.bool(), in.format() >= 3 ? in.string() : null,
        in.format() >= 4 ? AclFields.readOptional(in) : null);
    in.end();
    return r;
  }

  UploadInfo toInfo(String bucket, String uploadId) {
    return new UploadInfo(bucket, key, uploadId, Instant.ofEpochMilli(initiatedMillis), metadata, checksumAlgorithm,
        ownerId, fullObjectChecksum);
  }
}
