package io.tarn.console.webhooks;

import io.tarn.console.Json;
import io.tarn.core.api.ApiResponse;
import io.tarn.notifications.DeliveryFilter;
import io.tarn.notifications.WebhookException;
import io.tarn.notifications.WebhookService;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The delivery log of a bucket's rules (issue 13): the filtered log, one delivery in full (the
 * attempt inspector), redelivery of one or many deliveries whatever their outcome, the count of a
 * rule's dead letters before redelivering them all, and the deliveries of one object key. The bucket
 * gate has been passed by the time a method runs.
 */
final class DeliveryLogHandler {
  /** Most ids one "redeliver many" request may name. */
  static final int MAX_IDS = 1000;

  private final WebhookService webhooks;

  DeliveryLogHandler(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  /** {@code ?status=&prefix=&from=&to=} (times ISO-8601), with {@code after} and {@code limit}. */
  ApiResponse list(Call c, String bucket) {
    Paging p = Paging.of(c);
    DeliveryFilter f = new DeliveryFilter(text(c, "status"), text(c, "prefix"), time(c, "from"), time(c, "to"));
    return Json.response(200,
        WebhookViews.deliveries(webhooks.deliveries(bucket, c.param("rule"), f, p.after(), p.limit())));
  }

  /** {@code ?key=K} (exact): the deliveries of one object, newest first, up to {@code limit}. */
  ApiResponse ofKey(Call c, String bucket) {
    String key = text(c, "key");
    if (key == null) {
      throw Fields.invalid("key", "\"key\" is required: the object key whose deliveries to list");
    }
    Paging p = Paging.of(c);
    return Json.response(200, new WebhookViews.Deliveries(
        webhooks.objectDeliveries(bucket, key, p.limit()).stream().map(WebhookViews::delivery).toList(), null));
  }

  ApiResponse get(Call c, String bucket) {
    return Json.response(200, WebhookViews.detail(webhooks.delivery(bucket, c.param("delivery"))));
  }

  ApiResponse redeliver(Call c, String bucket) {
    webhooks.redeliverDelivery(bucket, c.param("delivery"));
    return Json.response(200, new WebhookViews.Redelivered(1));
  }

  /**
   * {@code {"ids": [...]}}: each is queued again; the answer says, per id, whether it was and why not,
   * so one trimmed or already-queued delivery does not fail the others.
   */
  ApiResponse redeliverMany(Call c, String bucket) {
    List<String> ids = Fields.read(c.body(), false, Set.of("ids")).requiredTexts("ids");
    if (ids.isEmpty() || ids.size() > MAX_IDS) {
      throw Fields.invalid("ids", "\"ids\" must list 1 to " + MAX_IDS + " delivery ids");
    }
    List<WebhookViews.RedeliverResult> results = new ArrayList<>();
    int ok = 0;
    for (String id : ids) {
      try {
        webhooks.redeliverDelivery(bucket, id);
        results.add(new WebhookViews.RedeliverResult(id, true, null));
        ok++;
      } catch (WebhookException e) {
        results.add(new WebhookViews.RedeliverResult(id, false, e.getMessage()));
      }
    }
    return Json.response(200, new WebhookViews.RedeliveredMany(ok, results));
  }

  /** {@code ?dryRun=true}: the count of the rule's dead letters, nothing queued (the count shown first). */
  static boolean dryRun(Call c) {
    String v = text(c, "dryRun");
    if (v != null && !v.equals("true") && !v.equals("false")) {
      throw Fields.invalid("dryRun", "\"dryRun\" must be true or false");
    }
    return "true".equals(v);
  }

  ApiResponse countDead(Call c, String bucket) {
    return Json.response(200, new WebhookViews.DeadCount(webhooks.countDeadLetters(bucket, c.param("rule"))));
  }

  private static String text(Call c, String name) {
    return c.query(name).filter(s -> !s.isEmpty()).orElse(null);
  }

  private static Instant time(Call c, String name) {
    String v = text(c, name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw Fields.invalid(name, "\"" + name + "\" must be an ISO-8601 UTC time such as 2026-12-06T10:00:00Z");
    }
  }
}
