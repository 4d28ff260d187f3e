package io.tarn.console.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The session cookie (console-contract.md): {@code tarn_session}, scoped to {@code /_tarn/}, never
 * readable by script ({@code HttpOnly}), never sent on a cross-site request ({@code SameSite=Strict}),
 * only over TLS when browsers reach the server over TLS ({@code Secure}: the listener speaks TLS, or
 * the public URL is https, {@link SessionOptions#secureCookies}), and living no longer than the session.
 */
final class Cookies {
  static final String NAME = "tarn_session";

  private Cookies() {}

  /** The {@code Set-Cookie} value for a new session. */
  static String issue(String value, Duration maxAge, boolean secure) {
    return NAME + "=" + value + "; Path=/_tarn/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
        + "; Max-Age=" + maxAge.toSeconds();
  }

  /** The {@code Set-Cookie} value that makes the browser drop the cookie. */
  static String clear(boolean secure) {
    return issue("", Duration.ZERO, secure);
  }

  /**
   * The values of every {@code tarn_session} in a {@code Cookie} header (RFC 6265 section 5.4: pairs
   * separated by {@code ;}); more than one when another path's or domain's cookie has the same name.
   */
  static List<String> values(String cookieHeader) {
    return values(cookieHeader, NAME);
  }

  /** The values of every cookie called {@code name} in a {@code Cookie} header, as {@link #values(String)}. */
  static List<String> values(String cookieHeader, String name) {
    List<String> out = new ArrayList<>(1);
    if (cookieHeader == null) {
      return out;
    }
    for (String pair : cookieHeader.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
        out.add(pair.substring(eq + 1).strip());
      }
    }
    return out;
  }
}
