package io.tarn.s3.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Bounds how slowly a client may talk, so that a trickle cannot hold a connection forever (the idle
 * timeout alone restarts with every byte). One per connection, between the HTTP codec and
 * {@link S3HttpHandler}:
 * <ul>
 *   <li><b>Request head deadline.</b> A head must be complete within {@code headTimeout} of its first
 *       byte. It starts on a read that yields no HTTP message while no body is being read (bytes of a
 *       head the codec is still collecting; under TLS also the handshake), ends when the codec emits
 *       the request. When it expires {@link Timeout#HEAD} goes to S3HttpHandler, which answers
 *       {@code RequestTimeout} and closes.</li>
 *   <li><b>Upload rate floor.</b> A body must arrive at {@code minUploadRate} bytes/s or more,
 *       averaged over each {@code uploadRateWindow} of time the server spent waiting for it, after a
 *       first {@code uploadRateGrace} that is not judged. Only the time the server asked for data
 *       counts (a {@code read()} requested and not yet answered): while the handler holds reading
 *       back (100-continue pending, the disk behind), the client owes nothing. On a miss
 *       {@link Timeout#UPLOAD} goes to S3HttpHandler, which fails the request with
 *       {@code RequestTimeout}, the error S3 gives a client that stops sending
 *       (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).</li>
 *   <li><b>Stalled readers.</b> On the {@code WRITER_IDLE} of an {@code IdleStateHandler} that
 *       observes output progress, a connection with bytes still queued for the client (the
 *       client has read nothing for that long) is closed. A per-write timeout would not do: one
 *       file region is one write, and a large download over a slow link must not fail.</li>
 * </ul>
 * All timers are per connection and only run while a head or a body is in progress.
 */
final class SlowClientGuard extends ChannelDuplexHandler {
  /** What expired; the handler downstream decides what can still be answered. */
  enum Timeout { HEAD, UPLOAD }

  private final long headNanos;
  private final long minRate;
  private final long windowNanos;
  private final long graceNanos;
  private final LongSupplier nanoClock;
  private ChannelHandlerContext ctx;
  private boolean readSinceComplete;
  private boolean headStarted; // bytes of a request head have arrived, the head has not yet
  private ScheduledFuture<?> headTimer;
  private boolean inBody;
  private boolean judging; // past the grace period
  private ScheduledFuture<?> rateTimer;
  private long windowBytes;
  private long windowWaited; // nanoseconds of this window the server waited for the client
  private long waitingSince = -1; // a read was requested at this time and is unanswered; -1: none

  SlowClientGuard(S3Server.Limits limits, LongSupplier nanoClock) {
    this.headNanos = limits.headTimeout().toNanos();
    this.minRate = limits.minUploadRate();
    this.windowNanos = limits.uploadRateWindow().toNanos();
    this.graceNanos = limits.uploadRateGrace().toNanos();
    this.nanoClock = nanoClock;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    readSinceComplete = true;
    if (msg instanceof HttpRequest req) {
      headStarted = false;
      cancelHead();
      if (req.decoderResult().isSuccess() && S3HttpHandler.declaresBody(req)) {
        startBody();
      }
    }
    if (inBody && msg instanceof HttpContent c) {
      windowBytes += c.content().readableBytes();
      if (msg instanceof LastHttpContent) {
        endBody();
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (waitingSince >= 0) {
      windowWaited += nanoClock.getAsLong() - waitingSince;
      waitingSince = -1;
    }
    // A read the codec made nothing of: part of a head (a read that also completed a request may
    // have begun the next head: its deadline then starts with the next read instead).
    if (!readSinceComplete && !inBody) {
      headStarted = true;
      if (headTimer == null && headNanos > 0) {
        headTimer = ctx.executor().schedule(this::headExpired, headNanos, TimeUnit.NANOSECONDS);
      }
    }
    readSinceComplete = false;
    ctx.fireChannelReadComplete();
  }

  /**
   * Whether a request head has begun to arrive and is not complete (under TLS also: the handshake is
   * done and no request came yet). Such a connection is not idle: a drain lets its request come and
   * answers it. On the event loop.
   */
  boolean headStarted() {
    return headStarted;
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    if (inBody && waitingSince < 0) {
      waitingSince = nanoClock.getAsLong();
    }
    ctx.read();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent e && e.state() == IdleState.WRITER_IDLE) {
      ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
      if (out != null && !out.isEmpty()) {
        ctx.close(); // nothing can be answered to a client that does not read
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelHead();
    endBody();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelHead();
    endBody();
  }

  private void headExpired() {
    headTimer = null;
    if (!inBody && ctx.channel().isActive()) {
      ctx.fireUserEventTriggered(Timeout.HEAD);
    }
  }

  private void cancelHead() {
    if (headTimer != null) {
      headTimer.cancel(false);
      headTimer = null;
    }
  }

  private void startBody() {
    inBody = true;
    judging = graceNanos == 0;
    windowBytes = 0;
    windowWaited = 0;
    waitingSince = -1;
    if (minRate > 0 && windowNanos > 0) {
      rateTimer = ctx.executor().schedule(this::checkRate, judging ? windowNanos : graceNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void endBody() {
    inBody = false;
    waitingSince = -1;
    if (rateTimer != null) {
      rateTimer.cancel(false);
      rateTimer = null;
    }
  }

  /** At the end of a grace period or window measured in time waited for the client. */
  private void checkRate() {
    rateTimer = null;
    if (!inBody || !ctx.channel().isActive()) {
      return;
    }
    long now = nanoClock.getAsLong();
    boolean waitingNow = waitingSince >= 0 && ctx.channel().config().isAutoRead();
    long waited = windowWaited + (waitingNow ? now - waitingSince : 0);
    long span = judging ? windowNanos : graceNanos;
    if (waited < span) {
      // The server held reading back for part of the span: the client gets that time again. Not
      // sooner than an eighth of the span, so that a long pause does not make this spin.
      rateTimer = ctx.executor().schedule(this::checkRate, Math.max(span - waited, span / 8), TimeUnit.NANOSECONDS);
      return;
    }
    if (judging && windowBytes < minRate * (waited / 1e9)) {
      ctx.fireUserEventTriggered(Timeout.UPLOAD);
      return;
    }
    judging = true;
    windowBytes = 0;
    windowWaited = 0;
    if (waitingSince >= 0) {
      waitingSince = now;
    }
    rateTimer = ctx.executor().schedule(this::checkRate, windowNanos, TimeUnit.NANOSECONDS);
  }
}
