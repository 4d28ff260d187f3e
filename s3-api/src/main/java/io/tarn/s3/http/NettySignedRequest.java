package io.tarn.s3.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.tarn.s3.auth.SignedRequest;
import java.util.List;
import java.util.Set;

/** {@link SignedRequest} over a Netty request head, without copying headers. */
public record NettySignedRequest(RequestHead head) implements SignedRequest {
  @Override
  public String method() {
    return head.method().name();
  }

  @Override
  public String rawPath() {
    return head.rawPath();
  }

  @Override
  public String rawQuery() {
    return head.rawQuery();
  }

  @Override
  public List<String> all(String name) {
    return headers().getAll(name);
  }

  @Override
  public String first(String name) {
    return headers().get(name);
  }

  @Override
  public Set<String> headerNames() {
    return headers().names();
  }

  private HttpHeaders headers() {
    return head.headers();
  }
}
