package io.tarn.core.api;

import io.tarn.core.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request to one of Tarn's own JSON APIs (admin, console, webhooks), which live under the reserved
 * path prefix {@code /_tarn/} of the S3 port: no bucket name can start with an underscore, so these
 * paths can never shadow a bucket. The S3 front end authenticates it and reads its (small, capped)
 * body; the handler never sees Netty or S3 types.
 *
 * @param method HTTP method, upper case
 * @param path the decoded path after {@code /_tarn}, starting with {@code /} (e.g. {@code /admin/v1/users})
 * @param query decoded query parameters in order of appearance
 * @param headers request headers, names in lower case (first value of each)
 * @param body the request body (at most 1 MiB), empty when there is none
 * @param principal the caller authenticated by SigV4, or empty when the request was not signed
 *     (the handler may accept other credentials such as bearer tokens, or refuse); the console's
 *     gate sets it for a live session cookie, as the principal of the session's access key
 * @param requestId the request id echoed in {@code x-amz-request-id}
 * @param sourceIp the client's address as text
 * @param tls whether the request came over TLS: the console's cookie is {@code Secure} then, and a
 *     browser's {@code Origin} is compared with {@code https://<Host>}
 */
public record ApiRequest(
    String method,
    String path,
    Map<String, List<String>> query,
    Map<String, String> headers,
    byte[] body,
    Optional<Principal> principal,
    String requestId,
    String sourceIp,
    boolean tls) {

  /** A request that came over plain HTTP. */
  public ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
      byte[] body, Optional<Principal> principal, String requestId, String sourceIp) {
    this(method, path, query, headers, body, principal, requestId, sourceIp, false);
  }

  /** This request, authenticated as {@code p} (a console session stands for its access key). */
  public ApiRequest withPrincipal(Principal p) {
    return new ApiRequest(method, path, query, headers, body, Optional.of(p), requestId, sourceIp, tls);
  }

  /** The first value of query parameter {@code name}, if present. */
  public Optional<String> param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Header {@code name} (any case), if present. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
  }
}
