package io.tarn.notifications.queue;

/** An entry of a rule's due lane ({@code DUE}): a delivery with a record of its own. */
public record Due(long dueMillis, String deliveryId) {}
