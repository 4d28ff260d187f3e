package io.tarn.it.ops;

import static io.tarn.it.support.TestData.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.RawHttp;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Issue 14's health endpoints and graceful drain, against the real server process
 * (docs/ops/health-and-drain.md): the probes answer without credentials and say which check fails;
 * SIGTERM during a throttled 50 MiB upload lets it finish (200, whole object after a restart) while
 * new connections are refused, idle ones closed and new requests on open ones answered 503, then
 * exits 0; a second SIGTERM exits at once; a grace that runs out cuts what is left and still exits 0.
 */
class HealthAndDrainTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();

  private static final Duration EXIT = Duration.ofSeconds(60);
  private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();

  @AfterAll
  static void stopClients() {
    CLIENTS.shutdownNow();
  }

  // ---- health

  @Test
  void healthEndpointsAnswerWithoutCredentials() {
    RawHttp.RawResponse live = TARN.raw().anonymous("GET", "/_tarn/health/live", Map.of(), null);
    assertEquals(200, live.status(), live.toString());
    assertEquals("{\"status\":\"up\"}", live.text());
    assertEquals("application/json", live.header("Content-Type"));

    RawHttp.RawResponse ready = TARN.raw().anonymous("GET", "/_tarn/health/ready", Map.of(), null);
    assertEquals(200, ready.status(), ready.toString());
    assertEquals("{\"status\":\"ready\",\"checks\":{\"storage\":\"ok\",\"disk\":\"ok\",\"drain\":\"ok\"}}", ready.text());

    RawHttp.RawResponse head = TARN.raw().anonymous("HEAD", "/_tarn/health/ready", Map.of(), null);
    assertEquals(200, head.status());
    // Credentials that do not even exist are not looked at: a probe never fails for them.
    RawHttp.RawResponse junk = TARN.raw().anonymous("GET", "/_tarn/health/live",
        Map.of("Authorization", "AWS4-HMAC-SHA256 Credential=NOPE/20250101/us-east-1/s3/aws4_request,"
            + " SignedHeaders=host, Signature=00"), null);
    assertEquals(200, junk.status(), junk.toString());
  }

  @Test
  void readyIs503WhileTheDiskIsBelowTheFreeSpaceFloorAndObjectWritesAreRefused() {
    String bucket = TestData.bucketName("floor");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    TARN.stop();
    // A simulated 1 GiB disk under a 2 GiB floor: below it from the start.
    TARN.start("--test-disk-capacity", "1GiB", "--min-free-space", "2GiB", "--space-reserve", "0");
    try {
      RawHttp.RawResponse ready = TARN.raw().anonymous("GET", "/_tarn/health/ready", Map.of(), null);
      assertEquals(503, ready.status(), ready.toString());
      assertEquals("{\"status\":\"not_ready\",\"checks\":{\"storage\":\"ok\",\"disk\":\"below_floor\",\"drain\":\"ok\"}}",
          ready.text());
      assertEquals(200, TARN.raw().anonymous("GET", "/_tarn/health/live", Map.of(), null).status(),
          "alive: a full disk is no reason to restart the process");
      S3Exception refused = assertThrows(S3Exception.class, () -> TARN.s3().putObject(r -> r.bucket(bucket).key("k"),
          RequestBody.fromBytes(new byte[1024])));
      assertEquals(507, refused.statusCode(), "readiness and write admission use the same floor");
    } finally {
      TARN.stop();
      TARN.start();
    }
    assertEquals(200, TARN.raw().anonymous("GET", "/_tarn/health/ready", Map.of(), null).status());
  }

  // ---- drain

  @Test
  void sigtermDuringAThrottledUploadLetsItFinishRefusesNewWorkAndExitsZero() throws Exception {
    String bucket = TestData.bucketName("drain");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    byte[] data = TestData.bytes(50 * MIB, 14);
    int port = TARN.port();
    byte[] head = TARN.raw().signedHead("PUT", "/" + bucket + "/big", Map.of(), data);

    // An idle keep-alive connection, one that has begun a request head, and the upload at 10 MiB/s.
    Socket idle = connect(port);
    send(idle, get("/_tarn/health/live", port));
    assertEquals(200, read(idle).status());
    Socket midHead = connect(port);
    byte[] probe = get("/_tarn/health/ready", port);
    send(midHead, Arrays.copyOf(probe, 20));
    Socket midS3 = connect(port);
    byte[] s3Get = get("/" + bucket + "/big", port);
    send(midS3, Arrays.copyOf(s3Get, 12));
    Socket upload = connect(port);
    CompletableFuture<Response> uploaded = CompletableFuture.supplyAsync(() -> {
      try {
        send(upload, head);
        sendThrottled(upload, data, 10 * MIB);
        return read(upload);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, CLIENTS);

    Thread.sleep(1500); // about 15 MiB sent
    assertFalse(uploaded.isDone(), "the upload is still in flight when the signal comes");
    TARN.signal("TERM");
    String draining = TARN.awaitOutput("Tarn draining", Duration.ofSeconds(10));
    assertTrue(draining.strip().endsWith(" INFO io.tarn.server.ops.GracefulShutdown: Tarn draining (1 requests in flight,"
        + " grace 30s)"), draining); // a server log line

    // A request completed on an open connection during the drain: readiness says draining...
    send(midHead, Arrays.copyOfRange(probe, 20, probe.length));
    Response notReady = read(midHead);
    assertEquals(503, notReady.status(), notReady.toString());
    assertEquals("{\"status\":\"not_ready\",\"checks\":{\"storage\":\"ok\",\"disk\":\"ok\",\"drain\":\"draining\"}}",
        notReady.text());
    assertEquals("close", notReady.header("connection"));
    // ...and an S3 request is refused with S3's error for it, closing the connection.
    send(midS3, Arrays.copyOfRange(s3Get, 12, s3Get.length));
    Response refused = read(midS3);
    assertEquals(503, refused.status(), refused.toString());
    assertTrue(refused.text().contains("<Code>ServiceUnavailable</Code>"), refused.text());
    assertEquals("close", refused.header("connection"));
    // The listener is closed: a new connection is refused by the operating system.
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
        "the listening socket is closed before the drain's line is printed");
    // The idle connection was closed by the server.
    idle.setSoTimeout(10_000);
    assertEquals(-1, readOrEof(idle.getInputStream()), "an idle keep-alive connection is closed at the drain's start");
    assertFalse(uploaded.isDone(), "the upload is still going: the drain waits for it");

    Response done = uploaded.get(60, TimeUnit.SECONDS);
    assertEquals(200, done.status(), done.toString());
    assertEquals(TestData.etag(data), done.header("etag"));
    assertEquals("close", done.header("connection"));
    assertEquals(0, TARN.awaitExit(EXIT), "a graceful stop exits 0");
    String output = TARN.server().output();
    assertTrue(output.contains("Tarn stopped"), output);
    assertFalse(output.contains("Exception"), "no exception at shutdown:\n" + output);
    for (Socket s : new Socket[] {idle, midHead, midS3, upload}) {
      s.close();
    }

    TARN.start();
    assertArrayEquals(data, TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key("big")).asByteArray(),
        "the upload acknowledged during the drain reads back whole from a restarted server");
    assertEquals(TestData.etag(data), TARN.s3().headObject(r -> r.bucket(bucket).key("big")).eTag());
  }

  @Test
  void aSecondSigtermExitsAtOnce() throws Exception {
    String bucket = TestData.bucketName("twice");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    byte[] data = TestData.bytes(50 * MIB, 15);
    int port = TARN.port();
    Socket upload = connect(port);
    send(upload, TARN.raw().signedHead("PUT", "/" + bucket + "/slow", Map.of(), data));
    CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
      try {
        sendThrottled(upload, data, 2 * MIB); // 25 s: longer than this test waits
      } catch (IOException e) {
        // the server went away: expected
      }
    }, CLIENTS);
    try {
      Thread.sleep(500);
      TARN.signal("TERM");
      TARN.awaitOutput("Tarn draining (1 requests in flight", Duration.ofSeconds(10));
      long t0 = System.nanoTime();
      TARN.signal("TERM");
      int code = TARN.awaitExit(EXIT);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(143, code, "128 + SIGTERM: a stop that did not finish its drain");
      assertTrue(ms < 5_000, "exited " + ms + " ms after the second signal");
      assertTrue(TARN.server().output().contains("Tarn stopping at once (a second signal): 1 requests in flight are cut"),
          TARN.server().output());
    } finally {
      upload.close();
      sending.join();
      TARN.start();
    }
    assertEquals(404, TARN.raw().signed("HEAD", "/" + bucket + "/slow", "", Map.of(), null).status(),
        "the cut upload was never acknowledged nor stored");
  }

  @Test
  void whenTheGraceRunsOutTheRestIsCutAndTheExitIsStillZero() throws Exception {
    TARN.stop();
    TARN.start("--shutdown-grace", "1s");
    String bucket = TestData.bucketName("grace");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    byte[] data = TestData.bytes(50 * MIB, 16);
    int port = TARN.port();
    Socket upload = connect(port);
    send(upload, TARN.raw().signedHead("PUT", "/" + bucket + "/cut", Map.of(), data));
    CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
      try {
        sendThrottled(upload, data, 2 * MIB);
      } catch (IOException e) {
        // cut by the server: expected
      }
    }, CLIENTS);
    try {
      Thread.sleep(500);
      long t0 = System.nanoTime();
      TARN.signal("TERM");
      assertEquals(0, TARN.awaitExit(EXIT));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(ms < 15_000, "stopped " + ms + " ms after the signal, with a grace of 1 s");
      String output = TARN.server().output();
      assertTrue(output.contains("Tarn draining (1 requests in flight, grace 1s)"), output);
      assertTrue(output.lines().anyMatch(l -> l.contains("WARNING") && l.contains("the shutdown grace of 1s ran out: cutting 1 requests still in flight")), output);
      assertTrue(output.contains("Tarn stopped"), output);
      assertFalse(output.contains("Exception"), "no exception at shutdown:\n" + output);
    } finally {
      upload.close();
      sending.join();
      TARN.start();
    }
    assertEquals(404, TARN.raw().signed("HEAD", "/" + bucket + "/cut", "", Map.of(), null).status());
  }

  // ---- wire helpers

  private record Response(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return status + " " + headers + "\n" + text();
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(60_000);
    return s;
  }

  /** An unsigned GET, kept alive (HTTP/1.1's default). */
  private static byte[] get(String path, int port) {
    return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static void send(Socket s, byte[] bytes) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  /** Sends {@code data} at about {@code bytesPerSecond}, in 64 KiB writes. */
  private static void sendThrottled(Socket s, byte[] data, long bytesPerSecond) throws IOException {
    OutputStream out = s.getOutputStream();
    long start = System.nanoTime();
    int chunk = 64 << 10;
    for (int off = 0; off < data.length; off += chunk) {
      int n = Math.min(chunk, data.length - off);
      out.write(data, off, n);
      long due = start + (long) ((off + n) * 1e9 / bytesPerSecond);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
    out.flush();
  }

  private static int readOrEof(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketException reset) {
      return -1; // a reset is a close too
    }
  }

  /** One response: its head, then a Content-Length body. */
  private static Response read(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before a response head; got: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
      }
    }
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Response(status, headers, body);
  }
}
