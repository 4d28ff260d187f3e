package io.tarn.notifications;

import java.time.Instant;
import java.util.Map;

/**
 * One attempt as the attempt inspector shows it: the log row and what was sent and received. Entries
 * written before the inspector existed (attempt-log format 1) have only the row: their maps are empty
 * and the rest null, and {@code detailed} is false.
 *
 * @param summary the row of the delivery log
 * @param requestHeaders request headers as sent, signatures included (HMACs; the rule's secret never)
 * @param responseHeaders the receiver's response headers (capped), empty when none came
 * @param responseBody the first 4 KiB of the response body (capped when received), or null
 * @param nextRetry when the next attempt is due after this failed one, or null (delivered, dead, none)
 * @param detailed whether the entry was logged with these details
 */
public record AttemptView(DeliveryView summary, Map<String, String> requestHeaders,
    Map<String, String> responseHeaders, String responseBody, Instant nextRetry, boolean detailed) {}
