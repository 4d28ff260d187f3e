package io.tarn.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on 127.0.0.1 for tests, in the spirit of OkHttp's MockWebServer: it records
 * every request (headers, exact body bytes, arrival time) and answers from a queue of scripted
 * responses, falling back to a default status.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One received request. */
  public record Received(String method, String path, Map<String, String> headers, byte[] body, Instant arrived) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * A scripted answer: status, optional delay before answering, optional Location header, optional
   * body (sent as text/plain with an {@code X-Receiver: tarn-it} header, so a sender's report of the
   * response can be checked).
   */
  public record Answer(int status, Duration delay, String location, String body) {
    public Answer(int status, Duration delay, String location) {
      this(status, delay, location, null);
    }

    public static Answer of(int status) {
      return new Answer(status, Duration.ZERO, null);
    }

    /** A status with a text body (what a receiver says when it fails, for the delivery log). */
    public static Answer of(int status, String body) {
      return new Answer(status, Duration.ZERO, null, body);
    }
  }

  private final HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private volatile Answer fallback = Answer.of(200);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  public WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "webhook-receiver");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange ex) throws IOException {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    java.util.concurrent.atomic.AtomicBoolean left = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable leave = () -> {
      if (left.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    };
    try {
      answer(ex, leave);
    } finally {
      leave.run();
    }
  }

  /**
   * @param answered called just before the answer goes out: once the sender sees it, it may send the
   *     next request at once, which must not be counted as overlapping this one
   */
  private void answer(HttpExchange ex, Runnable answered) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, String> headers = new TreeMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().toString(), headers, body, Instant.now()));
    Answer a = script.poll();
    if (a == null) {
      a = fallback;
    }
    if (!a.delay().isZero()) {
      try {
        Thread.sleep(a.delay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (a.location() != null) {
      ex.getResponseHeaders().set("Location", a.location());
    }
    answered.run();
    if (a.body() == null) {
      ex.sendResponseHeaders(a.status(), -1);
    } else {
      byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      ex.getResponseHeaders().set("X-Receiver", "tarn-it");
      ex.sendResponseHeaders(a.status(), bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
    ex.close();
  }

  /** HMAC-SHA256 of {@code data} keyed with {@code key}: what Tarn's signature headers carry (hex or base64). */
  public static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The URL of {@code path} on this receiver. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Answers the next requests with these, in order. */
  public WebhookReceiver enqueue(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  /** The answer once the script is used up (200 unless set). */
  public void setDefault(Answer a) {
    this.fallback = a;
  }

  /** The next request, waiting up to {@code timeout}; fails the test if none comes. */
  public Received take(Duration timeout) {
    try {
      Received r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (r == null) {
        throw new AssertionError("no webhook request within " + timeout);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The most requests this receiver has been answering at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Whatever has arrived so far (and removes it). */
  public List<Received> drain() {
    List<Received> out = new ArrayList<>();
    received.drainTo(out);
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
