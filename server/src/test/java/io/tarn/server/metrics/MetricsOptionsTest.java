package io.tarn.server.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Metrics are on and need credentials unless told otherwise (docs/ops/metrics.md). */
class MetricsOptionsTest {
  private static MetricsOptions parse(String... args) {
    MetricsOptions o = new MetricsOptions();
    new CommandLine(o).parseArgs(args);
    return o;
  }

  @Test
  void theDefaultsAreOnAndNotPublic() {
    MetricsOptions o = parse();
    assertTrue(o.enabled());
    assertFalse(o.open());
  }

  @Test
  void theFlags() {
    assertTrue(parse("--metrics-public").open());
    assertTrue(parse("--metrics-public=true").open());
    assertFalse(parse("--metrics-public=false").open());
    assertFalse(parse("--metrics", "false").enabled());
    assertTrue(parse("--metrics", "true").enabled());
  }
}
