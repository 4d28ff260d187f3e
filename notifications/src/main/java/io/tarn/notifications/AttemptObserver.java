package io.tarn.notifications;

/**
 * Told of every delivery attempt once its outcome is recorded (the server's metrics). Called on the
 * recorder's thread with the queue's lock held: must be quick and must not block.
 */
@FunctionalInterface
public interface AttemptObserver {
  /**
   * @param bucket the rule's bucket
   * @param ruleId the rule, as {@link RuleFigures#ruleId()} names it
   * @param outcome {@code delivered}, {@code failed} (a retry is scheduled) or {@code dead}
   * @param roundTripMillis the receiver's round trip (request sent to response read, or to the failure)
   * @param sinceCommitMillis from the event's commit to now: for {@code delivered}, the delivery delay
   */
  void attempted(String bucket, String ruleId, String outcome, long roundTripMillis, long sinceCommitMillis);

  AttemptObserver NONE = (bucket, ruleId, outcome, roundTripMillis, sinceCommitMillis) -> {};
}
