package io.tarn.console.webhooks;

import io.tarn.console.ApiException;
import io.tarn.console.PathTemplates;
import java.util.Map;

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
    PathTemplates.Match<WebhookEndpoint> m = PathTemplates.match(WebhookEndpoint.values(), "webhooks API", method, path);
    return new WebhookRoute(m.endpoint(), m.params());
  }
}
