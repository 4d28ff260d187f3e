package io.tarn.s3.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain view of a request as SigV4 sees it: the method, the raw path and raw query exactly as on
 * the request line, and the headers as a case-insensitive multimap. The Netty handler may implement
 * it over its own header object without copying; {@link #of} and {@link #builder} make one from
 * plain values.
 */
public interface SignedRequest {
  String method();

  /** The path as on the request line (still percent-encoded), without the query. */
  String rawPath();

  /** The query as on the request line, without the {@code '?'}; null when there is none. */
  String rawQuery();

  /** Every value of a header (case-insensitive name), in order; empty when absent. */
  List<String> all(String name);

  /** The first value of a header, or null. */
  default String first(String name) {
    List<String> values = all(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** The names of the headers present, each once (in any case). */
  Set<String> headerNames();

  /** A request from plain values; header names are matched case-insensitively. */
  static SignedRequest of(String method, String rawPath, String rawQuery,
      Map<String, List<String>> headers) {
    Builder b = builder(method, rawPath, rawQuery);
    headers.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
    return b.build();
  }

  /** A request from a request-line target ({@code /path?query}), split at the first {@code '?'}. */
  static SignedRequest ofTarget(String method, String requestTarget,
      Map<String, List<String>> headers) {
    int q = requestTarget.indexOf('?');
    return q < 0
        ? of(method, requestTarget, null, headers)
        : of(method, requestTarget.substring(0, q), requestTarget.substring(q + 1), headers);
  }

  static Builder builder(String method, String rawPath, String rawQuery) {
    return new Builder(method, rawPath, rawQuery);
  }

  /** Collects headers; a repeated name adds a value. */
  final class Builder {
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private Builder(String method, String rawPath, String rawQuery) {
      this.method = Objects.requireNonNull(method, "method");
      this.rawPath = Objects.requireNonNull(rawPath, "rawPath");
      this.rawQuery = rawQuery;
    }

    public Builder header(String name, String value) {
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(Objects.requireNonNull(value, name));
      return this;
    }

    public SignedRequest build() {
      TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.forEach((n, v) -> copy.put(n, List.copyOf(v)));
      return new MapSignedRequest(method, rawPath, rawQuery, Collections.unmodifiableSortedMap(copy));
    }
  }
}
