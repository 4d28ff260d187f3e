package io.tarn.s3.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** The S3 HTTP listener: Netty boss/worker loops plus a pool for blocking storage work. */
public final class S3Server implements AutoCloseable {
  /** Limits of the HTTP layer. */
  public record Limits(int maxInitialLineLength, int maxHeaderSize, int idleTimeoutSeconds) {
    public static Limits defaults() {
      // S3 allows 8 KiB of headers; leave room for long presigned URLs and metadata.
      return new Limits(16 << 10, 16 << 10, 60);
    }
  }

  private final EventLoopGroup boss;
  private final EventLoopGroup loops;
  private final Channel channel;

  private S3Server(EventLoopGroup boss, EventLoopGroup loops, Channel channel) {
    this.boss = boss;
    this.loops = loops;
    this.channel = channel;
  }

  /**
   * Binds and starts serving.
   *
   * @param sslContext TLS context, or {@code null} for plain HTTP
   * @param workers pool for storage work (blocking); not owned
   */
  public static S3Server start(
      InetSocketAddress address, S3Dispatcher dispatcher, ExecutorService workers, SslContext sslContext, Limits limits)
      throws InterruptedException {
    EventLoopGroup boss = new NioEventLoopGroup(1);
    EventLoopGroup loops = new NioEventLoopGroup();
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, loops)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            // Assembles only; each handler has one concern.
            if (sslContext != null) {
              ch.pipeline().addLast("tls", sslContext.newHandler(ch.alloc()));
            }
            ch.pipeline()
                .addLast("idle", new IdleStateHandler(limits.idleTimeoutSeconds(), 0, 0))
                .addLast("http", new HttpServerCodec(limits.maxInitialLineLength(), limits.maxHeaderSize(), 1 << 20))
                .addLast("chunked", new ChunkedWriteHandler())
                .addLast("s3", new S3HttpHandler(dispatcher, workers));
          }
        });
    try {
      Channel ch = b.bind(address).sync().channel();
      return new S3Server(boss, loops, ch);
    } catch (RuntimeException | InterruptedException e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The bound address (the real port when started on port 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
