package io.tarn.s3.ops;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.util.Map;

/**
 * A single satisfiable byte range of an object (RFC 9110 section 14; S3 supports one range per
 * request: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax).
 *
 * @param offset first byte
 * @param length number of bytes
 */
public record ByteRange(long offset, long length) {
  /**
   * Parses a Range header against an object size.
   *
   * @return the range, or {@code null} when the header is absent or not a single well-formed byte
   *     range (S3 then serves the whole object)
   * @throws S3Exception InvalidRange (416) when it cannot be satisfied
   */
  public static ByteRange parse(String header, long size) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
      return null;
    }
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    try {
      if (a.isEmpty()) {
        if (b.isEmpty()) {
          return null;
        }
        long suffix = Long.parseLong(b);
        if (suffix <= 0) {
          throw unsatisfiable(h, size);
        }
        if (size == 0) {
          return null; // satisfiable (RFC 9110 section 14.1.1) but empty: S3 answers 200 with no body
        }
        long n = Math.min(suffix, size);
        return new ByteRange(size - n, n);
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
      if (first < 0 || last < first) {
        return null;
      }
      if (first >= size) {
        throw unsatisfiable(h, size); // also bytes=0- of an empty object, as S3 does
      }
      last = Math.min(last, size - 1);
      return new ByteRange(first, last - first + 1);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static S3Exception unsatisfiable(String requested, long size) {
    return new S3Exception(S3Error.INVALID_RANGE, S3Error.INVALID_RANGE.defaultMessage(),
        Map.of("RangeRequested", requested, "ActualObjectSize", Long.toString(size)));
  }

  /** The Content-Range value for an object of {@code size} bytes. */
  public String contentRange(long size) {
    return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
  }
}
