package io.tarn.core;

import java.util.Map;

/**
 * An S3 failure, rendered by the protocol layer as S3 error XML. Immutable.
 *
 * <p>{@code extra} carries the optional additional elements AWS adds to some errors (for example
 * {@code BucketName}, {@code Key}, {@code ArgumentName}, {@code RequestTime}, {@code ServerTime}).
 */
public final class S3Exception extends RuntimeException {
  private final S3Error error;
  private final Map<String, String> extra;

  public S3Exception(S3Error error) {
    this(error, error.defaultMessage(), Map.of(), null);
  }

  public S3Exception(S3Error error, String message) {
    this(error, message, Map.of(), null);
  }

  public S3Exception(S3Error error, String message, Map<String, String> extra) {
    this(error, message, extra, null);
  }

  public S3Exception(S3Error error, String message, Map<String, String> extra, Throwable cause) {
    super(message == null ? error.defaultMessage() : message, cause, false, cause != null);
    this.error = error;
    this.extra = Map.copyOf(extra);
  }

  public S3Error error() {
    return error;
  }

  public Map<String, String> extra() {
    return extra;
  }
}
