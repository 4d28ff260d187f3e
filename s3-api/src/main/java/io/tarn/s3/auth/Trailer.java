package io.tarn.s3.auth;

import io.tarn.core.checksum.ChecksumAlgorithm;
import java.util.Base64;
import java.util.Map;

/**
 * The trailing headers of an aws-chunked body, after verification.
 *
 * @param headers the trailing headers by lower-case name, without {@code x-amz-trailer-signature}
 * @param checksumAlgorithm the algorithm of the trailing checksum, or null when there was none
 * @param checksum the raw checksum, verified against the decoded body; null when there was none
 */
public record Trailer(Map<String, String> headers, ChecksumAlgorithm checksumAlgorithm,
    byte[] checksum) {
  /** No trailing headers. */
  public static final Trailer NONE = new Trailer(Map.of(), null, null);

  public Trailer {
    headers = Map.copyOf(headers);
  }

  public boolean hasChecksum() {
    return checksumAlgorithm != null;
  }

  /** The checksum as sent (base64), or null. */
  public String checksumBase64() {
    return checksum == null ? null : Base64.getEncoder().encodeToString(checksum);
  }
}
