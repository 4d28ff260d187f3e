package io.tarn.server.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where the driver connects: {@code http(s)://host[:port][/path]}. {@code authority} is the Host
 * header (and what SigV4 signs), {@code path} the raw path of the URL, "" if none.
 */
record Endpoint(boolean tls, String host, int port, String authority, String path) {

  /** @throws IllegalArgumentException with a message fit for the user */
  static Endpoint parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: '" + url + "': " + e.getReason(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "endpoint must be an http:// or https:// URL, got '" + url + "'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("endpoint has no host: '" + url + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "endpoint must not carry a query, fragment or user info: '" + url + "'");
    }
    boolean tls = scheme.equals("https");
    int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
    String host = uri.getHost();
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    String authority = uri.getPort() == -1 ? host : host + ":" + port;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return new Endpoint(tls, bare, port, authority, path);
  }

  @Override
  public String toString() {
    return (tls ? "https://" : "http://") + authority + path;
  }
}
