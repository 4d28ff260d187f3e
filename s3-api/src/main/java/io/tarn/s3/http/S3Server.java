package io.tarn.s3.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The S3 HTTP listener: Netty boss/worker loops plus a pool for blocking storage work. */
public final class S3Server implements AutoCloseable {
  /**
   * Limits of the HTTP layer, and how slow or how many clients may be (see {@link SlowClientGuard}
   * and {@link ConnectionLimits}). A zero duration or rate turns that check off.
   *
   * @param idleTimeout a connection that sends nothing for this long, between requests or within a
   *     body, is closed (a body with {@code RequestTimeout})
   * @param headTimeout a request head must be complete this long after its first byte
   * @param writeTimeout a client that takes none of the bytes queued for it for this long is dropped
   * @param minUploadRate bytes per second a body must average over each {@code uploadRateWindow}
   *     of time spent waiting for it, after an unjudged {@code uploadRateGrace}
   * @param maxConnections connections open at once; a newcomer beyond it takes the place of the
   *     connection waiting longest for a request, or is closed as soon as accepted if none waits
   * @param maxConnectionsPerAddress connections open at once from one client address, more are
   *     closed as soon as accepted; 0: no cap (counted by the TCP peer, at accept time, before any
   *     header: behind a proxy every connection is the proxy's)
   * @param trustedProxies peers whose {@code X-Forwarded-For} names the request's client address
   */
  public record Limits(int maxInitialLineLength, int maxHeaderSize, Duration idleTimeout, Duration headTimeout,
      Duration writeTimeout, long minUploadRate, Duration uploadRateWindow, Duration uploadRateGrace,
      int maxConnections, int maxConnectionsPerAddress, TrustedProxies trustedProxies) {
    /** The defaults, and the reasons for them, are in the README's server options table. */
    public static Limits defaults() {
      // S3 allows 8 KiB of headers; leave room for long presigned URLs and metadata.
      return new Limits(16 << 10, 16 << 10, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(60),
          1024, Duration.ofSeconds(60), Duration.ofSeconds(10), 10_000, 512, TrustedProxies.NONE);
    }

    public Limits withTimeouts(Duration idle, Duration head, Duration write) {
      return new Limits(maxInitialLineLength, maxHeaderSize, idle, head, write, minUploadRate, uploadRateWindow,
          uploadRateGrace, maxConnections, maxConnectionsPerAddress, trustedProxies);
    }

    public Limits withUploadRate(long bytesPerSecond, Duration window, Duration grace) {
      return new Limits(maxInitialLineLength, maxHeaderSize, idleTimeout, headTimeout, writeTimeout, bytesPerSecond,
          window, grace, maxConnections, maxConnectionsPerAddress, trustedProxies);
    }

    public Limits withConnections(int max, int perAddress) {
      return new Limits(maxInitialLineLength, maxHeaderSize, idleTimeout, headTimeout, writeTimeout, minUploadRate,
          uploadRateWindow, uploadRateGrace, max, perAddress, trustedProxies);
    }

    public Limits withTrustedProxies(TrustedProxies proxies) {
      return new Limits(maxInitialLineLength, maxHeaderSize, idleTimeout, headTimeout, writeTimeout, minUploadRate,
          uploadRateWindow, uploadRateGrace, maxConnections, maxConnectionsPerAddress,
          java.util.Objects.requireNonNull(proxies, "proxies"));
    }
  }

  private static final AttributeKey<ConnectionLimits.Place> PLACE = AttributeKey.valueOf("tarn.place");

  private final EventLoopGroup boss;
  private final EventLoopGroup loops;
  private final Channel channel;
  private final ConnectionLimits caps;
  private final ChannelGroup connections;

  private S3Server(EventLoopGroup boss, EventLoopGroup loops, Channel channel, ConnectionLimits caps,
      ChannelGroup connections) {
    this.boss = boss;
    this.loops = loops;
    this.channel = channel;
    this.caps = caps;
    this.connections = connections;
  }

  /** Binds and starts serving, with a drain of its own that nobody begins (tests). */
  public static S3Server start(
      InetSocketAddress address, S3Dispatcher dispatcher, WorkerPool workers, SslContext sslContext, Limits limits)
      throws InterruptedException {
    return start(address, dispatcher, workers, sslContext, limits, new Drain());
  }

  /**
   * Binds and starts serving.
   *
   * @param sslContext TLS context, or {@code null} for plain HTTP
   * @param workers pool for storage work (blocking); not owned
   * @param drain when it begins, the listener stops accepting (its socket is closed: a new connection
   *     is refused by the operating system) and every open connection is told ({@link S3HttpHandler})
   */
  public static S3Server start(InetSocketAddress address, S3Dispatcher dispatcher, WorkerPool workers,
      SslContext sslContext, Limits limits, Drain drain) throws InterruptedException {
    return start(address, dispatcher, workers, sslContext, limits, drain, ExchangeListener.NONE);
  }

  /** With a drain of its own that nobody begins, telling {@code listener} of every exchange (tests). */
  public static S3Server start(InetSocketAddress address, S3Dispatcher dispatcher, WorkerPool workers,
      SslContext sslContext, Limits limits, ExchangeListener listener) throws InterruptedException {
    return start(address, dispatcher, workers, sslContext, limits, new Drain(), listener);
  }

