package io.tarn.console.session;

import io.tarn.console.ApiError;
import io.tarn.console.ApiException;
import io.tarn.console.Json;
import io.tarn.console.admin.Times;
import io.tarn.core.Principal;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.ResolvedKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The console's session endpoints under {@code /_tarn/api/v1} (console-contract.md): sign in
 * ({@code POST /session}), who am I ({@code GET /session}), sign out ({@code DELETE /session}) and
 * sign out everywhere ({@code DELETE /sessions}).
 */
final class SessionApi {
  static final String INVALID_CREDENTIALS = "The access key or secret key is not right.";
  /** Compared when the key does not exist, so that an unknown key costs what a wrong secret does. */
  private static final byte[] NO_SECRET = ChecksumAlgorithm.SHA256.digest(new byte[0]);

  private final IdentityStore identity;
  private final SessionStore sessions;
  private final SignInThrottle throttle;
  private final DeviceCookies devices;
  private final Clock clock;

  SessionApi(IdentityStore identity, SessionStore sessions, SignInThrottle throttle, DeviceCookies devices, Clock clock) {
    this.identity = identity;
    this.sessions = sessions;
    this.throttle = throttle;
    this.devices = devices;
    this.clock = clock;
  }

  record SignIn(String accessKeyId, String secretKey) {
    @Override
    public String toString() {
      return "SignIn[" + accessKeyId + ", secret hidden]";
    }
  }

  record User(String id, String name, String role) {}

  record Body(User user, String accessKeyId, String csrfToken, String expires, long idleTimeoutSeconds) {}

  ApiResponse session(ConsoleGate.Admitted a) {
    return switch (a.request().method()) {
      case "POST" -> signIn(a.request());
      case "GET", "HEAD" -> whoami(a);
      case "DELETE" -> signOut(a);
      default -> throw notAllowed(a.request().method(), "/session", "DELETE, GET, POST");
    };
  }

  ApiResponse sessions(ConsoleGate.Admitted a) {
    if (!a.request().method().equals("DELETE")) {
      throw notAllowed(a.request().method(), "/sessions", "DELETE");
    }
    // A signed caller may end its user's console sessions too (e.g. from a script after a leak).
    Principal p = a.request().principal().orElseThrow(() -> ConsoleGate.notSignedIn(secure(a.request())));
    sessions.endAll(p.userId());
    ApiResponse r = ApiResponse.noContent();
    return a.session().isPresent() ? r.withHeaders(Map.of("Set-Cookie", Cookies.clear(secure(a.request())))) : r;
  }

  private ApiResponse signIn(ApiRequest request) {
    String type = request.header("content-type").orElse("");
    int semi = type.indexOf(';');
    if (!(semi < 0 ? type : type.substring(0, semi)).strip().toLowerCase(Locale.ROOT).equals("application/json")) {
      // A cross-site HTML form can only send form types or text/plain: requiring JSON stops login CSRF
      // even in a browser that sends neither Origin nor Sec-Fetch-Site.
      throw new ApiException(ApiError.UNSUPPORTED_MEDIA_TYPE, "sign-in takes a JSON body (Content-Type: application/json)");
    }
    SignIn in = Json.read(request.body(), SignIn.class);
    if (in.accessKeyId() == null || in.accessKeyId().isBlank() || in.secretKey() == null || in.secretKey().isEmpty()) {
      throw ApiException.invalid("\"accessKeyId\" and \"secretKey\" are required");
    }
    String address = request.sourceIp();
    // A browser that signed in with this very key before is not held by the key's lock-out (SignInThrottle).
    String device = devices.verify(request.header("cookie").orElse(null), in.accessKeyId(), clock.instant())
        .map(DeviceCookies.Device::nonce).orElse(null);
    Duration wait = throttle.wait(address, in.accessKeyId(), device);
    if (!wait.isZero()) {
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      throw new ApiException(ApiError.TOO_MANY_SIGN_IN_ATTEMPTS,
          "Too many failed sign-in attempts; try again in " + seconds + " seconds.",
          Map.of("Retry-After", Long.toString(seconds)));
    }
    Optional<ResolvedKey> key = identity.resolve(in.accessKeyId());
    // Digests of equal length, compared in constant time: neither the secret's content nor its length leaks.
    byte[] expected = key.map(k -> ChecksumAlgorithm.SHA256.digest(k.secretAccessKey().getBytes(StandardCharsets.UTF_8)))
        .orElse(NO_SECRET);
    boolean secretOk = MessageDigest.isEqual(expected, ChecksumAlgorithm.SHA256.digest(in.secretKey().getBytes(StandardCharsets.UTF_8)));
    if (key.isEmpty() || !secretOk || !key.get().usableAt(clock.instant())) {
      throttle.failed(address, in.accessKeyId(), device);
      throw new ApiException(ApiError.INVALID_CREDENTIALS, INVALID_CREDENTIALS);
    }
    throttle.succeeded(address, in.accessKeyId(), device);
    ResolvedKey k = key.get();
    SessionStore.Issued issued = sessions.create(k.user().id(), k.key().accessKeyId());
    return Json.response(200, body(issued.session(), k.principal())).withHeaders(Map.of("Set-Cookie",
        Cookies.issue(issued.cookieValue(), sessions.options().lifetime(), secure(request)), "Cache-Control", "no-store"))
        .withCookie(DeviceCookies.setCookie(devices.issue(k.key().accessKeyId(), clock.instant()), secure(request)));
  }

  private ApiResponse whoami(ConsoleGate.Admitted a) {
    SessionStore.Live live = a.session().orElseThrow(() -> ConsoleGate.notSignedIn(secure(a.request())));
    return Json.response(200, body(live.session(), live.principal())).withHeaders(Map.of("Cache-Control", "no-store"));
  }

  private ApiResponse signOut(ConsoleGate.Admitted a) {
    SessionStore.Live live = a.session().orElseThrow(() -> ConsoleGate.notSignedIn(secure(a.request())));
    sessions.end(live.session());
    return ApiResponse.noContent().withHeaders(Map.of("Set-Cookie", Cookies.clear(secure(a.request()))));
  }

  /** Whether this request's answer sets its cookies {@code Secure} (TLS here, or an https public URL). */
  private boolean secure(ApiRequest request) {
    return sessions.options().secureCookies(request.tls());
  }

  private Body body(Session s, Principal p) {
    return new Body(new User(p.userId(), p.displayName(), p.role().name().toLowerCase(Locale.ROOT)), s.accessKeyId(),
        s.csrfToken(), Times.format(s.expires()), sessions.options().idleTimeout().toSeconds());
  }

  static ApiException notAllowed(String method, String path, String allowed) {
    return new ApiException(ApiError.METHOD_NOT_ALLOWED, method + " is not allowed on " + path + "; allowed: " + allowed,
        Map.of("Allow", allowed));
  }
}
