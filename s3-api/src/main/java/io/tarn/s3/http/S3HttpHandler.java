package io.tarn.s3.http;

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
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.tarn.core.Ids;
import io.tarn.core.api.ApiResponse;
import io.tarn.s3.route.Router;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.storage.Segment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
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
  /**
   * Bytes per chunk of a blob read off the event loop (TLS, verified reads: two 64 KiB checksum
   * blocks); a download holds at most two. 512 KiB chunks made no measurable difference to a 64 MiB
   * GET (bench/verify-bench.sh), so memory per download stays small.
   */
  static final int CHUNK = 128 << 10;

  private final S3Dispatcher dispatcher;
  private final Executor workers;
  private final BooleanSupplier saturated;
  private final boolean tls;
  private final ConnectionLimits.Place place;
  private final ExchangeListener listener;
  private final ArrayDeque<Object> backlog = new ArrayDeque<>();
  private Exchange current;
  private ChannelHandlerContext ctx;
  /** The event stream this connection sends, once it sends one (it then serves nothing else); null if none. */
  private EventStreamWriter events;

  /**
   * @param saturated whether the worker pool has too much waiting work to admit a new request
   * @param tls whether responses are encrypted (no zero-copy file regions then)
   * @param place this connection's place under the connection cap, told when a request starts and
   *     when the connection waits for the next one (only then may it be evicted)
   */
  S3HttpHandler(S3Dispatcher dispatcher, Executor workers, BooleanSupplier saturated, boolean tls,
      ConnectionLimits.Place place) {
    this(dispatcher, workers, saturated, tls, place, ExchangeListener.NONE);
  }

  /** As above, telling {@code listener} of every exchange. */
  S3HttpHandler(S3Dispatcher dispatcher, Executor workers, BooleanSupplier saturated, boolean tls,
      ConnectionLimits.Place place, ExchangeListener listener) {
    this.dispatcher = dispatcher;
    this.workers = workers;
    this.saturated = saturated;
    this.tls = tls;
    this.place = place;
    this.listener = listener;
  }

  /** Per-request state. Fields are touched on the event loop unless noted. */
  private final class Exchange {
    final RequestHead head;
    final boolean keepAlive;
    final boolean hasBody;
    final boolean expectContinue;
    boolean continued; // 100 Continue was sent
    final SerialExecutor serial = new SerialExecutor(workers);
    final AtomicLong pendingBytes = new AtomicLong();
    String resource;
    volatile BodyConsumer consumer; // set and used on the worker
    boolean requestComplete;
    boolean responding;
    boolean failed; // the body is being discarded; the connection closes after the response
    boolean paused;
    boolean broken; // the HTTP decoder failed: it cannot find the next request, so the connection closes
    boolean written; // the response went out before the request ended; the exchange ends with the request
    boolean bodyFailed; // a blob failed after the head was sent: logged, the connection closes
    S3Dispatcher.Plan plan; // null until routed (or when routing failed)
    final long startNanos;
    final long startMillis;
    long bytesIn; // request body bytes received
    long blobBytesOut; // bytes of blob segments written (what a cut response is known to have sent)
    boolean ended; // the listener was told (exactly once)

    Exchange(RequestHead head, boolean timed) {
      this.head = head;
      this.startNanos = timed ? System.nanoTime() : 0;
      this.startMillis = timed ? System.currentTimeMillis() : 0;
      HttpRequest req = head.request();
      this.keepAlive = HttpUtil.isKeepAlive(req);
      this.hasBody = declaresBody(req);
      this.expectContinue = HttpUtil.is100ContinueExpected(req);
      this.resource = head.rawPath();
    }
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
    Exchange ex = new Exchange(new RequestHead(Ids.requestId(), req, sourceIp(ctx.channel().remoteAddress()), tls), listening);
    current = ex;
    if (listening) {
      listener.started(ex.head);
    }
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
    ex.serial.execute(() -> {
      try {
        ex.consumer = plan.start();
      } catch (Throwable t) {
        ctx.channel().eventLoop().execute(() -> fail(ex, toS3(t)));
        return;
      }
      if (!bodyToRead) {
        return;
      }
      ctx.channel().eventLoop().execute(() -> {
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

  private void onContent(HttpContent content) {
    Exchange ex = current;
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
      ex.serial.execute(() -> {
        try {
          if (ex.consumer != null && !ex.failed) {
            ex.consumer.onContent(buf);
          }
        } catch (Throwable t) {
          BodyConsumer c = ex.consumer;
          ex.consumer = null;
          c.onAbort();
          S3Exception e = toS3(t);
          ctx.channel().eventLoop().execute(() -> fail(ex, e));
        } finally {
          buf.release();
          if (ex.pendingBytes.addAndGet(-n) < LOW_WATER) {
            ctx.channel().eventLoop().execute(() -> resume(ex));
          }
        }
      });
    } else {
      buf.release();
    }
    if (last) {
      ex.serial.execute(() -> {
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
        ctx.channel().eventLoop().execute(() -> respond(ex, r, false));
      });
    }
  }

  /** The decoder gave up on a body (e.g. a bad chunk size): answer if still possible, then close. */
  private void onBrokenBody(Exchange ex, Throwable cause) {
    if (ex == null || ex.written) {
      ctx.close();
      return;
    }
    ex.broken = true; // a response in flight closes the connection when written
    fail(ex, new S3Exception(S3Error.BAD_REQUEST, "The HTTP request body could not be parsed: " + cause.getMessage()));
  }

  private void resume(Exchange ex) {
    if (ex == current && ex.paused && !ex.requestComplete && !ex.failed) {
      ex.paused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** An unexpected exception becomes a 500 that keeps it as its cause, for {@link ServerErrorLog}. */
  private static S3Exception toS3(Throwable t) {
    if (t instanceof S3Exception) {
      return (S3Exception) t;
    }
    return new S3Exception(S3Error.INTERNAL_ERROR, S3Error.INTERNAL_ERROR.defaultMessage(), Map.of(), t);
  }

  /** Answers with an error. If the body has not been read completely, the connection closes after. */
  private void fail(Exchange ex, S3Exception e) {
    if (ex != current || ex.responding) {
      return;
    }
    ex.failed = true;
    BodyConsumer c = ex.consumer;
    if (c != null) {
      ex.serial.execute(c::onAbort);
    }
    boolean close = ex.broken || (!ex.requestComplete && ex.hasBody);
    respond(ex, ErrorResponses.of(e, ex.resource, ex.head.requestId()), close);
  }

  /**
   * Closes the file channels of a stream's segments from index {@code from} on (those never handed
   * to Netty, which closes the others with their FileRegion), and the content.
   */
  private static void discard(S3Response.Stream s, int from) {
    List<Segment> segments = s.segments();
    for (int i = from; i < segments.size(); i++) {
      if (segments.get(i) instanceof Segment.FileSegment) {
        try {
          ((Segment.FileSegment) segments.get(i)).channel().close();
        } catch (IOException e) {
          LOG.log(System.Logger.Level.DEBUG, "closing a blob channel failed", e);
        }
      }
    }
    s.content().close();
  }

  private void respond(Exchange ex, S3Response r, boolean forceClose) {
    if (ex != current || ex.responding) {
      if (r.body() instanceof S3Response.Stream) {
        discard((S3Response.Stream) r.body(), 0);
      } else if (r.body() instanceof S3Response.Events e) {
        e.stream().close();
      }
      return;
    }
    ex.responding = true;
    if (r.body() instanceof S3Response.Events e) {
      streamEvents(ex, r, e);
      return;
    }
    // A final answer to an Expect: 100-continue request without a 100 first (the operation refused it
    // before its body) ends the connection: see the 100 Continue above for the clients it would confuse.
    boolean close = forceClose || !ex.keepAlive || !ctx.channel().isActive() || (ex.expectContinue && !ex.continued);
    boolean head = ex.head.method().equals(HttpMethod.HEAD);
    HttpResponse res;
    ChannelFuture done;
    addCommonHeaders(r, ex);
    ServerErrorLog.response(ex.head, r);
    if (close) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (ex.head.request().protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    S3Response.Body body = r.body();
    long bodyBytes = 0;
    if (body instanceof S3Response.Bytes && !head) {
      byte[] data = ((S3Response.Bytes) body).data();
      bodyBytes = data.length;
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, data.length);
      res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), Unpooled.wrappedBuffer(data), r.headers(),
          io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
      done = ctx.writeAndFlush(res);
    } else if (body instanceof S3Response.Stream && !head) {
      S3Response.Stream s = (S3Response.Stream) body;
      bodyBytes = s.length();
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, s.length());
      res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, r.status(), r.headers());
      ctx.write(res);
      ChunkedWriteHandler chunked = ctx.pipeline().get(ChunkedWriteHandler.class);
      // Netty owns (and closes) each segment's channel from here on.
      for (Segment seg : s.segments()) {
        if (seg instanceof Segment.FileSegment) {
          Segment.FileSegment f = (Segment.FileSegment) seg;
          // TLS needs the bytes in the JVM, verified reads need to check them first; both read on a
          // worker, never on the event loop. Verified plain HTTP then sends each verified span
          // zero-copy (OffLoopChunkedFile); unverified plain HTTP sends the file zero-copy at once.
          Object region = tls || f.check() != null
              ? new OffLoopChunkedFile(f.channel(), f.position(), f.length(), CHUNK, f.check(), !tls && f.check() != null,
                  workers, chunked::resumeTransfer)
              : new BlobRegion(f.channel(), f.position(), f.length());
          ctx.write(region).addListener((ChannelFutureListener) w -> onBlobWritten(ex, r, w, f.length()));
        } else {
          Segment.BytesSegment b = (Segment.BytesSegment) seg;
          ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(b.data(), b.offset(), b.count())));
        }
      }
      done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      done.addListener(f -> s.content().close());
    } else {
      // RFC 9110 sections 8.6 and 15.4.5: no Content-Length on a 204, nor a made-up one on a 304.
      int code = r.status().code();
      if (!r.headers().contains(HttpHeaderNames.CONTENT_LENGTH) && code != 204 && code != 304) {
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body instanceof S3Response.Bytes ? ((S3Response.Bytes) body).data().length : 0);
      }
      if (body instanceof S3Response.Stream) {
        discard((S3Response.Stream) body, 0);
      }
      res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, r.status(), r.headers());
      ctx.write(res);
      done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    boolean closeAfter = close;
    long sent = bodyBytes;
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
  private void streamEvents(Exchange ex, S3Response r, S3Response.Events e) {
    addCommonHeaders(r, ex);
    ServerErrorLog.response(ex.head, r);
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    // The stream lasts as long as the connection: the exchange ends with it.
    ctx.channel().closeFuture().addListener(f -> ended(ex, r.status().code(), r.cause(), 0, false));
    events = EventStreamWriter.open(ctx, r.status(), r.headers(), e.stream(), workers,
        ex.head.method().equals(HttpMethod.HEAD));
  }

  /**
   * Tells the listener, once, that {@code ex} is over. On the event loop. The record is built only
   * when someone listens; a listener's failure is logged and never reaches the exchange.
   */
  private void ended(Exchange ex, int status, Throwable cause, long bytesOut, boolean cut) {
    if (ex.ended) {
      return;
    }
    ex.ended = true;
    if (listener == ExchangeListener.NONE) {
      return;
    }
    S3Dispatcher.Plan p = ex.plan;
    String code = cause instanceof S3Exception ? ((S3Exception) cause).error().code() : null;
    ExchangeRecord record = p == null
        ? new ExchangeRecord(ex.head.requestId(), ex.startNanos, System.nanoTime(), ex.startMillis, ex.head.sourceIp(),
            null, null, "Unknown", null, null, status, code, ex.bytesIn, bytesOut, cut)
        : new ExchangeRecord(ex.head.requestId(), ex.startNanos, System.nanoTime(), ex.startMillis, ex.head.sourceIp(),
            p.accessKeyId(), p.userId(), p.operation(), p.bucket(), p.key(), status, code, ex.bytesIn, bytesOut, cut);
    try {
      listener.ended(record);
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
  private void onBlobWritten(Exchange ex, S3Response r, ChannelFuture w, long length) {
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
  private void finish(Exchange ex) {
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
      place.waitForRequest(); // idle keep-alive from here: may be evicted (ConnectionLimits)
      ctx.channel().config().setAutoRead(true);
    }
  }

  private static volatile String[] dateCache = {"", ""}; // {epoch second, formatted}

  /** The Date header value, formatted once per second rather than per response. */
  private static String httpDateNow() {
    long now = System.currentTimeMillis() / 1000;
    String[] c = dateCache;
    if (!c[0].equals(Long.toString(now))) {
      c = new String[] {Long.toString(now), HttpDates.format(now)};
      dateCache = c;
    }
    return c[1];
  }

  private static void addCommonHeaders(S3Response r, Exchange ex) {
    addCommonHeaders(r, ex.head.requestId());
    String path = ex.head.rawPath();
    if (path.equals(Router.CONSOLE_PREFIX) || path.startsWith(Router.CONSOLE_PREFIX + "/")) {
      // Every response under /_tarn/, the front end's own errors (a bad signature, 503 SlowDown)
      // included, carries the console's security headers: the browser may render any of them.
      ApiResponse.SECURITY_HEADERS.forEach((name, value) -> r.headers().set(name, value));
    }
  }

  private static void addCommonHeaders(S3Response r, String requestId) {
    r.headers().set("x-amz-request-id", requestId);
    r.headers().set("x-amz-id-2", ErrorResponses.HOST_ID);
    r.headers().set(HttpHeaderNames.DATE, httpDateNow());
    r.headers().set(HttpHeaderNames.SERVER, "Tarn");
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
      Exchange ex = current;
      if (ex != null && !ex.responding && !ex.failed) {
        fail(ex, new S3Exception(S3Error.REQUEST_TIMEOUT)); // closes: the body was not read to its end
      } else {
        ctx.close(); // a body being discarded, or a response already on its way
      }
      return;
    }
    if (evt instanceof IdleStateEvent && ((IdleStateEvent) evt).state() == IdleState.READER_IDLE) {
      Exchange ex = current;
      if (ex == null) {
        ctx.close(); // idle keep-alive connection
      } else if (!ex.requestComplete && !ex.paused && !ex.failed && ex.consumer != null) {
        fail(ex, new S3Exception(S3Error.REQUEST_TIMEOUT));
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    Exchange ex = current;
    if (ex != null) {
      if (!ex.responding) {
        ended(ex, 0, null, 0, true); // cut before any response (one being written ends with its write)
      }
      ex.failed = true;
      ex.serial.execute(() -> {
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

  private static boolean isClientSide(Throwable cause) {
    Throwable root = rootCause(cause);
    return cause instanceof IOException || root instanceof IOException
        || root instanceof io.netty.handler.ssl.NotSslRecordException;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  private static String sourceIp(SocketAddress a) {
    if (a instanceof InetSocketAddress) {
      return ((InetSocketAddress) a).getAddress().getHostAddress();
    }
    return String.valueOf(a);
  }
}
