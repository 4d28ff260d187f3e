package io.tarn.server.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tarn.notifications.AttemptObserver;
import io.tarn.notifications.RuleFigures;
import io.tarn.notifications.RuleStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The webhook families, per rule (labels {@code bucket} and {@code rule}, the rule's id): pending,
 * delivered, failed attempts and dead letters, read at each scrape from the figures the console's
 * rules view and {@code tarn admin info} show ({@code Notifications.figures()}); and two histograms fed
 * by every attempt: delivery delay (the event's commit to the receiver's 2xx) and the receiver's round
 * trip.
 *
 * <p><b>Cardinality.</b> At most {@link #MAX_RULE_LABELS} rules get series of their own: for the
 * figures, the first by bucket and rule id; for the histograms, the first to make an attempt since
 * the start. The rest are summed (figures) or observed (histograms) under
 * {@code bucket="_other",rule="_other"}. A deleted rule's histogram series stay until the restart.
 */
final class WebhookMetrics implements MultiCollector, AttemptObserver {
  static final int MAX_RULE_LABELS = 100;
  static final String OTHER = StorageMetrics.OTHER;
  /** Commit to 2xx: tens of milliseconds when the receiver is up, up to hours through the retries. */
  static final double[] DELAY_BUCKETS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600,
      14400};
  /** A receiver's answer: a millisecond on the same host to the response timeout. */
  static final double[] ROUND_TRIP_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
      10, 30};

  /** One rule's histogram points, taken once. */
  private record Points(DistributionDataPoint delay, DistributionDataPoint roundTrip) {}

  private final Supplier<List<RuleFigures>> figures;
  private final LongSupplier backlog;
  private final Histogram delay;
  private final Histogram roundTrip;
  private final ConcurrentHashMap<String, Points> byRule = new ConcurrentHashMap<>();
  private final Points other;

  WebhookMetrics(PrometheusRegistry registry, Supplier<List<RuleFigures>> figures, LongSupplier backlog) {
    this.figures = figures;
    this.backlog = backlog;
    this.delay = Histogram.builder().name("tarn_webhook_delivery_delay_seconds")
        .help("Time from an event's commit to its receiver's 2xx, by rule (retries included).")
        .labelNames("bucket", "rule").classicOnly().classicUpperBounds(DELAY_BUCKETS).withoutExemplars()
        .register(registry);
    this.roundTrip = Histogram.builder().name("tarn_webhook_round_trip_seconds")
        .help("Time a receiver took to answer an attempt (or to fail it), by rule.")
        .labelNames("bucket", "rule").classicOnly().classicUpperBounds(ROUND_TRIP_BUCKETS).withoutExemplars()
        .register(registry);
    this.other = new Points(delay.labelValues(OTHER, OTHER), roundTrip.labelValues(OTHER, OTHER));
    registry.register(this);
  }

  @Override
  public void attempted(String bucket, String ruleId, String outcome, long roundTripMillis, long sinceCommitMillis) {
    Points p = byRule.get(ruleId);
    if (p == null) {
      p = byRule.size() < MAX_RULE_LABELS
          ? byRule.computeIfAbsent(ruleId, id -> new Points(delay.labelValues(bucket, id), roundTrip.labelValues(bucket, id)))
          : other;
    }
    p.roundTrip.observe(Math.max(0, roundTripMillis) / 1e3);
    if (outcome.equals("delivered")) {
      p.delay.observe(Math.max(0, sinceCommitMillis) / 1e3);
    }
  }

  @Override
  public MetricSnapshots collect() {
    List<RuleFigures> rules = figures.get(); // sorted by bucket, then rule id
    GaugeSnapshot.Builder pending = StorageMetrics.gauge("tarn_webhook_pending",
        "Deliveries waiting to be sent (first tries and retries), by rule.");
    CounterSnapshot.Builder delivered = counter("tarn_webhook_delivered",
        "Deliveries answered with a 2xx, by rule.");
    CounterSnapshot.Builder failed = counter("tarn_webhook_failed_attempts",
        "Delivery attempts that failed (each retry counts), by rule.");
    CounterSnapshot.Builder dead = counter("tarn_webhook_dead_letters",
        "Deliveries given up on and kept as dead letters (retries exhausted or backlog full), by rule.");
    long[] rest = new long[4];
    for (int i = 0; i < rules.size(); i++) {
      RuleStats s = rules.get(i).stats();
      if (i < MAX_RULE_LABELS) {
        String[] labels = {"bucket", rules.get(i).bucket(), "rule", rules.get(i).ruleId()};
        pending.dataPoint(StorageMetrics.point(s.pending(), labels));
        delivered.dataPoint(count(s.delivered(), labels));
        failed.dataPoint(count(s.failedAttempts(), labels));
        dead.dataPoint(count(s.deadLettered(), labels));
      } else {
        rest[0] += s.pending();
        rest[1] += s.delivered();
        rest[2] += s.failedAttempts();
        rest[3] += s.deadLettered();
      }
    }
    if (rules.size() > MAX_RULE_LABELS) {
      String[] labels = {"bucket", OTHER, "rule", OTHER};
      pending.dataPoint(StorageMetrics.point(rest[0], labels));
      delivered.dataPoint(count(rest[1], labels));
      failed.dataPoint(count(rest[2], labels));
      dead.dataPoint(count(rest[3], labels));
    }
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(pending.build());
    out.add(delivered.build());
    out.add(failed.build());
    out.add(dead.build());
    out.add(StorageMetrics.single("tarn_webhook_rules", "Webhook rules configured.", rules.size()));
    out.add(StorageMetrics.single("tarn_webhook_backlog", "Deliveries waiting over all rules.",
        backlog.getAsLong()));
    return new MetricSnapshots(out);
  }


  private static CounterSnapshot.Builder counter(String name, String help) {
    return CounterSnapshot.builder().name(name).help(help);
  }

  private static CounterDataPointSnapshot count(double value, String... labels) {
    return CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
  }
}
