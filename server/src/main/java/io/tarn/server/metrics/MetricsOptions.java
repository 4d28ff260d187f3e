package io.tarn.server.metrics;

import picocli.CommandLine.Option;

/** {@code tarn server}'s metrics options (docs/ops/metrics.md). */
public final class MetricsOptions {
  @Option(names = "--metrics-public", defaultValue = "${env:TARN_METRICS_PUBLIC:-false}", fallbackValue = "true",
      arity = "0..1", paramLabel = "true|false",
      description = "Serve /_tarn/metrics without credentials, for a scraper on a trusted network; otherwise it needs"
          + " an admin's API token or signature (env TARN_METRICS_PUBLIC; default ${DEFAULT-VALUE}).")
  boolean metricsPublic;

  @Option(names = "--metrics", defaultValue = "${env:TARN_METRICS:-true}", arity = "1", paramLabel = "true|false",
      description = "Collect metrics and serve /_tarn/metrics; false turns both off (env TARN_METRICS; default"
          + " ${DEFAULT-VALUE}).")
  boolean metricsOn;

  /** Whether metrics are collected and served. */
  public boolean enabled() {
    return metricsOn;
  }

  /** Whether the endpoint needs no credentials. */
  public boolean open() {
    return metricsPublic;
  }
}
