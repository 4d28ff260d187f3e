package io.tarn.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tarn.it.support.PrometheusText;
import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code --metrics-public}: {@code /_tarn/metrics} without credentials (a scraper on a trusted network). */
class MetricsPublicTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(List.of("--metrics-public"));

  @Test
  void servedWithoutCredentials() {
    RawResponse r = TARN.raw().anonymous("GET", "/_tarn/metrics", Map.of(), null);
    assertEquals(200, r.status(), r.text());
    PrometheusText m = PrometheusText.parse(r.text());
    assertFalse(m.samples("tarn_s3_requests_total").isEmpty());
    assertEquals(1, m.samples("tarn_build_info").size());
  }
}
