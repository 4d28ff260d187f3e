package io.tarn.core.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 * @param stream for a streamed answer (server-sent events), the stream the front end sends after the
 *     head instead of {@code body}; null for every other response
 * @param cookies further {@code Set-Cookie} values, each sent as a header of its own after a
 *     {@code Set-Cookie} in {@code headers} (a map holds one value per name; a response may set two cookies)
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers, Throwable cause,
    ApiStream stream, List<String> cookies) {
  /** The media type of server-sent events (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
  public static final String EVENT_STREAM = "text/event-stream";

  public static final String JSON = "application/json";

  /**
   * Headers every response under {@code /_tarn/} carries (the console contract): a strict CSP without
   * {@code unsafe-inline}/{@code unsafe-eval}, so that an object name rendered as markup cannot run
   * script; no framing, no MIME sniffing, no referrer (presigned URLs must not leak through it).
   */
  public static final Map<String, String> SECURITY_HEADERS = securityHeaders();

  private static Map<String, String> securityHeaders() {
    Map<String, String> h = new java.util.LinkedHashMap<>();
    h.put("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
        + " media-src 'self' blob:; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none';"
        + " form-action 'self'; frame-ancestors 'none'");
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Referrer-Policy", "no-referrer");
    h.put("X-Frame-Options", "DENY");
    return java.util.Collections.unmodifiableMap(h);
  }

  public ApiResponse {
    cookies = cookies == null ? List.of() : List.copyOf(cookies);
  }

  public ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    this(status, contentType, body, headers, null, null, List.of());
  }

  public ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers, Throwable cause) {
    this(status, contentType, body, headers, cause, null, List.of());
  }

  public ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers, Throwable cause,
      ApiStream stream) {
    this(status, contentType, body, headers, cause, stream, List.of());
  }

  /**
   * A 200 whose body is {@code stream}, sent as server-sent events; never cached (a proxy or the
   * browser must not replay a tail).
   */
  public static ApiResponse eventStream(ApiStream stream) {
    return new ApiResponse(200, EVENT_STREAM, new byte[0], Map.of("Cache-Control", "no-store"), null,
        java.util.Objects.requireNonNull(stream, "stream"));
  }

  /** This response, recording {@code t} as the cause of its failure. */
  public ApiResponse withCause(Throwable t) {
    return new ApiResponse(status, contentType, body, headers, t, stream, cookies);
  }

  /** This response with {@code extra} headers added (replacing same-named ones). */
  public ApiResponse withHeaders(Map<String, String> extra) {
    Map<String, String> all = new java.util.LinkedHashMap<>(headers);
    all.putAll(extra);
    return new ApiResponse(status, contentType, body, all, cause, stream, cookies);
  }

  /** This response setting one more cookie ({@code setCookie} is a whole {@code Set-Cookie} value). */
  public ApiResponse withCookie(String setCookie) {
    List<String> all = new ArrayList<>(cookies);
    all.add(java.util.Objects.requireNonNull(setCookie, "setCookie"));
    return new ApiResponse(status, contentType, body, headers, cause, stream, all);
  }

  public static ApiResponse json(int status, String json) {
    return new ApiResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, JSON, new byte[0], Map.of());
  }
}
