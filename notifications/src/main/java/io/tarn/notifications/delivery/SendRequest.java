package io.tarn.notifications.delivery;

import java.net.URI;
import java.util.Map;

/**
 * One HTTP POST to a webhook.
 *
 * @param url the rule's URL
 * @param headers request headers (Content-Type, User-Agent, delivery id, event name, signatures)
 * @param body the exact body bytes (signed as they are)
 * @param allowPrivate whether the rule may target private, loopback and link-local addresses
 *     (rules created by admins)
 */
public record SendRequest(URI url, Map<String, String> headers, byte[] body, boolean allowPrivate) {}