  /**
   * As above, telling {@code listener} of every exchange (the access log, request metrics; combine
   * several with {@link ExchangeListener#of}).
   */
  public static S3Server start(InetSocketAddress address, S3Dispatcher dispatcher, WorkerPool workers,
      SslContext sslContext, Limits limits, Drain drain, ExchangeListener listener) throws InterruptedException {
    // Every open connection, to tell each of them that the drain began and to close the rest at the end.
    ChannelGroup connections = new DefaultChannelGroup("tarn-connections", GlobalEventExecutor.INSTANCE);
    ConnectionLimits caps = new ConnectionLimits(limits.maxConnections(), limits.maxConnectionsPerAddress());
    BooleanSupplier saturated = workers::saturated;
    boolean tls = sslContext != null;
    EventLoopGroup boss = new NioEventLoopGroup(1);
    EventLoopGroup loops = new NioEventLoopGroup();
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, loops)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .handler(new Admission(caps))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            // Assembles only; each handler has one concern. Admitted by Admission before it came here.
            ConnectionLimits.Place place = ch.attr(PLACE).get();
            connections.add(ch); // before the drain check: a drain beginning in between still reaches it
            if (place.evicted() || drain.draining()) { // evicted, or accepted as the drain began
              ch.close();
              return;
            }
            if (tls) {
              ch.pipeline().addLast("tls", sslContext.newHandler(ch.alloc()));
            }
            ch.pipeline()
                // observeOutput: a large response still moving is not idle, only one the client stopped taking.
                .addLast("idle", new IdleStateHandler(true, limits.idleTimeout().toNanos(), limits.writeTimeout().toNanos(), 0,
                    TimeUnit.NANOSECONDS))
                .addLast("http", new HttpServerCodec(limits.maxInitialLineLength(), limits.maxHeaderSize(), 1 << 20))
                .addLast("pace", new SlowClientGuard(limits, System::nanoTime))
                .addLast("chunked", new ChunkedWriteHandler())
                .addLast("s3", new S3HttpHandler(dispatcher, workers, saturated, tls, place, drain, listener,
                    limits.trustedProxies()));
          }
        });
    try {
      Channel ch = b.bind(address).sync().channel();
      S3Server server = new S3Server(boss, loops, ch, caps, connections);
      drain.onBegin(server::stopAccepting);
      return server;
    } catch (RuntimeException | InterruptedException e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * Admits or refuses each accepted connection on the acceptor's thread, so in the order the
   * connections were accepted (a per-address cap then refuses the newest, never an older one that
   * its event loop happened to register later), and before the connection is registered on an
   * event loop: a refused one costs no registration, no handler, no TLS handshake.
   */
  @ChannelHandler.Sharable
  private static final class Admission extends ChannelInboundHandlerAdapter {
    private final ConnectionLimits caps;

    Admission(ConnectionLimits caps) {
      this.caps = caps;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Channel child = (Channel) msg;
      InetSocketAddress remote = (InetSocketAddress) child.remoteAddress(); // null if the client is gone
      // Evicted before its loop registered it, a connection is closed by initChannel instead: an
      // unregistered channel has no loop to close on. Registration precedes initChannel, and the
      // eviction is marked before this runs, so one of the two always closes it.
      ConnectionLimits.Place place = caps.admit(remote == null ? null : remote.getAddress(), () -> {
        if (child.isRegistered()) {
          child.close();
        }
      });
      if (place == null) {
        child.unsafe().closeForcibly();
        return;
      }
      child.closeFuture().addListener(f -> place.closed());
      child.attr(PLACE).set(place);
      ctx.fireChannelRead(child); // to Netty's acceptor, which registers it on a loop
    }
  }

  /** The listener's connection caps (tests wait on their counts rather than on timing). */
  ConnectionLimits connectionLimits() {
    return caps;
  }

  /**
   * The drain began: closes the listening socket (new connections are refused by the operating
   * system, so a load balancer or client tries another server at once) and tells every open
   * connection, on its own event loop.
   */
  private void stopAccepting() {
    channel.close().syncUninterruptibly();
    for (Channel c : connections) {
      c.pipeline().fireUserEventTriggered(Drain.Event.BEGIN);
    }
  }

  /** Connections open now on this listener (metrics; an evicted one no longer counts). */
  public int openConnections() {
    return caps.open();
  }

  /** Connections closed so far to give their place to a newer one (metrics; see {@link ConnectionLimits}). */
  public long connectionEvictions() {
    return caps.evictions();
  }

  /**
   * Direct memory Netty's allocator holds (pooled buffers of every connection and webhook client), in
   * bytes, or -1 when Netty does not count it. The JVM's direct buffer pool does not include it: Netty
   * allocates without the JDK's cleaner.
   */
  public static long nettyDirectMemory() {
    return io.netty.util.internal.PlatformDependent.usedDirectMemory();
  }

  /** The bound address (the real port when started on port 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /**
   * Stops at once: closes the listener and every connection (requests in flight are cut), then the
   * event loops. After a drain, only what the grace did not let finish is cut.
   */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
