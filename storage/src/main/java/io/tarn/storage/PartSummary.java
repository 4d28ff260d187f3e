package io.tarn.storage;

import java.time.Instant;

/**
 * One part of a multipart upload or of a completed multipart object.
 *
 * @param partNumber 1..10000
 * @param size bytes
 * @param etag hex MD5 of the part, without quotes
 * @param lastModified when the part was uploaded
 * @param checksum the part's additional checksum, or {@code null}
 */
public record PartSummary(int partNumber, long size, String etag, Instant lastModified, StoredChecksum checksum) {}
