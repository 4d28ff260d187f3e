package io.tarn.console.webhooks;

import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.core.api.ApiRequest;
import java.util.Optional;

/**
 * One authenticated webhooks API request, routed.
 *
 * @param request the request
 * @param caller who made it (by SigV4 signature or bearer token)
 * @param route its endpoint and path parameters
 */
record Call(ApiRequest request, Principal caller, WebhookRoute route) {
  String param(String name) {
    return route.param(name);
  }

  Optional<String> query(String name) {
    return request.param(name);
  }

  byte[] body() {
    return request.body() == null ? new byte[0] : request.body();
  }

  /** For the test event, whose payload names the request that asked for it. */
  RequestContext context() {
    return new RequestContext(request.requestId(), caller, request.sourceIp());
  }
}
