package io.tarn.notifications.delivery;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tarn.notifications.WebhookException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Webhook HTTP/1.1 client on Netty. Each attempt waits for a permit (bounded overall and per host,
 * queued, never blocking the caller), resolves the host and checks every address on a DNS thread,
 * then reuses an idle connection to the first checked address or connects to exactly that address
 * (never to a name, so DNS rebinding between check and connect is impossible), keeping the URL's
 * Host header and TLS SNI. The future always completes normally, within connect + response timeout.
 */
public final class NettySender implements Sender {
  /** Connection-level headers the transport owns; a caller's values for them are ignored. */
  private static final Set<String> TRANSPORT_HEADERS = Set.of("host", "content-length", "transfer-encoding",
      "connection", "keep-alive", "te", "trailer", "upgrade", "proxy-connection", "expect");
  private static final int DNS_THREADS = 4;

  private final TransportOptions options;
  private final DnsUrlGuard guard;
  private final ClientTls tls;
  private final NioEventLoopGroup group;
  private final ThreadPoolExecutor dns;
  private final SendLimiter limiter;
  private final ConnectionPool pool;
  private final Bootstrap bootstrap;
  /** Attempts not ended yet (waiting for a permit or sending). */
  private final Set<Attempt> pending = ConcurrentHashMap.newKeySet();
  /** Parsed URLs: a rule's URL is parsed at every send otherwise (resolving and checking still are). */
  private final Map<URI, WebhookTarget> targets = new ConcurrentHashMap<>();
  private static final int TARGETS_KEPT = 4096;
  private volatile boolean closed;

  /** A sender on the JDK resolver and the JDK's default trust store. */
  public NettySender(TransportOptions options) {
    this(options, Resolver.system(), List.of());
  }

  /**
   * @param resolver resolves names at every attempt
   * @param extraTrusted certificates trusted besides the JDK's defaults (tests, private CAs)
   */
  public NettySender(TransportOptions options, Resolver resolver, List<X509Certificate> extraTrusted) {
    this.options = options;
    this.guard = new DnsUrlGuard(resolver);
    this.tls = new ClientTls(List.copyOf(extraTrusted));
    this.group = new NioEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("tarn-webhook", true));
    this.dns = new ThreadPoolExecutor(DNS_THREADS, DNS_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        new DefaultThreadFactory("tarn-webhook-dns", true));
    dns.allowCoreThreadTimeOut(true);
    this.limiter = new SendLimiter(options.maxConnections(), options.maxConnectionsPerHost());
    this.pool = new ConnectionPool(options.maxConnectionsPerHost());
    // No resolver on the bootstrap: it only ever gets addresses that were checked.
    this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .resolver(NoopAddressResolverGroup.INSTANCE).option(ChannelOption.TCP_NODELAY, true);
    group.scheduleAtFixedRate(this::watchdog, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Backstop against any path that forgot to complete (DNS that hangs, a lost callback): ends the
   * attempts running longer than both timeouts allow. One sweep a second, not a timer per attempt
   * (scheduling and cancelling one from the dispatcher's thread cost two event-loop tasks a send).
   */
  private void watchdog() {
    long now = System.nanoTime();
    for (Attempt a : pending) {
      long deadline = a.watchdogDeadline;
      if (deadline != 0 && now - deadline > 0) {
        a.fail("no result within " + TimeUnit.NANOSECONDS.toMillis(watchdogBudgetNanos()) + " ms");
      }
    }
  }

  private long watchdogBudgetNanos() {
    return 2 * options.connectTimeout().toNanos() + options.responseTimeout().toNanos() + 1_000_000_000L;
  }

  private WebhookTarget target(URI url) {
    WebhookTarget t = targets.get(url);
    if (t == null) {
      t = WebhookTarget.parse(url);
      if (targets.size() >= TARGETS_KEPT) {
        targets.clear();
      }
      targets.put(url, t);
    }
    return t;
  }

  @Override
  public CompletableFuture<SendResult> send(SendRequest request) {
    CompletableFuture<SendResult> result = new CompletableFuture<>();
    Attempt attempt;
    try {
      WebhookTarget target = target(request.url());
      attempt = new Attempt(request, target, headers(request, target), result);
    } catch (RuntimeException e) {
      // A bad URL or header (or a null) is this attempt's failure, never an exceptional future.
      result.complete(new SendResult.Failure(Errors.oneLine(Errors.describe(e)), 0));
      return result;
    }
    pending.add(attempt);
    result.whenComplete((r, e) -> pending.remove(attempt));
    if (closed) {
      result.complete(closedFailure());
      return result;
    }
    String host = attempt.target.host() + ":" + attempt.target.port();
    limiter.submit(host, new SendLimiter.Waiter(attempt::start, () -> result.complete(closedFailure())));
    return result;
  }

  /** Sends waiting for a permit (for metrics). */
  public int queued() {
    return limiter.waiting();
  }

  /** Sends in flight (for metrics). */
  public int inFlight() {
    return limiter.active();
  }

  /** Kept-alive connections waiting for reuse (for metrics). */
  public int idleConnections() {
    return pool.idleCount();
  }

  /** Ends every queued and in-flight send with a Failure, closes connections and threads. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    limiter.close();
    List.copyOf(pending).forEach(a -> a.result.complete(closedFailure()));
    pool.close();
    dns.shutdownNow();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private static SendResult closedFailure() {
    return new SendResult.Failure("webhook sender closed", 0);
  }

  private static HttpHeaders headers(SendRequest request, WebhookTarget target) {
    HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    for (Map.Entry<String, String> e : request.headers().entrySet()) {
      if (TRANSPORT_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      if (!safeValue(e.getValue())) {
        throw new IllegalArgumentException("invalid value for header " + e.getKey());
      }
      headers.add(e.getKey(), e.getValue());
    }
    headers.set(HttpHeaderNames.HOST, target.hostHeader());
    headers.set(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
    return headers;
  }

  /** No CR, LF or NUL: a header value that cannot split the request. */
  private static boolean safeValue(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return false;
      }
    }
    return true;
  }

