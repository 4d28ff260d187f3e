package io.tarn.s3.route;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The decoded query parameters of a request, in order of first appearance. A name without
 * {@code '='} (a subresource such as {@code ?acl}) has the value {@code ""}. When a name repeats, the
 * first value wins. Names and values are percent-decoded per RFC 3986: {@code '+'} stays {@code '+'}
 * (see {@link PercentDecoder}); a bad escape or ill-formed UTF-8 is {@code InvalidURI}.
 */
final class Query {
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
  private final Map<String, String> params;

  private Query(Map<String, String> params) {
    this.params = Collections.unmodifiableMap(params);
  }

  static Query parse(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    int start = 0;
    while (start <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = rawQuery.length();
      }
      if (end > start) {
        int eq = rawQuery.indexOf('=', start);
        int nameEnd = eq < 0 || eq > end ? end : eq;
        String name = PercentDecoder.decode(rawQuery, start, nameEnd, S3Error.INVALID_URI, "query parameter name");
        String value = nameEnd == end
            ? ""
            : PercentDecoder.decode(rawQuery, nameEnd + 1, end, S3Error.INVALID_URI, "query parameter " + name);
        params.putIfAbsent(name, value);
      }
      start = end + 1;
    }
    return new Query(params);
  }

  boolean has(String name) {
    return params.containsKey(name);
  }

  /** The value, or {@code null} when absent. */
  String get(String name) {
    return params.get(name);
  }

  /** The value, or {@code null} when absent or empty. */
  String nonEmpty(String name) {
    String v = params.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  Set<String> names() {
    return params.keySet();
  }

  /**
   * An integer parameter that must lie in {@code [min, max]}: {@code dflt} when absent, capped at
   * {@code cap} (S3 silently caps list sizes at 1000).
   */
  int intParam(String name, int dflt, int min, int max, int cap) {
    String v = params.get(name);
    if (v == null) {
      return dflt;
    }
    return Math.min(cap, parseInt(name, v, min, max));
  }

  static int parseInt(String name, String value, int min, int max) {
    if (!INTEGER.matcher(value).matches()) {
      throw invalidArgument(name, value, "Provided " + name + " not an integer or within integer range");
    }
    // Too many digits for a long is out of range too; it must get the range message, not overflow.
    long n = value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
    if (n < min || n > max) {
      throw invalidArgument(name, value,
          "Argument " + name + " must be an integer between " + min + " and " + max);
    }
    return (int) n;
  }

  static S3Exception invalidArgument(String name, String value, String message) {
    return new S3Exception(S3Error.INVALID_ARGUMENT, message,
        Map.of("ArgumentName", name, "ArgumentValue", value));
  }
}
