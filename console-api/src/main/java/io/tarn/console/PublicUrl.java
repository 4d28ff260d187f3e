package io.tarn.console;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The URL people and browsers reach this server at when it is not the listener's own
 * ({@code tarn server --public-url}): a TLS-terminating reverse proxy in front, say
 * {@code https://s3.example.com} for a listener on {@code http://127.0.0.1:9000}. Only an origin
 * (RFC 6454): scheme ({@code http} or {@code https}), host and port; Tarn is always served at the
 * root, so a path, query, fragment or user info is refused. Kept normalised: scheme and host in lower
 * case, the scheme's default port left out, so {@link #origin()} compares with a browser's
 * {@code Origin} header as it is normalised.
 *
 * @param scheme {@code http} or {@code https}
 * @param host a host name, an IPv4 address or a bracketed IPv6 address, lower case
 * @param port the port, or -1 for the scheme's default
 */
public record PublicUrl(String scheme, String host, int port) {
  public PublicUrl {
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("a public URL is http or https, not " + scheme);
    }
    if (port == defaultPort(scheme)) {
      port = -1;
    }
    host = host.toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code http(s)://HOST[:PORT]}, with at most a lone {@code /} after it.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}, which it quotes
   */
  public static PublicUrl parse(String text) {
    String t = text.strip();
    URI u;
    try {
      u = new URI(t);
    } catch (URISyntaxException e) {
      throw bad(t, "is not a URL (" + e.getReason() + ")");
    }
    String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || u.isOpaque() || u.getRawAuthority() == null) {
      throw bad(t, "is not an absolute URL like https://s3.example.com");
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw bad(t, "must start with http:// or https://");
    }
    if (u.getRawUserInfo() != null) {
      throw bad(t, "must not carry user info (user@)");
    }
    if (u.getHost() == null) {
      throw bad(t, "has no host name Tarn can use (letters, digits, '-' and '.', an IPv4 address or [IPv6])");
    }
    if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
      throw bad(t, "has a path (" + u.getRawPath() + "): Tarn is served at the root of its URL");
    }
    if (u.getRawQuery() != null) {
      throw bad(t, "must not have a query (?" + u.getRawQuery() + ")");
    }
    if (u.getRawFragment() != null) {
      throw bad(t, "must not have a fragment (#" + u.getRawFragment() + ")");
    }
    if (u.getPort() < 0 && u.getRawAuthority().endsWith(":")) {
      throw bad(t, "has an empty port");
    }
    if (u.getPort() == 0 || u.getPort() > 65535) {
      throw bad(t, "has a port out of range 1-65535");
    }
    return new PublicUrl(scheme, u.getHost(), u.getPort());
  }

  private static IllegalArgumentException bad(String text, String problem) {
    return new IllegalArgumentException("'" + text + "' " + problem);
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  public boolean https() {
    return scheme.equals("https");
  }

  /** {@code scheme://host[:port]}, the port only when it is not the scheme's default: as browsers send {@code Origin}. */
  public String origin() {
    return scheme + "://" + host + (port < 0 ? "" : ":" + port);
  }

  /** The absolute URL of {@code path} (which starts with {@code /}) on this server. */
  public String resolve(String path) {
    return origin() + path;
  }

  @Override
  public String toString() {
    return origin();
  }
}
