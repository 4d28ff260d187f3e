package io.tarn.storage.objects;

import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.UploadInfo;
import io.tarn.storage.meta.Codec;
import java.time.Instant;

/**
 * An in-progress multipart upload as stored in the {@code uploads} column family. The bucket and
 * upload id are in the column family key ({@link ObjectTables#uploadKey}).
 */
record UploadRecord(String key, long initiatedMillis, ObjectMetadata metadata, ChecksumAlgorithm checksumAlgorithm,
    String ownerId, boolean fullObjectChecksum, String bucketIncarnation) {
  /**
   * Format 2 adds whether the checksum is of the full object; format 1 records read as composite.
   * Format 3 adds the incarnation of the bucket the upload was created in; older records have none
   * ({@code null}) and belong to the bucket's current incarnation: deleting a bucket removes its uploads
   * in the same batch, so an upload that exists belongs to the bucket that exists.
   */
  static final int FORMAT = 3;

  /** Whether this upload was created in the bucket incarnation {@code incarnation}. */
  boolean belongsTo(String incarnation) {
    return bucketIncarnation == null || bucketIncarnation.equals(incarnation);
  }

  byte[] encode() {
    Codec.Out out = new Codec.Out(FORMAT).string(key).i64(initiatedMillis);
    ObjectFields.metadata(out, metadata);
    ObjectFields.algorithm(out, checksumAlgorithm);
    return out.string(ownerId).bool(fullObjectChecksum).string(bucketIncarnation).toBytes();
  }

  static UploadRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "upload", 1, FORMAT);
    UploadRecord r = new UploadRecord(in.requiredString(), in.i64(), ObjectFields.metadata(in), ObjectFields.algorithm(in),
        in.string(), in.format() >= 2 && in.bool(), in.format() >= 3 ? in.string() : null);
    in.end();
    return r;
  }

  UploadInfo toInfo(String bucket, String uploadId) {
    return new UploadInfo(bucket, key, uploadId, Instant.ofEpochMilli(initiatedMillis), metadata, checksumAlgorithm,
        ownerId, fullObjectChecksum);
  }
}
