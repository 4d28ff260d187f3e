package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import io.tarn.s3.testing.ManualExecutor;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link S3HttpHandler} on an {@link EmbeddedChannel} behind the same request decoder as
 * {@link S3Server}, with a worker pool the test runs by hand. Nothing happens behind the test's
 * back: worker tasks run in {@link #runWorkers()}, event-loop tasks in {@link #runLoop()}, and
 * {@link #settle()} alternates both until the exchange is quiet.
 */
final class ChannelHarness implements AutoCloseable {
  final ManualExecutor workers = new ManualExecutor();
  final EmbeddedChannel channel;

  ChannelHarness(S3Dispatcher dispatcher) {
    this(dispatcher, S3Server.Limits.defaults());
  }

  ChannelHarness(S3Dispatcher dispatcher, S3Server.Limits limits) {
    this(dispatcher, limits, false);
  }

  /**
   * With {@code tls}, the handler answers as under TLS (chunked file reads through a
   * {@code ChunkedWriteHandler}); {@code middle} handlers go between the decoder and the handler,
   * as in {@link S3Server}'s pipeline. Time is frozen: it moves with {@link #advance}.
   */
  ChannelHarness(S3Dispatcher dispatcher, S3Server.Limits limits, boolean tls, ChannelHandler... middle) {
    this(dispatcher, limits, tls, new ConnectionLimits(limits.maxConnections(), 0), middle);
  }

  /** A connection admitted under {@code caps}, which other harnesses may share. */
  ChannelHarness(S3Dispatcher dispatcher, ConnectionLimits caps) {
    this(dispatcher, S3Server.Limits.defaults(), false, caps);
  }

  /** A connection whose handler tells {@code listener} of every exchange. */
  ChannelHarness(S3Dispatcher dispatcher, ExchangeListener listener) {
    this(dispatcher, S3Server.Limits.defaults(), false, new ConnectionLimits(S3Server.Limits.defaults().maxConnections(), 0),
        listener);
  }

  private ChannelHarness(S3Dispatcher dispatcher, S3Server.Limits limits, boolean tls, ConnectionLimits caps,
      ChannelHandler... middle) {
    this(dispatcher, limits, tls, caps, ExchangeListener.NONE, middle);
  }

  private ChannelHarness(S3Dispatcher dispatcher, S3Server.Limits limits, boolean tls, ConnectionLimits caps,
      ExchangeListener listener, ChannelHandler... middle) {
    channel = new EmbeddedChannel();
    channel.freezeTime();
    // An eviction closes the channel from another event loop: a task run with the loop's next ones.
    place = caps.admit(null, () -> channel.eventLoop().execute(channel::close));
    assertNotNull(place, "the connection was refused by its caps");
    channel.closeFuture().addListener(f -> place.closed());
    channel.pipeline().addLast(new HttpRequestDecoder(limits.maxInitialLineLength(), limits.maxHeaderSize(), 1 << 20));
    channel.pipeline().addLast(middle);
    if (channel.pipeline().get(ChunkedWriteHandler.class) == null) {
      // As in S3Server's pipeline: verified reads and TLS send blob files as chunked inputs.
      channel.pipeline().addLast(new ChunkedWriteHandler());
    }
    channel.pipeline().addLast(new S3HttpHandler(dispatcher, workers, () -> saturated, tls, place, listener));
  }

  /** This connection's place under its connection caps, as {@link S3Server} gives it. */
  final ConnectionLimits.Place place;

  /** Nanoseconds on the harness's clock, which {@link #advance} moves with the channel's own. */
  long nanos;

  /**
   * Moves time on in steps of at most 100 ms, running the timers due at each step (a timer set by
   * another timer runs in a later step, as it would on a real event loop).
   */
  void advance(Duration d) {
    long left = d.toNanos();
    while (left > 0) {
      long step = Math.min(left, TimeUnit.MILLISECONDS.toNanos(100));
      left -= step;
      nanos += step;
      channel.advanceTimeBy(step, TimeUnit.NANOSECONDS);
      channel.runScheduledPendingTasks();
      channel.runPendingTasks();
    }
  }

  /** Whether the worker pool reports too much waiting work (what {@link WorkerPool#saturated()} says). */
  volatile boolean saturated;

  /** Delivers bytes as one network read (the decoder may turn them into several messages). */
  void send(byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
  }

  void send(TestRequest request) {
    send(request.build().wire());
  }

  int runWorkers() {
    return workers.runAll();
  }

  void runLoop() {
    channel.runPendingTasks();
  }

  /** Runs event-loop and worker tasks until neither has any left. */
  void settle() {
    do {
      channel.runPendingTasks();
    } while (workers.runAll() > 0);
  }

  /** Sends a request and settles. */
  TestResponse exchange(TestRequest request) {
    send(request);
    settle();
    return next();
  }

  boolean autoRead() {
    return channel.config().isAutoRead();
  }

  /** Whether nothing has been written. */
  boolean nothingWritten() {
    Object o = channel.readOutbound();
    if (o != null) {
      ReferenceCountUtil.release(o);
      return false;
    }
    return true;
  }

  /**
   * The next complete response written (an interim {@code 100 Continue} counts as one). Every final
   * response must carry the request id headers S3 always sends.
   */
  TestResponse next() {
    Object first = channel.readOutbound();
    assertNotNull(first, "no response was written");
    HttpResponse head = (HttpResponse) first;
    HttpHeaders headers = new DefaultHttpHeaders().add(head.headers());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int regions = 0;
    Object part = first;
    while (true) {
      if (part instanceof HttpContent c) {
        ByteBuf b = c.content();
        byte[] chunk = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), chunk);
        body.writeBytes(chunk);
        boolean last = part instanceof LastHttpContent;
        ReferenceCountUtil.release(part);
        if (last) {
          break;
        }
      } else if (part instanceof ByteBuf b) { // a chunk of a ChunkedInput
        byte[] chunk = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), chunk);
        body.writeBytes(chunk);
        b.release();
      } else if (part instanceof FileRegion r) {
        regions++;
        transfer(r, body);
      } else if (part != first) {
        fail("unexpected message " + part);
      }
      if (part == first && head.status().code() == 100) {
        break;
      }
      part = channel.readOutbound();
      if (part == null) { // what went out so far may have made room for more (file regions sent)
        settle();
        part = channel.readOutbound();
      }
      assertNotNull(part, "the response to " + head.status() + " did not end");
    }
    if (head.status().code() >= 200) {
      assertNotNull(headers.get("x-amz-request-id"), "x-amz-request-id");
      assertNotNull(headers.get("x-amz-id-2"), "x-amz-id-2");
    }
    return new TestResponse(head.status().code(), headers, body.toByteArray(), regions);
  }

  /** Every complete response written so far. */
  List<TestResponse> all() {
    List<TestResponse> out = new ArrayList<>();
    while (!channel.outboundMessages().isEmpty()) {
      out.add(next());
    }
    return out;
  }

  /** Reads a region's bytes the way a socket would take them, then releases it (closing its file). */
  private static void transfer(FileRegion r, ByteArrayOutputStream out) {
    try {
      WritableByteChannel target = Channels.newChannel(out);
      while (r.transferred() < r.count()) {
        long n = r.transferTo(target, r.transferred());
        assertTrue(n > 0, "a file region made no progress");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      r.release();
    }
  }

  void assertOpen() {
    assertTrue(channel.isOpen(), "the connection was closed");
  }

  void assertClosed() {
    assertFalse(channel.isOpen(), "the connection is still open");
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
  }
}
