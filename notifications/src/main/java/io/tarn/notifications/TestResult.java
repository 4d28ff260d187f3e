package io.tarn.notifications;

import java.util.List;

/**
 * The outcome of a synchronous test ({@link WebhookService#sendTestAndWait}): the first attempt of
 * the rule's {@code s3:TestEvent} delivery, or that none ended within the wait.
 *
 * @param deliveryId the test delivery's id (in the rule's delivery log like any other)
 * @param outcome {@code delivered} (a 2xx), {@code failed} (another status or no answer; retried like
 *     any delivery) or {@code pending} (no attempt ended within the wait)
 * @param statusCode the receiver's HTTP status, or null when none came
 * @param latencyMillis time from sending to the response head (or the failure), or null when pending
 * @param headers the response's header fields in order (bounded), empty without a response
 * @param body the first KiB of the response body (as UTF-8), or null without a response
 * @param error why no response came (refused address, DNS, connect or response timeout), or null
 */
public record TestResult(String deliveryId, String outcome, Integer statusCode, Long latencyMillis,
    List<Header> headers, String body, String error) {
  public TestResult {
    headers = List.copyOf(headers);
  }

  /** One response header field. */
  public record Header(String name, String value) {}
}
