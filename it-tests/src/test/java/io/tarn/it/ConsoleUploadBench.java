package io.tarn.it;

import io.tarn.it.support.Browser;
import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.console.ObjectBrowserPage;
import io.tarn.it.support.console.SignInPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark, not a test: its name matches none of surefire's test patterns, so {@code mvn verify}
 * never runs it; {@code bench/console-upload-bench.sh} runs it with {@code -Dtest=ConsoleUploadBench}.
 * The same file is uploaded by the console in headless Chromium and by {@code aws s3 cp} with aws-cli's
 * default transfer settings (PATH's {@code aws} and {@code /usr/bin/aws}), in rounds whose order rotates,
 * against one server. Prints MiB/s per run, the medians and the ratios browser/aws-cli.
 *
 * <p>The browser's time runs from the file being chosen to the end of CompleteMultipartUpload's answer
 * (Resource Timing), so it includes every presign call. aws-cli's is the process's wall time, which
 * also holds its start-up; that start-up (an {@code aws s3 ls}, one ListBuckets, just before) is
 * measured too, and a second ratio is taken against aws-cli's time less it, the stricter comparison.
 *
 * <p>System properties: {@code bench.size} (MiB, default 1024), {@code bench.rounds} (default 3),
 * {@code bench.out} (a file the summary is also written to).
 */
class ConsoleUploadBench {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();
  @TempDir Path work;

  private static final String CONSOLE = "console (chromium)";
  private static final Duration AWS_TIMEOUT = Duration.ofMinutes(20);

  /** One client's runs: seconds per upload and, for aws-cli, its start-up seconds. */
  private record Runs(List<Double> seconds, List<Double> startup) {
    Runs() {
      this(new ArrayList<>(), new ArrayList<>());
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  void consoleAgainstAwsCli() throws IOException {
    long mib = Long.getLong("bench.size", 1024);
    int rounds = Integer.getInteger("bench.rounds", 3);
    Path file = TestData.writeFile(work.resolve("bench.bin"), mib * TestData.MIB, 7);
    Map<String, Path> clis = awsClis();
    writeAwsConfig();

    String bucket = TestData.bucketName("upbench");
    TARN.s3().createBucket(b -> b.bucket(bucket));
    ObjectBrowserPage objects = SignInPage.open(browser, TARN.endpoint())
        .signIn(TARN.accessKey(), TARN.secretKey()).open(bucket);
    // The default buffer (250 entries) is too small for a 1 GiB upload's part and presign requests.
    browser.driver().executeScript("performance.setResourceTimingBufferSize(1000000)");

    StringBuilder each = new StringBuilder();
    Map<String, Runs> runs = new LinkedHashMap<>();
    runs.put(CONSOLE, new Runs());
    clis.keySet().forEach(name -> runs.put(name, new Runs()));
    List<String> order = new ArrayList<>(runs.keySet());
    for (int round = 1; round <= rounds; round++) {
      for (int i = 0; i < order.size(); i++) {
        String who = order.get((i + round - 1) % order.size());
        double seconds;
        String key;
        if (who.equals(CONSOLE)) {
          key = file.getFileName().toString();
          seconds = browserUpload(objects, file);
        } else {
          key = "aws.bin";
          Path cli = clis.get(who);
          runs.get(who).startup().add(aws(cli, "s3", "ls"));
          seconds = aws(cli, "s3", "cp", "--no-progress", file.toString(), "s3://" + bucket + "/" + key);
        }
        runs.get(who).seconds().add(seconds);
        long stored = TARN.s3().headObject(h -> h.bucket(bucket).key(key)).contentLength();
        if (stored != mib * TestData.MIB) {
          throw new AssertionError(who + " stored " + stored + " bytes, not " + mib + " MiB");
        }
        TARN.s3().deleteObject(d -> d.bucket(bucket).key(key));
        each.append(String.format(Locale.ROOT, "round %d  %-42s %8.1f MiB/s  (%.2f s)%n", round, who,
            mib / seconds, seconds));
      }
    }
    report(mib, rounds, runs, each);
  }

  /** Seconds from choosing the file to CompleteMultipartUpload's answer, as the page's Resource Timing saw them. */
  private double browserUpload(ObjectBrowserPage objects, Path file) {
    browser.driver().executeScript("performance.clearResourceTimings()");
    double start = ((Number) browser.driver().executeScript("return performance.now()")).doubleValue();
    objects.uploadFiles(List.of(file)).awaitUploads(1);
    double end = ((Number) browser.driver().executeScript("return Math.max(0, ...performance"
        + ".getEntriesByType('resource').filter((e) => e.name.includes('uploadId=')).map((e) => e.responseEnd))"))
        .doubleValue();
    objects.clearUploads();
    if (end <= start) {
      throw new AssertionError("no multipart request seen: was the file uploaded in one PUT?");
    }
    return (end - start) / 1000;
  }

  private Map<String, Path> awsClis() {
    Map<String, Path> clis = new LinkedHashMap<>();
    Cli.onPath("aws").ifPresent(p -> clis.put("aws s3 cp (PATH: " + version(p) + ")", p));
    Path debian = Path.of("/usr/bin/aws");
    if (Files.isExecutable(debian) && clis.values().stream().noneMatch(p -> same(p, debian))) {
      clis.put("aws s3 cp (/usr/bin: " + version(debian) + ")", debian);
    }
    if (clis.isEmpty()) {
      throw Cli.missing("aws-cli is needed for this benchmark (apt-get install awscli)");
    }
    return clis;
  }

  private static boolean same(Path a, Path b) {
    try {
      return a.toRealPath().equals(b.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  private String version(Path aws) {
    String out = Cli.run(List.of(aws.toString(), "--version"), awsEnv(), work, Duration.ofMinutes(1)).describe();
    Matcher m = Pattern.compile("aws-cli/\\S+").matcher(out);
    return m.find() ? m.group() : aws.toString();
  }

  /** aws-cli's config: region and path-style addressing for 127.0.0.1; the transfer settings are its defaults. */
  private void writeAwsConfig() throws IOException {
    Files.writeString(work.resolve("config"), "[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n");
    Files.writeString(work.resolve("credentials"), "[default]\naws_access_key_id = " + TARN.accessKey()
        + "\naws_secret_access_key = " + TARN.secretKey() + "\n");
  }

  private Map<String, String> awsEnv() {
    return Map.of("AWS_CONFIG_FILE", work.resolve("config").toString(),
        "AWS_SHARED_CREDENTIALS_FILE", work.resolve("credentials").toString(),
        "HOME", work.toString(), "AWS_EC2_METADATA_DISABLED", "true", "AWS_PAGER", "");
  }

  /** Wall seconds of one aws-cli command, which must succeed. */
  private double aws(Path cli, String... args) {
    List<String> command = new ArrayList<>(List.of(cli.toString(), "--endpoint-url", TARN.endpoint().toString()));
    command.addAll(List.of(args));
    long t0 = System.nanoTime();
    Cli.run(command, awsEnv(), work, AWS_TIMEOUT).assertSuccess();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void report(long mib, int rounds, Map<String, Runs> runs, StringBuilder each) throws IOException {
    StringBuilder out = new StringBuilder(each);
    out.append(String.format(Locale.ROOT, "Console upload benchmark: %d MiB, %d rounds, medians%n", mib, rounds));
    double console = median(runs.get(CONSOLE).seconds().stream().map(s -> mib / s).toList());
    out.append(String.format(Locale.ROOT, "%-44s %8.1f MiB/s%n", CONSOLE, console));
    for (Map.Entry<String, Runs> e : runs.entrySet()) {
      if (e.getKey().equals(CONSOLE)) {
        continue;
      }
      Runs r = e.getValue();
      double wall = median(r.seconds().stream().map(s -> mib / s).toList());
      List<Double> transfer = new ArrayList<>();
      for (int i = 0; i < r.seconds().size(); i++) {
        transfer.add(mib / Math.max(0.001, r.seconds().get(i) - r.startup().get(i)));
      }
      double less = median(transfer);
      out.append(String.format(Locale.ROOT, "%-44s %8.1f MiB/s (start-up %.2f s; less start-up %.1f MiB/s)%n",
          e.getKey(), wall, median(r.startup()), less));
      out.append(String.format(Locale.ROOT, "  ratio console/aws-cli: %.0f %% of its wall time, %.0f %% less its start-up"
          + " (target >= 80 %%)%n", 100 * console / wall, 100 * console / less));
    }
    System.out.print(out);
    String to = System.getProperty("bench.out");
    if (to != null && !to.isBlank()) {
      Files.writeString(Path.of(to), out);
    }
  }
}
