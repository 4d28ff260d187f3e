package io.tarn.console.webhooks;

import io.tarn.console.Json;
import io.tarn.core.EventName;
import io.tarn.core.api.ApiResponse;
import io.tarn.notifications.SimulatedRule;
import io.tarn.notifications.Simulation;
import io.tarn.notifications.WebhookService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /buckets/{bucket}/webhooks/simulate}: what each of the bucket's rules would send for a
 * key and an event, from the webhook service's simulator (the code real deliveries use), with a
 * {@code curl} command that replays each matching delivery. Nothing is written or sent.
 */
final class SimulateHandler {
  private static final Set<String> FIELDS = Set.of("key", "event", "size", "replaces", "contentType");
  /**
   * The values a real commit decides, which a simulation can only stand in for: a reader comparing a
   * simulated body with a received one must set these aside (the signatures then differ with them).
   */
  static final List<String> PLACEHOLDERS = List.of("eventTime", "timestamp", "sequencer", "x-amz-request-id",
      "eTag", "etag", "X-Tarn-Delivery", "webhook-id", "webhook-timestamp");

  private final WebhookService webhooks;
  private final BucketGate gate;

  SimulateHandler(WebhookService webhooks, BucketGate gate) {
    this.webhooks = webhooks;
    this.gate = gate;
  }

  record Request(String key, String event, long size, boolean replaces, String contentType) {}

  record Rule(String ruleId, String url, boolean enabled, String format, String signature, boolean signed,
      boolean matched, List<SimulatedRule.Reason> reasons, String eventName, String deliveryId,
      Map<String, String> headers, String body, String curl) {}

  record Answer(Request simulation, List<String> placeholders, List<Rule> rules) {}

  ApiResponse simulate(Call c, String bucket) {
    Fields f = Fields.read(c.body(), false, FIELDS);
    String key = f.requiredText("key");
    if (key.isEmpty()) {
      throw Fields.invalid("key", "\"key\" must not be empty");
    }
    EventName event = event(f.requiredText("event"));
    Long size = f.count("size");
    Boolean replaces = f.bool("replaces");
    Request req = new Request(key, event.wireName(), size == null ? 0 : size, Boolean.TRUE.equals(replaces),
        f.text("contentType"));
    List<SimulatedRule> simulated = webhooks.simulate(bucket, gate.ownerId(bucket),
        new Simulation(key, event, req.size(), req.replaces(), req.contentType()), c.context());
    List<Rule> rules = new ArrayList<>();
    for (SimulatedRule r : simulated) {
      rules.add(new Rule(r.ruleId(), r.url(), r.enabled(), r.format(), r.signature(), r.signed(), r.matched(),
          r.reasons(), r.eventName(), r.deliveryId(), r.headers(), r.body(),
          r.matched() ? Curl.post(r.url(), r.headers(), r.body()) : null));
    }
    return Json.response(200, new Answer(req, PLACEHOLDERS, rules));
  }

  /** An S3 event name with or without {@code s3:}, in any case, that the server emits. */
  private static EventName event(String text) {
    String bare = text.strip();
    if (bare.regionMatches(true, 0, "s3:", 0, 3)) {
      bare = bare.substring(3);
    }
    for (EventName e : EventName.values()) {
      if (e.wireName().equalsIgnoreCase(bare) && e.emitted() && e != EventName.TEST_EVENT) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (EventName e : EventName.values()) {
      if (e.emitted() && e != EventName.TEST_EVENT) {
        names.add(e.qualifiedName());
      }
    }
    throw Fields.invalid("event", "\"event\" must be one of the events the server emits: " + String.join(", ", names)
        + ", not \"" + text + "\"");
  }
}
