package io.tarn.notifications;

/**
 * One rule's figures with where it sends, for the server-wide view ({@code tarn admin info}).
 *
 * @param bucket the rule's bucket
 * @param ruleId the rule
 * @param url where it sends (the receiver)
 * @param enabled whether it is enabled
 * @param stats its figures
 */
public record RuleFigures(String bucket, String ruleId, String url, boolean enabled, RuleStats stats) {}
