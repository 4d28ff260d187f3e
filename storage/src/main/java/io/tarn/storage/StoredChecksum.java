package io.tarn.storage;

import io.tarn.core.checksum.ChecksumAlgorithm;

/**
 * An additional checksum kept with an object or part.
 *
 * @param algorithm one of the S3 checksum algorithms (never MD5)
 * @param value the raw digest bytes (for a composite checksum: the digest of the parts' digests)
 * @param partCount 0 for a full-object checksum; for a composite checksum the number of parts
 *     (rendered as {@code base64-N})
 */
public record StoredChecksum(ChecksumAlgorithm algorithm, byte[] value, int partCount) {
  public boolean composite() {
    return partCount > 0;
  }

  /** The wire form: base64, with {@code -N} appended for a composite checksum. */
  public String wireValue() {
    String b64 = java.util.Base64.getEncoder().encodeToString(value);
    return composite() ? b64 + "-" + partCount : b64;
  }

  /** {@code FULL_OBJECT} or {@code COMPOSITE}, as in x-amz-checksum-type. */
  public String type() {
    return composite() ? "COMPOSITE" : "FULL_OBJECT";
  }
}
