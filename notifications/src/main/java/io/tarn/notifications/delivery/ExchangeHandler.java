package io.tarn.notifications.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one exchange at a time on a client connection: writes the request, reads the response head
 * and at most {@code responseBodyCap} body bytes (keeping a snippet), then hands the connection
 * back to the pool or closes it. Never follows redirects: a 3xx is just the status. All of it runs
 * on the connection's event loop.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {
  private final ConnectionPool pool;
  private final ConnectionPool.Key key;
  private final TransportOptions options;
  private ChannelHandlerContext ctx;

  private Exchange current;
  private ScheduledFuture<?> timeout;
  private int status;
  private long headNanos;
  private boolean keepAlive;
  private boolean informational;
  private boolean sawResponse;
  private long bodyBytes;
  private byte[] snippet;
  private int snippetLength;
  private List<Map.Entry<String, String>> headers = List.of();

  ExchangeHandler(ConnectionPool pool, ConnectionPool.Key key, TransportOptions options) {
    this.pool = pool;
    this.key = key;
    this.options = options;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Starts {@code exchange}; call on the channel's event loop, with no exchange running. */
  void start(Exchange exchange) {
    current = exchange;
    status = 0;
    keepAlive = false;
    informational = false;
    sawResponse = false;
    bodyBytes = 0;
    snippet = new byte[options.snippetBytes()];
    snippetLength = 0;
    headers = List.of();
    long millis = options.responseTimeout().toMillis();
    timeout = ctx.executor().schedule(
        () -> fail(exchange, "no response within " + millis + " ms", false), millis, TimeUnit.MILLISECONDS);
    ctx.writeAndFlush(exchange.request()).addListener(f -> {
      if (!f.isSuccess()) {
        fail(exchange, "sending the request failed: " + Errors.describe(f.cause()), true);
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      Exchange exchange = current;
      if (exchange == null) {
        ctx.close(); // bytes nobody asked for: the connection is not in a known state any more
        return;
      }
      sawResponse = true;
      if (msg instanceof HttpResponse) {
        onHead(exchange, (HttpResponse) msg);
      }
      if (current == exchange && msg instanceof HttpContent) {
        onContent(exchange, (HttpContent) msg);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    Exchange exchange = current;
    if (exchange != null && status != 0) {
      finish(exchange, false); // the head arrived: the receiver answered, the body was cut short
    } else if (exchange != null) {
      fail(exchange, "connection closed before the response", true);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Exchange exchange = current;
    if (exchange != null) {
      fail(exchange, Errors.describe(cause), cause instanceof IOException);
    }
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent && current == null) {
      ctx.close(); // idle in the pool too long
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  private void onHead(Exchange exchange, HttpResponse response) {
    if (response.decoderResult().isFailure()) {
      fail(exchange, "invalid response: " + Errors.describe(response.decoderResult().cause()), false);
      return;
    }
    int code = response.status().code();
    if (code / 100 == 1 && code != 101) {
      informational = true; // e.g. an unasked-for 100 Continue: the real answer follows
      return;
    }
    status = code;
    headNanos = System.nanoTime();
    headers = new ArrayList<>();
    for (Map.Entry<String, String> h : response.headers()) {
      if (headers.size() == SendResult.Response.MAX_HEADERS) {
        break;
      }
      headers.add(Map.entry(h.getKey(), h.getValue()));
    }
    keepAlive = HttpUtil.isKeepAlive(response);
  }

  private void onContent(Exchange exchange, HttpContent content) {
    if (informational) {
      informational = !(content instanceof LastHttpContent);
      return;
    }
    if (status == 0) {
      fail(exchange, "invalid response: " + Errors.describe(content.decoderResult().cause()), false);
      return;
    }
    if (content.decoderResult().isFailure()) {
      finish(exchange, false);
      return;
    }
    ByteBuf buf = content.content();
    int take = Math.min(buf.readableBytes(), snippet.length - snippetLength);
    buf.getBytes(buf.readerIndex(), snippet, snippetLength, take);
    snippetLength += take;
    bodyBytes += buf.readableBytes();
    if (bodyBytes > options.responseBodyCap()) {
      finish(exchange, false); // stop reading: closing is cheaper than draining a huge body
    } else if (content instanceof LastHttpContent) {
      finish(exchange, keepAlive);
    }
  }

  private void finish(Exchange exchange, boolean reuse) {
    if (!end(exchange)) {
      return;
    }
    String body = new String(snippet, 0, snippetLength, StandardCharsets.UTF_8);
    long latency = TimeUnit.NANOSECONDS.toMillis(headNanos - exchange.startNanos());
    if (reuse && ctx.channel().isActive()) {
      pool.offer(key, ctx.channel()); // before done(): the next send may already want it
    } else {
      ctx.close();
    }
    exchange.done().done(new SendResult.Response(status, latency, body, headers), false);
  }

  private void fail(Exchange exchange, String error, boolean maybeStale) {
    if (!end(exchange)) {
      return;
    }
    ctx.close();
    long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exchange.startNanos());
    boolean stale = maybeStale && exchange.reused() && !sawResponse;
    exchange.done().done(new SendResult.Failure(Errors.oneLine(error), latency), stale);
  }

  /** Ends {@code exchange} if it is still the current one. */
  private boolean end(Exchange exchange) {
    if (current != exchange) {
      return false;
    }
    current = null;
    timeout.cancel(false);
    return true;
  }
}
