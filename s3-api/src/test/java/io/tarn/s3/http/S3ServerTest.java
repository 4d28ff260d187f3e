package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.TestRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pipeline on a loopback socket, for what an embedded channel cannot show: file regions
 * through the HTTP encoder to a socket, and the codec's own failures becoming S3 errors.
 */
class S3ServerTest {
  /** Headers the JDK client sets itself (and refuses to be given). */
  private static final List<String> CLIENT_SET = List.of("host", "content-length", "expect", "connection");
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  private static S3Fixture fixture;
  private static WorkerPool workers;
  private static S3Server server;
  private static HttpClient client;
  private static String bkt;

  @BeforeAll
  static void start() throws InterruptedException {
    fixture = S3Fixture.open(dir);
    bkt = fixture.newBucket();
    workers = new WorkerPool(2, 1000, Executors.defaultThreadFactory());
    server = S3Server.start(new InetSocketAddress("127.0.0.1", 0), fixture.api(), workers, null, S3Server.Limits.defaults());
    client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @AfterAll
  static void stop() {
    server.close();
    workers.close();
    fixture.close();
  }

  private static String authority() {
    return "127.0.0.1:" + server.address().getPort();
  }

  private static HttpResponse<byte[]> send(TestRequest request, boolean expectContinue) throws IOException, InterruptedException {
    TestRequest.Built b = request.header("Host", authority()).build();
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://" + authority() + b.target()))
        .timeout(TIMEOUT).expectContinue(expectContinue)
        .method(b.method(), b.wireBody().length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(b.wireBody()));
    for (Map.Entry<String, String> e : b.headers()) {
      if (!CLIENT_SET.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
        r.header(e.getKey(), e.getValue());
      }
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aLargeObjectRoundTripsThroughTheSocket() throws Exception {
    byte[] data = S3Fixture.bytes(3 << 20);
    HttpResponse<byte[]> put = send(TestRequest.put("/" + bkt + "/big").payload(TestRequest.Payload.UNSIGNED).body(data), true);
    assertEquals(200, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));

    HttpResponse<byte[]> get = send(TestRequest.get("/" + bkt + "/big"), false);
    assertEquals(200, get.statusCode());
    assertArrayEquals(data, get.body());

    // After a HEAD, the connection must still frame the next body right.
    HttpResponse<byte[]> head = send(TestRequest.head("/" + bkt + "/big"), false);
    assertEquals(Long.toString(data.length), head.headers().firstValue("Content-Length").orElse(""));
    assertEquals(0, head.body().length);

    HttpResponse<byte[]> range = send(TestRequest.get("/" + bkt + "/big").header("Range", "bytes=1000000-1999999"), false);
    assertEquals(206, range.statusCode());
    assertArrayEquals(Arrays.copyOfRange(data, 1_000_000, 2_000_000), range.body());
  }

  @Test
  void aMalformedRequestGetsAnS3ErrorAndTheConnectionCloses() throws IOException {
    try (Socket s = new Socket()) {
      s.connect(server.address(), (int) TIMEOUT.toMillis());
      s.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = s.getOutputStream();
      // Small enough to arrive in one read: closing with unread input would reset the connection.
      out.write(("PUT /" + bkt + "/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = readToEnd(s.getInputStream());
      assertTrue(response.startsWith("HTTP/1.1 400 "), response);
      assertTrue(response.contains("<Code>BadRequest</Code>"), response);
      assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), response);
    }
  }

  /** Everything the server sends until it closes the connection. */
  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
