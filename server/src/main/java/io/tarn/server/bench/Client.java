package io.tarn.server.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark client: a closed loop over one connection, issuing its next request as soon as
 * the previous one is answered. All of its state lives on its connection's event loop.
 */
final class Client implements HttpConnection.Listener {
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final long RETRY_DELAY_MS = 100;
  private static final HttpHeadersFactory HEADERS =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false);
  private static final AsciiString X_AMZ_DATE = AsciiString.cached("x-amz-date");
  private static final AsciiString X_AMZ_CONTENT_SHA256 =
      AsciiString.cached("x-amz-content-sha256");
  private static final AsciiString UNSIGNED = AsciiString.cached(RequestSigner.UNSIGNED_PAYLOAD);

  private final HttpConnection connection;
  private final Endpoint endpoint;
  private final OpSource source;
  private final RequestSigner signer;
  private final ByteBuf payload;
  private final long limit;
  private final Runnable onDone;
  private final OpStats[] stats = new OpStats[OpType.values().length];

  private Op current;
  private boolean currentMeasured;
  private long currentStart;
  private long currentReceived;
  private long issued;
  private boolean measuring;
  private boolean stopping;
  private boolean done;
  private long endNanos;
  private long amzSecond = -1;
  private String amzDate;

  /**
   * @param signer null for unsigned requests ({@code --plain})
   * @param payload the shared, unreleasable random bytes bodies are cut from
   * @param limit how many requests to make before stopping, or Long.MAX_VALUE to run until told
   * @param onDone run once, on the loop, when the client has stopped
   */
  Client(HttpConnection connection, Endpoint endpoint, OpSource source, RequestSigner signer,
      ByteBuf payload, long limit, Runnable onDone) {
    this.connection = connection;
    this.endpoint = endpoint;
    this.source = source;
    this.signer = signer;
    this.payload = payload;
    this.limit = limit;
    this.onDone = onDone;
    for (int i = 0; i < stats.length; i++) {
      stats[i] = new OpStats();
    }
  }

  HttpConnection connection() {
    return connection;
  }

  OpStats stats(OpType type) {
    return stats[type.ordinal()];
  }

  /** When the client stopped (System.nanoTime); read after it is done. */
  long endNanos() {
    return endNanos;
  }

  /** Starts the loop; call on the event loop. */
  void start() {
    next();
  }

  /** Ends the warm-up: from now on requests are measured. Call on the event loop. */
  void markWindowStart() {
    measuring = true;
    for (OpStats s : stats) {
      s.markStart();
    }
  }

  /** Ends the measurement; the request in flight finishes, then the client stops. */
  void markWindowEnd() {
    if (measuring) {
      measuring = false;
      for (OpStats s : stats) {
        s.markEnd();
      }
    }
    stopping = true;
    if (current == null) {
      finish();
    }
  }

  private void next() {
    if (stopping || issued >= limit) {
      markWindowEnd();
      return;
    }
    Op op = source.next();
    if (op == null) {
      markWindowEnd();
      return;
    }
    issued++;
    current = op;
    currentMeasured = measuring;
    currentReceived = 0;
    currentStart = System.nanoTime();
    ByteBuf body = op.body() == null ? payload : Unpooled.unreleasableBuffer(
        Unpooled.wrappedBuffer(op.body()));
    long length = op.body() == null ? op.bodyLength() : op.body().length;
    String date = signer == null ? null : amzDate();
    connection.send(request(op, length, endpoint, signer, date), body, length, op.collect(),
        this);
  }

  /** The head of {@code op}, signed when {@code signer} is not null. */
  static HttpRequest request(Op op, long length, Endpoint endpoint, RequestSigner signer,
      String amzDate) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, op.method(), op.uri(), HEADERS);
    HttpHeaders h = r.headers();
    h.set(HttpHeaderNames.HOST, endpoint.authority());
    if (length > 0 || op.method().name().equals("PUT")) {
      h.set(HttpHeaderNames.CONTENT_LENGTH, length);
    }
    if (signer != null) {
      h.set(X_AMZ_DATE, amzDate);
      h.set(X_AMZ_CONTENT_SHA256, UNSIGNED);
      h.set(HttpHeaderNames.AUTHORIZATION, signer.authorization(
          op.method().name(), op.path(), op.query(), endpoint.authority(), amzDate));
    }
    return r;
  }

  static String amzDate(Instant instant) {
    return AMZ_DATE.format(instant);
  }

  private String amzDate() {
    long now = System.currentTimeMillis() / 1000;
    if (now != amzSecond) {
      amzSecond = now;
      amzDate = AMZ_DATE.format(Instant.ofEpochSecond(now));
    }
    return amzDate;
  }

  @Override
  public void onBytes(long sent, long received) {
    if (current != null) {
      stats[current.type().ordinal()].bytes += sent + received;
      currentReceived += received;
    }
  }

  @Override
  public void onResponse(int status, String body) {
    long end = System.nanoTime();
    Op op = current;
    current = null;
    OpStats s = stats[op.type().ordinal()];
    if (status / 100 != 2) {
      s.error(op.method() + " " + op.uri() + ": HTTP " + status + describe(body));
    } else if (op.expectedLength() >= 0 && currentReceived != op.expectedLength()) {
      s.error(op.method() + " " + op.uri() + ": got " + currentReceived + " bytes, expected "
          + op.expectedLength());
    } else {
      try {
        source.completed(op, body);
        s.ops++;
        if (currentMeasured) {
          s.latency.record(end - currentStart);
        }
      } catch (IllegalArgumentException e) {
        s.error(op.method() + " " + op.uri() + ": bad response: " + e.getMessage());
      }
    }
    next();
  }

  @Override
  public void onFailure(Throwable cause) {
    Op op = current;
    current = null;
    stats[op.type().ordinal()].error(op.method() + " " + op.uri() + ": " + cause);
    if (stopping) {
      finish();
    } else {
      // A refused or broken connection fails at once: pause, so a dead server is not spun on.
      connection.loop().schedule(this::next, RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void finish() {
    if (!done) {
      done = true;
      endNanos = System.nanoTime();
      onDone.run();
    }
  }

  /** The S3 error code and message of an error body, if it has them. */
  static String describe(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String code = ListPages.element(body, "Code");
    if (code == null) {
      String flat = body.strip().replaceAll("\\s+", " ");
      return " " + (flat.length() > 200 ? flat.substring(0, 200) + "..." : flat);
    }
    String message = ListPages.element(body, "Message");
    return " " + code + (message == null ? "" : ": " + message);
  }
}