  private static String pathAndQuery(URI url) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  /** One attempt: permit, DNS and check, connection, exchange, at most one retry on a stale connection. */
  private final class Attempt {
    final SendRequest request;
    final WebhookTarget target;
    final HttpHeaders headers;
    final CompletableFuture<SendResult> result;
    long startNanos;
    long connectDeadline;
    /** When the watchdog ends this attempt; 0 until it starts. */
    volatile long watchdogDeadline;
    List<InetAddress> addresses;
    boolean retried;

    Attempt(SendRequest request, WebhookTarget target, HttpHeaders headers, CompletableFuture<SendResult> result) {
      this.request = request;
      this.target = target;
      this.headers = headers;
      this.result = result;
    }

    /** Runs on the thread that got the permit: hands a name to a DNS thread, goes on with a literal. */
    void start(Runnable release) {
      startNanos = System.nanoTime();
      connectDeadline = startNanos + options.connectTimeout().toNanos();
      result.whenComplete((r, e) -> release.run());
      watchdogDeadline = (startNanos + watchdogBudgetNanos()) | 1; // never 0
      try {
        if (target.literal() != null) {
          resolve(); // nothing to look up: checking an address literal never blocks
        } else {
          dns.execute(this::resolve);
        }
      } catch (RejectedExecutionException e) {
        result.complete(closedFailure());
      }
    }

    void resolve() {
      if (result.isDone()) {
        return; // closed or timed out while waiting for a DNS thread
      }
      try {
        addresses = guard.addresses(target, request.allowPrivate());
      } catch (WebhookException e) {
        fail(e.getMessage());
        return;
      }
      for (InetAddress address : addresses) {
        Channel idle = pool.poll(key(address));
        if (idle != null) {
          exchange(idle, true);
          return;
        }
      }
      connect(0);
    }

