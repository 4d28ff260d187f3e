package io.tarn.console.webhooks;

import io.tarn.console.Json;
import io.tarn.core.api.ApiResponse;
import io.tarn.notifications.WebhookService;

/**
 * Dead letters of a bucket's rules: list, redeliver (one, or all of a rule) and purge. The bucket
 * gate has been passed by the time a method runs.
 */
final class DeadLettersHandler {
  private final WebhookService webhooks;

  DeadLettersHandler(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  /** {@code ?rule=ID} narrows to one rule; without it, all the bucket's rules. */
  ApiResponse list(Call c, String bucket) {
    Paging p = Paging.of(c);
    return Json.response(200, WebhookViews.deadLetters(webhooks.deadLetters(bucket, rule(c), p.after(), p.limit())));
  }

  ApiResponse redeliver(Call c, String bucket) {
    webhooks.redeliver(bucket, c.param("delivery"));
    return Json.response(200, new WebhookViews.Redelivered(1));
  }

  ApiResponse redeliverRule(Call c, String bucket) {
    return Json.response(200, new WebhookViews.Redelivered(webhooks.redeliverAll(bucket, c.param("rule"))));
  }

  ApiResponse purge(Call c, String bucket) {
    return Json.response(200, new WebhookViews.Purged(webhooks.purgeDeadLetters(bucket, rule(c))));
  }

  private static String rule(Call c) {
    return c.query("rule").filter(s -> !s.isEmpty()).orElse(null);
  }
}
