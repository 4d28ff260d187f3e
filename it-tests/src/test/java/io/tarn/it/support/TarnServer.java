package io.tarn.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Tarn server running as a child JVM, started with the fixed start contract:
 * {@code java -cp <test classpath> io.tarn.server.Main server --data <dir> --address 127.0.0.1:0
 * --region us-east-1 --domain localhost}. A child process rather than an in-process server so that a
 * test can kill it with SIGKILL and check what survived on disk.
 *
 * <p>Its merged stdout/stderr is copied line by line to a log file under {@code target/it-servers/}
 * and kept draining for the life of the process (a full pipe would block the server).
 */
public final class TarnServer implements AutoCloseable {
  public static final String MAIN_CLASS = "io.tarn.server.Main";
  public static final String REGION = "us-east-1";
  public static final String DOMAIN = "localhost";
  static final Pattern READY = Pattern.compile("Tarn ready: S3 API on (https?)://([^\\s:]+):(\\d+)");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  /**
   * A small heap on purpose: object bodies must be streamed, never held whole, so even the 100 MiB
   * uploads of the CLI tests have to fit.
   */
  private static final String MAX_HEAP = "-Xmx512m";
  /**
   * JVM options for every tarn process the tests start (servers and CLI calls). Start-up is most of
   * what these JVMs do, and the suite starts hundreds on a 2-core CI machine: stopping at the C1
   * compiler halves the CPU a server start takes (about 4.2 s to 2.4 s measured here) and a CLI call
   * takes (1.6 s to 0.7 s); the serial collector adds no GC threads to compete for the two cores.
   * The price is throughput in long, busy servers (5,000 PUTs about 20 % slower), far less than the
   * start-ups save: AdminCliTest 311 s to 120 s, MultipartTest 24 s to 16 s on a loaded machine.
   * {@code tarn.it.jvm.options} (space-separated) replaces them, e.g. to compare timings.
   */
  public static final List<String> JVM_OPTIONS = jvmOptions();

