package io.tarn.core.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The answer of a Tarn JSON API.
 *
 * @param status HTTP status
 * @param contentType the body's media type
 * @param body the body bytes (empty for none)
 * @param headers extra response headers
 * @param cause for a 5xx, the failure behind it: the front end logs it once with the request id, so
 *     that an API handler never logs a failure itself (it would be logged twice); never sent
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers, Throwable cause) {
  public static final String JSON = "application/json";

  public ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    this(status, contentType, body, headers, null);
  }

  /** This response, recording {@code t} as the cause of its failure. */
  public ApiResponse withCause(Throwable t) {
    return new ApiResponse(status, contentType, body, headers, t);
  }

  public static ApiResponse json(int status, String json) {
    return new ApiResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, JSON, new byte[0], Map.of());
  }
}
