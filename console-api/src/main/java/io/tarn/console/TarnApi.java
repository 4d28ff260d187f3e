package io.tarn.console;


import io.tarn.console.admin.AdminApi;
import io.tarn.console.assets.ConsoleAssets;
import io.tarn.console.session.ConsoleGate;
import io.tarn.console.session.ConsoleSessions;
import io.tarn.console.session.Session;
import io.tarn.console.session.SessionStore;
import io.tarn.console.webhooks.WebhooksApi;
import io.tarn.core.api.ApiHandler;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.StorageException;
import java.util.List;
import java.util.Map;

/**
 * Everything the S3 front end serves under {@code /_tarn/}: the console's files, then, past the
 * console's {@link ConsoleGate} (cross-site refusal, the session cookie as a credential, CSRF), the
 * session endpoints and the mounted APIs, routed by path prefix. Turns every failure into the JSON
 * error body, so no exception and no stack trace ever leaves; an internal failure rides along as the
 * response's cause, for the front end's log. Every response carries the console's security headers.
 * Thread-safe if the mounted APIs are.
 */
public final class TarnApi implements ApiHandler {
  private static final String CONSOLE = "/console";

  /** Prefix table, first match wins; a prefix matches itself and paths continuing with {@code /}. */
  private final List<Mount> mounts;
  /** Null when the console is not wired (tests of the mounted APIs alone). */
  private final ConsoleSessions sessions;
  private final ConsoleAssets assets;

  /** The admin API alone (webhooks and console not wired). */
  public TarnApi(AdminApi admin) {
    this(List.of(new Mount("/admin/v1", admin)), null, null);
  }

  /** The admin and webhooks APIs, without the console. */
  public TarnApi(AdminApi admin, WebhooksApi webhooks) {
    this(List.of(new Mount("/admin/v1", admin), new Mount("/api/v1", webhooks)), null, null);
  }

  /** Everything: the APIs, the console's sessions and its files. */
  public TarnApi(AdminApi admin, WebhooksApi webhooks, ConsoleSessions sessions, ConsoleAssets assets) {
    this(List.of(new Mount("/admin/v1", admin), new Mount("/api/v1", webhooks)), sessions, assets);
  }

  private TarnApi(List<Mount> mounts, ConsoleSessions sessions, ConsoleAssets assets) {
    this.mounts = mounts;
    this.sessions = sessions;
    this.assets = assets;
  }

  /**
   * This API with {@code api} mounted under {@code prefix} as well (after the others): how the server
   * adds the metrics endpoint ({@code /metrics}) without a constructor per combination.
   */
  public TarnApi with(String prefix, MountedApi api) {
    List<Mount> more = new java.util.ArrayList<>(mounts);
    more.add(new Mount(prefix, api));
    return new TarnApi(List.copyOf(more), sessions, assets);
  }

  private record Mount(String prefix, MountedApi api) {
    boolean matches(String path) {
      return path.equals(prefix) || path.startsWith(prefix + "/");
    }
  }

  @Override
  public ApiResponse handle(ApiRequest request) {
    return route(request).withHeaders(ApiResponse.SECURITY_HEADERS);
  }

  private ApiResponse route(ApiRequest request) {
    try {
      String path = request.path() == null ? "" : request.path();
      if (assets != null && (path.equals(CONSOLE) || path.startsWith(CONSOLE + "/"))) {
        return assets.handle(request, path.substring(CONSOLE.length()));
      }
      ApiRequest admitted = request;
      java.util.Optional<SessionStore.Live> session = java.util.Optional.empty();
      if (sessions != null) {
        ConsoleGate.Admitted a = sessions.admit(request, path);
        if (sessions.serves(path)) {
          return sessions.handle(a, path);
        }
        admitted = a.request();
        session = a.session();
      }
      for (Mount m : mounts) {
        if (m.matches(path)) {
          ApiResponse r = m.api().handle(admitted, path.substring(m.prefix().length()));
          if (r.stream() != null && session.isPresent()) {
            // A stream outlives its request: it ends when the session that opened it does (sign-out, timeout).
            Session s = session.get().session();
            SessionStore store = sessions.store();
            r = new ApiResponse(r.status(), r.contentType(), r.body(), r.headers(), r.cause(),
                r.stream().alsoRequiring(() -> store.isLive(s)), r.cookies());
          }
          return r;
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