  /** Children still alive, killed if the test JVM exits without stopping them (e.g. a fork timeout). */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "tarn-it-reaper"));
  }

  private final String name;
  private final Path dataDir;
  private final Path logDir;
  private final Credentials root;
  private final List<String> extraArgs;
  private boolean viaLauncher;
  private int starts;
  private Process process;
  private OutputPump pump;
  private Path logFile;
  private int port = -1;
  private String scheme;

  /** Root credentials handed to the server through TARN_ROOT_ACCESS_KEY / TARN_ROOT_SECRET_KEY. */
  public record Credentials(String accessKey, String secretKey) {
    public static Credentials random() {
      return new Credentials("TARNIT" + randomChars(14, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
          randomChars(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"));
    }
  }

  /** With {@code root} null the server generates its root credentials (and prints them) itself. */
  public TarnServer(String name, Path dataDir, Path logDir, Credentials root) {
    this(name, dataDir, logDir, root, List.of());
  }

  /** With {@code extraArgs} appended to the start contract, e.g. {@code --tls-self-signed}. */
  public TarnServer(String name, Path dataDir, Path logDir, Credentials root, List<String> extraArgs) {
    this.name = name;
    this.dataDir = dataDir;
    this.logDir = logDir;
    this.root = root;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Makes the next starts go through the {@code tarn} launcher script ({@link #launcherCommand}),
   * with its own JVM flags, rather than the main class on the test classpath.
   */
  public synchronized TarnServer viaLauncher() {
    viaLauncher = true;
    return this;
  }

  /** Starts the server and waits for its ready line. */
  public synchronized void start() {
    start(List.of());
  }

  /** Starts the server with {@code oneTimeArgs} appended for this start only, and waits for its ready line. */
  public synchronized void start(List<String> oneTimeArgs) {
    launch(oneTimeArgs);
    port = awaitReady();
  }

  /**
   * Starts the server with {@code oneTimeArgs} for this start only and waits for it to exit on its own
   * (a start it refuses); fails if it prints its ready line instead. Its output is in {@link #logFile()}.
   *
   * @return the exit code
   */
  public synchronized int startExpectingExit(List<String> oneTimeArgs) {
    launch(oneTimeArgs);
    try {
      Matcher ready = pump.ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      kill();
      throw new IllegalStateException("server " + name + " started (" + ready.group() + ") instead of refusing");
    } catch (ExecutionException e) {
      int code = waitForExit(Duration.ofSeconds(10));
      if (code == Integer.MIN_VALUE) {
        kill();
        throw new IllegalStateException("server " + name + " ended its output but did not exit:\n" + pump.tail());
      }
      release();
      return code;
    } catch (TimeoutException e) {
      kill();
      throw new IllegalStateException("server " + name + " neither started nor exited within "
          + READY_TIMEOUT.toSeconds() + " s; output:\n" + pump.tail());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new IllegalStateException("interrupted while starting " + name, e);
    }
  }

  private void launch(List<String> oneTimeArgs) {
    if (isRunning()) {
      throw new IllegalStateException("server " + name + " is already running");
    }
    try {
      Files.createDirectories(logDir);
      logFile = logDir.resolve(name + "-" + (++starts) + ".log");
      ProcessBuilder pb = new ProcessBuilder(command(oneTimeArgs)).redirectErrorStream(true);
      if (viaLauncher) {
        pb.environment().putAll(launcherEnvironment());
      }
      if (root != null) {
        pb.environment().put("TARN_ROOT_ACCESS_KEY", root.accessKey());
        pb.environment().put("TARN_ROOT_SECRET_KEY", root.secretKey());
      } else {
        pb.environment().remove("TARN_ROOT_ACCESS_KEY");
        pb.environment().remove("TARN_ROOT_SECRET_KEY");
      }
      process = pb.start();
      LIVE.add(process);
      process.getOutputStream().close();
      pump = new OutputPump(process.getInputStream(), logFile);
      pump.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + MAIN_CLASS, e);
    }
  }

  private List<String> command(List<String> oneTimeArgs) {
    String[] contract = {"server", "--data", dataDir.toString(), "--address", "127.0.0.1:0",
        "--region", REGION, "--domain", DOMAIN};
    List<String> cmd = viaLauncher ? launcherCommand(contract) : tarnCommand(contract);
    cmd.addAll(extraArgs);
    cmd.addAll(oneTimeArgs);
    return cmd;
  }

  /**
   * The command line of {@code tarn ARGS} through the launcher {@code mvn package} builds,
   * {@code server/target/tarn} (system property {@code tarn.it.launcher}, set by the pom), so that a
   * broken launcher fails the tests that use it. It runs the shaded {@code tarn.jar} beside it; the
   * environment must name the Java to use ({@link #launcherEnvironment()}). Without the launcher (a
   * run that stopped before {@code package}) this is {@link #tarnCommand}, except with {@code CI=true},
   * where it fails.
   */
  public static List<String> launcherCommand(String... args) {
    Path launcher = Path.of(System.getProperty("tarn.it.launcher", "../server/target/tarn")).toAbsolutePath().normalize();
    if (!Files.isExecutable(launcher)) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("the tarn launcher " + launcher + " is missing: run the it-tests with"
            + " 'mvn verify' (its package phase builds it)");
      }
      return tarnCommand(args);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(launcher.toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The environment the launcher needs: the tests' own Java as JAVA_HOME. */
  public static Map<String, String> launcherEnvironment() {
    return Map.of("JAVA_HOME", System.getProperty("java.home"));
  }

  /** The command line of {@code tarn ARGS}: the server's main class in a JVM of its own. */
  public static List<String> tarnCommand(String... args) {
    // tarn.it.server.classpath lets a developer run against freshly compiled module classes
    // without installing them first; by default the server runs from the test classpath.
    String classpath = System.getProperty("tarn.it.server.classpath", System.getProperty("java.class.path"));
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalStateException("java.class.path is empty: cannot find the tarn-server classes");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(MAX_HEAP);
    cmd.addAll(JVM_OPTIONS);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(MAIN_CLASS);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static List<String> jvmOptions() {
    String given = System.getProperty("tarn.it.jvm.options");
    if (given == null) {
      return List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    }
    return given.isBlank() ? List.of() : List.of(given.trim().split("\\s+"));
  }

  private int awaitReady() {
    Matcher ready;
    try {
      ready = pump.ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      kill();
      throw new IllegalStateException("server " + name + " printed no ready line within " + READY_TIMEOUT.toSeconds()
          + " s; output:\n" + pump.tail());
    } catch (ExecutionException e) {
      int code = waitForExit(Duration.ofSeconds(10));
      if (code == Integer.MIN_VALUE) {
        kill();
      } else {
        release();
      }
      throw new IllegalStateException("server " + name + " exited (code " + code + ") before its ready line; output:\n"
          + pump.tail(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new IllegalStateException("interrupted while starting " + name, e);
    }
    // Tests only ever talk to the loopback address they asked the server to bind.
    if (!"127.0.0.1".equals(ready.group(2))) {
      kill();
      throw new IllegalStateException("server bound " + ready.group(2) + ", not 127.0.0.1: " + ready.group());
    }
    scheme = ready.group(1);
    return Integer.parseInt(ready.group(3));
  }

  /** Stops the server with SIGTERM and waits for a clean exit; returns its exit code. */
  public synchronized int stop() {
    if (process == null) {
      return 0;
    }
    process.destroy();
    int code = waitForExit(STOP_TIMEOUT);
    if (code == Integer.MIN_VALUE) {
      kill();
      throw new IllegalStateException("server " + name + " did not stop within " + STOP_TIMEOUT.toSeconds()
          + " s of SIGTERM; output:\n" + pump.tail());
    }
    release();
    return code;
  }

  /**
   * Sends signal {@code name} ({@code TERM}, {@code INT}) to the server with {@code kill}, without
   * waiting for anything: a test can then watch the drain ({@link #awaitOutput}) and the exit
   * ({@link #awaitExit}).
   */
  public synchronized void signal(String name) {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("server " + name + " is not running");
    }
    try {
      Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -s " + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + name, e);
    }
  }

  /**
   * Waits for the server to exit by itself (after {@link #signal}) and returns its exit code; kills it
   * and fails if it does not exit within {@code timeout}.
   */
  public synchronized int awaitExit(Duration timeout) {
    if (process == null) {
      throw new IllegalStateException("server " + name + " was not started");
    }
    int code = waitForExit(timeout);
    if (code == Integer.MIN_VALUE) {
      kill();
      throw new IllegalStateException("server " + name + " did not exit within " + timeout.toSeconds() + " s; output:\n"
          + pump.tail());
    }
    release();
    return code;
  }

  /**
   * Waits until the current run printed a line containing {@code fragment}, and returns that line;
   * fails after {@code timeout}. Not synchronized: the server may be stopped meanwhile.
   */
  public String awaitOutput(String fragment, Duration timeout) {
    OutputPump p;
    synchronized (this) {
      p = pump;
    }
    long until = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = p.find(fragment);
      if (line != null) {
        return line;
      }
      if (System.nanoTime() > until) {
        throw new IllegalStateException("server " + name + " printed no line with '" + fragment + "' within "
            + timeout.toSeconds() + " s; output:\n" + p.tail());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** Everything the current (or last) run printed so far. */
  public String output() {
    OutputPump p;
    synchronized (this) {
      p = pump;
    }
    return p == null ? "" : p.all();
  }

  /** Kills the server with SIGKILL: nothing it has not made durable survives. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    waitForExit(STOP_TIMEOUT);
    release();
  }

  /** Stops (SIGTERM) and starts again on the same data directory; the port changes. */
  public synchronized void restart() {
    stop();
    start();
  }

  private int waitForExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return Integer.MIN_VALUE;
      }
      pump.join(timeout.toMillis());
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Integer.MIN_VALUE;
    }
  }

  private void release() {
    LIVE.remove(process);
    process = null;
    port = -1;
  }

  /** The process running the server (with the launcher: the JVM it became). */
  public synchronized ProcessHandle processHandle() {
    if (process == null) {
      throw new IllegalStateException("server " + name + " is not running");
    }
    return process.toHandle();
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The port of the running server. */
  public synchronized int port() {
    if (port < 0) {
      throw new IllegalStateException("server " + name + " is not running");
    }
    return port;
  }

  /** {@code http} or {@code https}, as the running server's ready line said. */
  public synchronized String scheme() {
    if (scheme == null) {
      throw new IllegalStateException("server " + name + " has not started");
    }
    return scheme;
  }

  public Credentials root() {
    return root;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Log of the current (or last) run. */
  public synchronized Path logFile() {
    return logFile;
  }

  /** The last lines of the server output, for failure messages. */
  public synchronized String outputTail() {
    return pump == null ? "" : pump.tail();
  }

  @Override
  public void close() {
    stop();
  }

  private static String randomChars(int n, String alphabet) {
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** Copies the child's output to the log file, remembers the tail, and spots the ready line. */
  private static final class OutputPump extends Thread {
    private static final int TAIL_LINES = 200;
    final CompletableFuture<Matcher> ready = new CompletableFuture<>();
    private final InputStream in;
    private final Path logFile;
    private final Deque<String> tail = new ArrayDeque<>();
    /** Every line (a test server prints little), for {@link #find}. */
    private final List<String> lines = new ArrayList<>();

    OutputPump(InputStream in, Path logFile) {
      super("tarn-it-output-" + logFile.getFileName());
      setDaemon(true);
      this.in = in;
      this.logFile = logFile;
    }

    @Override
    public void run() {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
          Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
        String line;
        while ((line = reader.readLine()) != null) {
          log.write(line);
          log.write('\n');
          log.flush();
          remember(line);
          if (!ready.isDone()) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
              ready.complete(m);
            }
          }
        }
      } catch (IOException e) {
        remember("[it-tests] reading server output failed: " + e);
      } finally {
        ready.completeExceptionally(new IllegalStateException("output ended before the ready line"));
      }
    }

    synchronized String find(String fragment) {
      for (String line : lines) {
        if (line.contains(fragment)) {
          return line;
        }
      }
      return null;
    }

    synchronized String all() {
      return String.join("\n", lines);
    }

    private synchronized void remember(String line) {
      lines.add(line);
      if (tail.size() == TAIL_LINES) {
        tail.removeFirst();
      }
      tail.addLast(line);
    }

    synchronized String tail() {
      return String.join("\n", tail) + "\n[full log: " + logFile.toAbsolutePath() + "]";
    }
  }
}
