package io.tarn.console.webhooks;

import io.tarn.console.PathTemplates;
import java.util.List;

/**
 * Every endpoint of the webhooks API, with its method and its path template under
 * {@code /_tarn/api/v1}. Who may call what is decided per bucket ({@link BucketGate}: its owner or
 * an admin) and per token (its owner), not per endpoint.
 */
public enum WebhookEndpoint implements PathTemplates.Endpoint {
  LIST_RULES("GET", "/buckets/{bucket}/webhooks"),
  CREATE_RULE("POST", "/buckets/{bucket}/webhooks"),
  GET_RULE("GET", "/buckets/{bucket}/webhooks/{rule}"),
  PATCH_RULE("PATCH", "/buckets/{bucket}/webhooks/{rule}"),
  DELETE_RULE("DELETE", "/buckets/{bucket}/webhooks/{rule}"),
  ENABLE_RULE("POST", "/buckets/{bucket}/webhooks/{rule}/enable"),
  DISABLE_RULE("POST", "/buckets/{bucket}/webhooks/{rule}/disable"),
  TEST_RULE("POST", "/buckets/{bucket}/webhooks/{rule}/test"),
  LIST_DELIVERIES("GET", "/buckets/{bucket}/webhooks/{rule}/deliveries"),
  RULE_STATS("GET", "/buckets/{bucket}/webhooks/{rule}/stats"),
  REDELIVER_RULE("POST", "/buckets/{bucket}/webhooks/{rule}/redeliver"),
  // "simulate" is never a rule id (those are UUIDs), so this cannot shadow a rule.
  SIMULATE("POST", "/buckets/{bucket}/webhooks/simulate"),
  LIST_DEAD_LETTERS("GET", "/buckets/{bucket}/dead-letters"),
  PURGE_DEAD_LETTERS("DELETE", "/buckets/{bucket}/dead-letters"),
  REDELIVER("POST", "/buckets/{bucket}/dead-letters/{delivery}/redeliver"),
  // The delivery log (issue 13): one delivery in full, redeliver one or many, the deliveries of a key.
  LIST_OBJECT_DELIVERIES("GET", "/buckets/{bucket}/deliveries"),
  GET_DELIVERY("GET", "/buckets/{bucket}/deliveries/{delivery}"),
  REDELIVER_DELIVERIES("POST", "/buckets/{bucket}/deliveries/redeliver"),
  REDELIVER_DELIVERY("POST", "/buckets/{bucket}/deliveries/{delivery}/redeliver"),
  /** Server-sent events of the bucket's committed mutations and deliveries: for whoever may read it. */
  LIVE_EVENTS("GET", "/buckets/{bucket}/events/live"),
  LIST_TOKENS("GET", "/tokens"),
  CREATE_TOKEN("POST", "/tokens"),
  DELETE_TOKEN("DELETE", "/tokens/{token}"),
  // The compatibility endpoint, for clients written against hosted stores' webhook APIs.
  COMPAT_LIST("GET", "/webhooks"),
  COMPAT_CREATE("POST", "/webhooks"),
  COMPAT_GET("GET", "/webhooks/{rule}"),
  COMPAT_DELETE("DELETE", "/webhooks/{rule}");

  private final String method;
  private final String template;
  private final List<String> segments;

  WebhookEndpoint(String method, String template) {
    this.method = method;
    this.template = template;
    this.segments = PathTemplates.segments(template);
  }

  @Override
  public String method() {
    return method;
  }

  public String template() {
    return template;
  }

  /** The template's segments; {@code {name}} segments capture a parameter. */
  @Override
  public List<String> segments() {
    return segments;
  }
}
