package io.tarn.s3.ops;

import io.netty.handler.codec.http.HttpHeaders;
import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.s3.auth.AuthResult;
import io.tarn.s3.http.RequestHead;

/**
 * One authenticated request, as handlers see it.
 *
 * @param head the request head
 * @param auth the authentication result (null only for unsigned requests to Tarn's own APIs)
 */
public record Call(RequestHead head, AuthResult auth) {
  public HttpHeaders headers() {
    return head.headers();
  }

  public Principal principal() {
    return auth.principal();
  }

  public RequestContext context() {
    return new RequestContext(head.requestId(), auth.principal(), head.sourceIp());
  }
}
