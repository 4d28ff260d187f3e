package io.tarn.server.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive HTTP/1.1 connection to the endpoint, opened lazily and re-opened after the
 * server closes it. Everything runs on one event loop, so no state here is shared between
 * threads. One exchange at a time (no pipelining), as an S3 client does.
 *
 * <p>Request bodies are slices of one shared read-only buffer, written as the socket drains, so a
 * 64 MiB PUT costs no 64 MiB allocation; response bodies are counted and dropped as they arrive
 * unless the caller wants them (LIST pages, error messages), and then only up to a bound.
 */
final class HttpConnection {
  /** What the connection reports about one exchange. Called on the connection's event loop. */
  interface Listener {
    void onBytes(long sent, long received);

    void onResponse(int status, String body);

    void onFailure(Throwable cause);
  }

  /** Error bodies are kept for the message only; LIST pages of 1000 keys are far below this. */
  static final int MAX_ERROR_BODY = 8 * 1024;

  static final int MAX_COLLECTED_BODY = 16 * 1024 * 1024;

  /** Large chunks mean fewer messages per 64 MiB body; headers are only read, not trusted. */
  private static final HttpDecoderConfig DECODER = new HttpDecoderConfig()
      .setMaxHeaderSize(16 * 1024)
      .setMaxChunkSize(1024 * 1024)
      .setValidateHeaders(false);

  private final Endpoint endpoint;
  private final EventLoop loop;
  private final SslContext ssl;
  private final long timeoutNanos;
  private final ScheduledFuture<?> watchdog;

  private Channel channel;
  private Listener listener;
  private ByteBuf payload;
  private long bodyRemaining;
  private boolean collect;
  private boolean responseStarted;
  private ByteBuf collected;
  private int collectLimit;
  private int status;
  private boolean keepAlive;
  private long lastActivity;
  private boolean closed;

