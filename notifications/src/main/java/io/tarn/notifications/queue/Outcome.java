package io.tarn.notifications.queue;

import io.tarn.notifications.delivery.SendResult;

/**
 * One attempt's result, as {@link Outcomes#completedAll} takes them.
 *
 * @param fresh whether {@code sent} was an event's first attempt read from the log ({@link EventLog#fresh})
 */
public record Outcome(DeliveryRecord sent, boolean fresh, long startMillis, SendResult result) {}