    /** Connects to {@code addresses[index]}, falling back to the next on a quick failure. */
    void connect(int index) {
      InetAddress address = addresses.get(index);
      long remaining = TimeUnit.NANOSECONDS.toMillis(connectDeadline - System.nanoTime());
      if (remaining <= 0) {
        fail("connect timeout after " + options.connectTimeout().toMillis() + " ms");
        return;
      }
      ConnectionPool.Key key = key(address);
      ChannelFuture connected;
      try {
        connected = bootstrap.clone()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, remaining))
            .handler(new Initializer(key, remaining))
            .connect(new InetSocketAddress(address, target.port()));
      } catch (RejectedExecutionException | IllegalStateException e) {
        result.complete(closedFailure());
        return;
      }
      connected.addListener(f -> {
        if (!f.isSuccess()) {
          onConnectFailure(index, f.cause());
          return;
        }
        Channel ch = connected.channel();
        ch.closeFuture().addListener(c -> pool.remove(key, ch));
        if (!target.https()) {
          exchange(ch, false);
          return;
        }
        ch.pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
          if (h.isSuccess()) {
            exchange(ch, false);
          } else {
            ch.close();
            fail("TLS handshake with " + target.tlsHost() + " failed: " + Errors.describe(h.cause()));
          }
        });
      });
    }

    void onConnectFailure(int index, Throwable cause) {
      String where = AddressPolicy.format(addresses.get(index)) + ":" + target.port();
      if (cause instanceof ConnectTimeoutException) {
        fail("connect timeout after " + options.connectTimeout().toMillis() + " ms to " + where);
      } else if (index + 1 < addresses.size()) {
        connect(index + 1);
      } else {
        fail("cannot connect to " + where + ": " + Errors.describe(cause));
      }
    }

    void exchange(Channel ch, boolean reused) {
      if (result.isDone()) {
        ch.close(); // the watchdog or close() ended this attempt meanwhile
        return;
      }
      FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
          pathAndQuery(request.url()), Unpooled.wrappedBuffer(request.body()), headers.copy(),
          DefaultHttpHeadersFactory.trailersFactory().newHeaders());
      ExchangeHandler handler = ch.pipeline().get(ExchangeHandler.class);
      Exchange exchange = new Exchange(req, startNanos, reused, this::done);
      try {
        ch.eventLoop().execute(() -> handler.start(exchange));
      } catch (RejectedExecutionException e) {
        req.release();
        result.complete(closedFailure());
      }
    }

    void done(SendResult outcome, boolean staleConnection) {
      if (staleConnection && !retried && !result.isDone()) {
        // The server closed the kept-alive connection while it sat idle: one fresh try, as
        // browsers and HTTP clients do. Delivery is at-least-once anyway.
        retried = true;
        connectDeadline = System.nanoTime() + options.connectTimeout().toNanos();
        connect(0);
        return;
      }
      result.complete(outcome);
    }

    void fail(String error) {
      long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      result.complete(new SendResult.Failure(Errors.oneLine(error), latency));
    }

    ConnectionPool.Key key(InetAddress address) {
      return new ConnectionPool.Key(target.https(), address, target.port(), target.hostHeader());
    }

    /** Assembles the pipeline only: TLS when https, the HTTP codec, idle timer, the exchange. */
    private final class Initializer extends ChannelInitializer<SocketChannel> {
      private final ConnectionPool.Key key;
      private final long handshakeMillis;

      Initializer(ConnectionPool.Key key, long handshakeMillis) {
        this.key = key;
        this.handshakeMillis = handshakeMillis;
      }

      @Override
      protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (key.https()) {
          p.addLast("tls", tls.newHandler(ch.alloc(), target, handshakeMillis));
        }
        p.addLast("http", new HttpClientCodec());
        p.addLast("idle", new IdleStateHandler(0, 0, options.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("exchange", new ExchangeHandler(pool, key, options));
      }
    }
  }
}
