package io.tarn.server.ops;

import io.tarn.server.bench.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code tarn server}'s graceful-stop options (docs/ops/health-and-drain.md). */
public final class DrainOptions {
  @Option(names = "--shutdown-grace", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "${env:TARN_SHUTDOWN_GRACE:-30s}",
      description = "On SIGTERM or SIGINT, how long requests in flight (uploads included) may take to finish before"
          + " they are cut and the server stops; new connections are refused meanwhile. A second signal stops at once"
          + " (env TARN_SHUTDOWN_GRACE; default ${DEFAULT-VALUE}).")
  Duration shutdownGrace;

  public Duration shutdownGrace() {
    return shutdownGrace;
  }
}
