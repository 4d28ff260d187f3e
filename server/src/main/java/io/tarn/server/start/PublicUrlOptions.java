package io.tarn.server.start;

import io.tarn.console.PublicUrl;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code tarn server --public-url}: where people and browsers reach the server when it is not the
 * listener's own address, a TLS-terminating reverse proxy in front (docs/ops/reverse-proxy.md). The
 * console accepts its origin and sets {@code Secure} on its cookies when it is https; the ready line
 * names the console there.
 */
public final class PublicUrlOptions {
  @Option(names = "--public-url", paramLabel = "URL", defaultValue = "${env:TARN_PUBLIC_URL}",
      description = "The URL clients reach this server at when it is not the listener's, e.g. https://s3.example.com"
          + " behind a reverse proxy that terminates TLS: scheme, host and optional port, no path. The console accepts"
          + " requests from this origin and its cookies are Secure when it is https (env TARN_PUBLIC_URL; default: none).")
  String publicUrl;

  /**
   * The public URL, if one is set (an empty {@code TARN_PUBLIC_URL} is none).
   *
   * @throws StartupFailure {@link Exit#USAGE}, naming the flag, its variable and what is wrong
   */
  public Optional<PublicUrl> publicUrl() throws StartupFailure {
    if (publicUrl == null || publicUrl.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(PublicUrl.parse(publicUrl));
    } catch (IllegalArgumentException e) {
      throw new StartupFailure(Exit.USAGE, "--public-url " + e.getMessage()
          + "; give http(s)://HOST[:PORT] (check TARN_PUBLIC_URL)");
    }
  }

  /** {@code path} on the public URL when one is set, else on {@code listenerUrl}. */
  public static String resolve(Optional<PublicUrl> url, String listenerUrl, String path) {
    return url.map(u -> u.resolve(path)).orElse(listenerUrl + path);
  }
}
