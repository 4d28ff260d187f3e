package io.tarn.console.admin;

import io.tarn.console.ApiException;
import io.tarn.console.PathTemplates;
import java.util.Map;

/**
 * A request parsed into its endpoint and path parameters (STYLE.md 3: parse, then handle).
 *
 * @param endpoint the endpoint
 * @param params path parameters by template name ({@code user}, {@code key}, {@code bucket})
 */
public record AdminRoute(AdminEndpoint endpoint, Map<String, String> params) {
  public AdminRoute {
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
   * @param path the decoded path after {@code /admin/v1}
   * @throws ApiException NotFound for an unknown path, MethodNotAllowed (with {@code Allow}) for a
   *     known path with another method
   */
  public static AdminRoute parse(String method, String path) {
    PathTemplates.Match<AdminEndpoint> m = PathTemplates.match(AdminEndpoint.values(), "admin API", method, path);
    return new AdminRoute(m.endpoint(), m.params());
  }
}
