package io.tarn.server.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tarn.console.metrics.MetricsApi;
import io.tarn.notifications.AttemptObserver;
import io.tarn.notifications.RuleFigures;
import io.tarn.s3.http.ExchangeListener;
import io.tarn.s3.http.S3Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The server's metrics (docs/ops/metrics.md): one registry of its own (never the library's static
 * default one, STYLE.md 11) holding the request, storage, webhook, JVM and process families and
 * {@code tarn_build_info}, rendered for {@code GET /_tarn/metrics}.
 *
 * <p>Built on the Prometheus Java client rather than Micrometer: it is the Prometheus data model
 * itself (no naming or translation layer between what Tarn registers and what is scraped), it is
 * small, its counters and histograms take their label values once ({@code labelValues} returns a data
 * point the caller keeps), so a request updates adders without a map lookup in the library or an
 * allocation, and it writes both the Prometheus text format and OpenMetrics.
 */
public final class TarnMetrics implements MetricsApi.Source {
  /** What the rest of the server offers the metrics, read when scraped unless noted. */
  public record Sources(StorageMetrics.Sources storage, Supplier<List<RuleFigures>> webhookFigures,
      LongSupplier webhookBacklog) {}

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final RequestMetrics requests;
  private final StorageMetrics storage;
  private final WebhookMetrics webhooks;
  private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
  private final OpenMetricsTextFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();

  /**
   * @param version this build's version ({@code tarn_build_info})
   */
  public TarnMetrics(String version, Clock clock, Sources sources) {
    requests = new RequestMetrics(registry);
    storage = new StorageMetrics(registry, sources.storage());
    webhooks = new WebhookMetrics(registry, sources.webhookFigures(), sources.webhookBacklog());
    // Heap and pools, GC pauses, threads, buffer pools (direct memory), classes; and the process's CPU
    // time, resident memory and open file descriptors where the OS reports them (Linux).
    JvmMetrics.builder().register(registry);
    GaugeWithCallback.builder().name("tarn_netty_direct_memory_bytes")
        .help("Direct memory held by Netty's buffer allocator (not in jvm_buffer_pool_used_bytes).")
        .callback(c -> {
          long used = S3Server.nettyDirectMemory();
          if (used >= 0) {
            c.call(used);
          }
        }).register(registry);
    Info build = Info.builder().name("tarn_build_info").help("This build of Tarn (value 1).")
        .labelNames("version", "java_version").register(registry);
    build.setLabelValues(version, System.getProperty("java.version"));
    long startMillis = clock.millis();
    GaugeWithCallback.builder().name("tarn_start_time_seconds")
        .help("When this server started, in seconds since the Unix epoch.")
        .callback(c -> c.call(startMillis / 1e3)).register(registry);
    GaugeWithCallback.builder().name("tarn_uptime_seconds").help("Seconds since this server started.")
        .callback(c -> c.call((clock.millis() - startMillis) / 1e3)).register(registry);
  }

  /** The listener's connection figures, once it is started. */
  public void connections(IntSupplier open, LongSupplier evicted) {
    requests.connections(open, evicted);
  }

  /** For {@code Notifications.observeAttempts}. */
  public AttemptObserver webhookAttempts() {
    return webhooks;
  }

  /** For {@code TarnStore.onBlobSync}. */
  public LongConsumer blobFsyncTimer() {
    return storage.fsyncTimer();
  }

  /** For {@code S3Server.start}: counts and times every exchange. */
  public ExchangeListener exchanges() {
    return requests;
  }

  /** The registry's current figures (tests check the dashboard's expressions against their names). */
  MetricSnapshots snapshot() {
    return registry.scrape();
  }

  /**
   * OpenMetrics when {@code Accept} asks for {@code application/openmetrics-text} (as Prometheus does
   * by default, https://prometheus.io/docs/instrumenting/content_negotiation/), else the Prometheus text
   * format 0.0.4, which every scraper reads.
   */
  @Override
  public MetricsApi.Scrape scrape(String accept) {
    boolean om = accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
    ExpositionFormatWriter writer = om ? openMetrics : text;
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return new MetricsApi.Scrape(writer.getContentType(), out.toByteArray());
  }
}
