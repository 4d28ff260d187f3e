package io.tarn.console.session;

import io.tarn.console.ApiError;
import io.tarn.console.ApiException;
import io.tarn.console.PublicUrl;
import io.tarn.core.api.ApiRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one place a console session becomes a credential. Runs before every API under {@code /_tarn/}:
 * refuses requests another site made (by {@code Origin} or {@code Sec-Fetch-Site}); turns a live
 * session cookie into the same principal a SigV4 request signed with the session's key gets, so
 * the admin and webhooks APIs authorize it with their own code; and requires the session's CSRF
 * token on every cookie-authenticated request other than GET and HEAD. SameSite=Strict alone does
 * not suffice: it does not cover same-site subdomains or browsers that ignore it.
 */
public final class ConsoleGate {
  static final String CSRF_HEADER = "x-tarn-csrf";
  static final String NOT_SIGNED_IN = "You are not signed in, or your session has ended. Sign in again.";

  private final SessionStore sessions;

  public ConsoleGate(SessionStore sessions) {
    this.sessions = sessions;
  }

  /**
   * A request after the gate.
   *
   * @param request the request, with the session's principal when a cookie authenticated it
   * @param session the live session the cookie named, if any
   */
  public record Admitted(ApiRequest request, Optional<SessionStore.Live> session) {}

  /**
   * @param useCookie false for sign-in, which must neither need nor be refused for an old cookie
   * @throws ApiException CrossSiteRequest, NotSignedIn (a cookie naming no live session; the answer
   *     clears it), CsrfTokenInvalid
   */
  public Admitted admit(ApiRequest request, boolean useCookie) {
    refuseCrossSite(request, sessions.options().publicUrl());
    // A signed (or bearer) request is the caller's own credential: a cookie riding along is ignored.
    if (!useCookie || request.principal().isPresent() || request.header("authorization").isPresent()) {
      return new Admitted(request, Optional.empty());
    }
    List<String> values = Cookies.values(request.header("cookie").orElse(null));
    if (values.isEmpty()) {
      return new Admitted(request, Optional.empty());
    }
    SessionStore.Live live = null;
    for (String v : values) {
      Optional<SessionStore.Live> l = sessions.resolve(v);
      if (l.isPresent()) {
        if (live != null && !live.session().idHash().equals(l.get().session().idHash())) {
          // Two live sessions under one name: a cookie planted for a wider path or domain may be the
          // other; acting as either could be acting as the planter.
          throw notSignedIn(sessions.options().secureCookies(request.tls()));
        }
        live = l.get();
      }
    }
    if (live == null) {
      throw notSignedIn(sessions.options().secureCookies(request.tls()));
    }
    String method = request.method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      String sent = request.header(CSRF_HEADER).orElse("");
      if (!MessageDigest.isEqual(live.session().csrfToken().getBytes(StandardCharsets.UTF_8),
          sent.getBytes(StandardCharsets.UTF_8))) {
        throw new ApiException(ApiError.CSRF_TOKEN_INVALID,
            "This change was refused: the page's security token is missing or out of date. Reload the page.");
      }
    }
    return new Admitted(request.withPrincipal(live.principal()), Optional.of(live));
  }

  /**
   * NotSignedIn, clearing the cookie the browser holds.
   *
   * @param secure whether the cookie is {@code Secure} ({@link SessionOptions#secureCookies})
   */
  static ApiException notSignedIn(boolean secure) {
    return new ApiException(ApiError.NOT_SIGNED_IN, NOT_SIGNED_IN, Map.of("Set-Cookie", Cookies.clear(secure)));
  }

  /**
   * Refuses a request a browser made on behalf of another site: {@code Sec-Fetch-Site: cross-site}, or
   * an {@code Origin} (RFC 6454) other than this request's own, {@code http(s)://<Host>} with the
   * listener's scheme, and other than {@code publicUrl}'s origin when there is one (behind a
   * TLS-terminating proxy the page's origin is https while the listener speaks http; X-Forwarded-*
   * is not believed, anyone can send it). Requests without either (CLIs, SDKs, same-origin GETs) pass.
   */
  public static void refuseCrossSite(ApiRequest request, Optional<PublicUrl> publicUrl) {
    boolean crossSite = request.header("sec-fetch-site").map(v -> v.strip().equalsIgnoreCase("cross-site")).orElse(false);
    Optional<String> origin = request.header("origin");
    if (!crossSite && origin.isPresent()) {
      String given = origin(origin.get());
      Optional<String> host = request.header("host");
      boolean own = host.isPresent() && given.equals(origin((request.tls() ? "https" : "http") + "://" + host.get().strip()));
      crossSite = !own && !publicUrl.map(u -> u.origin().equals(given)).orElse(false);
    }
    if (crossSite) {
      throw new ApiException(ApiError.CROSS_SITE_REQUEST,
          "This request came from another site and was refused. Open the console from this server's own address"
              + publicUrl.map(u -> ", " + u.resolve("/_tarn/console/")).orElse("") + ".");
    }
  }

  /** An origin in a comparable form: lower case, without its scheme's default port. */
  private static String origin(String text) {
    String o = text.strip().toLowerCase(Locale.ROOT);
    String defaultPort = o.startsWith("https://") ? ":443" : o.startsWith("http://") ? ":80" : null;
    return defaultPort != null && o.endsWith(defaultPort) ? o.substring(0, o.length() - defaultPort.length()) : o;
  }
}
