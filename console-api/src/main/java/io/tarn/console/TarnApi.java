package io.tarn.console;

import io.tarn.console.admin.AdminApi;
import io.tarn.console.webhooks.WebhooksApi;
import io.tarn.core.api.ApiHandler;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.StorageException;
import java.util.List;
import java.util.Map;

/**
 * Everything the S3 front end serves under {@code /_tarn/}: routes each request by path prefix to a
 * {@link MountedApi} and turns every failure into the JSON error body, so no exception and no stack
 * trace ever leaves; an internal failure rides along as the response's cause, for the front end's log. Thread-safe if the mounted APIs are.
 */
public final class TarnApi implements ApiHandler {
  /** Prefix table, first match wins; a prefix matches itself and paths continuing with {@code /}. */
  private final List<Mount> mounts;

  /** The admin API alone (webhooks not wired). */
  public TarnApi(AdminApi admin) {
    this.mounts = List.of(new Mount("/admin/v1", admin));
  }

  public TarnApi(AdminApi admin, WebhooksApi webhooks) {
    this.mounts = List.of(new Mount("/admin/v1", admin), new Mount("/api/v1", webhooks));
  }

  private record Mount(String prefix, MountedApi api) {
    boolean matches(String path) {
      return path.equals(prefix) || path.startsWith(prefix + "/");
    }
  }

  @Override
  public ApiResponse handle(ApiRequest request) {
    try {
      String path = request.path() == null ? "" : request.path();
      for (Mount m : mounts) {
        if (m.matches(path)) {
          return m.api().handle(request, path.substring(m.prefix().length()));
        }
      }
      throw ApiException.notFound("no API at \"" + path + "\"");
    } catch (ApiException e) {
      return ApiErrors.render(e, request.requestId());
    } catch (StorageException e) {
      ApiException translated = ApiErrors.translate(e);
      ApiResponse r = ApiErrors.render(translated, request.requestId());
      // The front end logs every 5xx once with its request id and this cause (ServerErrorLog).
      return translated.error() == ApiError.INTERNAL_ERROR ? r.withCause(e) : r;
    } catch (RuntimeException e) {
      return ApiErrors.render(ApiError.INTERNAL_ERROR, ApiErrors.INTERNAL_MESSAGE, request.requestId(), Map.of())
          .withCause(e);
    }
  }
}
