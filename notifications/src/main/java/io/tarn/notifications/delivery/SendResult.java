package io.tarn.notifications.delivery;

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
   */
  record Response(int status, long latencyMillis, String bodySnippet) implements SendResult {}

  /**
   * No answer: refused address, DNS failure, connect or response timeout, broken connection.
   *
   * @param error what happened, one line
   * @param latencyMillis time until the failure
   */
  record Failure(String error, long latencyMillis) implements SendResult {}
}
