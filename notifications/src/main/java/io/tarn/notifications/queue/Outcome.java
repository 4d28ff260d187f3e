package io.tarn.notifications.queue;

import io.tarn.notifications.delivery.SendResult;
import java.util.Map;

/**
 * One attempt's result, as {@link Outcomes#completedAll} takes them.
 *
 * @param fresh whether {@code sent} was an event's first attempt read from the log ({@link EventLog#fresh})
 * @param requestHeaders the request headers as sent (for the attempt inspector; signatures are HMACs, the
 *     rule's secret is never among them)
 */
public record Outcome(DeliveryRecord sent, boolean fresh, long startMillis, SendResult result,
    Map<String, String> requestHeaders) {
  public Outcome {
    requestHeaders = requestHeaders == null ? Map.of() : requestHeaders;
  }

  /** An outcome whose request headers are not known. */
  public Outcome(DeliveryRecord sent, boolean fresh, long startMillis, SendResult result) {
    this(sent, fresh, startMillis, result, Map.of());
  }
}
