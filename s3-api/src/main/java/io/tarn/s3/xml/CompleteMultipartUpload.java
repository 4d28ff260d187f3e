package io.tarn.s3.xml;

import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.CompletedPart;
import java.util.List;
import java.util.Map;

/**
 * The CompleteMultipartUpload request body
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html#API_CompleteMultipartUpload_RequestBody).
 *
 * @param parts 1..10000 parts in request order (order and existence are checked by storage)
 */
public record CompleteMultipartUpload(List<Part> parts) {
  public static final int MAX_PARTS = 10000;

  public CompleteMultipartUpload {
    parts = List.copyOf(parts);
  }

  /**
   * @param partNumber 1..10000
   * @param etag the ETag the client holds, quotes removed
   * @param checksums the {@code Checksum*} elements given (base64 values)
   */
  public record Part(int partNumber, String etag, Map<ChecksumAlgorithm, String> checksums) {
    public Part {
      checksums = Map.copyOf(checksums);
    }

    /** For storage: the checksum of the upload's algorithm ({@code null} for none or not given). */
    public CompletedPart toCompletedPart(ChecksumAlgorithm uploadAlgorithm) {
      return new CompletedPart(partNumber, etag, uploadAlgorithm == null ? null : checksums.get(uploadAlgorithm));
    }
  }

  /** All parts for storage; see {@link Part#toCompletedPart}. */
  public List<CompletedPart> toCompletedParts(ChecksumAlgorithm uploadAlgorithm) {
    return parts.stream().map(p -> p.toCompletedPart(uploadAlgorithm)).toList();
  }
}
