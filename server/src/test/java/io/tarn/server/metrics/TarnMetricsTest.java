package io.tarn.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.tarn.notifications.RuleFigures;
import io.tarn.notifications.RuleStats;
import io.tarn.storage.BucketStats;
import io.tarn.storage.MetaFigures;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's families over in-memory sources: the Grafana dashboard names only metrics it exports,
 * request counting (status classes, cut requests, unknown operations), the cardinality caps, and a
 * request's counting allocating nothing.
 */
class TarnMetricsTest {
  @TempDir Path dir;

  private List<BucketStats> buckets = List.of(new BucketStats("b", 1, 2));
  private List<RuleFigures> rules = List.of(rule("b", "r1", 3));

  private static RuleFigures rule(String bucket, String id, long pending) {
    return new RuleFigures(bucket, id, "http://receiver.example/", true,
        new RuleStats(id, pending, 1, 2, 3, 0, null, null, null, null, null));
  }

  private java.util.function.Supplier<MetaFigures> meta = () -> new MetaFigures(1, 0, 3, 4);

  private TarnMetrics metrics() throws Exception {
    return new TarnMetrics("1.2.3", Clock.systemUTC(), new TarnMetrics.Sources(
        new StorageMetrics.Sources(() -> buckets, () -> meta.get(), Files.getFileStore(dir)),
        () -> rules, () -> 7));
  }

  /** Every name a scrape exposes: families with their type's suffixes. */
  private static Set<String> exposedNames(TarnMetrics m) {
    Set<String> out = new TreeSet<>();
    for (MetricSnapshot s : m.snapshot()) {
      String n = s.getMetadata().getPrometheusName();
      if (s instanceof CounterSnapshot) {
        out.add(n + "_total");
      } else if (s instanceof HistogramSnapshot) {
        out.addAll(List.of(n + "_bucket", n + "_sum", n + "_count"));
      } else if (s instanceof SummarySnapshot) {
        out.addAll(List.of(n, n + "_sum", n + "_count"));
      } else if (s instanceof InfoSnapshot) {
        out.add(n + "_info");
      } else {
        out.add(n);
      }
    }
    return out;
  }

  private static double value(TarnMetrics m, String family, String... labels) {
    double sum = 0;
    boolean found = false;
    for (MetricSnapshot s : m.snapshot()) {
      if (!s.getMetadata().getPrometheusName().equals(family)) {
        continue;
      }
      for (DataPointSnapshot p : s.getDataPoints()) {
        boolean match = true;
        for (int i = 0; i < labels.length; i += 2) {
          match &= labels[i + 1].equals(p.getLabels().get(labels[i]));
        }
        if (match) {
          found = true;
          if (p instanceof CounterSnapshot.CounterDataPointSnapshot c) {
            sum += c.getValue();
          } else if (p instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
            sum += g.getValue();
          } else if (p instanceof HistogramSnapshot.HistogramDataPointSnapshot h) {
            sum += h.getCount();
          }
        }
      }
    }
    if (!found) {
      throw new AssertionError("no " + family + " " + List.of(labels));
    }
    return sum;
  }

