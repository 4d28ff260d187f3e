package io.tarn.notifications.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.notifications.delivery.TestReceiver.Received;
import io.tarn.notifications.delivery.TestReceiver.Reply;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NettySenderTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final TestReceiver receiver = new TestReceiver();
  /** Fake DNS: test names, anything else unknown. */
  private final Map<String, List<InetAddress>> zone = new ConcurrentHashMap<>();
  private final Resolver resolver = host -> {
    List<InetAddress> answer = zone.get(host);
    if (answer == null) {
      throw new UnknownHostException(host);
    }
    return answer;
  };
  private NettySender sender = sender(TransportOptions.defaults());

  private NettySender sender(TransportOptions options) {
    return new NettySender(options, resolver, List.of());
  }

  @AfterEach
  void tearDown() {
    sender.close();
    receiver.close();
  }

  private URI url(String host, String path) {
    return URI.create("http://" + host + ":" + receiver.port() + path);
  }

  private static SendRequest admin(URI url, byte[] body) {
    return new SendRequest(url, Map.of("Content-Type", "application/json"), body, true);
  }

  private static SendResult await(CompletableFuture<SendResult> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  @Test
  void bodyAndHeadersArriveExactlyWithTheUrlsHostHeader() throws Exception {
    zone.put("hooks.example.com", List.of(LOOPBACK));
    byte[] body = new byte[10_000];
    new Random(4).nextBytes(body);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("User-Agent", "Tarn-Webhook");
    headers.put("X-Tarn-Delivery", "d-123");
    headers.put("X-Tarn-Signature-256", "ab".repeat(32));
    headers.put("Host", "evil.example"); // the transport owns Host and Content-Length
    headers.put("Content-Length", "1");
    URI url = url("hooks.example.com", "/in/hook?x=1&y=%20z");

    SendResult result = await(sender.send(new SendRequest(url, headers, body, true)));

    assertEquals(200, ((SendResult.Response) result).status());
    assertTrue(result.delivered());
    Received r = receiver.received.get(0);
    assertEquals("POST", r.method());
    assertEquals("/in/hook?x=1&y=%20z", r.uri());
    assertArrayEquals(body, r.body());
    assertEquals("hooks.example.com:" + receiver.port(), r.headers().get("Host"));
    assertEquals("10000", r.headers().get("Content-Length"));
    assertEquals("application/json", r.headers().get("Content-Type"));
    assertEquals("Tarn-Webhook", r.headers().get("User-Agent"));
    assertEquals("d-123", r.headers().get("X-Tarn-Delivery"));
    assertEquals("ab".repeat(32), r.headers().get("X-Tarn-Signature-256"));
    assertNull(r.headers().get("Transfer-Encoding"));
  }

  @Test
  void statusesAreReportedAndRedirectsNeverFollowed() throws Exception {
    receiver.respond(r -> switch (r.uri()) {
      case "/ok" -> Reply.body(204, "");
      case "/bad" -> Reply.body(400, "{\"error\":\"nope\"}");
      case "/down" -> Reply.body(503, "down");
      default -> Reply.status(302).withHeaders(Map.of("Location", "http://127.0.0.1:" + receiver.port() + "/ok"));
    });
    URI base = URI.create("http://127.0.0.1:" + receiver.port());

    SendResult ok = await(sender.send(admin(base.resolve("/ok"), new byte[] {1})));
    SendResult bad = await(sender.send(admin(base.resolve("/bad"), new byte[] {1})));
    SendResult down = await(sender.send(admin(base.resolve("/down"), new byte[] {1})));
    SendResult moved = await(sender.send(admin(base.resolve("/moved"), new byte[] {1})));

    assertEquals(new SendResult.Response(204, ok.latencyMillis(), "", ((SendResult.Response) ok).headers()), ok);
    assertTrue(ok.delivered());
    assertEquals(new SendResult.Response(400, bad.latencyMillis(), "{\"error\":\"nope\"}",
        Map.of("content-length", "16")), bad);
    // Kept for the attempt inspector, names in lower case.
    assertEquals("http://127.0.0.1:" + receiver.port() + "/ok",
        ((SendResult.Response) moved).headers().get("location"));
    assertFalse(bad.delivered());
    assertEquals(503, ((SendResult.Response) down).status());
    assertEquals(302, ((SendResult.Response) moved).status());
    assertFalse(moved.delivered());
    assertEquals(List.of("/ok", "/bad", "/down", "/moved"), receiver.received.stream().map(Received::uri).toList());
  }

  /** A synchronous test shows the receiver's headers and the first KiB of its body, never more. */
  @Test
  void responseHeadersAndTheStartOfTheBodyAreKept() throws Exception {
    String big = "x".repeat(5000);
    receiver.respond(r -> Reply.body(201, big).withHeaders(Map.of("X-Hook-Id", "h-42")));

    SendResult result = await(sender.send(admin(url("127.0.0.1", "/"), new byte[] {1})));

    SendResult.Response response = assertInstanceOf(SendResult.Response.class, result);
    assertEquals(201, response.status());
    assertEquals("x".repeat(TransportOptions.defaults().snippetBytes()), response.bodySnippet());
    assertEquals("h-42", response.headers().get("x-hook-id"), response.headers().toString());
    assertEquals("5000", response.headers().get("content-length"), response.headers().toString());
  }

  @Test
  void responseTimeoutFailsWithinTheTimeout() throws Exception {
    sender.close();
    sender = sender(TransportOptions.defaults().withResponseTimeout(Duration.ofMillis(300)));
    receiver.respond(r -> Reply.never());
    long t0 = System.nanoTime();

    SendResult result = await(sender.send(admin(url("127.0.0.1", "/"), new byte[] {1})));

    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    SendResult.Failure failure = assertInstanceOf(SendResult.Failure.class, result);
    assertEquals("no response within 300 ms", failure.error());
    assertTrue(took >= 300 && took < 3000, "took " + took + " ms");
    assertTrue(failure.latencyMillis() >= 300, String.valueOf(failure.latencyMillis()));
  }

  @Test
  void connectionRefusedIsAFailure() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      closedPort = s.getLocalPort();
    }
    SendResult result = await(sender.send(admin(URI.create("http://127.0.0.1:" + closedPort + "/"), new byte[0])));
    SendResult.Failure failure = assertInstanceOf(SendResult.Failure.class, result);
    assertTrue(failure.error().startsWith("cannot connect to 127.0.0.1:" + closedPort + ": "), failure.error());
    assertFalse(failure.error().contains("\n"));
  }

  @Test
  void unresolvableHostIsAFailure() throws Exception {
    SendResult result = await(sender.send(admin(url("nowhere.invalid", "/"), new byte[0])));
    assertEquals("cannot resolve host nowhere.invalid", ((SendResult.Failure) result).error());
  }

  @Test
  void invalidUrlIsAFailureNotAnException() throws Exception {
    SendResult result = await(sender.send(admin(URI.create("ftp://127.0.0.1/"), new byte[0])));
    assertEquals("url must use http or https", ((SendResult.Failure) result).error());
    SendResult badHeader = await(sender.send(new SendRequest(url("127.0.0.1", "/"),
        Map.of("X-Evil", "a\r\nInjected: yes"), new byte[0], true)));
    assertInstanceOf(SendResult.Failure.class, badHeader);
    assertEquals(0, receiver.connections.get());
  }

  @Test
  void hugeResponseBodyIsCappedAndTheConnectionNotReused() throws Exception {
    byte[] huge = new byte[8 << 20];
    java.util.Arrays.fill(huge, (byte) 'x');
    receiver.respond(r -> new Reply(500, Map.of(), huge, 0, TestReceiver.Mode.ANSWER));
    URI url = url("127.0.0.1", "/");

    SendResult result = await(sender.send(admin(url, new byte[] {1})));

    SendResult.Response response = assertInstanceOf(SendResult.Response.class, result);
    assertEquals(500, response.status());
    assertEquals("x".repeat(TransportOptions.defaults().snippetBytes()), response.bodySnippet());
    assertEquals(4096, response.bodySnippet().length(), "the inspector's first 4 KiB, capped as it arrives");
    receiver.respond(r -> Reply.status(200));
    assertTrue(await(sender.send(admin(url, new byte[] {1}))).delivered());
    assertEquals(2, receiver.connections.get(), "a connection with an unread body must not be reused");
  }

  @Test
  void keepAliveReusesOneConnection() throws Exception {
    zone.put("hooks.example.com", List.of(LOOPBACK));
    for (int i = 0; i < 5; i++) {
      assertTrue(await(sender.send(admin(url("hooks.example.com", "/" + i), new byte[] {1}))).delivered());
    }
    assertEquals(5, receiver.received.size());
    assertEquals(1, receiver.connections.get());
    assertEquals(1, receiver.received.stream().map(Received::connection).distinct().count());
    assertEquals(1, sender.idleConnections());
  }

  @Test
  void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
    sender.close();
    sender = sender(TransportOptions.defaults().withIdleTimeout(Duration.ofMillis(200)));
    assertTrue(await(sender.send(admin(url("127.0.0.1", "/"), new byte[] {1}))).delivered());
    assertEquals(1, sender.idleConnections());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (sender.idleConnections() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, sender.idleConnections());
    assertTrue(await(sender.send(admin(url("127.0.0.1", "/"), new byte[] {1}))).delivered());
    assertEquals(2, receiver.connections.get());
  }

  @Test
  void connectTimeoutIsAFailure() throws Exception {
    sender.close();
    sender = sender(TransportOptions.defaults().withConnectTimeout(Duration.ofMillis(300)));
    // A listener that never accepts, its backlog filled: Linux then drops further SYNs, so the
    // next connect hangs until the client gives up.
    try (ServerSocket full = new ServerSocket(0, 1, LOOPBACK)) {
      List<java.net.Socket> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          java.net.Socket s = new java.net.Socket();
          fillers.add(s);
          try {
            s.connect(full.getLocalSocketAddress(), 200);
          } catch (java.io.IOException e) {
            break; // the backlog is full
          }
        }
        long t0 = System.nanoTime();
        SendResult result = await(sender.send(admin(
            URI.create("http://127.0.0.1:" + full.getLocalPort() + "/"), new byte[] {1})));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        SendResult.Failure failure = assertInstanceOf(SendResult.Failure.class, result);
        assertEquals("connect timeout after 300 ms to 127.0.0.1:" + full.getLocalPort(), failure.error());
        assertTrue(took < 3000, "took " + took + " ms");
      } finally {
        for (java.net.Socket s : fillers) {
          s.close();
        }
      }
    }
  }

  @Test
  void connectionClosedByTheServerIsNotReused() throws Exception {
    receiver.respond(r -> Reply.status(200).withHeaders(Map.of("Connection", "close")));
    for (int i = 0; i < 3; i++) {
      assertTrue(await(sender.send(admin(url("127.0.0.1", "/"), new byte[] {1}))).delivered());
    }
    assertEquals(3, receiver.connections.get());
  }

  @Test
  void staleKeptAliveConnectionIsRetriedOnceOnAFreshOne() throws Exception {
    // The second request lands on the kept-alive connection, which the server drops unanswered
    // (as when its idle timer fires just then): the sender retries on a new connection.
    receiver.respond(r -> receiver.received.size() == 2 ? Reply.drop() : Reply.status(200));
    assertTrue(await(sender.send(admin(url("127.0.0.1", "/1"), new byte[] {1}))).delivered());

    SendResult second = await(sender.send(admin(url("127.0.0.1", "/2"), new byte[] {1})));

    assertTrue(second.delivered(), second.toString());
    assertEquals(3, receiver.received.size());
    assertEquals(2, receiver.connections.get());
  }

  @Test
  void perHostConcurrencyIsBounded() throws Exception {
    sender.close();
    sender = sender(TransportOptions.defaults().withLimits(64, 2));
    receiver.respond(r -> Reply.status(200).after(300));
    List<CompletableFuture<SendResult>> futures = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      futures.add(sender.send(admin(url("127.0.0.1", "/" + i), new byte[] {1})));
    }
    assertTrue(sender.queued() > 0, "the rest wait in a queue");
    for (CompletableFuture<SendResult> f : futures) {
      assertTrue(await(f).delivered());
    }
    assertEquals(8, receiver.received.size());
    assertEquals(2, receiver.maxInFlight.get());
    assertEquals(2, receiver.connections.get(), "two connections, each reused");
  }

  @Test
  void totalConcurrencyIsBoundedAcrossHosts() throws Exception {
    sender.close();
    sender = sender(TransportOptions.defaults().withLimits(3, 8));
    for (String name : List.of("a.example", "b.example", "c.example")) {
      zone.put(name, List.of(LOOPBACK));
    }
    receiver.respond(r -> Reply.status(200).after(300));
    List<CompletableFuture<SendResult>> futures = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String host = List.of("a.example", "b.example", "c.example").get(i % 3);
      futures.add(sender.send(admin(url(host, "/"), new byte[] {1})));
    }
    for (CompletableFuture<SendResult> f : futures) {
      assertTrue(await(f).delivered());
    }
    assertEquals(3, receiver.maxInFlight.get());
  }

  @Test
  void privateTargetIsRefusedAtSendTimeWithoutConnecting() throws Exception {
    SendResult literal = await(sender.send(new SendRequest(url("127.0.0.1", "/"), Map.of(), new byte[0], false)));
    SendResult spelled = await(sender.send(new SendRequest(url("0x7f.1", "/"), Map.of(), new byte[0], false)));

    assertTrue(((SendResult.Failure) literal).error().contains("127.0.0.1 (loopback)"), literal.toString());
    assertTrue(((SendResult.Failure) spelled).error().contains("127.0.0.1 (loopback)"), spelled.toString());
    assertEquals(0, receiver.connections.get());
  }

  @Test
  void nameThatNowResolvesInwardFailsTheAttempt() throws Exception {
    // Checked as public when the rule was saved; by send time DNS points inward (rebinding).
    zone.put("rebind.example.com", List.of(InetAddress.getByName("93.184.216.34")));
    new DnsUrlGuard(resolver).check(url("rebind.example.com", "/"), false);
    zone.put("rebind.example.com", List.of(InetAddress.getByName("93.184.216.34"), LOOPBACK));

    SendResult result =
        await(sender.send(new SendRequest(url("rebind.example.com", "/"), Map.of(), new byte[0], false)));

    SendResult.Failure failure = assertInstanceOf(SendResult.Failure.class, result);
    assertTrue(failure.error().contains("resolves to 127.0.0.1 (loopback)"), failure.error());
    assertEquals(0, receiver.connections.get());
  }

  @Test
  void fallsBackToTheNextAddressWhenTheFirstRefuses() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      closedPort = s.getLocalPort();
    }
    // 127.0.0.2 is loopback too on Linux but nothing listens there on the receiver's port.
    zone.put("two.example", List.of(InetAddress.getByName("127.0.0.2"), LOOPBACK));
    assertTrue(await(sender.send(admin(url("two.example", "/"), new byte[] {1}))).delivered());
    assertEquals(1, receiver.connections.get());
    SendResult none = await(sender.send(admin(URI.create("http://127.0.0.1:" + closedPort + "/"), new byte[0])));
    assertInstanceOf(SendResult.Failure.class, none);
  }

  @Test
  void sendNeverBlocksTheCallerEvenWhenDnsHangs() throws Exception {
    CountDownLatch dnsMayAnswer = new CountDownLatch(1);
    sender.close();
    sender = new NettySender(TransportOptions.defaults(), host -> {
      try {
        dnsMayAnswer.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of(LOOPBACK);
    }, List.of());
    long t0 = System.nanoTime();
    CompletableFuture<SendResult> f = sender.send(admin(url("slow-dns.example", "/"), new byte[] {1}));
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 500);
    assertFalse(f.isDone());
    dnsMayAnswer.countDown();
    assertTrue(await(f).delivered());
  }

  @Test
  void closeEndsPendingSendsWithAFailure() throws Exception {
    receiver.respond(r -> Reply.never());
    CompletableFuture<SendResult> f = sender.send(admin(url("127.0.0.1", "/"), new byte[] {1}));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (receiver.received.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    sender.close();
    assertEquals("webhook sender closed", ((SendResult.Failure) f.get(5, TimeUnit.SECONDS)).error());
    SendResult after = await(sender.send(admin(url("127.0.0.1", "/"), new byte[] {1})));
    assertEquals("webhook sender closed", ((SendResult.Failure) after).error());
  }
}
