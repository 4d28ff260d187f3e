package io.tarn.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The metrics tests' parser accepts what the formats allow and refuses what a Prometheus server would. */
class PrometheusTextTest {
  private static final String GOOD = """
      # HELP a_total Things, with a \\\\ and a\\nnewline.
      # TYPE a_total counter
      a_total{op="Get",v="say \\"hi\\"\\\\"} 3.0
      a_total{op="Put"} 1
      # TYPE h_seconds histogram
      h_seconds_bucket{le="0.1"} 1
      h_seconds_bucket{le="1.0"} 2
      h_seconds_bucket{le="+Inf"} 2
      h_seconds_sum 0.5
      h_seconds_count 2
      # TYPE g gauge
      g NaN
      """;

  @Test
  void readsTheTextFormat() {
    PrometheusText m = PrometheusText.parse(GOOD);
    assertEquals(3, m.value("a_total", "op", "Get"));
    assertEquals("say \"hi\"\\", m.samples("a_total", "op", "Get").get(0).labels().get("v"));
    assertEquals("Things, with a \\\\ and a\\nnewline.", m.family("a_total").help());
    assertEquals(2, m.value("h_seconds_bucket", "le", "+Inf"));
    assertEquals("histogram", m.family("h_seconds").type());
    assertEquals(3, m.families().size());
  }

  @Test
  void readsOpenMetricsEndingWithEof() {
    PrometheusText m = PrometheusText.parseOpenMetrics("""
        # TYPE a counter
        a_total 1
        # TYPE b info
        b_info{v="1"} 1
        # EOF
        """);
    assertEquals(1, m.value("b_info", "v", "1"));
  }

  @Test
  void refusesWhatPrometheusWould() {
    bad("a_total 1\n# TYPE a_total counter\n", "a sample before its family's TYPE");
    bad("# TYPE a counter\na_total 1\n# TYPE b gauge\nb 1\n# TYPE a counter\n", "a family declared twice");
    bad("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n", "a duplicate series");
    bad("# TYPE a gauge\na{x=\"1\\t\"} 1\n", "a bad escape");
    bad("# TYPE a gauge\na{x=1} 1\n", "an unquoted label value");
    bad("# TYPE a gauge\na one\n", "a value that is not a number");
    bad("# TYPE a gauge\nb 1\n", "a sample outside its family");
    bad("# TYPE a gauge\na 1", "no final newline");
    bad("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", "non-cumulative buckets");
    bad("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n", "+Inf is not the count");
    bad("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", "no +Inf bucket");
    assertThrows(IllegalArgumentException.class, () -> PrometheusText.parseOpenMetrics("# TYPE a gauge\na 1\n"),
        "OpenMetrics without # EOF");
    assertThrows(IllegalArgumentException.class,
        () -> PrometheusText.parseOpenMetrics("# TYPE a gauge\na 1\n# EOF\na 2\n"), "a sample after # EOF");
    assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE a gauge\na 1\n# EOF\n"),
        "# EOF in the 0.0.4 format");
  }

  private static void bad(String text, String why) {
    assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(text), why);
  }
}
