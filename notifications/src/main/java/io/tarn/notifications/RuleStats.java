package io.tarn.notifications;

import java.time.Instant;

/**
 * A rule's figures.
 *
 * @param ruleId the rule
 * @param pending deliveries waiting to be sent
 * @param delivered deliveries answered with a 2xx
 * @param failedAttempts attempts that failed (each retry counts)
 * @param deadLettered deliveries given up on (all reasons)
 * @param queueFull deliveries dead-lettered at once because the backlog was at its cap
 * @param lastSuccess last 2xx, or null
 * @param lastFailure last failed attempt, or null
 * @param failingSince the first failed attempt since the last 2xx (the current run of failures), or null
 *     when the last attempt succeeded or none failed
 * @param latencyP50Millis median time from commit to 2xx over recent deliveries, or null
 * @param latencyP99Millis 99th percentile of the same, or null
 */
public record RuleStats(
    String ruleId,
    long pending,
    long delivered,
    long failedAttempts,
    long deadLettered,
    long queueFull,
    Instant lastSuccess,
    Instant lastFailure,
    Instant failingSince,
    Long latencyP50Millis,
    Long latencyP99Millis) {}
