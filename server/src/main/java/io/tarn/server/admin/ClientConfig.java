package io.tarn.server.admin;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and as whom a client command talks to a Tarn server, after flags, environment and profile
 * have been merged.
 *
 * @param endpoint {@code http(s)://host[:port]}, without a path
 * @param accessKey the access key id
 * @param secretKey the secret (never printed, see {@link #toString()})
 * @param region the region requests are signed for
 * @param caBundle PEM certificates to trust for https instead of the JDK's, or null
 * @param profile the profile the values were looked up in
 */
public record ClientConfig(URI endpoint, String accessKey, String secretKey, String region, Path caBundle,
    String profile) {
  public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:9000";
  public static final String DEFAULT_REGION = "us-east-1";
  public static final String DEFAULT_PROFILE = "default";

  public ClientConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(profile, "profile");
  }

  /**
   * Parses an endpoint URL: http or https, a host, an optional port, nothing else (the API paths
   * are fixed, so a path here could only be a mistake).
   *
   * @throws CliException {@link Exit#USAGE} naming what is wrong
   */
  public static URI parseEndpoint(String text) {
    String s = text.strip();
    if (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw badEndpoint(text, e.getReason());
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw badEndpoint(text, "it must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw badEndpoint(text, "it has no host");
    }
    if (uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw badEndpoint(text, "it must be just scheme://host[:port]");
    }
    return uri;
  }

  private static CliException badEndpoint(String text, String why) {
    return new CliException(Exit.USAGE, "invalid endpoint '" + text + "': " + why
        + " (e.g. --endpoint http://127.0.0.1:9000)");
  }

  @Override
  public String toString() {
    return "ClientConfig[" + endpoint + ", key " + accessKey + ", region " + region + ", profile " + profile + "]";
  }
}
