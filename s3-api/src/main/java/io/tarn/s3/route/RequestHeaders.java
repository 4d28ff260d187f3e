package io.tarn.s3.route;

import java.util.Map;
import java.util.TreeMap;

/**
 * Read access to a request's headers for the {@link Router}: the first value of a header, looked up
 * case-insensitively, or {@code null}. Netty's {@code HttpHeaders::get} fits this shape.
 */
@FunctionalInterface
public interface RequestHeaders {
  String get(String name);

  /** No headers at all. */
  RequestHeaders NONE = name -> null;

  /** Headers from a map whose keys are compared case-insensitively (for tests and tools). */
  static RequestHeaders of(Map<String, String> headers) {
    Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    return copy::get;
  }
}
