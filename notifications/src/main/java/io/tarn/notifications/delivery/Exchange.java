package io.tarn.notifications.delivery;

import io.netty.handler.codec.http.FullHttpRequest;

/**
 * One request/response on one connection.
 *
 * @param request the request to write (released by the write)
 * @param startNanos when the attempt started, for latency
 * @param reused whether the connection came from the pool (a failure before any response byte may
 *     then be a connection the server closed while idle, worth one retry on a fresh one)
 * @param done called once with the outcome, and whether it was such a stale connection
 */
record Exchange(FullHttpRequest request, long startNanos, boolean reused, Done done) {
  /** The outcome of an exchange. */
  @FunctionalInterface
  interface Done {
    void done(SendResult result, boolean staleConnection);
  }
}
