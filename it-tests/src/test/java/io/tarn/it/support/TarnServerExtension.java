package io.tarn.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Starts one Tarn server per test class (a child JVM on 127.0.0.1 with a fresh data directory)
 * and always stops it after the class, failed or not. Register it in a static field:
 *
 * <pre>
 * &#64;RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
 * </pre>
 *
 * <p>It hands out SDK clients for the running server (rebuilt after a restart, since the port
 * changes) and fails any test during which a response lacked {@code x-amz-request-id} or
 * {@code x-amz-id-2}. Server output goes to {@code target/it-servers/<TestClass>-<n>.log}.
 */
public final class TarnServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {
  private final ResponseHeaderAudit audit = new ResponseHeaderAudit();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private TarnServer server;
  private Path dataDir;
  private S3Client s3;
  private S3Client virtualHosted;
  private S3AsyncClient async;
  private S3AsyncClient multipartAsync;
  private S3Presigner presigner;
  private RawHttp raw;
  private final List<String> serverArgs;

  public TarnServerExtension() {
    this(List.of());
  }

  /** A server started with {@code serverArgs} appended to its command line. */
  public TarnServerExtension(List<String> serverArgs) {
    this.serverArgs = List.copyOf(serverArgs);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    Path target = targetDir();
    Files.createDirectories(target.resolve("it-data"));
    String name = context.getRequiredTestClass().getSimpleName();
    dataDir = Files.createTempDirectory(target.resolve("it-data"), name + "-");
    server = new TarnServer(name, dataDir, target.resolve("it-servers"), TarnServer.Credentials.random(), serverArgs);
    server.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (server == null) {
      throw new IllegalStateException("TarnServerExtension must be registered in a static field (one server per class)");
    }
    audit.drain();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> violations = audit.drain();
    if (!violations.isEmpty()) {
      throw new AssertionError("responses without the S3 request-id headers:\n  " + String.join("\n  ", violations));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      closeClients();
      if (server != null) {
        server.stop();
      }
    } finally {
      if (server != null && server.isRunning()) {
        server.kill();
      }
      deleteTree(dataDir);
    }
  }

  /**
   * Base URI for path-style requests: {@code http://127.0.0.1:<port>}, or {@code https://} for a server
   * started with {@code --tls-self-signed}.
   */
  public URI endpoint() {
    return tls() ? URI.create("https://127.0.0.1:" + port()) : S3Clients.pathStyleEndpoint(port());
  }

  private boolean tls() {
    return "https".equals(server.scheme());
  }

  /** The self-signed certificate of a server started with {@code --tls-self-signed} (its PEM file). */
  public Path tlsCertificate() {
    if (!tls()) {
      throw new IllegalStateException("the server does not speak TLS");
    }
    return dataDir.resolve("tls").resolve("self-signed-cert.pem");
  }

  /** Only {@link #s3()} and {@link #endpoint()} speak TLS; the other clients would fail obscurely. */
  private void requirePlainHttp(String client) {
    if (tls()) {
      throw new IllegalStateException(client + " speaks plain HTTP only; use s3() against a TLS server");
    }
  }

  public int port() {
    return server.port();
  }

  public String accessKey() {
    return server.root().accessKey();
  }

  public String secretKey() {
    return server.root().secretKey();
  }

  public AwsCredentialsProvider credentials() {
    return S3Clients.credentials(accessKey(), secretKey());
  }

  public Path dataDir() {
    return dataDir;
  }

  public TarnServer server() {
    return server;
  }

  /**
   * Sync path-style client (Apache HTTP client); over https, trusting exactly the server's self-signed
   * certificate, when the server speaks TLS.
   */
  public synchronized S3Client s3() {
    if (s3 == null) {
      s3 = track(tls() ? S3Clients.https(port(), tlsCertificate(), credentials(), audit)
          : S3Clients.pathStyle(port(), credentials(), audit));
    }
    return s3;
  }

  /** Sync virtual-hosted-style client ({@code <bucket>.localhost}, resolved in-process to 127.0.0.1). */
  public synchronized S3Client s3VirtualHosted() {
    requirePlainHttp("s3VirtualHosted()");
    if (virtualHosted == null) {
      virtualHosted = track(S3Clients.virtualHosted(port(), credentials(), audit));
    }
    return virtualHosted;
  }

