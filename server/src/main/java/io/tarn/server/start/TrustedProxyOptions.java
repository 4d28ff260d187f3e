package io.tarn.server.start;

import io.tarn.s3.http.TrustedProxies;
import picocli.CommandLine.Option;

/**
 * {@code tarn server --trusted-proxies}: the reverse proxies whose {@code X-Forwarded-For} names each
 * request's client address (docs/ops/reverse-proxy.md). None by default: the header is never believed.
 */
public final class TrustedProxyOptions {
  @Option(names = "--trusted-proxies", paramLabel = "CIDR[,CIDR...]", defaultValue = "${env:TARN_TRUSTED_PROXIES}",
      description = "Reverse proxies, as IPv4/IPv6 addresses or CIDR blocks, whose X-Forwarded-For header names the"
          + " client address of the requests they forward (access log, aws:SourceIp, events, the console's sign-in"
          + " throttle); read from the right, past these proxies. Not used by --max-connections-per-address"
          + " (env TARN_TRUSTED_PROXIES; default: none, the header is ignored).")
  String trustedProxies;

  /**
   * The trusted proxies, {@link TrustedProxies#NONE} when unset (an empty {@code TARN_TRUSTED_PROXIES}
   * is none).
   *
   * @throws StartupFailure {@link Exit#USAGE}, naming the flag, its variable and what is wrong
   */
  public TrustedProxies trustedProxies() throws StartupFailure {
    try {
      return TrustedProxies.parse(trustedProxies);
    } catch (IllegalArgumentException e) {
      throw new StartupFailure(Exit.USAGE, "--trusted-proxies " + e.getMessage()
          + "; give CIDR blocks like 10.0.0.0/8,2001:db8::/32 (check TARN_TRUSTED_PROXIES)");
    }
  }
}
