package io.tarn.notifications.queue;

import java.util.List;

/**
 * First attempts for the dispatcher to start ({@link EventLog#fresh}).
 *
 * @param more whether the rule's log may hold more right now (the read stopped at its bound)
 */
public record Fresh(List<DeliveryRecord> deliveries, boolean more) {}
