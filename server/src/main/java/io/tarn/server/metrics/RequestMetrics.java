package io.tarn.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tarn.s3.http.ExchangeListener;
import io.tarn.s3.http.ExchangeRecord;
import io.tarn.s3.http.RequestHead;
import io.tarn.s3.route.S3Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The S3 front end's request families: counts per operation and status class, latency per
 * operation, bytes in and out, requests in flight, connections open and evicted.
 *
 * <p>It is the HTTP layer's {@link ExchangeListener}, so it sees every exchange on the S3 listener,
 * Tarn's own APIs included. A request cut before any response (status 0) counts only as cut: it has
 * no status class.
 *
 * <p><b>The hot path allocates nothing.</b> The operations are a closed set (the records of the sealed
 * {@link S3Operation}; for {@code /_tarn/}, {@code Health}, {@code Metrics}, {@code Admin} and
 * {@code Console}; {@code Unknown} for a request that was not routed), so every data point is taken
 * from the library once, here, with its label values: {@link #ended} finds the operation's points
 * with one lookup in a map built at start (a String key: its hash is cached, nothing is boxed) and
 * updates adders. Exemplars are off: their sampler would look for a trace context on every
 * observation.
 */
final class RequestMetrics implements ExchangeListener {
  /** The label of a request that ended before it was routed (a malformed request line, a cut head). */
  static final String UNKNOWN = "Unknown";
  /** The status classes, by {@code status / 100 - 2}; anything outside 2xx..5xx counts as 5xx. */
  private static final String[] CLASSES = {"2xx", "3xx", "4xx", "5xx"};
  /**
   * From 1 ms to 60 s: a small GET from the page cache takes about a millisecond, a large upload on a
   * slow link a minute; above that only "slow" matters.
   */
  static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
      30, 60};

  /** One operation's data points, taken once. */
  private record Points(CounterDataPoint[] byClass, DistributionDataPoint latency, CounterDataPoint bytesIn,
      CounterDataPoint bytesOut, CounterDataPoint cut) {}

  private final Map<String, Points> byOperation;
  private final Points unknown;
  private final AtomicLong inFlight = new AtomicLong();
  private volatile IntSupplier openConnections = () -> 0;
  private volatile LongSupplier evictions = () -> 0;

  RequestMetrics(PrometheusRegistry registry) {
    Counter requests = Counter.builder().name("tarn_s3_requests_total")
        .help("S3 requests answered, by operation and status class (2xx..5xx).")
        .labelNames("operation", "status_class").withoutExemplars().register(registry);
    Histogram latency = Histogram.builder().name("tarn_s3_request_duration_seconds")
        .help("Time from a request's head arriving to its response's last byte written, by operation.")
        .labelNames("operation").classicOnly().classicUpperBounds(LATENCY_BUCKETS).withoutExemplars()
        .register(registry);
    Counter in = Counter.builder().name("tarn_s3_received_bytes_total")
        .help("Request body bytes received, by operation (as sent on the wire, aws-chunked framing included).")
        .labelNames("operation").withoutExemplars().register(registry);
    Counter out = Counter.builder().name("tarn_s3_sent_bytes_total")
        .help("Response body bytes sent, by operation.")
        .labelNames("operation").withoutExemplars().register(registry);
    Counter cut = Counter.builder().name("tarn_s3_requests_cut_total")
        .help("Requests whose connection closed before the response was complete, by operation.")
        .labelNames("operation").withoutExemplars().register(registry);
    GaugeWithCallback.builder().name("tarn_s3_requests_in_flight")
        .help("Requests whose head has arrived and whose response is not yet complete.")
        .callback(c -> c.call(inFlight.get())).register(registry);
    GaugeWithCallback.builder().name("tarn_s3_connections_open")
        .help("Client connections open on the S3 listener.")
        .callback(c -> c.call(openConnections.getAsInt())).register(registry);
    CounterWithCallback.builder().name("tarn_s3_connection_evictions_total")
        .help("Idle connections closed to make room for a new one when --max-connections were open.")
        .callback(c -> c.call(evictions.getAsLong())).register(registry);

    Map<String, Points> points = new HashMap<>();
    for (String op : operations()) {
      CounterDataPoint[] byClass = new CounterDataPoint[CLASSES.length];
      for (int i = 0; i < CLASSES.length; i++) {
        byClass[i] = requests.labelValues(op, CLASSES[i]);
      }
      points.put(op, new Points(byClass, latency.labelValues(op), in.labelValues(op), out.labelValues(op),
          cut.labelValues(op)));
    }
    this.byOperation = Map.copyOf(points);
    this.unknown = byOperation.get(UNKNOWN);
  }

  /** Every operation label: the S3 operations by their AWS names, Tarn's API families, {@code Unknown}. */
  static List<String> operations() {
    List<String> out = new ArrayList<>();
    collect(S3Operation.class, out); // Console among them: the console and the webhooks API
    out.addAll(List.of("Health", "Metrics", "Admin", UNKNOWN));
    return out;
  }

  private static void collect(Class<?> sealed, List<String> out) {
    for (Class<?> c : sealed.getPermittedSubclasses()) {
      if (c.isRecord()) {
        out.add(c.getSimpleName()); // what S3Operation.operationName() returns
      } else {
        collect(c, out);
      }
    }
  }

  /** The listener's connection figures, once it is started (it is created after the metrics). */
  void connections(IntSupplier open, LongSupplier evicted) {
    this.openConnections = open;
    this.evictions = evicted;
  }

  @Override
  public void started(RequestHead head) {
    inFlight.incrementAndGet();
  }

  @Override
  public void ended(ExchangeRecord r) {
    ended(r.operation(), r.status(), r.durationNanos(), r.bytesIn(), r.bytesOut(), r.cut());
  }

  /**
   * A request ended (answered, refused or cut).
   *
   * @param operation {@link ExchangeRecord#operation()}, or null when it was not routed
   * @param status the response's status; 0 when cut before any response
   */
  void ended(String operation, int status, long durationNanos, long bytesIn, long bytesOut, boolean wasCut) {
    inFlight.decrementAndGet();
    Points p = operation == null ? unknown : byOperation.getOrDefault(operation, unknown);
    if (status > 0) {
      int cls = status / 100 - 2;
      p.byClass[cls >= 0 && cls < CLASSES.length ? cls : CLASSES.length - 1].inc();
    }
    p.latency.observe(durationNanos / 1e9);
    if (bytesIn > 0) {
      p.bytesIn.inc(bytesIn);
    }
    if (bytesOut > 0) {
      p.bytesOut.inc(bytesOut);
    }
    if (wasCut) {
      p.cut.inc();
    }
  }
}