  HttpConnection(Endpoint endpoint, EventLoop loop, SslContext ssl, long timeoutNanos) {
    this.endpoint = endpoint;
    this.loop = loop;
    this.ssl = ssl;
    this.timeoutNanos = timeoutNanos;
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(100), timeoutNanos / 10);
    this.watchdog = loop.scheduleAtFixedRate(this::checkTimeout, period, period,
        TimeUnit.NANOSECONDS);
  }

  EventLoop loop() {
    return loop;
  }

  /**
   * Sends {@code head} (which must carry Content-Length for a body) followed by
   * {@code bodyLength} bytes taken from {@code body} (repeated when the body is longer), and
   * reports to {@code listener}. {@code body} is only sliced, never released or modified: it is
   * shared by every connection. Must be called on the loop, with no exchange in progress.
   */
  void send(HttpRequest head, ByteBuf body, long bodyLength, boolean collectBody,
      Listener listener) {
    if (this.listener != null) {
      throw new IllegalStateException("an exchange is already in progress");
    }
    if (bodyLength > 0 && !body.isReadable()) {
      throw new IllegalArgumentException("no bytes to send a body from");
    }
    this.listener = listener;
    this.payload = body;
    this.bodyRemaining = bodyLength;
    this.collect = collectBody;
    this.responseStarted = false;
    this.lastActivity = System.nanoTime();
    if (closed) {
      fail(new IOException("connection closed"));
    } else if (channel != null && channel.isActive()) {
      write(head);
    } else {
      connect(head);
    }
  }

  /** Closes the socket; an exchange in progress fails. */
  void close() {
    closed = true;
    watchdog.cancel(false);
    if (listener != null) {
      fail(new IOException("connection closed by the driver")); // closes the channel too
    } else if (channel != null) {
      channel.close();
    }
  }

  private void connect(HttpRequest head) {
    Channel old = channel;
    if (old != null) {
      old.close();
    }
    ChannelFuture f = new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (ssl != null) {
              ch.pipeline().addLast(ssl.newHandler(ch.alloc(), endpoint.host(), endpoint.port()));
            }
            ch.pipeline().addLast(new HttpClientCodec(DECODER, false, false));
            ch.pipeline().addLast(new Handler());
          }
        })
        .connect(endpoint.host(), endpoint.port());
    channel = f.channel();
    f.addListener((ChannelFutureListener) done -> {
      if (f.channel() != channel || listener == null) {
        return;
      }
      if (done.isSuccess()) {
        write(head);
      } else {
        fail(new IOException("cannot connect to " + endpoint.authority() + ": "
            + done.cause().getMessage(), done.cause()));
      }
    });
  }

  private void write(HttpRequest head) {
    if (bodyRemaining <= payload.readableBytes()) {
      // Small request: head and body in one message, one write, one flush.
      int n = (int) bodyRemaining;
      bodyRemaining = 0;
      DefaultFullHttpRequest full = new DefaultFullHttpRequest(head.protocolVersion(),
          head.method(), head.uri(), payload.slice(payload.readerIndex(), n), head.headers(),
          EmptyHttpHeaders.INSTANCE);
      channel.writeAndFlush(full, channel.voidPromise());
      sent(n);
      return;
    }
    channel.write(head, channel.voidPromise());
    pump();
  }

  /** Writes body slices while the socket accepts them; resumed by writability changes. */
  private void pump() {
    while (bodyRemaining > 0 && channel.isWritable()) {
      int n = (int) Math.min(bodyRemaining, payload.readableBytes());
      bodyRemaining -= n;
      channel.write(new DefaultHttpContent(payload.slice(payload.readerIndex(), n)),
          channel.voidPromise());
      sent(n);
    }
    if (bodyRemaining == 0) {
      channel.write(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
      bodyRemaining = -1;
    }
    channel.flush();
  }

  private void sent(long n) {
    lastActivity = System.nanoTime();
    if (listener != null && n > 0) {
      listener.onBytes(n, 0);
    }
  }

  private void onMessage(HttpObject msg) {
    if (msg.decoderResult().isFailure()) {
      fail(new IOException("malformed response: " + msg.decoderResult().cause().getMessage()));
      return;
    }
    lastActivity = System.nanoTime();
    if (msg instanceof HttpResponse response) {
      status = response.status().code();
      if (status >= 100 && status < 200) {
        return; // interim response (100 Continue): its LastHttpContent is dropped below
      }
      responseStarted = true;
      keepAlive = HttpUtil.isKeepAlive(response);
      collectLimit = collect ? MAX_COLLECTED_BODY : status >= 300 ? MAX_ERROR_BODY : 0;
      if (collectLimit > 0) {
        collected = channel.alloc().heapBuffer(Math.min(collectLimit, 64 * 1024));
      }
    }
    if (msg instanceof HttpContent content && responseStarted) {
      ByteBuf data = content.content();
      int n = data.readableBytes();
      if (collected != null) {
        int room = collectLimit - collected.readableBytes();
        if (n > room && collect) {
          fail(new IOException("response body over " + collectLimit + " bytes"));
          return;
        }
        collected.writeBytes(data, data.readerIndex(), Math.min(n, room));
      }
      if (n > 0 && listener != null) {
        listener.onBytes(0, n);
      }
      if (msg instanceof LastHttpContent) {
        complete();
      }
    }
  }

  private void complete() {
    String body = null;
    if (collected != null) {
      body = collected.toString(StandardCharsets.UTF_8);
      collected.release();
      collected = null;
    }
    Listener l = listener;
    listener = null; // first: closing fails queued writes, which must not fail this exchange
    responseStarted = false;
    // A response that came before the whole body went out (an early error) leaves the request
    // half sent: the connection cannot carry another exchange.
    if (!keepAlive || bodyRemaining != -1 && bodyRemaining != 0) {
      channel.close();
    }
    if (l != null) {
      l.onResponse(status, body);
    }
  }

  private void fail(Throwable cause) {
    if (collected != null) {
      collected.release();
      collected = null;
    }
    Listener l = listener;
    listener = null; // first: closing fires more failures, of which only this one is reported
    responseStarted = false;
    if (channel != null) {
      channel.close();
    }
    if (l != null) {
      l.onFailure(cause);
    }
  }

  private void checkTimeout() {
    if (listener != null && System.nanoTime() - lastActivity > timeoutNanos) {
      fail(new IOException("no progress for " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos)
          + "s"));
    }
  }

  /** Per-channel adapter; events of a channel that is no longer current are ignored. */
  private final class Handler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (ctx.channel() == channel && listener != null && msg instanceof HttpObject http) {
          onMessage(http);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel() == channel && listener != null && bodyRemaining > 0
          && ctx.channel().isWritable()) {
        pump();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (ctx.channel() == channel && listener != null) {
        fail(new IOException("connection closed by the server"));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (ctx.channel() == channel && listener != null) {
        fail(cause);
      } else {
        ctx.close();
      }
    }
  }
}
