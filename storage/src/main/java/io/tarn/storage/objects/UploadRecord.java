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
    String ownerId, boolean fullObjectChecksum) {
  /** Format 2 adds whether the checksum is of the full object; format 1 records read as composite. */
  static final int FORMAT = 2;

  byte[] encode() {
    Codec.Out out = new Codec.Out(FORMAT).string(key).i64(initiatedMillis);
    ObjectFields.metadata(out, metadata);
    ObjectFields.algorithm(out, checksumAlgorithm);
    return out.string(ownerId).bool(fullObjectChecksum).toBytes();
  }

  static UploadRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "upload", 1, FORMAT);
    UploadRecord r = new UploadRecord(in.requiredString(), in.i64(), ObjectFields.metadata(in), ObjectFields.algorithm(in),
        in.string(), in.format() >= 2 && in.bool());
    in.end();
    return r;
  }

  UploadInfo toInfo(String bucket, String uploadId) {
    return new UploadInfo(bucket, key, uploadId, Instant.ofEpochMilli(initiatedMillis), metadata, checksumAlgorithm,
        ownerId, fullObjectChecksum);
  }
}
