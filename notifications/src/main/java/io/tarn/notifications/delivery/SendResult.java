package io.tarn.notifications.delivery;

import java.util.List;
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
   * @param bodySnippet the start of the response body (capped), for the delivery log
   * @param headers the response's header fields in order, at most {@link #MAX_HEADERS} of them (the
   *     HTTP codec already bounds their size), for a synchronous test's report
   */
  record Response(int status, long latencyMillis, String bodySnippet, List<Map.Entry<String, String>> headers)
      implements SendResult {
    /** Header fields kept from one response; a receiver answering with more gets the first ones shown. */
    public static final int MAX_HEADERS = 64;

    public Response {
      headers = List.copyOf(headers);
    }

    /** A response whose headers nobody asked for. */
    public Response(int status, long latencyMillis, String bodySnippet) {
      this(status, latencyMillis, bodySnippet, List.of());
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
