package io.tarn.notifications;

import java.util.List;
import java.util.Map;

/**
 * What one rule would do with a {@link Simulation}. Never carries the rule's secret: only the
 * signature headers computed with it, which a real delivery of this body would carry too.
 *
 * @param ruleId the rule
 * @param url where it would be sent
 * @param enabled whether the rule is enabled
 * @param format the body format ({@code s3} or {@code compact})
 * @param signature the signature scheme ({@code tarn}, {@code standard-webhooks}, {@code elasticlake})
 * @param signed whether the rule has a secret, so the headers carry a signature
 * @param matched whether the rule would deliver the event
 * @param reasons why it would not (empty when it matches): every check that fails, not only the first
 * @param eventName the name the rule would give the event ({@code X-Tarn-Event}), or null when not matched
 * @param deliveryId the delivery id the simulation used (its sequencer is a placeholder), or null
 * @param headers every header of the first attempt, in the order sent, or null when not matched
 * @param body the exact body (UTF-8 JSON), or null when not matched
 */
public record SimulatedRule(
    String ruleId,
    String url,
    boolean enabled,
    String format,
    String signature,
    boolean signed,
    boolean matched,
    List<Reason> reasons,
    String eventName,
    String deliveryId,
    Map<String, String> headers,
    String body) {

  /**
   * One failed check.
   *
   * @param check {@code disabled}, {@code prefix}, {@code suffix} or {@code event}
   * @param message the reason in words
   */
  public record Reason(String check, String message) {}
}
