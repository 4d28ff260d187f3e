package io.tarn.console.admin;

import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.core.api.ApiRequest;
import java.util.Optional;

/**
 * One authenticated admin API request, routed.
 *
 * @param request the request
 * @param caller who signed it
 * @param route its endpoint and path parameters
 */
record Call(ApiRequest request, Principal caller, AdminRoute route) {
  String param(String name) {
    return route.param(name);
  }

  Optional<String> query(String name) {
    return request.param(name);
  }

  byte[] body() {
    return request.body() == null ? new byte[0] : request.body();
  }

  boolean isAdmin() {
    return caller.isAdmin();
  }

  /** For mutations whose events name who did them (force-deleting a bucket's objects). */
  RequestContext context() {
    return new RequestContext(request.requestId(), caller, request.sourceIp());
  }
}
