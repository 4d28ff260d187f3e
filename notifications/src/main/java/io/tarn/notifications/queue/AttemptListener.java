package io.tarn.notifications.queue;

/**
 * Told of every attempt's outcome once it is recorded (the live tail shows them). Called on the
 * recorder's thread with the queue's lock held: must be quick and must not block.
 */
@FunctionalInterface
public interface AttemptListener {
  /**
   * @param sent the delivery as it was attempted
   * @param attempt the attempt's number, from 1
   * @param outcome {@code delivered}, {@code failed} (a retry is scheduled) or {@code dead}
   * @param status the receiver's HTTP status, or null when there was no response
   * @param error why it failed, or null
   */
  void attempted(DeliveryRecord sent, int attempt, String outcome, Integer status, long latencyMillis, String error);

  AttemptListener NONE = (sent, attempt, outcome, status, latencyMillis, error) -> {};
}
