package io.tarn.storage;

import io.tarn.core.checksum.ChecksumAlgorithm;
import java.time.Instant;

/**
 * An in-progress multipart upload.
 *
 * @param bucket bucket name
 * @param key object key
 * @param uploadId opaque id
 * @param initiated creation time
 * @param metadata metadata the completed object will have
 * @param checksumAlgorithm the algorithm parts are checksummed with, or {@code null}
 * @param ownerId canonical id of the initiator
 * @param fullObjectChecksum whether the completed object's checksum is of the whole object (else
 *     composite, when there is an algorithm)
 */
public record UploadInfo(
    String bucket,
    String key,
    String uploadId,
    Instant initiated,
    ObjectMetadata metadata,
    ChecksumAlgorithm checksumAlgorithm,
    String ownerId,
    boolean fullObjectChecksum) {

  /** {@code FULL_OBJECT} or {@code COMPOSITE} as in x-amz-checksum-type, or null without an algorithm. */
  public String checksumType() {
    return checksumAlgorithm == null ? null : fullObjectChecksum ? "FULL_OBJECT" : "COMPOSITE";
  }
}
