package io.tarn.notifications.delivery;

import java.util.Map;

/** How an attempt ended. */
public sealed interface SendResult {
  long latencyMillis();

  /** Whether it counts as delivered (a 2xx). */
  default boolean delivered() {
    return this instanceof Response && ((Response) this).status() / 100 == 2;
  }

  /**
   * The receiver answered.
   *
   * @param status HTTP status (a 3xx is a failure: redirects are never followed)
   * @param latencyMillis time from sending to the response head
   * @param bodySnippet the start of the response body (capped at capture time), for the delivery log
   * @param headers the response headers (capped, in arrival order; a repeated name's values joined by
   *     {@code ", "}), for the attempt inspector
   */
  record Response(int status, long latencyMillis, String bodySnippet, Map<String, String> headers)
      implements SendResult {
    public Response {
      headers = headers == null ? Map.of() : headers;
    }

    /** A response whose headers are not kept. */
    public Response(int status, long latencyMillis, String bodySnippet) {
      this(status, latencyMillis, bodySnippet, Map.of());
    }
  }

  /**
   * No answer: refused address, DNS failure, connect or response timeout, broken connection.
   *
   * @param error what happened, one line
   * @param latencyMillis time until the failure
   */
  record Failure(String error, long latencyMillis) implements SendResult {}
}
