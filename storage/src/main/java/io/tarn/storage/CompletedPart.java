package io.tarn.storage;

/**
 * A part named in CompleteMultipartUpload.
 *
 * @param partNumber part number
 * @param etag the ETag the client says the part has, quotes removed
 * @param checksum the part checksum the client sent (base64), or {@code null}
 */
public record CompletedPart(int partNumber, String etag, String checksum) {}
