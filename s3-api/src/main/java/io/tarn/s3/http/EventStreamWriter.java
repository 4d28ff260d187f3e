package io.tarn.s3.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.tarn.core.api.ApiStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends an {@link ApiStream} as server-sent events on one connection, after its response head. Pulls
 * a chunk only while the channel is writable, so at most Netty's write-buffer high-water mark (plus
 * one chunk) waits in the socket's outbound buffer; everything else waits in the stream's own bounded
 * queue. A comment line goes out after {@code heartbeat} without output, so proxies and the browser
 * see the connection alive (the SSE specification suggests one about every 15 seconds:
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#authoring-notes). Every
 * {@code recheck} the caller's authorization is checked again on a worker; a failure, the stream
 * finishing, the client going or the server stopping (its event loops close every channel) end it:
 * the stream is closed exactly once, then the connection.
 * All state is touched on the channel's event loop, except {@link #wake}.
 */
final class EventStreamWriter {
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  static final Duration RECHECK = Duration.ofSeconds(30);
  /**
   * How long a wake-up waits for more events to send with it. A person watching does not notice a quarter
   * of a second; the server and the viewers' machines do: each send is a wake-up of the event loop, a pass
   * through the HTTP encoder, a system call and a wake-up of the reader, per viewer. With 20 tails of a
   * bucket taking 4 KiB PUTs (bench/live-tail-bench.sh) 250 ms measured steadier than 100 ms. A viewer
   * whose backlog outgrows half its feed sooner is sent to at once (see {@link #wake}).
   */
  static final Duration COALESCE = Duration.ofMillis(250);
  /** The kernel send buffer and Netty high-water mark of an event stream's connection. */
  static final int SOCKET_BUFFER = 32 << 10;
  private static final byte[] BEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);
  /** Tells the browser why the stream ended, so it shows it rather than reconnecting silently. */
  private static final byte[] REVOKED =
      "event: end\ndata: {\"reason\":\"access ended\"}\n\n".getBytes(StandardCharsets.UTF_8);
  /** Sent when the server drains: the browser or CLI can say so, and reconnect to another server. */
  private static final byte[] STOPPING =
      "event: end\ndata: {\"reason\":\"server stopping\"}\n\n".getBytes(StandardCharsets.UTF_8);

  private final ChannelHandlerContext ctx;
  private final ApiStream stream;
  private final Executor workers;
  private final long heartbeatNanos;
  private final Duration recheck;
  private final AtomicBoolean wakeQueued = new AtomicBoolean();
  private final AtomicBoolean urgentQueued = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private boolean ending;
  private long lastOutput;
  private ScheduledFuture<?> beatTimer;
  private ScheduledFuture<?> checkTimer;

  EventStreamWriter(ChannelHandlerContext ctx, ApiStream stream, Executor workers, Duration heartbeat, Duration recheck) {
    this.ctx = ctx;
    this.stream = stream;
    this.workers = workers;
    this.heartbeatNanos = heartbeat.toNanos();
    this.recheck = recheck;
  }

  /**
   * Writes the response head ({@code headers} complete but for the framing) and starts sending
   * {@code stream}; for a HEAD request, or a connection already gone, sends the head alone, releases
   * the stream, closes the connection and returns null. On the event loop.
   */
  static EventStreamWriter open(ChannelHandlerContext ctx, HttpResponseStatus status, HttpHeaders headers,
      ApiStream stream, Executor workers, boolean head) {
    if (head || !ctx.channel().isActive()) {
      stream.close();
      ctx.writeAndFlush(new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, headers))
          .addListener(ChannelFutureListener.CLOSE);
      return null;
    }
    // What waits for a client that reads slowly is bounded by the stream's own queue, where the oldest
    // events are dropped; so the socket may hold little: a fixed kernel send buffer (without it Linux
    // autotuned one to hold ~660 KB of events for a client that read nothing) and a low high-water mark.
    ctx.channel().config().setOption(ChannelOption.SO_SNDBUF, SOCKET_BUFFER);
    ctx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(SOCKET_BUFFER / 2, SOCKET_BUFFER));
    HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, headers);
    HttpUtil.setTransferEncodingChunked(res, true);
    ctx.writeAndFlush(res);
    EventStreamWriter w = new EventStreamWriter(ctx, stream, workers, HEARTBEAT, RECHECK);
    w.start();
    return w;
  }

  /** Starts sending; the response head has been written. On the event loop. */
  void start() {
    lastOutput = System.nanoTime();
    ctx.channel().closeFuture().addListener(f -> released()); // listeners run on the event loop
    stream.onReady(this::wake);
    long beat = Math.max(1, heartbeatNanos / 3);
    beatTimer = ctx.executor().scheduleAtFixedRate(this::beat, beat, beat, TimeUnit.NANOSECONDS);
    checkTimer = ctx.executor().scheduleAtFixedRate(this::recheck, recheck.toNanos(), recheck.toNanos(),
        TimeUnit.NANOSECONDS);
    drain();
  }

  /**
   * Called by the stream's publisher, on any thread: one drain queued at a time, {@link #COALESCE}
   * later, so that a busy bucket's events go out many to a flush (one write system call) rather than
   * one each: at 1,000 events/s and 20 tails that is the difference between 20,000 and 80 flushes a
   * second, which the upload path shares the CPU with.
   */
  void wake() {
    // A stream that has fallen far behind is drained now, not after the coalescing wait (at a high event
    // rate it would otherwise drop messages for a client that reads fine); only while the client takes
    // bytes, so a stalled client costs no wake-up per event.
    try {
      if (stream.backlogged() && ctx.channel().isWritable()) {
        if (!urgentQueued.get() && urgentQueued.compareAndSet(false, true)) {
          ctx.executor().execute(() -> {
            urgentQueued.set(false);
            drain();
          });
        }
        return;
      }
      // Called once per event per viewer, mostly while a drain is already queued: a plain read then, not a
      // compare-and-set, so publishers on other cores do not take the flag's cache line in turn.
      if (!wakeQueued.get() && wakeQueued.compareAndSet(false, true)) {
        ctx.executor().schedule(() -> {
          wakeQueued.set(false);
          drain();
        }, COALESCE.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The event loop has shut down (the server stopped): it closed the connection; the publisher, on
      // the commit path, must not fail for it.
    }
  }

  /** The channel's writability changed: resume when it can take more. */
  void writabilityChanged() {
    if (ctx.channel().isWritable()) {
      drain();
    }
  }

  private void drain() {
    if (ending || !ctx.channel().isActive()) {
      return;
    }
    // The messages ready now go out as one HTTP chunk (one encoder pass, one buffer for the system
    // call) of up to a high-water mark's worth, so writability is checked between chunks.
    boolean wrote = false;
    while (ctx.channel().isWritable()) {
      byte[] first = stream.poll();
      if (first == null) {
        break;
      }
      ByteBuf batch = ctx.alloc().buffer(Math.max(first.length, 4096));
      batch.writeBytes(first);
      byte[] next;
      while (batch.readableBytes() < SOCKET_BUFFER / 2 && (next = stream.poll()) != null) {
        batch.writeBytes(next);
      }
      ctx.write(new DefaultHttpContent(batch));
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
      lastOutput = System.nanoTime();
    }
    if (stream.finished() && ctx.channel().isWritable()) {
      end(null);
    }
  }

  private void beat() {
    if (ending || !ctx.channel().isWritable() || System.nanoTime() - lastOutput < heartbeatNanos) {
      return; // a client that does not read gets no more heartbeats either: nothing piles up
    }
    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(BEAT)));
    lastOutput = System.nanoTime();
  }

  /** The server drains: ends the stream now, telling the client why. On the event loop. */
  void stop() {
    end(STOPPING);
  }

  private void recheck() {
    if (ending) {
      return;
    }
    try {
      workers.execute(this::checkAuthorization);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      end(STOPPING); // the workers have shut down: the server is stopping
    }
  }

  /** On a worker: the caller's access is checked again; the stream ends if it is gone. */
  private void checkAuthorization() {
    boolean ok;
    try {
      ok = stream.stillAuthorized();
    } catch (RuntimeException e) {
      ok = false; // a check that cannot be made is not a pass
    }
    if (!ok) {
      try {
        ctx.executor().execute(() -> end(REVOKED));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // The event loop has shut down: it closed the connection, and the stream with it.
      }
    }
  }

  /** Ends the response (with a last message, if any) and the connection. */
  private void end(byte[] last) {
    if (ending) {
      return;
    }
    ending = true;
    if (last != null) {
      ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(last)));
    }
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> ctx.channel().close());
  }

  /** The connection closed: stop the timers and release the stream. */
  private void released() {
    ending = true;
    if (beatTimer != null) {
      beatTimer.cancel(false);
    }
    if (checkTimer != null) {
      checkTimer.cancel(false);
    }
    if (closed.compareAndSet(false, true)) {
      stream.close();
    }
  }
}
