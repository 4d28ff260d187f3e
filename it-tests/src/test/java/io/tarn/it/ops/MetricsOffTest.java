package io.tarn.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code --metrics false} (what the benchmark compares against): nothing collected, nothing served. */
class MetricsOffTest {
  @RegisterExtension static final TarnServerExtension TARN =
      new TarnServerExtension(List.of("--metrics", "false", "--metrics-public"));

  @Test
  void notServed() {
    RawResponse r = TARN.raw().anonymous("GET", "/_tarn/metrics", Map.of(), null);
    assertEquals(404, r.status(), r.text());
  }
}
