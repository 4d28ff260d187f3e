package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.tarn.core.api.ApiStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The Netty side of a server-sent event stream, on an EmbeddedChannel: pull while writable, beat, recheck, release. */
class EventStreamWriterTest {
  /** A stream of queued chunks whose authorization a test can take away. */
  private static final class Chunks implements ApiStream {
    final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    final AtomicBoolean allowed = new AtomicBoolean(true);
    final AtomicInteger closes = new AtomicInteger();
    boolean finished;
    Runnable wake;

    void add(String s) {
      queue.add(s.getBytes(StandardCharsets.UTF_8));
      wake.run();
    }

    @Override
    public byte[] poll() {
      return queue.poll();
    }

    @Override
    public boolean finished() {
      return finished && queue.isEmpty();
    }

    @Override
    public void onReady(Runnable wake) {
      this.wake = wake;
    }

    @Override
    public boolean stillAuthorized() {
      return allowed.get();
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  private static final class Harness extends ChannelInboundHandlerAdapter {
    final Chunks stream = new Chunks();
    final Duration beat;
    final Duration recheck;
    EventStreamWriter writer;

    Harness(Duration beat, Duration recheck) {
      this.beat = beat;
      this.recheck = recheck;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      // Rechecks run "on a worker": here the calling thread, so the test stays deterministic.
      writer = new EventStreamWriter(ctx, stream, Runnable::run, beat, recheck);
      writer.start();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      writer.writabilityChanged();
    }
  }

  private static List<String> written(EmbeddedChannel ch) {
    try {
      Thread.sleep(EventStreamWriter.COALESCE.toMillis() + 10); // wake-ups wait that long for more events
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    ch.runPendingTasks();
    ch.runScheduledPendingTasks();
    List<String> out = new ArrayList<>();
    Object m;
    while ((m = ch.readOutbound()) != null) {
      if (m instanceof LastHttpContent) {
        ByteBuf c = ((HttpContent) m).content();
        out.add(c.readableBytes() == 0 ? "<end>" : c.toString(StandardCharsets.UTF_8) + "<end>");
      } else {
        out.add(((HttpContent) m).content().toString(StandardCharsets.UTF_8));
      }
      io.netty.util.ReferenceCountUtil.release(m);
    }
    return out;
  }

  @Test
  void pullsOnlyWhileTheChannelIsWritable() {
    Harness h = new Harness(Duration.ofHours(1), Duration.ofHours(1));
    EmbeddedChannel ch = new EmbeddedChannel(h);
    h.stream.add("a");
    assertEquals(List.of("a"), written(ch));
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false); // the client stopped reading
    h.stream.add("b");
    h.stream.add("c");
    assertEquals(List.of(), written(ch));
    assertEquals(2, h.stream.queue.size(), "left in the stream's own bounded queue, not in Netty's buffer");
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    assertEquals(List.of("bc"), written(ch), "what is ready goes out as one chunk");
    ch.close();
    assertEquals(1, h.stream.closes.get());
  }

  @Test
  void sendsAHeartbeatOnlyAfterSilence() throws Exception {
    // Longer than written()'s wait for coalesced wake-ups, so the first look comes before any beat.
    Duration beat = EventStreamWriter.COALESCE.multipliedBy(3);
    Harness h = new Harness(beat, Duration.ofHours(1));
    EmbeddedChannel ch = new EmbeddedChannel(h);
    assertEquals(List.of(), written(ch));
    Thread.sleep(beat.toMillis() * 5 / 2);
    ch.runScheduledPendingTasks();
    List<String> out = written(ch);
    assertFalse(out.isEmpty());
    assertTrue(out.stream().allMatch(": heartbeat\n\n"::equals), out.toString());
    ch.close();
  }

  @Test
  void endsTheResponseAndTheConnectionWhenAccessIsGone() throws Exception {
    Harness h = new Harness(Duration.ofHours(1), Duration.ofMillis(30));
    EmbeddedChannel ch = new EmbeddedChannel(h);
    Thread.sleep(60);
    ch.runScheduledPendingTasks();
    assertTrue(ch.isOpen(), "still allowed");
    h.stream.allowed.set(false);
    Thread.sleep(60);
    ch.runScheduledPendingTasks();
    List<String> out = written(ch);
    assertEquals(List.of("event: end\ndata: {\"reason\":\"access ended\"}\n\n", "<end>"), out);
    assertFalse(ch.isOpen());
    assertEquals(1, h.stream.closes.get(), "the stream is released exactly once");
  }

  @Test
  void aFinishedStreamIsSentToItsEndThenTheConnectionCloses() {
    Harness h = new Harness(Duration.ofHours(1), Duration.ofHours(1));
    EmbeddedChannel ch = new EmbeddedChannel(h);
    h.stream.queue.add("last".getBytes(StandardCharsets.UTF_8));
    h.stream.finished = true;
    h.writer.wake();
    assertEquals(List.of("last", "<end>"), written(ch));
    assertFalse(ch.isOpen());
    assertEquals(1, h.stream.closes.get());
    assertNull(ch.readOutbound());
  }
}
