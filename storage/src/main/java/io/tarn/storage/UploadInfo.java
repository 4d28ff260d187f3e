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
 */
public record UploadInfo(
    String bucket,
    String key,
    String uploadId,
    Instant initiated,
    ObjectMetadata metadata,
    ChecksumAlgorithm checksumAlgorithm,
    String ownerId) {}
