package io.tarn.s3.ops;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.tarn.core.Principal;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.api.ApiHandler;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.s3.auth.AuthResult;
import io.tarn.s3.auth.Authenticator;
import io.tarn.s3.auth.SigV4.QueryParam;
import io.tarn.s3.auth.SigV4;
import io.tarn.s3.http.BodyConsumer;
import io.tarn.s3.http.NettySignedRequest;
import io.tarn.s3.http.RequestHead;
import io.tarn.s3.http.S3Response;
import io.tarn.s3.route.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Tarn's own JSON APIs under {@code /_tarn/} on the S3 port. A signed (SigV4 or SigV2) request is verified
 * exactly as an S3 request (body hash included); an unsigned one reaches the handler without a
 * principal, so the handler can accept other credentials (bearer tokens) or refuse. The body is
 * small and capped like S3 XML bodies.
 */
public final class ConsoleOps {
  static final String PREFIX = Router.CONSOLE_PREFIX;

  private final Authenticator verifier;
  private final ApiHandler handler;

  public ConsoleOps(Authenticator verifier, ApiHandler handler) {
    this.verifier = verifier;
    this.handler = handler;
  }

  /**
   * Runs on a worker before the body is read: authenticates when the request is signed, and tells
   * {@code authenticated} the caller it authenticated (for the access log and metrics).
   */
  public BodyConsumer start(RequestHead head, Consumer<Principal> authenticated) {
    AuthResult auth = signed(head) ? verifier.authenticate(new NettySignedRequest(head)) : null;
    if (auth != null) {
      authenticated.accept(auth.principal());
    }
    Call call = new Call(head, auth);
    return SmallBody.of(call, body -> respond(handler.handle(request(head, auth, body))));
  }

  private static boolean signed(RequestHead head) {
    String authorization = head.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null) {
      return authorization.startsWith("AWS");
    }
    String query = head.rawQuery();
    return query != null && (query.contains("X-Amz-Signature=") || query.contains("AWSAccessKeyId="));
  }

  private static ApiRequest request(RequestHead head, AuthResult auth, byte[] body) {
    String rawPath = head.rawPath();
    String path = SigV4.percentDecodeUtf8(rawPath.substring(PREFIX.length()));
    if (path.isEmpty()) {
      path = "/";
    }
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (QueryParam q : SigV4.decodeQuery(head.rawQuery())) {
      query.computeIfAbsent(q.name(), n -> new ArrayList<>()).add(q.value());
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : head.headers()) {
      headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
    }
    Optional<Principal> principal = auth == null ? Optional.empty() : Optional.of(auth.principal());
    return new ApiRequest(head.method().name(), path, query, headers, body, principal, head.requestId(), head.sourceIp(),
        head.tls());
  }

  private static S3Response respond(ApiResponse r) {
    if (r == null) {
      throw new S3Exception(S3Error.INTERNAL_ERROR, "The API handler gave no response.");
    }
    S3Response out = S3Response.status(r.status()).cause(r.cause());
    if (r.stream() != null) {
      out.body(new S3Response.Events(r.stream()));
      out.header("Content-Type", r.contentType());
    } else if (r.body().length > 0) {
      out.body(new S3Response.Bytes(r.body()));
      out.header("Content-Type", r.contentType());
    }
    r.headers().forEach(out::header);
    r.cookies().forEach(c -> out.headers().add("Set-Cookie", c));
    return out;
  }
}
