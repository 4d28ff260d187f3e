package io.tarn.s3.http;

import static io.tarn.s3.http.Exchanges.addCommonHeaders;
import static io.tarn.s3.http.Exchanges.isClientSide;
import static io.tarn.s3.http.Exchanges.release;
import static io.tarn.s3.http.Exchanges.rootCause;
import static io.tarn.s3.http.Exchanges.sourceIp;
import static io.tarn.s3.http.Exchanges.toS3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.tarn.core.Ids;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * One connection's S3 exchanges. Each request is routed and authenticated on the event loop; storage
 * work and body consumption run on a worker pool, serially per request; the body is never
 * aggregated: reading pauses while more than {@link #HIGH_WATER} bytes wait for the disk and resumes
 * below {@link #LOW_WATER}. {@code 100 Continue} is sent only once the request has been routed,
 * authenticated and accepted by its operation.
 */
final class S3HttpHandler extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(S3HttpHandler.class.getName());
  static final long HIGH_WATER = 1 << 20;
  static final long LOW_WATER = 256 << 10;
  private static final String X_FORWARDED_FOR = "X-Forwarded-For";

  private final S3Dispatcher dispatcher;
  private final Executor workers;
  private final BooleanSupplier saturated;
  private final boolean tls;
  private final ConnectionLimits.Place place;
  private final ExchangeListener listener;
  private final Drain drain;
  private final TrustedProxies proxies;
  private final ArrayDeque<Object> backlog = new ArrayDeque<>();
  private HttpExchange current;
  private ChannelHandlerContext ctx;
  /** The event stream this connection sends, once it sends one (it then serves nothing else); null if none. */
  private EventStreamWriter events;

  /**
   * @param saturated whether the worker pool has too much waiting work to admit a new request
   * @param tls whether responses are encrypted (no zero-copy file regions then)
   * @param place this connection's place under the connection cap, told when a request starts and
   *     when the connection waits for the next one (only then may it be evicted)
   * @param drain the server's drain: each request is counted in it, and refused once it has begun
   * @param listener told of every exchange; {@link ExchangeListener#NONE} costs nothing
   */
  S3HttpHandler(S3Dispatcher dispatcher, Executor workers, BooleanSupplier saturated, boolean tls,
      ConnectionLimits.Place place, Drain drain, ExchangeListener listener) {
    this(dispatcher, workers, saturated, tls, place, drain, listener, TrustedProxies.NONE);
  }

  /** @param proxies peers whose X-Forwarded-For names each request's client address (the one place it is read) */
  S3HttpHandler(S3Dispatcher dispatcher, Executor workers, BooleanSupplier saturated, boolean tls,
      ConnectionLimits.Place place, Drain drain, ExchangeListener listener, TrustedProxies proxies) {
    this.dispatcher = dispatcher;
    this.workers = workers;
    this.saturated = saturated;
    this.tls = tls;
    this.place = place;
    this.drain = drain;
    this.listener = listener;
    this.proxies = proxies;
  }

  static boolean declaresBody(HttpRequest req) {
    try {
      return HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
    } catch (NumberFormatException e) {
      return true; // a Content-Length the decoder refused: the framing is unknown
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (current == null && backlog.isEmpty() && !place.requestStarted()) {
      // Evicted for a newcomer just before this request arrived: the connection is being closed.
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!backlog.isEmpty() || (current != null && current.requestComplete)) {
      // A pipelined request: handled once the current response is written.
      backlog.add(msg);
      ctx.channel().config().setAutoRead(false);
      return;
    }
    handle(msg);
  }

  private void handle(Object msg) {
    if (msg instanceof HttpRequest) {
      onRequest((HttpRequest) msg);
    }
    if (msg instanceof HttpContent) {
      onContent((HttpContent) msg);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onRequest(HttpRequest req) {
    boolean listening = listener != ExchangeListener.NONE;
    HttpExchange ex = new HttpExchange(new RequestHead(Ids.requestId(), req, clientAddress(req), tls), listening,
        workers);
    current = ex;
    if (listening) {
      listener.started(ex.head);
    }
    drain.requestStarted();
    ex.counted = true;
    DecoderResult dr = req.decoderResult();
    if (dr.isFailure()) {
      Throwable cause = dr.cause();
      S3Exception e = cause instanceof TooLongFrameException
          ? new S3Exception(S3Error.REQUEST_HEADER_SECTION_TOO_LARGE, "Your request header section exceeds the maximum allowed size.")
          : new S3Exception(S3Error.BAD_REQUEST, "The HTTP request could not be parsed: " + cause.getMessage());
      ex.broken = true;
      fail(ex, e);
      return;
    }
    boolean draining = drain.draining();
    S3Response probe;
    try {
      probe = dispatcher.probe(ex.head, draining);
    } catch (RuntimeException e) {
      fail(ex, toS3(e));
      return;
    }
    if (probe != null) {
      // A health probe: answered here, by neither the workers nor storage, also while draining or
      // saturated. A body it declares is not read: the connection closes after the answer.
      ex.probe = true;
      respond(ex, probe, ex.hasBody);
      return;
    }
    if (draining) {
      // The server is stopping: only the requests in flight when the drain began are served. S3's
      // answer for a service that cannot take a request now, which SDKs retry (on a new connection:
      // this one closes) (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
      fail(ex, stopping());
      return;
    }
    S3Dispatcher.Plan plan;
    try {
      plan = dispatcher.prepare(ex.head);
      ex.plan = plan;
      ex.resource = plan.resource();
    } catch (S3Exception e) {
      fail(ex, e);
      return;
    } catch (RuntimeException e) {
      fail(ex, toS3(e));
      return;
    }
    if (saturated.getAsBoolean()) {
      // The workers are behind: turn the request away before it adds work, with the error S3 uses
      // to ask a client to slow down, which SDKs retry with backoff
      // (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList, SlowDown).
      fail(ex, new S3Exception(S3Error.SLOW_DOWN));
      return;
    }
    // Hold the body back until the operation has accepted the request.
    ctx.channel().config().setAutoRead(false);
    boolean expectContinue = ex.expectContinue;
    // Without a body the decoder has already ended the request (it emits the last content with the
    // head): there is nothing to continue or resume, and sparing the event loop a wake-up per small
    // GET is measurable.
    boolean bodyToRead = expectContinue || HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
    toWorker(ex, () -> {
      try {
        ex.consumer = plan.start();
      } catch (Throwable t) {
        onLoop(() -> fail(ex, toS3(t)));
        return;
      }
      if (!bodyToRead) {
        return;
      }
      onLoop(() -> {
        if (ex != current || ex.failed) {
          return;
        }
        // Sent even when the body is empty or already here (RFC 9110 section 10.1.1 allows either): a
        // client that saw a final answer to its Expect instead keeps that status for the connection's
        // next Expect request (botocore reuses it as the next response's status line, misreads that
        // response and, if the server dies meanwhile, reports 200 for a write never made).
        if (expectContinue && !ex.responding) {
          ex.continued = true;
          ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        // Once the request has ended, reading resumes with the next exchange (finish), so that
        // pipelined requests cannot pile up in the backlog.
        if (!ex.paused && !ex.requestComplete) {
          ctx.channel().config().setAutoRead(true);
        }
      });
    });
  }

  /**
   * The request's client address, for everything that reads {@link RequestHead#sourceIp()} (access log,
   * policies' aws:SourceIp, events, the console's sign-in throttle): the TCP peer, or, when the peer is a
   * trusted proxy, the address its X-Forwarded-For names (TrustedProxies).
   */
  private String clientAddress(HttpRequest req) {
    SocketAddress remote = ctx.channel().remoteAddress();
    String peer = sourceIp(remote);
    if (proxies.isEmpty() || !(remote instanceof InetSocketAddress)) {
      return peer;
    }
    return proxies.clientAddress(((InetSocketAddress) remote).getAddress(), peer,
        req.headers().getAll(X_FORWARDED_FOR));
  }

  private void onContent(HttpContent content) {
    HttpExchange ex = current;
    boolean last = content instanceof LastHttpContent;
    if (content.decoderResult().isFailure()) {
      content.release();
      onBrokenBody(ex, content.decoderResult().cause());
      return;
    }
    if (ex != null) {
      ex.bytesIn += content.content().readableBytes();
    }
    if (ex == null || ex.failed || ex.responding) {
      content.release();
      if (ex != null && last) {
        ex.requestComplete = true;
        if (ex.written) {
          finish(ex);
        }
      }
      return;
    }
    if (last) {
      ex.requestComplete = true;
      ctx.channel().config().setAutoRead(false);
    }
    ByteBuf buf = content.content();
    int n = buf.readableBytes();
    if (n > 0) {
      if (ex.pendingBytes.addAndGet(n) > HIGH_WATER && !ex.paused) {
        ex.paused = true;
        ctx.channel().config().setAutoRead(false);
      }
      boolean queued = toWorker(ex, () -> {
        try {
          if (ex.consumer != null && !ex.failed) {
            ex.consumer.onContent(buf);
          }
        } catch (Throwable t) {
          BodyConsumer c = ex.consumer;
          ex.consumer = null;
          c.onAbort();
          S3Exception e = toS3(t);
          onLoop(() -> fail(ex, e));
        } finally {
          buf.release();
          if (ex.pendingBytes.addAndGet(-n) < LOW_WATER) {
            onLoop(() -> resume(ex));
          }
        }
      });
      if (!queued) {
        buf.release(); // refused (the request is answered 503): the task that would release it never runs
        return;
      }
    } else {
      buf.release();
    }
    if (last) {
      toWorker(ex, () -> {
        BodyConsumer c = ex.consumer;
        if (c == null) {
          return; // failed earlier; the failure response is on its way
        }
        S3Response response;
        try {
          response = c.onEnd();
        } catch (Throwable t) {
          c.onAbort();
          response = ErrorResponses.of(toS3(t), ex.resource, ex.head.requestId());
        }
        S3Response r = response;
        if (!onLoop(() -> respond(ex, r, false))) {
          release(r); // the event loops have stopped: the connection is gone, nobody takes the body
        }
      });
    }
  }

  /** The decoder gave up on a body (e.g. a bad chunk size): answer if still possible, then close. */
  private void onBrokenBody(HttpExchange ex, Throwable cause) {
    if (ex == null || ex.written) {
      ctx.close();
      return;
    }
    ex.broken = true; // a response in flight closes the connection when written
    fail(ex, new S3Exception(S3Error.BAD_REQUEST, "The HTTP request body could not be parsed: " + cause.getMessage()));
  }

  private void resume(HttpExchange ex) {
    if (ex == current && ex.paused && !ex.requestComplete && !ex.failed) {
      ex.paused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** Answers with an error. If the body has not been read completely, the connection closes after. */
  private void fail(HttpExchange ex, S3Exception e) {
    if (ex != current || ex.responding) {
      return;
    }
    ex.failed = true;
    BodyConsumer c = ex.consumer;
    if (c != null) {
      abortOnWorker(ex, c::onAbort);
    }
    boolean close = ex.broken || (!ex.requestComplete && ex.hasBody);
    respond(ex, ErrorResponses.of(e, ex.resource, ex.head.requestId()), close);
  }

  private void respond(HttpExchange ex, S3Response r, boolean forceClose) {
    if (ex != current || ex.responding) {
      release(r);
      return;
    }
    ex.responding = true;
    if (r.body() instanceof S3Response.Events e) {
      streamEvents(ex, r, e);
      return;
    }
    // A final answer to an Expect: 100-continue request without a 100 first (the operation refused it
    // before its body) ends the connection: see the 100 Continue above for the clients it would confuse.
    // While draining every response ends its connection: the client's next request goes elsewhere.
    boolean close = forceClose || !ex.keepAlive || !ctx.channel().isActive() || (ex.expectContinue && !ex.continued)
        || drain.draining();
    boolean head = ex.head.method().equals(HttpMethod.HEAD);
    addCommonHeaders(r, ex.head.requestId(), ex.head.rawPath());
    if (!ex.probe) {
      // A not-ready probe is no fault, and a load balancer asks every few seconds: what makes the
      // server not ready is logged where it happens (the floor, a failed write probe, the drain).
      ServerErrorLog.response(ex.head, r);
    }
    if (close) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (ex.head.request().protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    ResponseWriter.Written w = ResponseWriter.write(ctx, r, head, tls, workers,
        (write, length) -> onBlobWritten(ex, r, write, length));
    ChannelFuture done = w.done();
    boolean closeAfter = close;
    long sent = w.bodyBytes();
    done.addListener((ChannelFutureListener) f -> {
      boolean whole = f.isSuccess() && !ex.bodyFailed;
      ended(ex, r.status().code(), r.cause(), whole ? sent : ex.blobBytesOut, !whole);
      if (closeAfter || ex.broken || !f.isSuccess()) {
        f.channel().close();
        return;
      }
      if (!ex.requestComplete) {
        // Responded before the request ended (an error answered from its head): discard the rest
        // of the request, whose end then finishes the exchange (onContent).
        ex.failed = true;
        ex.written = true;
        ctx.channel().config().setAutoRead(true);
        return;
      }
      finish(ex);
    });
  }

  /**
   * Sends a stream of server-sent events: a chunked 200 whose body lasts as long as the stream, after
   * which the connection closes (nothing pipelined behind it is served). A HEAD, or a connection
   * already gone, gets the head alone and the stream is released.
   */
  private void streamEvents(HttpExchange ex, S3Response r, S3Response.Events e) {
    addCommonHeaders(r, ex.head.requestId(), ex.head.rawPath());
    ServerErrorLog.response(ex.head, r);
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    // The stream lasts as long as the connection: the exchange ends with it.
    ctx.channel().closeFuture().addListener(f -> ended(ex, r.status().code(), r.cause(), 0, false));
    uncount(ex); // a stream lasts as long as its client wants: it must not hold a drain
    events = EventStreamWriter.open(ctx, r.status(), r.headers(), e.stream(), workers,
        ex.head.method().equals(HttpMethod.HEAD));
    if (events != null && drain.draining()) {
      events.stop(); // accepted before the drain began, answered after: ends at once like the others
    }
  }

  /**
   * Tells the listener, once, that {@code ex} is over. On the event loop. The record is built only
   * when someone listens; a listener's failure is logged and never reaches the exchange.
   */
  private void ended(HttpExchange ex, int status, Throwable cause, long bytesOut, boolean cut) {
    if (ex.ended) {
      return;
    }
    ex.ended = true;
    if (listener == ExchangeListener.NONE) {
      return;
    }
    try {
      listener.ended(ex.record(status, cause, bytesOut, cut));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "an exchange listener failed", e);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (events != null) {
      events.writabilityChanged();
    }
    super.channelWritabilityChanged(ctx);
  }

  /**
   * A blob segment's write ended. The head is out, so a blob that could not supply its bytes can only
   * be reported by closing the connection short of Content-Length (never a silent short 200; a
   * ChunkedWriteHandler would go on with the next message); it is logged once, as a server fault.
   * A socket failure is the client's business: Netty closes the channel itself.
   */
  private void onBlobWritten(HttpExchange ex, S3Response r, ChannelFuture w, long length) {
    if (w.isSuccess()) {
      ex.blobBytesOut += length;
      return;
    }
    if (ex.bodyFailed) {
      return;
    }
    if (BlobRegion.isBlobFault(w.cause())) {
      ex.bodyFailed = true;
      ServerErrorLog.afterHead(ex.head, r.status().code(), w.cause());
      // A reset rather than a FIN: a client reading to the end of the stream (no Content-Length check)
      // still sees an error, never what looks like a complete body.
      ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      ctx.close();
    }
  }

  /** The exchange is over: continue with pipelined requests, or read the next one. */
  private void finish(HttpExchange ex) {
    uncount(ex);
    if (current == ex) {
      current = null;
    }
    while (current == null || !current.requestComplete) {
      Object next = backlog.poll();
      if (next == null) {
        break;
      }
      handle(next);
    }
    // A request taken from the backlog controls reading itself: its body waits for start().
    if (backlog.isEmpty() && current == null) {
      if (drain.draining()) {
        ctx.close(); // idle now, and nothing new is served: the drain closes idle connections
        return;
      }
      place.waitForRequest(); // idle keep-alive from here: may be evicted (ConnectionLimits)
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** An error answered outside any exchange, on a connection that closes after it. */
  private void answerAndClose(S3Exception e) {
    String requestId = Ids.requestId();
    S3Response r = ErrorResponses.of(e, null, requestId);
    addCommonHeaders(r, requestId);
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    byte[] data = ((S3Response.Bytes) r.body()).data();
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, data.length);
    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), Unpooled.wrappedBuffer(data),
        r.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == Drain.Event.BEGIN) {
      onDrainBegun();
      return;
    }
    if (evt == SlowClientGuard.Timeout.HEAD) {
      // A head not complete in time: no request to answer, but the client learns why (S3 gives
      // RequestTimeout to a client that does not send in time), unless a response is in flight.
      if (current == null && backlog.isEmpty()) {
        answerAndClose(new S3Exception(S3Error.REQUEST_TIMEOUT));
      } else {
        ctx.close();
      }
      return;
    }
    if (evt == SlowClientGuard.Timeout.UPLOAD) {
      HttpExchange ex = current;
      if (ex != null && !ex.responding && !ex.failed) {
        fail(ex, new S3Exception(S3Error.REQUEST_TIMEOUT)); // closes: the body was not read to its end
      } else {
        ctx.close(); // a body being discarded, or a response already on its way
      }
      return;
    }
    if (evt instanceof IdleStateEvent && ((IdleStateEvent) evt).state() == IdleState.READER_IDLE) {
      HttpExchange ex = current;
      if (ex == null) {
        ctx.close(); // idle keep-alive connection
      } else if (!ex.requestComplete && !ex.paused && !ex.failed && ex.consumer != null) {
        fail(ex, new S3Exception(S3Error.REQUEST_TIMEOUT));
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  /**
   * The drain began: an event stream ends now (it would hold its connection for as long as its
   * client wants); an idle connection closes (RFC 9112 section 9.5 lets a server close an idle
   * connection at any time; a client retries a request that raced the close on a new connection);
   * a connection with a request in progress, or with the start of a request head, closes after its
   * response (which carries {@code Connection: close}), or a new request on it is answered 503.
   */
  private void onDrainBegun() {
    if (events != null) {
      events.stop();
      return;
    }
    SlowClientGuard guard = ctx.pipeline().get(SlowClientGuard.class);
    boolean headStarted = guard != null && guard.headStarted();
    if (current == null && backlog.isEmpty() && !headStarted) {
      ctx.close();
    }
  }

  /** The exchange no longer counts as in flight for the drain (once). */
  private void uncount(HttpExchange ex) {
    if (ex.counted) {
      ex.counted = false;
      drain.requestEnded();
    }
  }

  /** The answer to a request that arrives while the server stops. */
  private static S3Exception stopping() {
    return new S3Exception(S3Error.SERVICE_UNAVAILABLE, "The server is shutting down. Please retry the request.");
  }

  /**
   * Hands a request's task to its workers. The pool refuses work once it has shut down (the server is
   * stopping): the request is then answered 503 ServiceUnavailable, cleanly, rather than an exception
   * escaping on the event loop.
   *
   * @return whether the task was queued
   */
  private boolean toWorker(HttpExchange ex, Runnable task) {
    try {
      ex.serial.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      fail(ex, stopping());
      return false;
    }
  }

  /**
   * Aborts a request's consumer on its workers; if the pool has shut down, here: nothing else runs
   * for the request then (the serial queue was idle, or it would have taken the task), and the
   * consumer's temp file is better deleted now than left to the next start's sweep.
   */
  private static void abortOnWorker(HttpExchange ex, Runnable abort) {
    try {
      ex.serial.execute(abort);
    } catch (RejectedExecutionException e) {
      abort.run();
    }
  }

  /**
   * Runs {@code task} on this connection's event loop, from a worker. False when the loop has shut
   * down (the server stopped after its grace): the connection is closed, nothing can be answered,
   * and the worker must not die of Netty's RejectedExecutionException.
   */
  private boolean onLoop(Runnable task) {
    try {
      ctx.channel().eventLoop().execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    HttpExchange ex = current;
    if (ex != null) {
      if (!ex.responding) {
        ended(ex, 0, null, 0, true); // cut before any response (one being written ends with its write)
      }
      ex.failed = true;
      uncount(ex);
      abortOnWorker(ex, () -> {
        if (ex.consumer != null) {
          ex.consumer.onAbort();
        }
      });
    }
    Object m;
    while ((m = backlog.poll()) != null) {
      ReferenceCountUtil.release(m);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (isClientSide(cause)) {
      // Resets, plain HTTP on the TLS port, handshakes the client refused: the client's business.
      // One short line at most, never the request bytes a decoder exception would dump.
      LOG.log(System.Logger.Level.DEBUG, () -> "connection from " + ctx.channel().remoteAddress() + " failed: "
          + rootCause(cause).getClass().getSimpleName());
    } else {
      LOG.log(System.Logger.Level.WARNING, "connection failed", cause);
    }
    ctx.close();
  }
}
