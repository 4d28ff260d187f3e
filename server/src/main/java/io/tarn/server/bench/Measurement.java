package io.tarn.server.bench;

import java.util.EnumMap;
import java.util.Map;

/**
 * The totals of one run: per kind of request, the ops, bytes and errors of the measurement window
 * and the latencies of the requests started in it; {@code seconds} is the window's length.
 */
record Measurement(Map<OpType, OpStats> byType, double seconds, int clients) {

  Measurement {
    byType = new EnumMap<>(byType);
  }

  OpStats of(OpType type) {
    OpStats s = byType.get(type);
    return s == null ? new OpStats() : s;
  }

  long errors() {
    long n = 0;
    for (OpStats s : byType.values()) {
      n += s.windowErrors;
    }
    return n;
  }

  /** The first error message any client saw, or null. */
  String firstError() {
    for (OpStats s : byType.values()) {
      if (s.firstError != null) {
        return s.firstError;
      }
    }
    return null;
  }
}
