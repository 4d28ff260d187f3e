package io.tarn.notifications.delivery;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A webhook receiver on 127.0.0.1:0 for transport tests: records every request, counts accepted
 * connections and concurrent requests, and answers as the test says (status, body, delay, never,
 * or drop the connection).
 */
final class TestReceiver implements AutoCloseable {
  enum Mode { ANSWER, NEVER, DROP }

  record Reply(int status, Map<String, String> headers, byte[] body, long delayMillis, Mode mode) {
    static Reply status(int status) {
      return new Reply(status, Map.of(), new byte[0], 0, Mode.ANSWER);
    }

    static Reply body(int status, String body) {
      return new Reply(status, Map.of(), body.getBytes(StandardCharsets.UTF_8), 0, Mode.ANSWER);
    }

    static Reply never() {
      return new Reply(0, Map.of(), new byte[0], 0, Mode.NEVER);
    }

    static Reply drop() {
      return new Reply(0, Map.of(), new byte[0], 0, Mode.DROP);
    }

    Reply withHeaders(Map<String, String> more) {
      return new Reply(status, more, body, delayMillis, mode);
    }

    Reply after(long millis) {
      return new Reply(status, headers, body, millis, mode);
    }
  }

  /** A received request; {@code connection} is the server-side channel id. */
  record Received(String method, String uri, HttpHeaders headers, byte[] body, String connection) {}

  private final NioEventLoopGroup group = new NioEventLoopGroup(2);
  private final Channel server;
  final List<Received> received = new CopyOnWriteArrayList<>();
  final List<String> sniNames = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile Function<Received, Reply> behaviour = r -> Reply.status(200);

  TestReceiver() {
    this(null);
  }

  /** With {@code tls} non-null, serves https and records the SNI name of each handshake. */
  TestReceiver(SslContext tls) {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.incrementAndGet();
            if (tls != null) {
              ch.pipeline().addLast(new SniHandler((Mapping<String, SslContext>) name -> {
                sniNames.add(String.valueOf(name));
                return tls;
              }));
            }
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(16 << 20), new Handler());
          }
        })
        .bind("127.0.0.1", 0).syncUninterruptibly().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  void respond(Function<Received, Reply> behaviour) {
    this.behaviour = behaviour;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      Received r = new Received(req.method().name(), req.uri(), req.headers().copy(),
          ByteBufUtil.getBytes(req.content()), ctx.channel().id().asShortText());
      received.add(r);
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      Reply reply = behaviour.apply(r);
      switch (reply.mode()) {
        case NEVER:
          return;
        case DROP:
          inFlight.decrementAndGet();
          ctx.close();
          return;
        default:
          ctx.executor().schedule(() -> answer(ctx, reply), reply.delayMillis(), TimeUnit.MILLISECONDS);
      }
    }

    private void answer(ChannelHandlerContext ctx, Reply reply) {
      FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
      reply.headers().forEach(res.headers()::set);
      res.headers().set(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
      inFlight.decrementAndGet();
      ctx.writeAndFlush(res);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // the client closing early (timeouts, capped bodies) is expected here
    }
  }
}
