package io.tarn.notifications;

import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.storage.BucketRef;
import java.util.List;

/**
 * Webhook rules of buckets and their deliveries, as the console API, the webhooks CLI (through
 * it) and {@code GET ?notification} use them. Callers have already checked that the caller may
 * manage the bucket (owner or admin); {@code caller} is passed where the rule's target is checked,
 * since only admins may point a rule at a private, loopback or link-local address.
 * Failures are {@link WebhookException}s.
 */
public interface WebhookService {
  /** Most rules a bucket may have. */
  int MAX_RULES_PER_BUCKET = 100;

  List<RuleView> rules(String bucket);

  RuleView rule(String bucket, String ruleId);

  /**
   * Validates every field (errors name the field) and the target address (SSRF rules), and adds the rule
   * to {@code bucket}: the incarnation the caller was authorized against, so that a rule never lands in
   * a bucket deleted and created again meanwhile, by someone else (NO_SUCH_BUCKET then).
   */
  RuleView createRule(BucketRef bucket, RuleSpec spec, Principal caller);

  /**
   * Changes the fields that are non-null in {@code patch}; an empty secret removes the secret. Like
   * {@link #createRule}, only while {@code bucket} is the incarnation the caller was authorized against.
   */
  RuleView updateRule(BucketRef bucket, String ruleId, RuleSpec patch, Principal caller);

  void deleteRule(String bucket, String ruleId);

  /** Deletes every rule of a bucket with their queued deliveries (the bucket is being deleted). */
  void deleteRules(String bucket);

  /** Queues an {@code s3:TestEvent} delivery for the rule; returns its delivery id. */
  String sendTest(String bucket, String ruleId, RequestContext ctx);

  /**
   * Like {@link #sendTest}, then waits up to {@code wait} for the test delivery's first attempt and
   * returns its outcome (with the response's headers and the first KiB of its body). At most a few
   * callers wait at once: more are refused (CONFLICT) rather than tying up the API's threads.
   */
  TestResult sendTestAndWait(String bucket, String ruleId, RequestContext ctx, java.time.Duration wait);

  /** The rule's delivery log (every attempt, successes and failures), newest first. */
  Page<DeliveryView> deliveries(String bucket, String ruleId, String after, int limit);

  /** Dead letters of one rule, or of all the bucket's rules when {@code ruleId} is null. */
  Page<DeliveryView> deadLetters(String bucket, String ruleId, String after, int limit);

  /** Puts one dead letter back in the queue, due now, with a fresh attempt count. */
  void redeliver(String bucket, String deliveryId);

  /** Puts all dead letters of a rule back in the queue; returns how many. */
  int redeliverAll(String bucket, String ruleId);

  /** Deletes dead letters (of one rule, or of the whole bucket when null); returns how many. */
  int purgeDeadLetters(String bucket, String ruleId);

  /**
   * The rule's delivery log filtered (status, key prefix, time range), newest first; a page may hold
   * fewer than {@code limit} entries and still have a {@code next} (the scan per page is bounded).
   */
  Page<DeliveryView> deliveries(String bucket, String ruleId, DeliveryFilter filter, String after, int limit);

  /** One delivery in full (the attempt inspector): its attempts, the body as sent, where it stands. */
  DeliveryDetail delivery(String bucket, String deliveryId);

  /**
   * Queues one delivery again, due now, attempts reset, whatever its outcome was (a dead letter, or
   * one delivered: the body its log keeps is sent again byte-identical, under the same delivery id).
   */
  void redeliverDelivery(String bucket, String deliveryId);

  /** How many dead letters a rule has: what {@link #redeliverAll} would queue again. */
  int countDeadLetters(String bucket, String ruleId);

  /** The deliveries of one object key over the bucket's rules, newest first (the object's Events). */
  List<DeliveryView> objectDeliveries(String bucket, String key, int limit);

  RuleStats stats(String bucket, String ruleId);

  /**
   * What every rule of the bucket would do with {@code simulation}, without writing or sending anything:
   * whether it matches and why not, and for a match the exact headers and body of the first attempt.
   *
   * @param ownerId the bucket owner's canonical id (the S3 body's {@code ownerIdentity})
   * @param ctx the simulating request, standing for the writer's (request id, principal, address)
   */
  List<SimulatedRule> simulate(String bucket, String ownerId, Simulation simulation, RequestContext ctx);

  /** Every rule of every bucket with its figures (for {@code tarn admin info}), by bucket then rule id. */
  List<RuleFigures> figures();

  /** Deliveries waiting to be sent, over all rules (for {@code tarn admin info}). */
  long backlog();

  /**
   * Opens a live tail of {@code bucket} (its committed events, the rules each matched, then the
   * outcomes of their deliveries) for user {@code userId}, who may read the bucket.
   *
   * @throws WebhookException TOO_MANY when the tails of the bucket, the user or the server are at their cap
   */
  default io.tarn.notifications.live.LiveViewer watch(String bucket, String userId) {
    throw new WebhookException(WebhookException.Kind.NOT_FOUND, null, "live events are not available");
  }
}
