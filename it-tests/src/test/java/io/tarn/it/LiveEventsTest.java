package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The live tail ({@code GET /_tarn/api/v1/buckets/{b}/events/live}) over raw HTTP: server-sent events
 * of committed mutations with their rules, then the deliveries' outcomes from a real receiver; who
 * may open it; and a tail that never reads, which must neither grow nor slow the others.
 */
class LiveEventsTest {
  /**
   * A small feed, so that a stalled tail overflows it (and the socket buffers) with 2,000 events; not so
   * small that a reader that keeps up misses some when the 2-core machine stalls the sender for a moment
   * (the sender is woken at once from half the feed on: 200 events of headroom).
   */
  private static final int QUEUE = 400;
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(List.of(
      "--live-tail-queue", Integer.toString(QUEUE), "--live-tails-per-user", "4"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static WebhookReceiver receiver;
  private static AdminClient admin;
  private static AdminClient api;

  @BeforeAll
  static void start() {
    receiver = new WebhookReceiver();
    admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    api = admin.webhooksApi();
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  /** A personal API token of whoever {@code client} signs as: a raw socket can send it as a bearer. */
  private static String token(AdminClient client) {
    return client.expect(201, "POST", "/tokens", Map.of("name", "live-" + System.nanoTime())).path("token").asText();
  }

  /** One open tail on a raw socket: the head read, the events read as they come. */
  static final class Tail implements AutoCloseable {
    final Socket socket = new Socket();
    final int status;
    final Map<String, String> headers = new java.util.HashMap<>();
    private final BufferedReader in;

    Tail(String bucket, String token) throws IOException {
      this(bucket, token, 0, true);
    }

    /** @param readHead false for a client that reads nothing at all, not even the response head */
    Tail(String bucket, String token, int receiveBuffer, boolean readHead) throws IOException {
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer); // before connecting: it sets the TCP window
      }
      socket.connect(new InetSocketAddress("127.0.0.1", TARN.port()), 5000);
      socket.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("GET /_tarn/api/v1/buckets/" + bucket + "/events/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Accept: text/event-stream\r\nAuthorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String statusLine = readHead ? in.readLine() : null;
      status = statusLine == null ? -1 : Integer.parseInt(statusLine.split(" ")[1]);
      if (statusLine != null) {
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
          int colon = line.indexOf(':');
          headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
      }
    }

    /** The next SSE message as {kind, data}, skipping chunk-size lines and heartbeat comments. */
    String[] next() throws IOException {
      String kind = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("event: ")) {
          kind = line.substring(7);
        } else if (line.startsWith("data: ") && kind != null) {
          return new String[] {kind, line.substring(6)};
        }
      }
      throw new IOException("the stream ended");
    }

    /** The next message of {@code kind}, skipping others. */
    JsonNode next(String kind) throws IOException {
      while (true) {
        String[] m = next();
        if (m[0].equals(kind)) {
          return JSON.readTree(m[1]);
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void showsTheCommittedEventWithItsRuleThenTheDelivery() throws Exception {
    String bucket = TestData.bucketName("live");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    String rule = api.expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url",
        receiver.url("/live").toString(), "events", List.of("s3:ObjectCreated:*"))).path("id").asText();
    receiver.drain();
    try (Tail tail = new Tail(bucket, token(api))) {
      assertEquals(200, tail.status);
      assertTrue(tail.headers.get("content-type").startsWith("text/event-stream"), tail.headers.toString());
      assertEquals("no-store", tail.headers.get("cache-control"));
      assertEquals(bucket, tail.next("ready").path("bucket").asText());

      TARN.s3().putObject(b -> b.bucket(bucket).key("dir/ä b.txt"), RequestBody.fromString("hello"));
      JsonNode event = tail.next("event");
      assertEquals("dir/ä b.txt", event.path("key").asText());
      assertEquals("s3:ObjectCreated:Put", event.path("event").asText());
      assertEquals(rule, event.path("rules").get(0).path("id").asText(), event::toString);
      JsonNode delivery = tail.next("delivery");
      assertEquals(event.path("sequencer").asText(), delivery.path("sequencer").asText());
      assertEquals(rule, delivery.path("rule").asText());
      assertEquals("delivered", delivery.path("outcome").asText());
      assertEquals(200, delivery.path("status").asInt());
      assertEquals("/live", receiver.take(WAIT).path());
    }
  }

  @Test
  void openToReadersOnlyAsS3ReadsAre() throws Exception {
    String bucket = TestData.bucketName("live-auth");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    AdminClient.User stranger = admin.createUser(TestData.bucketName("stranger"), "user");
    AdminClient.User reader = admin.createUser(TestData.bucketName("reader"), "user");
    admin.expect(200, "PUT", "/buckets/" + bucket + "/grants/" + reader.name(), Map.of("permission", "read"));
    AdminClient strangerApi = new AdminClient(TARN.port(), stranger.accessKey(), stranger.secretKey()).webhooksApi();
    AdminClient readerApi = new AdminClient(TARN.port(), reader.accessKey(), reader.secretKey()).webhooksApi();

    // Signed (SigV4) and bearer requests alike: the stranger is refused, an unknown bucket is 404.
    AdminClient.Response refused = strangerApi.call("GET", "/buckets/" + bucket + "/events/live", null);
    assertEquals(403, refused.status(), refused.text());
    assertEquals("AccessDenied", refused.errorCode());
    try (Tail t = new Tail(bucket, token(strangerApi))) {
      assertEquals(403, t.status);
    }
    assertEquals(404, strangerApi.call("GET", "/buckets/" + bucket + "-none/events/live", null).status());
    try (Tail anonymous = new Tail(bucket, "not-a-token")) {
      assertEquals(403, anonymous.status);
    }
    // The reader may watch (as it may list), but not manage the webhooks.
    assertEquals(403, readerApi.call("GET", "/buckets/" + bucket + "/webhooks", null).status());
    try (Tail t = new Tail(bucket, token(readerApi))) {
      assertEquals(200, t.status);
      t.next("ready");
      TARN.s3().putObject(b -> b.bucket(bucket).key("seen"), RequestBody.fromString("x"));
      assertEquals("seen", t.next("event").path("key").asText());
    }
  }

  @Test
  void aTailThatNeverReadsIsBoundedAndDoesNotHoldBackTheOthers() throws Exception {
    String bucket = TestData.bucketName("live-slow");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    String token = token(api);
    int events = 2000;
    String longName = "x".repeat(400); // ~0.5 KiB a message: the socket's buffers hold only some
    // A tiny receive window and no reading at all: only the server's bound limits what it keeps for it.
    try (Tail stalled = new Tail(bucket, token, 1024, false); Tail reader = new Tail(bucket, token)) {
      assertEquals(200, reader.status);
      reader.next("ready");
      S3Client s3 = TARN.s3();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> puts = new ArrayList<>();
        for (int i = 0; i < events; i++) {
          String key = longName + i;
          puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"))));
        }
        Set<String> seen = new HashSet<>();
        while (seen.size() < events) {
          String[] m = reader.next();
          assertTrue(!m[0].equals("skipped"), "the reading tail misses nothing: " + m[1]);
          if (m[0].equals("event")) {
            seen.add(JSON.readTree(m[1]).path("key").asText());
          }
        }
        for (Future<?> f : puts) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      // The stalled tail now reads: after what the socket buffers held, one notice of what was dropped.
      stalled.socket.setSoTimeout(5000);
      long skipped = 0;
      int after = 0;
      try {
        while (true) {
          String[] m = stalled.next();
          if (m[0].equals("skipped")) {
            skipped += JSON.readTree(m[1]).path("skipped").asLong();
            after = 0;
          } else {
            after++;
          }
        }
      } catch (SocketTimeoutException drained) {
        // everything the server kept for it has arrived
      }
      assertTrue(skipped > 0, "the server dropped the stalled tail's oldest events rather than keeping them (read "
          + after + ")");
      assertTrue(after <= QUEUE, "after the notice, at most the queue's bound: " + after);
    }
  }
}
