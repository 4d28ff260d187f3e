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
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String JSON = "application/json";

  public static ApiResponse json(int status, String json) {
    return new ApiResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, JSON, new byte[0], Map.of());
  }
}
