package io.tarn.notifications.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the webhook HTTP client.
 *
 * @param connectTimeout budget for DNS, TCP connect and TLS handshake of one attempt
 * @param responseTimeout from the request written to the whole (capped) response read
 * @param maxConnections sends in flight at once, over all hosts; more wait in a queue
 * @param maxConnectionsPerHost sends in flight at once to one host (name and port)
 * @param idleTimeout a kept-alive connection unused this long is closed
 * @param responseBodyCap response bytes read before giving up on the body; a longer body closes
 *     the connection instead of being drained
 * @param snippetBytes response bytes kept for the delivery log
 * @param ioThreads event-loop threads of the client
 */
public record TransportOptions(
    Duration connectTimeout,
    Duration responseTimeout,
    int maxConnections,
    int maxConnectionsPerHost,
    Duration idleTimeout,
    int responseBodyCap,
    int snippetBytes,
    int ioThreads) {

  public TransportOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    positive(connectTimeout.toMillis(), "connectTimeout");
    positive(responseTimeout.toMillis(), "responseTimeout");
    positive(idleTimeout.toMillis(), "idleTimeout");
    positive(maxConnections, "maxConnections");
    positive(maxConnectionsPerHost, "maxConnectionsPerHost");
    positive(ioThreads, "ioThreads");
    if (snippetBytes < 0 || responseBodyCap < snippetBytes) {
      throw new IllegalArgumentException("need 0 <= snippetBytes <= responseBodyCap");
    }
  }

  /**
   * 5 s connect and 30 s response timeouts (the issue's), 256 in flight, 64 per host, 60 s idle, 4 KiB
   * body, all of it kept for the attempt inspector (issue 13: "the first 4 KiB of the response body").
   * 64 per host: a healthy receiver on a loaded 2-core machine answers in ~10 ms, and 32 at a time
   * then capped deliveries at ~3k/s, below the PUT rate (bench/notify-bench.sh).
   */
  public static TransportOptions defaults() {
    return new TransportOptions(
        Duration.ofSeconds(5), Duration.ofSeconds(30), 256, 64, Duration.ofSeconds(60), 4096, 4096, 2);
  }

  public TransportOptions withResponseTimeout(Duration timeout) {
    return new TransportOptions(connectTimeout, timeout, maxConnections, maxConnectionsPerHost, idleTimeout,
        responseBodyCap, snippetBytes, ioThreads);
  }

  public TransportOptions withConnectTimeout(Duration timeout) {
    return new TransportOptions(timeout, responseTimeout, maxConnections, maxConnectionsPerHost, idleTimeout,
        responseBodyCap, snippetBytes, ioThreads);
  }

  public TransportOptions withLimits(int total, int perHost) {
    return new TransportOptions(connectTimeout, responseTimeout, total, perHost, idleTimeout, responseBodyCap,
        snippetBytes, ioThreads);
  }

  public TransportOptions withIdleTimeout(Duration timeout) {
    return new TransportOptions(connectTimeout, responseTimeout, maxConnections, maxConnectionsPerHost, timeout,
        responseBodyCap, snippetBytes, ioThreads);
  }

  private static void positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
