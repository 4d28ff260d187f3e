package io.tarn.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Matching a request against a closed set of endpoints given as path templates
 * ({@code /buckets/{bucket}/grants/{user}}): the one router of every API the console mounts.
 */
public final class PathTemplates {
  /** An endpoint: a method and a template's segments ({@code {name}} segments capture a parameter). */
  public interface Endpoint {
    String method();

    List<String> segments();
  }

  /**
   * A matched endpoint and its path parameters.
   *
   * @param endpoint the endpoint
   * @param params parameters by template name
   */
  public record Match<E extends Endpoint>(E endpoint, Map<String, String> params) {}

  private PathTemplates() {}

  /** The segments of a template such as {@code /users/{user}}. */
  public static List<String> segments(String template) {
    return List.of(template.substring(1).split("/"));
  }

  /**
   * The endpoint of {@code endpoints} that {@code method} and {@code path} name.
   *
   * @param api the API's name for the not-found message (e.g. {@code "admin API"})
   * @throws ApiException NotFound for an unknown path, MethodNotAllowed (with {@code Allow}) for a
   *     known path with another method
   */
  public static <E extends Endpoint> Match<E> match(E[] endpoints, String api, String method, String path) {
    List<String> segments = path.startsWith("/") ? List.of(path.substring(1).split("/", -1)) : List.of();
    Set<String> allowed = new TreeSet<>();
    for (E e : endpoints) {
      Map<String, String> params = match(e.segments(), segments);
      if (params == null) {
        continue;
      }
      if (e.method().equals(method)) {
        return new Match<>(e, params);
      }
      allowed.add(e.method());
    }
    if (allowed.isEmpty()) {
      throw ApiException.notFound("no " + api + " endpoint at \"" + path + "\"");
    }
    throw new ApiException(ApiError.METHOD_NOT_ALLOWED, method + " is not allowed on " + path + "; allowed: "
        + String.join(", ", allowed), Map.of("Allow", String.join(", ", allowed)));
  }

  /** The parameters if {@code actual} fits {@code template}, else null. Empty segments never match. */
  private static Map<String, String> match(List<String> template, List<String> actual) {
    if (template.size() != actual.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      String a = actual.get(i);
      if (a.isEmpty()) {
        return null;
      }
      if (t.startsWith("{")) {
        params.put(t.substring(1, t.length() - 1), a);
      } else if (!t.equals(a)) {
        return null;
      }
    }
    return params;
  }
}