  @Test
  void theDashboardNamesOnlyMetricsTheServerExports() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Path.of("..", "docs", "ops", "grafana-dashboard.json").toFile());
    List<String> exprs = new ArrayList<>();
    collectExprs(dashboard, exprs);
    assertTrue(exprs.size() >= 30, "the dashboard's queries: " + exprs.size());
    Set<String> exposed = exposedNames(metrics());
    // Metric names are identifiers outside quotes and braces; the families Tarn registers start so.
    Pattern name = Pattern.compile("\\b(?:tarn|jvm|process)_[a-zA-Z0-9_]+");
    Set<String> used = new TreeSet<>();
    for (String e : exprs) {
      String bare = e.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\{[^}]*}", "{}");
      Matcher mt = name.matcher(bare);
      while (mt.find()) {
        used.add(mt.group());
      }
    }
    Set<String> unknown = new TreeSet<>(used);
    unknown.removeAll(exposed);
    assertEquals(Set.of(), unknown, "dashboard metrics the server does not export (it exports " + exposed + ")");
    // Every family of Tarn's own appears on the dashboard.
    for (String n : exposed) {
      if (n.startsWith("tarn_") && !n.endsWith("_sum") && !n.endsWith("_count")) {
        assertTrue(used.contains(n) || used.contains(n.replace("_bucket", "")), "not on the dashboard: " + n);
      }
    }
    JsonNode variables = dashboard.path("templating").path("list");
    assertEquals("datasource", variables.get(0).path("type").asText());
    assertEquals("prometheus", variables.get(0).path("query").asText());
  }

  private static void collectExprs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("expr")) {
          out.add(e.getValue().asText());
        } else {
          collectExprs(e.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectExprs(n, out));
    }
  }

  @Test
  void requestsCountByOperationAndStatusClass() throws Exception {
    TarnMetrics m = metrics();
    RequestMetrics r = (RequestMetrics) m.exchanges();
    r.started(null);
    r.ended("PutObject", 200, 2_000_000, 4096, 0, false);
    r.started(null);
    r.ended("GetObject", 304, 1_000_000, 0, 0, false);
    r.started(null);
    r.ended("GetObject", 404, 1_000_000, 0, 250, false);
    r.started(null);
    r.ended("GetObject", 503, 1_000_000, 0, 300, false);
    r.started(null);
    r.ended("NotAnOperation", 400, 1_000_000, 0, 0, false);
    r.started(null);
    r.ended(null, 400, 1_000_000, 0, 0, false);
    r.started(null);
    r.ended("PutObject", 0, 1_000_000, 100, 0, true); // cut before any response: no status class
    r.started(null);

    assertEquals(1, value(m, "tarn_s3_requests", "operation", "PutObject"));
    assertEquals(1, value(m, "tarn_s3_requests", "operation", "PutObject", "status_class", "2xx"));
    assertEquals(1, value(m, "tarn_s3_requests", "operation", "GetObject", "status_class", "3xx"));
    assertEquals(1, value(m, "tarn_s3_requests", "operation", "GetObject", "status_class", "4xx"));
    assertEquals(1, value(m, "tarn_s3_requests", "operation", "GetObject", "status_class", "5xx"));
    assertEquals(2, value(m, "tarn_s3_requests", "operation", "Unknown", "status_class", "4xx"));
    assertEquals(1, value(m, "tarn_s3_requests_cut", "operation", "PutObject"));
    assertEquals(2, value(m, "tarn_s3_request_duration_seconds", "operation", "PutObject"));
    assertEquals(4196, value(m, "tarn_s3_received_bytes", "operation", "PutObject"));
    assertEquals(550, value(m, "tarn_s3_sent_bytes", "operation", "GetObject"));
    assertEquals(1, value(m, "tarn_s3_requests_in_flight"));
    assertEquals(0, value(m, "tarn_s3_requests", "operation", "Metrics"), "Tarn's own API families are labelled");
  }

  /**
   * Once compiled, counting a request allocates nothing. The library's {@code Histogram.observe}
   * creates an {@code AtomicBoolean} (16 bytes) in its native-histogram reset check even for a
   * classic-only histogram; C2 inlines the check and scalar-replaces it, so the steady state is free,
   * but interpreted or C1 code allocates it. Hence rounds until the JIT has settled, judged by the best.
   */
  @Test
  void countingARequestAllocatesNothing() throws Exception {
    RequestMetrics r = (RequestMetrics) metrics().exchanges();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    String[] ops = {"GetObject", "PutObject", "HeadObject", "ListObjectsV2"};
    int n = 100_000;
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 30 && best >= n / 10; round++) {
      long before = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < n; i++) {
        r.started(null);
        r.ended(ops[i & 3], 200 + (i % 4) * 100, i, i & 4095, 4096, false);
      }
      best = Math.min(best, threads.getThreadAllocatedBytes(id) - before);
    }
    // A few hundred bytes of noise (the MXBean call itself); one object per request would be 1.6 MB.
    assertTrue(best < n / 10, best + " bytes allocated for " + n + " requests");
  }

  @Test
  void aClosedMetadataStoreLeavesOnlyItsOwnSeriesOut() throws Exception {
    meta = () -> {
      throw new io.tarn.storage.StorageException(io.tarn.storage.StorageException.Kind.STORAGE_FULL, "closed");
    };
    TarnMetrics m = metrics();
    Set<String> names = exposedNames(m);
    assertTrue(names.contains("tarn_disk_free_bytes") && names.contains("tarn_s3_requests_total"), names.toString());
    assertTrue(names.stream().noneMatch(n -> n.startsWith("tarn_rocksdb_")), names.toString());
    String text = new String(m.scrape(null).body(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.contains("tarn_storage_objects{bucket=\"b\"} 1"), text);
  }

  @Test
  void bucketsAndRulesPastTheCapAreSummedAsOther() throws Exception {
    List<BucketStats> many = new ArrayList<>();
    List<RuleFigures> manyRules = new ArrayList<>();
    for (int i = 0; i < StorageMetrics.MAX_BUCKET_LABELS + 5; i++) {
      many.add(new BucketStats(String.format("b%03d", i), 1, 10));
      manyRules.add(rule(String.format("b%03d", i), String.format("r%03d", i), 2));
    }
    buckets = many;
    rules = manyRules;
    TarnMetrics m = metrics();
    assertEquals(5, value(m, "tarn_storage_objects", "bucket", "_other"));
    assertEquals(50, value(m, "tarn_storage_bytes", "bucket", "_other"));
    assertEquals(1, value(m, "tarn_storage_objects", "bucket", "b099"));
    assertEquals(many.size(), value(m, "tarn_storage_objects"), "the sum is still the store's total");
    assertEquals(10, value(m, "tarn_webhook_pending", "rule", "_other"));
    assertEquals(2 * manyRules.size(), value(m, "tarn_webhook_pending"));
    assertEquals(7, value(m, "tarn_webhook_backlog"));

    WebhookMetrics hooks = (WebhookMetrics) m.webhookAttempts();
    for (int i = 0; i < WebhookMetrics.MAX_RULE_LABELS + 3; i++) {
      hooks.attempted("b", "rule" + i, "delivered", 5, 50);
    }
    hooks.attempted("b", "rule0", "failed", 5, 60);
    assertEquals(2, value(m, "tarn_webhook_round_trip_seconds", "rule", "rule0"));
    assertEquals(1, value(m, "tarn_webhook_delivery_delay_seconds", "rule", "rule0"), "only a 2xx has a delay");
    assertEquals(3, value(m, "tarn_webhook_delivery_delay_seconds", "rule", "_other"));
  }
}
