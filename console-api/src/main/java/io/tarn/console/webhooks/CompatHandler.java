package io.tarn.console.webhooks;

import io.tarn.console.ApiException;
import io.tarn.console.Json;
import io.tarn.core.Principal;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.BucketRef;
import io.tarn.notifications.RuleSpec;
import io.tarn.notifications.RuleView;
import io.tarn.notifications.WebhookException;
import io.tarn.notifications.WebhookService;
import io.tarn.notifications.rules.Format;
import io.tarn.notifications.rules.SignatureScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The compatibility endpoint {@code /webhooks}, for clients written against ElasticLake's webhooks
 * API (https://elasticlake.com/blog/webhooks-event-driven): one flat list of the caller's webhooks
 * across its buckets, {@code {"bucket", "endpoint", "events", "secret"}} to create one, and get/delete
 * by id alone (the rule is looked up among the buckets the caller may manage).
 *
 * <p>A rule made here is what such clients' receivers expect: the compact body (the document's
 * payload) unless {@code "format": "s3"} asks for S3's, and the {@code elasticlake} signature scheme,
 * which adds the document's {@code X-ElasticLake-Signature: sha256=<hex>} to Tarn's own headers.
 */
final class CompatHandler {
  private static final Set<String> CREATE_FIELDS = Set.of("bucket", "endpoint", "events", "secret", "prefix", "suffix",
      "format");

  private final WebhookService webhooks;
  private final BucketGate gate;

  CompatHandler(WebhookService webhooks, BucketGate gate) {
    this.webhooks = webhooks;
    this.gate = gate;
  }

  ApiResponse create(Call c) {
    Fields f = Fields.read(c.body(), false, CREATE_FIELDS);
    BucketRef bucket = gate.require(c.caller(), f.requiredText("bucket"));
    String format = f.text("format");
    RuleSpec spec = new RuleSpec(f.requiredText("endpoint"), f.requiredTexts("events"), f.text("prefix"),
        f.text("suffix"), f.text("secret"), null, format == null ? Format.COMPACT.wire() : format,
        SignatureScheme.ELASTICLAKE.wire(), null);
    try {
      return Json.response(201, WebhookViews.compat(webhooks.createRule(bucket, spec, c.caller())));
    } catch (WebhookException e) {
      // This endpoint calls the rule's url "endpoint": blame the field the client sent.
      throw "url".equals(e.field()) ? new WebhookException(e.kind(), "endpoint", e.getMessage()) : e;
    }
  }

  /** {@code ?bucket=B}: that bucket's; otherwise every bucket the caller owns (all, for an admin). */
  ApiResponse list(Call c) {
    String named = c.query("bucket").filter(s -> !s.isEmpty()).orElse(null);
    List<String> buckets = named != null ? List.of(gate.require(c.caller(), named).name()) : gate.manageable(c.caller());
    List<WebhookViews.CompatWebhook> out = new ArrayList<>();
    for (String b : buckets) {
      webhooks.rules(b).forEach(r -> out.add(WebhookViews.compat(r)));
    }
    return Json.response(200, new WebhookViews.CompatWebhooks(out));
  }

  ApiResponse get(Call c) {
    return Json.response(200, WebhookViews.compat(find(c.caller(), c.param("rule"))));
  }

  ApiResponse delete(Call c) {
    RuleView r = find(c.caller(), c.param("rule"));
    webhooks.deleteRule(r.bucket(), r.id());
    return ApiResponse.noContent();
  }

  /** A rule of a bucket the caller may manage; others' rules look exactly like missing ones. */
  private RuleView find(Principal caller, String id) {
    for (String b : gate.manageable(caller)) {
      for (RuleView r : webhooks.rules(b)) {
        if (r.id().equals(id)) {
          return r;
        }
      }
    }
    throw ApiException.notFound("webhook " + id + " not found");
  }
}