  /** Async path-style client (Netty HTTP client). */
  public synchronized S3AsyncClient s3Async() {
    requirePlainHttp("s3Async()");
    if (async == null) {
      async = track(S3Clients.async(port(), credentials(), audit));
    }
    return async;
  }

  /** Async path-style client with the SDK's multipart client on, as the transfer manager wants it. */
  public synchronized S3AsyncClient s3MultipartAsync() {
    requirePlainHttp("s3MultipartAsync()");
    if (multipartAsync == null) {
      multipartAsync = track(S3Clients.multipartAsync(port(), credentials(), audit));
    }
    return multipartAsync;
  }

  public synchronized S3Presigner presigner() {
    requirePlainHttp("presigner()");
    if (presigner == null) {
      presigner = track(S3Clients.presigner(port(), credentials()));
    }
    return presigner;
  }

  /** A path-style client with other credentials; closed with the server's clients. */
  public synchronized S3Client s3With(AwsCredentialsProvider credentials) {
    requirePlainHttp("s3With()");
    return track(S3Clients.pathStyle(port(), credentials, audit));
  }

  /** Wire-level requests signed with the root credentials. */
  public synchronized RawHttp raw() {
    requirePlainHttp("raw()");
    if (raw == null) {
      raw = new RawHttp(port(), server.root(), audit);
    }
    return raw;
  }

  /**
   * Stops the server with SIGTERM (failing if it does not exit in time) and starts it on the same
   * data; returns the exit code of the stopped process.
   */
  public synchronized int restart() {
    closeClients();
    int code = server.stop();
    server.start();
    return code;
  }

  /**
   * Stops the server with SIGTERM (failing if it does not exit in time), so that offline tools can
   * work on its data directory; {@link #start} starts it again on the same data. Returns its exit code.
   */
  public synchronized int stop() {
    closeClients();
    return server.stop();
  }

  /**
   * Sends the server signal {@code name} ({@code TERM}, {@code INT}) and returns at once; the test
   * watches the drain with {@link #awaitOutput} and collects the exit code with {@link #awaitExit}.
   */
  public void signal(String name) {
    server.signal(name);
  }

  /**
   * Waits for the signalled server to exit and returns its exit code (failing if it does not exit
   * within {@code timeout}); {@link #start} starts it again on the same data.
   */
  public synchronized int awaitExit(java.time.Duration timeout) {
    int code = server.awaitExit(timeout);
    closeClients();
    return code;
  }

  /** Waits for a line of the server's output containing {@code fragment}, and returns it. */
  public String awaitOutput(String fragment, java.time.Duration timeout) {
    return server.awaitOutput(fragment, timeout);
  }

  /** Kills the server with SIGKILL: what it had not written to the OS is lost. */
  public synchronized void kill() {
    closeClients();
    server.kill();
  }

  /**
   * Starts the server stopped by {@link #stop} or {@link #kill} on the same data (the port changes),
   * with {@code oneTimeArgs} for this start only.
   */
  public synchronized void start(String... oneTimeArgs) {
    server.start(List.of(oneTimeArgs));
  }

  /** How a start the server refused ended: its exit code and everything it printed. */
  public record Refusal(int exitCode, String output) {}

  /**
   * Starts the stopped server with {@code oneTimeArgs} and expects it to exit without serving;
   * fails if it becomes ready.
   */
  public synchronized Refusal startExpectingRefusal(String... oneTimeArgs) {
    int code = server.startExpectingExit(List.of(oneTimeArgs));
    try {
      return new Refusal(code, Files.readString(server.logFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + server.logFile(), e);
    }
  }

  /** Kills the server with SIGKILL, then starts it again on the same data. */
  public synchronized void killAndRestart() {
    closeClients();
    server.kill();
    server.start();
  }

  private <T extends AutoCloseable> T track(T client) {
    clients.add(client);
    return client;
  }

  private synchronized void closeClients() {
    for (AutoCloseable c : clients) {
      try {
        c.close();
      } catch (Exception e) {
        // A client failing to close must not keep the server from stopping.
        System.err.println("[it-tests] closing an SDK client failed: " + e);
      }
    }
    clients.clear();
    s3 = null;
    virtualHosted = null;
    async = null;
    multipartAsync = null;
    presigner = null;
    raw = null;
  }

  /** {@code target/} of the it-tests module (surefire runs with the module as working directory). */
  public static Path targetDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target");
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
