package io.tarn.server.bench;

import java.io.PrintWriter;
import java.util.Locale;

/** Prints a measurement or a probe as a table for people or one line of JSON for scripts. */
final class Report {
  private static final double MIB = 1024.0 * 1024.0;

  private Report() {}

  /** What was run, for the heading and the JSON; {@code size} is -1 when not known (plain). */
  record Scenario(String endpoint, String op, long size, int clients, double warmupSeconds) {}

  static void table(PrintWriter out, Scenario s, Measurement m) {
    out.printf(Locale.ROOT, "%s%s, %d clients, %.1fs measured after %.1fs warm-up, %s%n",
        s.op(), s.size() < 0 ? "" : " " + new ByteSize(s.size()), s.clients(), m.seconds(),
        s.warmupSeconds(), s.endpoint());
    out.printf(Locale.ROOT, "%-5s %10s %11s %10s %9s %9s %9s %8s%n",
        "op", "ops", "ops/s", "MiB/s", "p50 ms", "p99 ms", "max ms", "errors");
    for (OpType t : OpType.values()) {
      OpStats st = m.of(t);
      if (st.windowOps + st.windowErrors + st.latency.count() == 0) {
        continue;
      }
      out.printf(Locale.ROOT, "%-5s %10d %11.1f %10.2f %9.3f %9.3f %9.3f %8d%n",
          t, st.windowOps, st.windowOps / m.seconds(), st.windowBytes / MIB / m.seconds(),
          millis(st.latency.percentile(50)), millis(st.latency.percentile(99)),
          millis(st.latency.max()), st.windowErrors);
    }
  }

  static void json(PrintWriter out, Scenario s, Measurement m) {
    StringBuilder b = new StringBuilder(512);
    b.append("{\"endpoint\":").append(quote(s.endpoint()))
        .append(",\"op\":").append(quote(s.op()))
        .append(",\"size\":").append(s.size() < 0 ? "null" : Long.toString(s.size()))
        .append(",\"clients\":").append(s.clients())
        .append(",\"warmupSeconds\":").append(num(s.warmupSeconds()))
        .append(",\"seconds\":").append(num(m.seconds()))
        .append(",\"errors\":").append(m.errors())
        .append(",\"results\":[");
    String sep = "";
    for (OpType t : OpType.values()) {
      OpStats st = m.of(t);
      if (st.windowOps + st.windowErrors + st.latency.count() == 0) {
        continue;
      }
      b.append(sep).append("{\"op\":").append(quote(t.name()))
          .append(",\"ops\":").append(st.windowOps)
          .append(",\"opsPerSec\":").append(num(st.windowOps / m.seconds()))
          .append(",\"mibPerSec\":").append(num(st.windowBytes / MIB / m.seconds()))
          .append(",\"p50Ms\":").append(num(millis(st.latency.percentile(50))))
          .append(",\"p99Ms\":").append(num(millis(st.latency.percentile(99))))
          .append(",\"meanMs\":").append(num(st.latency.mean() / 1e6))
          .append(",\"maxMs\":").append(num(millis(st.latency.max())))
          .append(",\"errors\":").append(st.windowErrors)
          .append('}');
      sep = ",";
    }
    out.println(b.append("]}"));
  }

  static void probeTable(PrintWriter out, DiskProbe.Result r) {
    out.printf(Locale.ROOT, "disk probe in %s%n", r.dir());
    out.printf(Locale.ROOT, "  sequential write %s + fdatasync: %10.1f MiB/s%n",
        new ByteSize(r.bytes()), r.writeMiBps());
    out.printf(Locale.ROOT, "  sequential read  %s (cached):    %10.1f MiB/s%n",
        new ByteSize(r.bytes()), r.readMiBps());
    out.printf(Locale.ROOT, "  4KiB create+fsync+rename+dir fsync: %8.1f files/s (%d files)%n",
        r.createRenamePerSecond(), r.files());
  }

  static void probeJson(PrintWriter out, DiskProbe.Result r) {
    out.println("{\"probe\":{\"dir\":" + quote(r.dir())
        + ",\"bytes\":" + r.bytes()
        + ",\"seqWriteMiBps\":" + num(r.writeMiBps())
        + ",\"seqReadMiBps\":" + num(r.readMiBps())
        + ",\"createRenamePerSec\":" + num(r.createRenamePerSecond())
        + ",\"files\":" + r.files() + "}}");
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static String num(double d) {
    return Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null";
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
