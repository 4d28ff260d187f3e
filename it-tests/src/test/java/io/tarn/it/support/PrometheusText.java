package io.tarn.it.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/) and of OpenMetrics 1.0 text
 * (https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md), for tests
 * of {@code /_tarn/metrics}. The Prometheus Java client only writes these formats, so the tests parse
 * with this independent reader, which refuses what a Prometheus server would: a malformed line, a
 * sample before or outside its family's {@code # TYPE}, a family declared twice, a duplicate series, a
 * bad escape, a histogram whose buckets are not cumulative or whose {@code +Inf} bucket is not its
 * count, and, in OpenMetrics, a missing or early {@code # EOF}.
 */
public final class PrometheusText {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** One sample: its exposed name (with any {@code _total}, {@code _bucket}... suffix), labels, value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** One family: its name, type, help and samples in order. */
  public record Family(String name, String type, String help, List<Sample> samples) {}

  private final Map<String, Family> families;

  private PrometheusText(Map<String, Family> families) {
    this.families = families;
  }

  /** Parses the Prometheus text format 0.0.4. */
  public static PrometheusText parse(String text) {
    return parse(text, false);
  }

  /** Parses OpenMetrics 1.0 text: as the Prometheus format, but {@code # EOF} must end it. */
  public static PrometheusText parseOpenMetrics(String text) {
    return parse(text, true);
  }

  private static PrometheusText parse(String text, boolean openMetrics) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition does not end with a newline");
    }
    Map<String, Family> families = new LinkedHashMap<>();
    Map<String, String> seriesSeen = new LinkedHashMap<>();
    String current = null;
    boolean eof = false;
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length - 1; n++) {
      String line = lines[n];
      String where = "line " + (n + 1) + " \"" + line + "\": ";
      if (eof) {
        throw new IllegalArgumentException(where + "after # EOF");
      }
      if (line.isEmpty()) {
        if (openMetrics) {
          throw new IllegalArgumentException(where + "empty line in OpenMetrics");
        }
        continue;
      }
      if (line.startsWith("#")) {
        if (line.equals("# EOF")) {
          if (!openMetrics) {
            throw new IllegalArgumentException(where + "# EOF in the Prometheus text format");
          }
          eof = true;
          continue;
        }
        String[] parts = line.split(" ", 4);
        if (parts.length < 3 || !parts[0].equals("#")) {
          if (openMetrics) {
            throw new IllegalArgumentException(where + "malformed comment");
          }
          continue; // a plain comment
        }
        String kind = parts[1];
        String name = parts[2];
        if (!kind.equals("HELP") && !kind.equals("TYPE") && !kind.equals("UNIT")) {
          if (openMetrics) {
            throw new IllegalArgumentException(where + "unknown descriptor " + kind);
          }
          continue;
        }
        require(NAME.matcher(name).matches(), where + "bad metric name");
        Family f = families.get(name);
        if (f != null && !name.equals(current)) {
          throw new IllegalArgumentException(where + "family " + name + " declared again, apart from its first lines");
        }
        if (f == null) {
          f = new Family(name, "untyped", null, new ArrayList<>());
          families.put(name, f);
        }
        current = name;
        String value = parts.length > 3 ? parts[3] : "";
        if (kind.equals("TYPE")) {
          require(f.samples().isEmpty(), where + "TYPE after samples");
          require(value.matches("counter|gauge|histogram|summary|untyped|unknown|info|stateset|gaugehistogram"),
              where + "unknown type " + value);
          families.put(name, new Family(name, value, f.help(), f.samples()));
        } else if (kind.equals("HELP")) {
          unescape(value, where, false);
          families.put(name, new Family(name, f.type(), value, f.samples()));
        }
        continue;
      }
      Sample s = sample(line, where, openMetrics);
      String family = familyOf(s.name(), current == null ? null : families.get(current), openMetrics);
      if (family == null) {
        throw new IllegalArgumentException(where + "sample outside its family (last TYPE: " + current + ")");
      }
      String key = s.name() + new TreeMap<>(s.labels());
      if (seriesSeen.put(key, line) != null) {
        throw new IllegalArgumentException(where + "duplicate series " + key);
      }
      families.get(family).samples().add(s);
    }
    if (openMetrics && !eof) {
      throw new IllegalArgumentException("OpenMetrics exposition without # EOF at its end");
    }
    for (Family f : families.values()) {
      if (f.type().equals("histogram")) {
        checkHistogram(f);
      }
    }
    return new PrometheusText(families);
  }

  /** The family a sample belongs to: the current one, if the sample's name is one of its names. */
  private static String familyOf(String sample, Family current, boolean openMetrics) {
    if (current == null) {
      return null;
    }
    String f = current.name();
    List<String> names = switch (current.type()) {
      case "counter" -> openMetrics ? List.of(f + "_total", f + "_created") : List.of(f, f + "_total", f + "_created");
      case "histogram" -> List.of(f + "_bucket", f + "_sum", f + "_count", f + "_created");
      case "summary" -> List.of(f, f + "_sum", f + "_count", f + "_created");
      case "info" -> List.of(f + "_info");
      default -> List.of(f);
    };
    return names.contains(sample) ? f : null;
  }

  private static void checkHistogram(Family f) {
    Map<String, List<Sample>> bySeries = new LinkedHashMap<>();
    Map<String, Double> counts = new LinkedHashMap<>();
    for (Sample s : f.samples()) {
      Map<String, String> rest = new TreeMap<>(s.labels());
      rest.remove("le");
      if (s.name().endsWith("_bucket")) {
        require(s.labels().containsKey("le"), f.name() + ": a bucket without le");
        bySeries.computeIfAbsent(rest.toString(), k -> new ArrayList<>()).add(s);
      } else if (s.name().endsWith("_count")) {
        counts.put(rest.toString(), s.value());
      }
    }
    for (Map.Entry<String, List<Sample>> e : bySeries.entrySet()) {
      double previousLe = Double.NEGATIVE_INFINITY;
      double previous = 0;
      for (Sample b : e.getValue()) {
        double le = number(b.labels().get("le"), f.name() + " le");
        require(le > previousLe, f.name() + e.getKey() + ": buckets not in increasing le order");
        require(b.value() >= previous, f.name() + e.getKey() + ": buckets not cumulative");
        previousLe = le;
        previous = b.value();
      }
      require(previousLe == Double.POSITIVE_INFINITY, f.name() + e.getKey() + ": no +Inf bucket");
      require(Objects.equals(counts.get(e.getKey()), previous), f.name() + e.getKey() + ": +Inf bucket is not _count");
    }
  }

  private static Sample sample(String line, String where, boolean openMetrics) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    require(NAME.matcher(name).matches(), where + "bad metric name");
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        require(eq > i, where + "label without =");
        String label = line.substring(i, eq);
        require(LABEL.matcher(label).matches(), where + "bad label name " + label);
        require(line.charAt(eq + 1) == '"', where + "label value not quoted");
        int j = eq + 2;
        StringBuilder raw = new StringBuilder();
        while (line.charAt(j) != '"') {
          if (line.charAt(j) == '\\') {
            raw.append(line.charAt(j)).append(line.charAt(j + 1));
            j += 2;
          } else {
            raw.append(line.charAt(j++));
          }
        }
        require(labels.put(label, unescape(raw.toString(), where, true)) == null, where + "label " + label + " twice");
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
          require(openMetrics ? line.charAt(i) != '}' : true, where + "trailing comma");
        } else {
          require(line.charAt(i) == '}', where + "expected , or }");
        }
      }
      i++;
    }
    require(i < line.length() && line.charAt(i) == ' ', where + "no space before the value");
    String[] rest = line.substring(i + 1).split(" ");
    require(rest.length >= 1 && rest.length <= 2 || openMetrics && line.contains(" # "), where + "expected value [timestamp]");
    double value = number(rest[0], where + "value");
    if (rest.length == 2) {
      number(rest[1], where + "timestamp");
    }
    return new Sample(name, labels, value);
  }

  private static double number(String s, String what) {
    switch (s) {
      case "+Inf", "Inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-Inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "NaN" -> {
        return Double.NaN;
      }
      default -> {
        require(s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?"), what + ": not a number: " + s);
        return Double.parseDouble(s);
      }
    }
  }

  private static String unescape(String s, String where, boolean labelValue) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      require(i + 1 < s.length(), where + "dangling backslash");
      char e = s.charAt(++i);
      switch (e) {
        case '\\' -> out.append('\\');
        case 'n' -> out.append('\n');
        case '"' -> {
          require(labelValue, where + "\\\" in HELP");
          out.append('"');
        }
        default -> throw new IllegalArgumentException(where + "bad escape \\" + e);
      }
    }
    return out.toString();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The families by name. */
  public Map<String, Family> families() {
    return families;
  }

  /** The family named {@code name}, or an error naming the families there are. */
  public Family family(String name) {
    Family f = families.get(name);
    if (f == null) {
      throw new AssertionError("no family " + name + " in " + families.keySet());
    }
    return f;
  }

  /**
   * The value of the sample named {@code sample} whose labels include {@code labels} (pairs of name
   * and value), or 0 if there is none; an error if more than one matches.
   */
  public double value(String sample, String... labels) {
    List<Sample> found = samples(sample, labels);
    if (found.size() > 1) {
      throw new AssertionError(found.size() + " samples match " + sample + " " + List.of(labels) + ": " + found);
    }
    return found.isEmpty() ? 0 : found.get(0).value();
  }

  /** Every sample named {@code sample} whose labels include {@code labels} (pairs of name and value). */
  public List<Sample> samples(String sample, String... labels) {
    List<Sample> out = new ArrayList<>();
    for (Family f : families.values()) {
      for (Sample s : f.samples()) {
        if (s.name().equals(sample) && matches(s.labels(), labels)) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static boolean matches(Map<String, String> have, String... want) {
    for (int i = 0; i + 1 < want.length; i += 2) {
      if (!want[i + 1].equals(have.get(want[i]))) {
        return false;
      }
    }
    return true;
  }
}
