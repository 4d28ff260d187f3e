package io.tarn.console.metrics;

import io.tarn.console.ApiError;
import io.tarn.console.ApiException;
import io.tarn.console.MountedApi;
import io.tarn.console.webhooks.Callers;
import io.tarn.core.Principal;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.IdentityStore;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /_tarn/metrics} (docs/ops/metrics.md): the server's metrics for a Prometheus scrape. An
 * admin's credential is required, as for the admin API: a SigV4 (or SigV2) signature the S3 front
 * end verified, an API token in {@code Authorization: Bearer}, or a console session; unless the server
 * runs with {@code --metrics-public}, for a scraper on a trusted network. The metrics themselves come
 * from a {@link Source} the server wires, so this module needs no metrics library.
 */
public final class MetricsApi implements MountedApi {
  /** Where it is mounted in {@code TarnApi}. */
  public static final String PREFIX = "/metrics";

  static final String NO_CREDENTIALS = "Metrics need an admin's credential: an API token (Authorization: Bearer),"
      + " a SigV4-signed request, or a console session; or start the server with --metrics-public.";

  /** Renders the metrics. */
  @FunctionalInterface
  public interface Source {
    /**
     * @param accept the request's {@code Accept} header, or null: picks the exposition format
     */
    Scrape scrape(String accept);
  }

  /** One rendered scrape: its media type and body. */
  public record Scrape(String contentType, byte[] body) {}

  private final Callers callers;
  private final Source source;
  private final boolean open;

  /**
   * @param open serve without credentials ({@code --metrics-public})
   */
  public MetricsApi(IdentityStore identity, Clock clock, Source source, boolean open) {
    this.callers = new Callers(Objects.requireNonNull(identity, "identity"), Objects.requireNonNull(clock, "clock"));
    this.source = Objects.requireNonNull(source, "source");
    this.open = open;
  }

  @Override
  public ApiResponse handle(ApiRequest request, String path) {
    if (!open) {
      if (request.principal().isEmpty() && request.header("authorization").isEmpty()) {
        throw ApiException.denied(NO_CREDENTIALS);
      }
      Principal caller = callers.authenticate(request);
      if (!caller.isAdmin()) {
        throw ApiException.denied("Metrics are for admins: user " + caller.displayName() + " is not one.");
      }
    }
    if (!path.isEmpty()) {
      throw ApiException.notFound("no metrics at \"" + PREFIX + path + "\"; scrape " + PREFIX);
    }
    if (!request.method().equals("GET")) {
      throw new ApiException(ApiError.METHOD_NOT_ALLOWED, "metrics are read with GET");
    }
    Scrape s = source.scrape(request.header("accept").orElse(null));
    // A scrape is a snapshot of now: no cache may answer the next one with it.
    return new ApiResponse(200, s.contentType(), s.body(), Map.of("Cache-Control", "no-store"));
  }
}
