package io.tarn.console;

import java.util.Map;
import java.util.Objects;

/**
 * A failure a JSON API answers as a client-visible error. Immutable; {@link TarnApi} renders it, so
 * handlers simply throw. The message is shown to the caller: it names the field, user, key or bucket
 * at fault and never carries internals.
 */
public final class ApiException extends RuntimeException {
  private final ApiError error;
  private final Map<String, String> headers;

  public ApiException(ApiError error, String message) {
    this(error, message, Map.of());
  }

  /** With extra response headers (e.g. {@code Allow} on a 405). */
  public ApiException(ApiError error, String message, Map<String, String> headers) {
    // No stack trace: these are expected outcomes of bad requests, thrown often and never logged.
    super(message, null, false, false);
    this.error = Objects.requireNonNull(error, "error");
    this.headers = Map.copyOf(headers);
  }

  public static ApiException invalid(String message) {
    return new ApiException(ApiError.INVALID_REQUEST, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(ApiError.NOT_FOUND, message);
  }

  public static ApiException denied(String message) {
    return new ApiException(ApiError.ACCESS_DENIED, message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(ApiError.CONFLICT, message);
  }

  public ApiError error() {
    return error;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
