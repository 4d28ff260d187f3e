package io.tarn.console.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tarn.console.ApiError;
import io.tarn.console.Json;
import io.tarn.console.MountedApi;
import io.tarn.core.Principal;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.BucketRef;
import io.tarn.notifications.WebhookException;
import io.tarn.notifications.WebhookService;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.ObjectStore;
import java.time.Clock;
import java.util.Objects;

/**
 * The webhooks JSON API, mounted at {@code /_tarn/api/v1}: a bucket's webhook rules, their tests,
 * deliveries, figures and dead letters; the caller's personal API tokens; and the compatibility
 * endpoint {@code /webhooks}. Authenticates (SigV4 principal or bearer token) before routing,
 * parses the request into a {@link WebhookRoute}, checks the bucket (owner or admin), and
 * dispatches in one flat switch. Blocks on storage: call it off the network event loop.
 * Thread-safe if the webhook service is.
 */
public final class WebhooksApi implements MountedApi {
  private final Callers callers;
  private final BucketGate gate;
  private final RulesHandler rules;
  private final DeadLettersHandler deadLetters;
  private final DeliveryLogHandler deliveryLog;
  private final SimulateHandler simulate;
  private final TokensHandler tokens;
  private final CompatHandler compat;
  private final LiveHandler live;

  public WebhooksApi(ObjectStore store, IdentityStore identity, WebhookService webhooks, Clock clock) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(webhooks, "webhooks");
    Objects.requireNonNull(clock, "clock");
    this.callers = new Callers(identity, clock);
    this.gate = new BucketGate(store);
    this.rules = new RulesHandler(webhooks);
    this.deadLetters = new DeadLettersHandler(webhooks);
    this.deliveryLog = new DeliveryLogHandler(webhooks);
    this.simulate = new SimulateHandler(webhooks, gate);
    this.tokens = new TokensHandler(identity, clock);
    this.compat = new CompatHandler(webhooks, gate);
    this.live = new LiveHandler(store, identity, webhooks, callers, clock);
  }

  @Override
  public ApiResponse handle(ApiRequest request, String path) {
    try {
      // Before routing, so an anonymous caller learns nothing, not even which paths exist.
      Principal caller = callers.authenticate(request);
      Call c = new Call(request, caller, WebhookRoute.parse(request.method(), path));
      return dispatch(c);
    } catch (WebhookException e) {
      return render(e, request.requestId());
    }
  }

  private ApiResponse dispatch(Call c) {
    return switch (c.route().endpoint()) {
      case LIST_TOKENS -> tokens.list(c);
      case CREATE_TOKEN -> tokens.create(c);
      case DELETE_TOKEN -> tokens.delete(c);
      case COMPAT_LIST -> compat.list(c);
      case COMPAT_CREATE -> compat.create(c);
      case COMPAT_GET -> compat.get(c);
      case COMPAT_DELETE -> compat.delete(c);
      case LIVE_EVENTS -> live.open(c); // readers too, not only who may manage the bucket's webhooks
      default -> bucket(c, gate.require(c.caller(), c.param("bucket")));
    };
  }

  /** @param ref the bucket as authorized: rule writes name this incarnation */
  private ApiResponse bucket(Call c, BucketRef ref) {
    String bucket = ref.name();
    return switch (c.route().endpoint()) {
      case LIST_RULES -> rules.list(c, bucket);
      case CREATE_RULE -> rules.create(c, ref);
      case GET_RULE -> rules.get(c, bucket);
      case PATCH_RULE -> rules.patch(c, ref);
      case DELETE_RULE -> rules.delete(c, bucket);
      case ENABLE_RULE -> rules.setEnabled(c, ref, true);
      case DISABLE_RULE -> rules.setEnabled(c, ref, false);
      case TEST_RULE -> rules.test(c, bucket);
      case LIST_DELIVERIES -> deliveryLog.list(c, bucket);
      case RULE_STATS -> rules.stats(c, bucket);
      case REDELIVER_RULE -> DeliveryLogHandler.dryRun(c) ? deliveryLog.countDead(c, bucket)
          : deadLetters.redeliverRule(c, bucket);
      case SIMULATE -> simulate.simulate(c, bucket);
      case LIST_DEAD_LETTERS -> deadLetters.list(c, bucket);
      case PURGE_DEAD_LETTERS -> deadLetters.purge(c, bucket);
      case REDELIVER -> deadLetters.redeliver(c, bucket);
      case LIST_OBJECT_DELIVERIES -> deliveryLog.ofKey(c, bucket);
      case GET_DELIVERY -> deliveryLog.get(c, bucket);
      case REDELIVER_DELIVERY -> deliveryLog.redeliver(c, bucket);
      case REDELIVER_DELIVERIES -> deliveryLog.redeliverMany(c, bucket);
      case LIVE_EVENTS, LIST_TOKENS, CREATE_TOKEN, DELETE_TOKEN, COMPAT_LIST, COMPAT_CREATE, COMPAT_GET, COMPAT_DELETE ->
          throw new IllegalStateException(c.route().endpoint() + " is not a bucket endpoint");
    };
  }

  // ---- errors

  /**
   * The one translation of the webhook service's failures (STYLE.md 2), in the API's error shape;
   * an invalid field is also named in {@code field}, so a form can mark it.
   */
  static ApiResponse render(WebhookException e, String requestId) {
    ApiError error = switch (e.kind()) {
      case NOT_FOUND -> ApiError.NOT_FOUND;
      case INVALID -> ApiError.INVALID_REQUEST;
      case FORBIDDEN -> ApiError.ACCESS_DENIED;
      case CONFLICT -> ApiError.CONFLICT;
      case TOO_MANY -> ApiError.TOO_MANY_REQUESTS;
    };
    String field = e.field(); // INVALID and FORBIDDEN (e.g. a private target) both name the field to blame
    return Json.response(error.status(), new Body(new Detail(error.code(), e.getMessage(), requestId, field)));
  }

  record Body(Detail error) {}

  record Detail(String code, String message, String requestId,
      @JsonInclude(JsonInclude.Include.NON_NULL) String field) {}
}
