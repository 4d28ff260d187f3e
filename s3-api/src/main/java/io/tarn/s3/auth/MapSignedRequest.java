package io.tarn.s3.auth;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The plain {@link SignedRequest} behind {@link SignedRequest#of} and its builder. */
record MapSignedRequest(String method, String rawPath, String rawQuery,
    Map<String, List<String>> headers) implements SignedRequest {
  @Override
  public List<String> all(String name) {
    List<String> v = headers.get(name);
    return v == null ? List.of() : v;
  }

  @Override
  public Set<String> headerNames() {
    return headers.keySet();
  }
}
