package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Browser;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.console.SignInPage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The console's benchmark (issue 12), run by {@code bench/console-bench.sh}, never by {@code mvn verify}
 * (the class name matches none of surefire's default patterns; the script names it with {@code -Dtest}).
 * The script starts the server, fills the prefixes and passes them in the environment:
 * {@code TARN_BENCH_ENDPOINT}, {@code TARN_BENCH_ACCESS_KEY}, {@code TARN_BENCH_SECRET_KEY},
 * {@code TARN_BENCH_BIG}, {@code TARN_BENCH_SMALL} and {@code TARN_BENCH_CONTROL} ({@code bucket/prefix/}
 * each: 1,000,000, 10 and 1,000 keys; the control fills its first page of 200 like the big one does,
 * while the small one shows only 10 rows, so big/control isolates the prefix's size from the page's),
 * {@code TARN_BENCH_ROUNDS}. It writes its figures to {@code target/console-bench.txt}.
 *
 * <p>(a) Time from opening a prefix to its first page being shown, in headless chromium, for the big
 * and the small prefix and for the roots of their buckets (where the big prefix is one folder among
 * the listing's common prefixes), in interleaved rounds (the order alternating), two ways: a full load of the
 * prefix's URL ({@code /_tarn/console/#/b/<bucket>/<prefix>}: the page, its modules, the session check,
 * the listing; measured in the page from navigation start, so no WebDriver round trip is counted) and a
 * route change inside the open console (setting the hash, as a click on a folder does). The server's
 * part, the ListObjectsV2 request's time from Resource Timing, is reported beside them.
 *
 * <p>(b) The first load's transfer: the sign-in page and the object browser each loaded with the
 * browser cache cleared, summed from Resource Timing ({@code transferSize}: headers and body as
 * received, so gzip counts; {@code encodedBodySize}; {@code decodedBodySize}).
 */
class ConsoleBench {
  @RegisterExtension final Browser browser = new Browser();

  /**
   * Installed in every new document before its own scripts: records (performance.now(), i.e. ms since
   * navigation start) the first moment the object browser shows a listed page with rows in it.
   */
  private static final String SHOWN_OBSERVER = "window.__shown = null;"
      + "new MutationObserver(() => {"
      + "  if (window.__shown === null && document.querySelector("
      + "      '#page-browser[data-loading=false] :is([data-test=object-row], [data-test=folder-row])')) {"
      + "    window.__shown = performance.now();"
      + "  }"
      + "}).observe(document, {subtree: true, childList: true, attributes: true});";

  private static final List<String> WAYS = List.of("full load", "full load: its ListObjectsV2", "route change",
      "route change: its ListObjectsV2");

  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(name + " is not set: run bench/console-bench.sh, which starts the server");
    }
    return v;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void firstPageTimeAndFirstLoadTransfer() throws IOException {
    URI endpoint = URI.create(env("TARN_BENCH_ENDPOINT"));
    String big = env("TARN_BENCH_BIG");
    String small = env("TARN_BENCH_SMALL");
    String control = env("TARN_BENCH_CONTROL");
    int rounds = Integer.parseInt(env("TARN_BENCH_ROUNDS"));
    StringBuilder report = new StringBuilder();

    // (b) first, while the cache is cold anyway.
    Map<String, long[]> signIn = coldLoad(endpoint, "/_tarn/console/", "#sign-in-form");
    SignInPage.shown(browser).signIn(env("TARN_BENCH_ACCESS_KEY"), env("TARN_BENCH_SECRET_KEY"));
    Map<String, long[]> objects = coldLoad(endpoint, "/_tarn/console/" + route(small), "#page-browser[data-loading=false]");
    report.append("first load, cache cleared (bytes: transferred / encoded body / decoded body; requests)\n");
    report.append(transferTable("sign-in page", signIn)).append(transferTable("object browser", objects));

    // (a) one unmeasured round, so both prefixes and the JIT are warm alike, then the measured ones.
    browser.driver().executeCdpCommand("Page.enable", Map.of());
    browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", SHOWN_OBSERVER));
    Map<String, String> prefixes = new LinkedHashMap<>();
    prefixes.put("big", big);
    prefixes.put("small", small);
    prefixes.put("control", control);
    prefixes.put("big's bucket root", big.substring(0, big.indexOf('/') + 1));
    prefixes.put("small's bucket root", small.substring(0, small.indexOf('/') + 1));
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (String name : prefixes.keySet()) {
      for (String way : WAYS) {
        times.put(name + " " + way, new ArrayList<>());
      }
    }
    List<String> forward = new ArrayList<>(prefixes.keySet());
    List<String> backward = new ArrayList<>(forward);
    Collections.reverse(backward);
    for (int round = 0; round <= rounds; round++) {
      for (String name : round % 2 == 0 ? forward : backward) {
        double[] full = fullLoad(endpoint, prefixes.get(name));
        double[] inApp = routeChange(prefixes.get(name));
        if (round > 0) {
          times.get(name + " " + WAYS.get(0)).add(full[0]);
          times.get(name + " " + WAYS.get(1)).add(full[1]);
          times.get(name + " " + WAYS.get(2)).add(inApp[0]);
          times.get(name + " " + WAYS.get(3)).add(inApp[1]);
        }
      }
    }
    report.append(String.format(Locale.ROOT, "%nfirst page shown, ms (median of %d interleaved rounds; min, max)%n",
        rounds));
    prefixes.forEach((name, prefix) -> report.append(String.format(Locale.ROOT, "  %s = %s%n", name, prefix)));
    for (Map.Entry<String, List<Double>> e : times.entrySet()) {
      List<Double> v = e.getValue().stream().sorted().toList();
      report.append(String.format(Locale.ROOT, "%-52s %8.1f  (%.1f, %.1f)%n", e.getKey(), median(v), v.get(0),
          v.get(v.size() - 1)));
    }
    for (String[] pair : new String[][] {{"big", "small"}, {"big", "control"},
        {"big's bucket root", "small's bucket root"}}) {
      for (String way : List.of(WAYS.get(0), WAYS.get(2))) {
        report.append(String.format(Locale.ROOT, "ratio %s / %s, %s: %.2f%n", pair[0], pair[1], way,
            median(times.get(pair[0] + " " + way)) / median(times.get(pair[1] + " " + way))));
      }
    }
    Path out = TarnServerExtension.targetDir().resolve("console-bench.txt");
    Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    System.out.print(report);
  }

  private static String route(String bucketAndPrefix) {
    int slash = bucketAndPrefix.indexOf('/');
    return "#/b/" + bucketAndPrefix.substring(0, slash) + "/" + bucketAndPrefix.substring(slash + 1);
  }

  /**
   * Loads {@code path} with the browser's cache cleared and waits for {@code selector}; returns per
   * kind of request (console assets, console API, S3) [transferSize, encodedBodySize, decodedBodySize,
   * count], the navigation itself counted as an asset.
   */
  private Map<String, long[]> coldLoad(URI endpoint, String path, String selector) {
    browser.driver().executeCdpCommand("Network.enable", Map.of());
    browser.driver().executeCdpCommand("Network.clearBrowserCache", Map.of());
    browser.driver().get("about:blank");
    browser.driver().get(endpoint.resolve(path).toString());
    browser.waitUpTo(Duration.ofSeconds(60)).until(d -> !d.findElements(
        By.cssSelector(selector)).isEmpty());
    Object entries = browser.driver().executeScript("return performance.getEntriesByType('navigation')"
        + ".concat(performance.getEntriesByType('resource'))"
        + ".map(e => [new URL(e.name).pathname, new URL(e.name).search, e.transferSize, e.encodedBodySize,"
        + " e.decodedBodySize])");
    Map<String, long[]> sums = new LinkedHashMap<>();
    for (Object o : (List<?>) entries) {
      List<?> e = (List<?>) o;
      String p = String.valueOf(e.get(0));
      String kind = p.startsWith("/_tarn/console/") ? "assets" : p.startsWith("/_tarn/") ? "console API"
          : "S3 (listing)";
      long[] s = sums.computeIfAbsent(kind, k -> new long[4]);
      for (int i = 0; i < 3; i++) {
        s[i] += ((Number) e.get(2 + i)).longValue();
      }
      s[3]++;
    }
    assertTrue(sums.containsKey("assets"), "no console asset was loaded: " + entries);
    return sums;
  }

  private static String transferTable(String page, Map<String, long[]> sums) {
    StringBuilder b = new StringBuilder();
    long[] total = new long[4];
    for (Map.Entry<String, long[]> e : sums.entrySet()) {
      long[] s = e.getValue();
      b.append(String.format(Locale.ROOT, "  %-16s %-13s %8.1f KiB / %8.1f KiB / %8.1f KiB; %d%n", page,
          e.getKey(), s[0] / 1024.0, s[1] / 1024.0, s[2] / 1024.0, s[3]));
      for (int i = 0; i < 4; i++) {
        total[i] += s[i];
      }
    }
    b.append(String.format(Locale.ROOT, "  %-16s %-13s %8.1f KiB / %8.1f KiB / %8.1f KiB; %d%n", page, "total",
        total[0] / 1024.0, total[1] / 1024.0, total[2] / 1024.0, total[3]));
    return b.toString();
  }

  /**
   * Opens the prefix's URL as a new page load; returns [ms from navigation start to the first page
   * shown, ms of the ListObjectsV2 request from its start to its last byte].
   */
  private double[] fullLoad(URI endpoint, String prefix) {
    browser.driver().get("about:blank");
    browser.driver().get(endpoint.resolve("/_tarn/console/" + route(prefix)).toString());
    return awaitShown();
  }

  /** From the bucket list, sets the hash to the prefix's route; returns as {@link #fullLoad}, from the change. */
  private double[] routeChange(String prefix) {
    browser.driver().executeScript("location.hash = '#/'");
    browser.waitUpTo(Duration.ofSeconds(60)).until(d -> !d.findElements(
        By.cssSelector("#page-buckets[data-loaded=true]")).isEmpty());
    browser.driver().executeScript("performance.clearResourceTimings(); window.__shown = null;"
        + "window.__start = performance.now(); location.hash = arguments[0];", route(prefix));
    double[] shown = awaitShown();
    double start = ((Number) browser.driver().executeScript("return window.__start")).doubleValue();
    return new double[] {shown[0] - start, shown[1]};
  }

  private double[] awaitShown() {
    browser.waitUpTo(Duration.ofSeconds(120)).until(d -> browser.driver()
        .executeScript("return window.__shown") != null);
    List<?> r = (List<?>) browser.driver().executeScript("const l = performance.getEntriesByType('resource')"
        + ".filter(e => e.name.includes('list-type=2')).pop();"
        + "return [window.__shown, l ? l.responseEnd - l.startTime : -1,"
        + " document.querySelectorAll('[data-test=object-row], [data-test=folder-row]').length];");
    assertTrue(((Number) r.get(2)).intValue() > 0, "nothing listed");
    assertTrue(((Number) r.get(1)).doubleValue() >= 0, "no ListObjectsV2 request seen");
    return new double[] {((Number) r.get(0)).doubleValue(), ((Number) r.get(1)).doubleValue()};
  }

  private static double median(List<Double> values) {
    List<Double> v = values.stream().sorted().toList();
    int n = v.size();
    assertFalse(v.isEmpty());
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }
}
