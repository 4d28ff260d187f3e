package io.tarn.server.bench;

import io.tarn.core.BucketNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tarn bench}: drives any S3 endpoint (or, with {@code --plain}, any static HTTP server)
 * with concurrent PUT, GET or LIST and reports ops/s, MiB/s and latency percentiles; or, with
 * {@code --probe}, measures the disk the way an object store uses it. See bench/README.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Benchmark an S3 endpoint with concurrent PUT, GET, LIST or a mix of them, or probe the "
            + "local disk (--probe).",
        "Prints ops/s, MiB/s and p50/p99 latency of the measured window (warm-up excluded)."})
public final class BenchCommand implements Callable<Integer> {
  /** What the clients do. */
  enum Operation {
    PUT, GET, LIST, MIXED;

    /** Accepts any case on the command line: {@code --op put}. */
    static final class Converter implements CommandLine.ITypeConverter<Operation> {
      @Override
      public Operation convert(String value) {
        try {
          return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new CommandLine.TypeConversionException(
              "expected put, get, list or mixed, got '" + value + "'");
        }
      }
    }
  }

  @Spec
  CommandSpec spec;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "S3 endpoint, e.g. http://127.0.0.1:9000; with --plain the URL of the file "
          + "to GET")
  String endpoint;

  @Option(names = "--access-key", paramLabel = "KEY",
      description = "Access key (default: env TARN_ACCESS_KEY, else TARN_ROOT_ACCESS_KEY)")
  String accessKey;

  @Option(names = "--secret-key", paramLabel = "SECRET",
      description = "Secret key (default: env TARN_SECRET_KEY, else TARN_ROOT_SECRET_KEY)")
  String secretKey;

  @Option(names = "--region", paramLabel = "NAME", defaultValue = "us-east-1",
      description = "Region to sign for (default: ${DEFAULT-VALUE})")
  String region;

  @Option(names = "--bucket", paramLabel = "NAME", defaultValue = "tarn-bench",
      description = "Bucket to use, created if missing (default: ${DEFAULT-VALUE})")
  String bucket;

  @Option(names = "--op", paramLabel = "OP", defaultValue = "put",
      converter = Operation.Converter.class,
      description = "put, get, list or mixed (60%% get, 30%% put, 10%% list) (default: "
          + "${DEFAULT-VALUE})")
  Operation op;

  @Option(names = "--size", paramLabel = "SIZE", defaultValue = "4KiB",
      converter = ByteSize.Converter.class,
      description = "Object size: bytes or 4KiB, 64MiB, 1GiB... (default: ${DEFAULT-VALUE})")
  ByteSize size;

  @Option(names = "--clients", paramLabel = "N", defaultValue = "16",
      description = "Concurrent clients, one connection each (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--duration", paramLabel = "TIME", converter = Durations.Converter.class,
      description = "Measured time, e.g. 10s, 1m (default: 10s)")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "TIME", converter = Durations.Converter.class,
      description = "Unmeasured time before it (default: 3s)")
  Duration warmup;

  @Option(names = "--requests", paramLabel = "N",
      description = "Instead of a duration: each client makes N requests, all measured")
  Long requests;

  @Option(names = "--objects", paramLabel = "N",
      description = "get/list/mixed: objects to pre-populate (default: get, mixed: --clients; "
          + "list: 10000)")
  Long objects;

  @Option(names = "--populate-clients", paramLabel = "N", defaultValue = "64",
      description = "Concurrent writers of the get/list/mixed data set (default: "
          + "${DEFAULT-VALUE})")
  int populateClients;

  @Option(names = "--page-size", paramLabel = "N", defaultValue = "1000",
      description = "LIST max-keys (default: ${DEFAULT-VALUE})")
  int pageSize;

  @Option(names = "--plain",
      description = "No signing, no bucket: GET the --endpoint URL (to drive a static server)")
  boolean plain;

  @Option(names = "--threads", paramLabel = "N",
      description = "Driver event-loop threads (default: CPUs)")
  Integer threads;

  @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "60s",
      converter = Durations.Converter.class,
      description = "Fail a request that makes no progress for this long (default: 60s)")
  Duration timeout;

  @Option(names = "--insecure", description = "https: trust any certificate")
  boolean insecure;

  @Option(names = "--probe", paramLabel = "DIR",
      description = "Probe the disk in DIR instead (sequential write+fdatasync, read, "
          + "4 KiB create+fsync+rename) and exit")
  Path probeDir;

  @Option(names = "--probe-size", paramLabel = "SIZE", defaultValue = "1GiB",
      converter = ByteSize.Converter.class,
      description = "Probe: bytes to write sequentially (default: ${DEFAULT-VALUE})")
  ByteSize probeSize;

  @Option(names = "--probe-time", paramLabel = "TIME", defaultValue = "3s",
      converter = Durations.Converter.class,
      description = "Probe: how long to create 4 KiB files (default: 3s)")
  Duration probeTime;

  @Option(names = "--json", description = "Print one line of JSON instead of a table")
  boolean json;

  /** Runs the command alone, without the rest of the {@code tarn} CLI. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return probeDir != null ? probe(out) : bench(out, err);
    } catch (IOException e) {
      err.println("tarn bench: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int probe(PrintWriter out) throws IOException {
    if (probeTime.isZero() || probeSize.bytes() == 0) {
      throw usage("--probe-size and --probe-time must be more than zero");
    }
    if (!Files.isDirectory(probeDir)) {
      throw usage("--probe: not a directory: " + probeDir);
    }
    long free = Files.getFileStore(probeDir).getUsableSpace();
    if (free < probeSize.bytes() + (256L << 20)) {
      throw new IOException("only " + new ByteSize(free / (1 << 20) << 20) + " free in "
          + probeDir + ": use a smaller --probe-size than " + probeSize);
    }
    DiskProbe.Result r = DiskProbe.run(probeDir, probeSize.bytes(), probeTime);
    if (json) {
      Report.probeJson(out, r);
    } else {
      Report.probeTable(out, r);
    }
    return 0;
  }

  private int bench(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
    Settings s = settings();
    Endpoint target = parseEndpoint();
    BenchRun.Credentials credentials = plain ? null : credentials();
    try (BenchRun run = new BenchRun(target, credentials,
        threads == null ? Runtime.getRuntime().availableProcessors() : threads, timeout,
        insecure)) {
      IntFunction<OpSource> workload = prepare(run, target, s, err);
      err.printf(Locale.ROOT, "running %s %s with %d clients%s...%n",
          op.name().toLowerCase(Locale.ROOT), plain ? target : size, clients,
          s.perClient == Long.MAX_VALUE
          ? " for " + Durations.format(s.warmup) + " + " + Durations.format(s.duration)
          : ", " + s.perClient + " requests each");
      err.flush();
      Measurement m = run.run(workload, clients, s.warmup, s.duration, s.perClient);
      Report.Scenario scenario = new Report.Scenario(target.toString(),
          op.name().toLowerCase(Locale.ROOT), plain ? -1 : size.bytes(), clients,
          s.warmup.toNanos() / 1e9);
      if (json) {
        Report.json(out, scenario, m);
      } else {
        Report.table(out, scenario, m);
      }
      if (m.errors() > 0) {
        err.println("tarn bench: " + m.errors() + " requests failed; the first: "
            + m.firstError());
        return 1;
      }
      return 0;
    }
  }

  /** Timing settings after defaults and consistency checks. */
  private record Settings(Duration warmup, Duration duration, long perClient) {}

  private Settings settings() {
    if (endpoint == null) {
      throw usage("--endpoint is required (or --probe DIR)");
    }
    if (clients < 1 || clients > 10_000) {
      throw usage("--clients must be 1..10000");
    }
    if (pageSize < 1 || pageSize > 1000) {
      throw usage("--page-size must be 1..1000 (S3's max-keys limit)");
    }
    if (threads != null && (threads < 1 || threads > 256)) {
      throw usage("--threads must be 1..256");
    }
    if (timeout.isZero()) {
      throw usage("--timeout must be more than zero");
    }
    if (populateClients < 1 || populateClients > 10_000) {
      throw usage("--populate-clients must be 1..10000");
    }
    if (objects != null && objects < 1) {
      throw usage("--objects must be at least 1");
    }
    if (plain && op != Operation.GET) {
      throw usage("--plain drives a static server: only --op get");
    }
    if (requests != null) {
      if (requests < 1) {
        throw usage("--requests must be at least 1");
      }
      if (duration != null || warmup != null) {
        throw usage("--requests counts requests: it takes no --duration or --warmup");
      }
      return new Settings(Duration.ZERO, Duration.ZERO, requests);
    }
    Duration d = duration == null ? Duration.ofSeconds(10) : duration;
    if (d.isZero()) {
      throw usage("--duration must be more than zero");
    }
    return new Settings(warmup == null ? Duration.ofSeconds(3) : warmup, d, Long.MAX_VALUE);
  }

  private Endpoint parseEndpoint() {
    Endpoint e;
    try {
      e = Endpoint.parse(endpoint);
    } catch (IllegalArgumentException ex) {
      throw usage("--endpoint: " + ex.getMessage());
    }
    boolean hasPath = !e.path().isEmpty() && !e.path().equals("/");
    if (plain && !hasPath) {
      throw usage("--plain needs the file's URL as --endpoint, e.g. http://127.0.0.1:8080/4KiB");
    }
    if (!plain && hasPath) {
      throw usage("--endpoint of an S3 service takes no path (buckets are addressed by path): "
          + endpoint);
    }
    if (!plain && !BucketNames.isValid(bucket)) {
      throw usage("--bucket: not a valid bucket name: '" + bucket + "'");
    }
    return e;
  }

  private BenchRun.Credentials credentials() {
    String ak = firstOf(accessKey, System.getenv("TARN_ACCESS_KEY"),
        System.getenv("TARN_ROOT_ACCESS_KEY"));
    String sk = firstOf(secretKey, System.getenv("TARN_SECRET_KEY"),
        System.getenv("TARN_ROOT_SECRET_KEY"));
    if (ak == null || sk == null) {
      throw usage("credentials needed: --access-key/--secret-key or env TARN_ACCESS_KEY/"
          + "TARN_SECRET_KEY (or TARN_ROOT_ACCESS_KEY/TARN_ROOT_SECRET_KEY); --plain for none");
    }
    return new BenchRun.Credentials(ak, sk, region);
  }

  private static String firstOf(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  /** Checks the target answers, creates the bucket and data set, and returns the workload. */
  private IntFunction<OpSource> prepare(BenchRun run, Endpoint target, Settings s,
      PrintWriter err) throws IOException, InterruptedException {
    if (plain) {
      BenchRun.Response r = run.once(Op.get(target.path(), -1));
      if (r.status() / 100 != 2) {
        throw new IOException("GET " + target + " answered HTTP " + r.status());
      }
      return Workloads.plainGet(target.path());
    }
    createBucket(run);
    String runId = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    if (op == Operation.PUT) {
      return Workloads.put(bucket, size.bytes(), runId);
    }
    long count = objects != null ? objects : op == Operation.LIST ? 10_000 : clients;
    Dataset data = new Dataset(bucket, count, size.bytes());
    populate(run, data, err);
    return switch (op) {
      case GET -> Workloads.get(data);
      case LIST -> Workloads.list(data, pageSize);
      default -> Workloads.mixed(data, pageSize, runId);
    };
  }

  /**
   * CreateBucket; an existing bucket of ours is fine. Outside us-east-1 the region goes in the
   * body (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html).
   */
  private void createBucket(BenchRun run) throws IOException {
    byte[] body = region.equals("us-east-1") ? null
        : ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + "<LocationConstraint>" + region + "</LocationConstraint>"
            + "</CreateBucketConfiguration>").getBytes(StandardCharsets.UTF_8);
    Op create = new Op(OpType.PUT, HttpMethod.PUT, "/" + bucket, "", body, 0, -1, false);
    BenchRun.Response r = run.once(create);
    boolean ours = r.status() == 409 && r.body() != null
        && r.body().contains("BucketAlreadyOwnedByYou");
    if (r.status() / 100 != 2 && !ours) {
      throw new IOException("cannot create bucket " + bucket + ": HTTP " + r.status()
          + Client.describe(r.body()));
    }
  }

  /** Writes the data set unless a marker says an earlier run already wrote all of it. */
  private void populate(BenchRun run, Dataset data, PrintWriter err)
      throws IOException, InterruptedException {
    Op marker = new Op(OpType.GET, HttpMethod.HEAD, data.markerPath(), "", null, 0, -1, false);
    if (run.once(marker).status() == 200) {
      err.printf(Locale.ROOT, "reusing %d objects of %s under %s/%s%n", data.count(),
          new ByteSize(data.size()), bucket, data.prefix());
      return;
    }
    err.printf(Locale.ROOT, "writing %d objects of %s under %s/%s...%n", data.count(),
        new ByteSize(data.size()), bucket, data.prefix());
    err.flush();
    // Many writers even for a one-client LIST run: a server commits concurrent writes together,
    // and 100,000 one-at-a-time synced PUTs would take longer than the benchmark itself.
    int writers = (int) Math.min(populateClients, data.count());
    Measurement m = run.run(Workloads.populate(data), writers, Duration.ZERO, Duration.ZERO,
        data.count());
    if (m.errors() > 0) {
      throw new IOException("writing the data set failed " + m.errors() + " times; the first: "
          + m.firstError());
    }
    err.printf(Locale.ROOT, "  done in %.1fs (%.0f objects/s)%n", m.seconds(),
        data.count() / m.seconds());
    BenchRun.Response r = run.once(Op.put(data.markerPath(), 0));
    if (r.status() / 100 != 2) {
      throw new IOException("PUT " + data.markerPath() + ": HTTP " + r.status()
          + Client.describe(r.body()));
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
