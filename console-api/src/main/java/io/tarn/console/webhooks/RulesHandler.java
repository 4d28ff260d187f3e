package io.tarn.console.webhooks;

import io.tarn.console.Json;
import io.tarn.core.api.ApiResponse;
import io.tarn.notifications.RuleSpec;
import io.tarn.storage.BucketRef;
import io.tarn.notifications.WebhookService;
import io.tarn.notifications.RuleView;
import io.tarn.notifications.WebhookException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code /buckets/{bucket}/webhooks} endpoints: a bucket's rules, their tests, delivery logs and
 * figures. The bucket gate has been passed by the time a method runs.
 */
final class RulesHandler {
  private static final Set<String> RULE_FIELDS =
      Set.of("url", "events", "prefix", "suffix", "secret", "enabled", "format", "signature", "description");

  private final WebhookService webhooks;

  RulesHandler(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  /**
   * With {@code ?stats=true}, each rule's figures too: the Webhooks tab refreshes them every few
   * seconds in one request rather than one per rule.
   */
  ApiResponse list(Call c, String bucket) {
    String stats = c.query("stats").orElse("false");
    if (!stats.equals("true") && !stats.equals("false")) {
      throw Fields.invalid("stats", "\"stats\" must be true or false");
    }
    List<RuleView> rules = webhooks.rules(bucket);
    if (stats.equals("false")) {
      return Json.response(200, WebhookViews.rules(rules));
    }
    List<WebhookViews.Stats> figures = new ArrayList<>(rules.size());
    for (RuleView r : rules) {
      try {
        figures.add(WebhookViews.stats(webhooks.stats(bucket, r.id())));
      } catch (WebhookException e) {
        if (e.kind() != WebhookException.Kind.NOT_FOUND) {
          throw e;
        }
        // deleted since the list was read: it has no figures any more
      }
    }
    return Json.response(200, new WebhookViews.RulesWithStats(WebhookViews.rules(rules).webhooks(), figures));
  }

  /** url and events are checked here too, so a missing one is named even before the service looks. */
  ApiResponse create(Call c, BucketRef bucket) {
    Fields f = Fields.read(c.body(), false, RULE_FIELDS);
    f.requiredText("url");
    f.requiredTexts("events");
    return Json.response(201, WebhookViews.rule(webhooks.createRule(bucket, spec(f), c.caller())));
  }

  ApiResponse get(Call c, String bucket) {
    return Json.response(200, WebhookViews.rule(webhooks.rule(bucket, c.param("rule"))));
  }

  /** Only the fields present change; {@code "secret": ""} removes the secret. */
  ApiResponse patch(Call c, BucketRef bucket) {
    RuleSpec patch = spec(Fields.read(c.body(), true, RULE_FIELDS));
    return Json.response(200, WebhookViews.rule(webhooks.updateRule(bucket, c.param("rule"), patch, c.caller())));
  }

  ApiResponse delete(Call c, String bucket) {
    webhooks.deleteRule(bucket, c.param("rule"));
    return ApiResponse.noContent();
  }

  ApiResponse setEnabled(Call c, BucketRef bucket, boolean enabled) {
    RuleSpec patch = new RuleSpec(null, null, null, null, null, enabled, null, null, null);
    return Json.response(200, WebhookViews.rule(webhooks.updateRule(bucket, c.param("rule"), patch, c.caller())));
  }

  /**
   * The longest a synchronous test waits for its attempt: the sender's default connect (5 s) and
   * response (30 s) timeouts, plus time for the dispatcher to pick the delivery up. An attempt always
   * ends within those timeouts, so "pending" means the receiver's lane is busy or the rule was disabled.
   */
  static final Duration TEST_WAIT = Duration.ofSeconds(40);

  /**
   * 202: the test event is queued, and delivered like any other (see the rule's deliveries). With
   * {@code ?wait=true}, 200 and the first attempt's outcome: status, latency, response headers and
   * the first KiB of the response body, or the connection error.
   */
  ApiResponse test(Call c, String bucket) {
    String wait = c.query("wait").orElse("false");
    if (!wait.equals("true") && !wait.equals("false")) {
      throw Fields.invalid("wait", "\"wait\" must be true or false");
    }
    if (wait.equals("true")) {
      return Json.response(200, WebhookViews.testOutcome(
          webhooks.sendTestAndWait(bucket, c.param("rule"), c.context(), TEST_WAIT)));
    }
    String deliveryId = webhooks.sendTest(bucket, c.param("rule"), c.context());
    return Json.response(202, new WebhookViews.TestSent(deliveryId));
  }


  ApiResponse stats(Call c, String bucket) {
    return Json.response(200, WebhookViews.stats(webhooks.stats(bucket, c.param("rule"))));
  }

  private static RuleSpec spec(Fields f) {
    return new RuleSpec(f.text("url"), f.texts("events"), f.text("prefix"), f.text("suffix"), f.text("secret"),
        f.bool("enabled"), f.text("format"), f.text("signature"), f.text("description"));
  }
}
