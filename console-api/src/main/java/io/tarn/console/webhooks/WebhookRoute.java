package io.tarn.console.webhooks;

import io.tarn.console.ApiError;
import io.tarn.console.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request parsed into its endpoint and path parameters (STYLE.md 3: parse, then handle).
 *
 * @param endpoint the endpoint
 * @param params path parameters by template name ({@code bucket}, {@code rule}, {@code delivery},
 *     {@code token})
 */
public record WebhookRoute(WebhookEndpoint endpoint, Map<String, String> params) {
  public WebhookRoute {
    params = Map.copyOf(params);
  }

  public String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalStateException(endpoint + " has no parameter " + name);
    }
    return v;
  }

  /**
   * Parses a request.
   *
   * @param path the decoded path after {@code /api/v1}
   * @throws ApiException NotFound for an unknown path, MethodNotAllowed (with {@code Allow}) for a
   *     known path with another method
   */
  public static WebhookRoute parse(String method, String path) {
    List<String> segments = path.startsWith("/") ? List.of(path.substring(1).split("/", -1)) : List.of();
    Set<String> allowed = new TreeSet<>();
    for (WebhookEndpoint e : WebhookEndpoint.values()) {
      Map<String, String> params = match(e.segments(), segments);
      if (params == null) {
        continue;
      }
      if (e.method().equals(method)) {
        return new WebhookRoute(e, params);
      }
      allowed.add(e.method());
    }
    if (allowed.isEmpty()) {
      throw ApiException.notFound("no webhooks API endpoint at \"" + path + "\"");
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
