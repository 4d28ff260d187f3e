package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.TestRequest;
import io.tarn.storage.ObjectMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a real socket shows: connections over the per-address cap closed at once, a full
 * global cap giving the place of the connection waiting longest for a request to a newcomer (and
 * refusing only when every connection has a request in progress), and a client that stops reading
 * its response dropped after the write timeout.
 */
class S3ServerLimitsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  @TempDir static Path dir;
  private static S3Fixture fixture;
  private static WorkerPool workers;
  private final List<S3Server> servers = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeAll
  static void openStore() {
    fixture = S3Fixture.open(dir);
    workers = new WorkerPool(2, 1000, Executors.defaultThreadFactory());
  }

  @AfterAll
  static void closeStore() {
    workers.close();
    fixture.close();
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    servers.forEach(S3Server::close);
  }

  private S3Server start(S3Server.Limits limits) throws InterruptedException {
    S3Server s = S3Server.start(new InetSocketAddress("127.0.0.1", 0), fixture.api(), workers, null, limits);
    servers.add(s);
    return s;
  }

  private Socket connect(S3Server server, String from) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(server.address(), (int) TIMEOUT.toMillis());
    s.setSoTimeout((int) TIMEOUT.toMillis());
    return s;
  }

  /** Whether the server closed the connection without a byte (EOF or reset). */
  private static boolean closedAtOnce(Socket s) throws IOException {
    s.setSoTimeout(5000);
    try {
      return s.getInputStream().read() == -1;
    } catch (SocketException reset) {
      return true;
    }
  }

  /** Whether a request on this connection is answered (anything S3, here a 404 for a missing bucket). */
  private static boolean served(Socket s, S3Server server) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(TestRequest.get("/nobucket/k").header("Host", "127.0.0.1:" + server.address().getPort()).build().wire());
    out.flush();
    return readResponse(s.getInputStream()).startsWith("HTTP/1.1 404");
  }

  /** One response with a Content-Length body, whole, so that the next one can follow. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        return head.toString();
      }
      head.append((char) c);
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
    return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  @Test
  void overThePerAddressCapNewConnectionsAreClosedAtOnceAndOtherAddressesStillGetIn() throws Exception {
    S3Server server = start(S3Server.Limits.defaults().withConnections(100, 3));
    List<Socket> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(connect(server, "127.0.0.1"));
    }
    assertTrue(served(held.get(0), server));
    assertTrue(closedAtOnce(connect(server, "127.0.0.1")), "the fourth connection from one address");
    assertTrue(served(connect(server, "127.0.0.2"), server), "another address is not affected");
    held.get(1).close();
    // The count drops when the server sees the close; then the address gets a place again.
    long until = System.nanoTime() + TIMEOUT.toNanos();
    boolean in = false;
    while (!in && System.nanoTime() < until) {
      Socket s = connect(server, "127.0.0.1");
      in = !closedAtOnceWithin(s, 200) && served(s, server);
    }
    assertTrue(in, "a place freed by a close is given again");
  }

  /**
   * Waits until {@code n} connections wait for a request: a connection counts as idle from when its
   * event loop has written its response, which the client may read before that.
   */
  private static void idle(S3Server server, int n) throws InterruptedException {
    long until = System.nanoTime() + TIMEOUT.toNanos();
    while (server.connectionLimits().waiting() != n && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertEquals(n, server.connectionLimits().waiting(), "connections waiting for a request");
  }

  /** Whether the connection is closed within {@code millis} without a byte; false if still open. */
  private static boolean closedAtOnceWithin(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    try {
      return s.getInputStream().read() == -1;
    } catch (java.net.SocketTimeoutException open) {
      s.setSoTimeout((int) TIMEOUT.toMillis());
      return false;
    } catch (SocketException reset) {
      return true;
    }
  }

  @Test
  void aFullGlobalCapEvictsTheConnectionWaitingLongestForARequestWhateverItsAddress() throws Exception {
    // The server admits connections in the order it accepts them; each step waits until the
    // connections it served count as idle, so that "idle longest" is what the test means.
    S3Server server = start(S3Server.Limits.defaults().withConnections(2, 0));
    Socket a = connect(server, "127.0.0.1");
    assertTrue(served(a, server));
    idle(server, 1); // a waits from when its loop has finished the response, which the client may see first
    Socket b = connect(server, "127.0.0.2");
    assertTrue(served(b, server));
    idle(server, 2); // both idle now; a since its response, which came first
    Socket c = connect(server, "127.0.0.3");
    assertTrue(served(c, server), "the newcomer is served");
    idle(server, 2);
    assertTrue(closedAtOnce(a), "in the place of the connection idle longest");
    assertTrue(served(b, server), "the other one is unaffected");
    idle(server, 2); // b idle now since after c
    Socket d = connect(server, "127.0.0.4");
    assertTrue(closedAtOnce(c), "c has been idle longer than b");
    d.getOutputStream().write("GET /nobucket/k HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.US_ASCII));
    Socket e = connect(server, "127.0.0.5");
    assertTrue(closedAtOnce(b), "b has been idle since before d was accepted");
    Socket f = connect(server, "127.0.0.6");
    assertTrue(closedAtOnce(d), "a head still arriving waits since its connection was accepted, before e");
    assertTrue(served(e, server));
    assertTrue(served(f, server));
  }

  @Test
  void connectionsWithARequestInProgressAreNeverEvictedAndANewcomerIsRefusedWhenAllHaveOne() throws Exception {
    S3Server server = start(S3Server.Limits.defaults().withConnections(2, 0));
    String bkt = fixture.newBucket();
    String host = "127.0.0.1:" + server.address().getPort();
    int size = 32 << 20; // far more than the socket buffers on both sides hold
    fixture.putObject(bkt, "big", S3Fixture.bytes(size), ObjectMetadata.of(null, Map.of()));
    // A download the client does not read yet: a response being written.
    Socket reader = new Socket();
    sockets.add(reader);
    reader.setReceiveBufferSize(16 << 10);
    reader.connect(server.address(), (int) TIMEOUT.toMillis());
    reader.setSoTimeout((int) TIMEOUT.toMillis());
    reader.getOutputStream().write(TestRequest.get("/" + bkt + "/big").header("Host", host).build().wire());
    InputStream download = reader.getInputStream();
    assertEquals('H', download.read(), "the response has begun");
    // An upload half sent: a body in progress. Its 100 Continue shows that its head was read.
    Socket uploader = connect(server, "127.0.0.2");
    TestRequest.Built put = TestRequest.put("/" + bkt + "/k").header("Host", host).expectContinue()
        .body(S3Fixture.bytes(100_000)).build();
    uploader.getOutputStream().write(put.headBytes());
    assertTrue(readResponse(uploader.getInputStream()).startsWith("HTTP/1.1 100"));
    byte[] body = put.wireBody();
    uploader.getOutputStream().write(body, 0, body.length / 2);
    assertTrue(closedAtOnce(connect(server, "127.0.0.3")), "nothing to evict: refused");
    uploader.getOutputStream().write(body, body.length / 2, body.length - body.length / 2);
    assertTrue(readResponse(uploader.getInputStream()).startsWith("HTTP/1.1 200"), "the upload completes");
    long received = drain(download, size);
    assertEquals(size, received, "the download completes");
    // Both wait for their next request now: a newcomer takes the place of the uploader, idle longer.
    Socket late = connect(server, "127.0.0.4");
    assertTrue(served(late, server));
    assertTrue(closedAtOnce(uploader));
  }

  @Test
  void aClientThatStopsReadingItsResponseIsDroppedAfterTheWriteTimeout() throws Exception {
    S3Server server = start(S3Server.Limits.defaults()
        .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(1)));
    String bkt = fixture.newBucket();
    String host = "127.0.0.1:" + server.address().getPort();
    int size = 32 << 20; // far more than the socket buffers on both sides hold
    try (Socket put = connect(server, "127.0.0.1")) {
      put.getOutputStream().write(TestRequest.put("/" + bkt + "/big").header("Host", host)
          .payload(TestRequest.Payload.UNSIGNED).body(S3Fixture.bytes(size)).build().wire());
      assertTrue(readResponse(put.getInputStream()).startsWith("HTTP/1.1 200"));
    }
    Socket s = new Socket();
    sockets.add(s);
    s.setReceiveBufferSize(16 << 10);
    s.connect(server.address(), (int) TIMEOUT.toMillis());
    // Connection: close, so that a complete response ends the stream too.
    s.getOutputStream().write(TestRequest.get("/" + bkt + "/big").header("Host", host).header("Connection", "close").build().wire());
    Thread.sleep(4000); // reads nothing: the server's writes stall
    long received = assertTimeoutPreemptively(TIMEOUT, () -> drain(s.getInputStream()));
    assertTrue(received < size, "the stalled reader was dropped, having received " + received + " bytes");
  }

  /** Reads the rest of a response head and {@code length} bytes of body; returns the body bytes read. */
  private static long drain(InputStream in, long length) throws IOException {
    String head = "H";
    while (!head.endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        return 0;
      }
      head += (char) c;
    }
    assertTrue(head.startsWith("HTTP/1.1 200"), head);
    long n = 0;
    byte[] buf = new byte[64 << 10];
    int r;
    while (n < length && (r = in.read(buf, 0, (int) Math.min(buf.length, length - n))) >= 0) {
      n += r;
    }
    return n;
  }

  /** Reads until the end or a reset; returns the byte count. */
  private static long drain(InputStream in) throws IOException {
    long n = 0;
    byte[] buf = new byte[64 << 10];
    try {
      int r;
      while ((r = in.read(buf)) >= 0) {
        n += r;
      }
    } catch (SocketException reset) {
      // dropped
    }
    return n;
  }
}
