package io.tarn.server.bench;

/**
 * What one client saw of one kind of request. Counters run for the whole run; the measurement
 * window is taken as the difference between two snapshots, made on the client's own event loop
 * at the end of the warm-up and at the end of the run, so bytes of a 64 MiB transfer that
 * straddles an edge count on the side they moved. Latency is recorded only for requests started
 * after the warm-up.
 */
final class OpStats {
  final LatencyHistogram latency = new LatencyHistogram();
  long ops;
  long errors;
  long bytes;
  String firstError;

  private long opsAtStart;
  private long errorsAtStart;
  private long bytesAtStart;
  long windowOps;
  long windowErrors;
  long windowBytes;

  void error(String message) {
    errors++;
    if (firstError == null) {
      firstError = message;
    }
  }

  void markStart() {
    opsAtStart = ops;
    errorsAtStart = errors;
    bytesAtStart = bytes;
  }

  void markEnd() {
    windowOps = ops - opsAtStart;
    windowErrors = errors - errorsAtStart;
    windowBytes = bytes - bytesAtStart;
  }

  /** Adds another client's window and latencies to this one (used for the totals). */
  void add(OpStats other) {
    latency.add(other.latency);
    windowOps += other.windowOps;
    windowErrors += other.windowErrors;
    windowBytes += other.windowBytes;
    if (firstError == null) {
      firstError = other.firstError;
    }
  }
}
