package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.tarn.core.api.ApiStream;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one connection does when the server drains ({@link Drain}), what a worker pool that has shut
 * down gets instead of an exception, and the health probes, on an embedded channel over a real store.
 * The drain's start is told to the connection as {@link S3Server} tells it: a {@link Drain.Event#BEGIN}.
 */
class DrainHandlingTest extends S3FixtureTest {
  private String bkt;
  private Drain drain;

  @BeforeEach
  void setUp() {
    bkt = fixture.newBucket();
    drain = new Drain();
  }

  /** A connection of the draining server; the drain's start reaches it as S3Server sends it. */
  private ChannelHarness connection(io.netty.channel.ChannelHandler... middle) {
    ChannelHarness h = new ChannelHarness(fixture.api(), drain, middle);
    drain.onBegin(() -> h.channel.pipeline().fireUserEventTriggered(Drain.Event.BEGIN));
    return h;
  }

  @Test
  void aRequestOnAnOpenConnectionAfterTheDrainBeganGets503AndTheConnectionCloses() {
    try (ChannelHarness h = connection(new SlowClientGuard(S3Server.Limits.defaults(), System::nanoTime))) {
      byte[] wire = TestRequest.get("/" + bkt + "/k").build().wire();
      h.send(Arrays.copyOf(wire, 10)); // the start of a head: not an idle connection
      drain.begin();
      h.assertOpen();
      h.send(Arrays.copyOfRange(wire, 10, wire.length));
      h.settle();
      TestResponse r = h.next();
      assertEquals(503, r.status(), r.toString());
      assertEquals("ServiceUnavailable", r.xml("Code"));
      assertEquals("close", r.header("Connection"));
      h.assertClosed();
      assertEquals(0, drain.inFlight());
    }
  }

  @Test
  void anUploadInFlightWhenTheDrainBeginsCompletesAndItsConnectionCloses() {
    byte[] body = S3Fixture.bytes(3 << 20);
    TestRequest.Built put = TestRequest.put("/" + bkt + "/upload").body(body).build();
    try (ChannelHarness h = connection()) {
      h.send(put.headBytes());
      h.settle();
      byte[] wireBody = put.wireBody();
      int half = wireBody.length / 2;
      h.send(Arrays.copyOf(wireBody, half));
      h.settle();
      assertEquals(1, drain.inFlight());

      assertEquals(1, drain.begin());
      h.assertOpen();
      h.send(Arrays.copyOfRange(wireBody, half, wireBody.length));
      h.settle();
      TestResponse r = h.next();
      assertEquals(200, r.status(), r.toString());
      assertEquals("close", r.header("Connection"), "the response ends the connection while draining");
      h.assertClosed();
      assertEquals(0, drain.inFlight());
    }
    assertEquals(body.length, fixture.store().head(bkt, "upload").orElseThrow().size());
  }

  @Test
  void anIdleConnectionClosesWhenTheDrainBegins() {
    try (ChannelHarness h = connection(new SlowClientGuard(S3Server.Limits.defaults(), System::nanoTime))) {
      assertEquals(200, h.exchange(TestRequest.put("/" + bkt + "/a").body("x")).status());
      h.assertOpen();
      drain.begin();
      h.runLoop();
      h.assertClosed();
    }
  }

  @Test
  void workSubmittedAfterTheWorkerPoolShutDownIsRefusedWith503() {
    try (ChannelHarness h = connection()) {
      h.workers.shutDown();
      TestResponse r = h.exchange(TestRequest.get("/" + bkt + "/k"));
      assertEquals(503, r.status(), r.toString());
      assertEquals("ServiceUnavailable", r.xml("Code"));
      assertEquals(0, drain.inFlight());
    }
  }

  @Test
  void aBodyArrivingAfterTheWorkerPoolShutDownIsRefusedWith503() {
    TestRequest.Built put = TestRequest.put("/" + bkt + "/late").body(S3Fixture.bytes(1 << 20)).build();
    try (ChannelHarness h = connection()) {
      h.send(put.headBytes());
      h.settle();
      h.workers.shutDown();
      h.send(put.wireBody());
      h.settle();
      TestResponse r = h.next();
      assertEquals(503, r.status(), r.toString());
      assertEquals("ServiceUnavailable", r.xml("Code"));
      assertEquals(0, drain.inFlight());
    }
    assertTrue(fixture.store().head(bkt, "late").isEmpty());
  }

  @Test
  void healthProbesNeedNoWorkerAndAreAnsweredWhileSaturated() {
    try (ChannelHarness h = connection()) {
      h.saturated = true;
      h.send(TestRequest.get("/_tarn/health/live").anonymous());
      h.runLoop();
      assertEquals(0, h.workers.pending(), "answered on the event loop");
      TestResponse live = h.next();
      assertEquals(200, live.status());
      assertEquals("{\"status\":\"up\"}", live.text());
      assertEquals("application/json", live.header("Content-Type"));
      assertEquals("no-store", live.header("Cache-Control"));

      h.send(TestRequest.get("/_tarn/health/ready")); // credentials are ignored, never checked
      h.runLoop();
      TestResponse ready = h.next();
      assertEquals(200, ready.status(), ready.toString());
      assertEquals("{\"status\":\"ready\",\"checks\":{\"storage\":\"ok\",\"disk\":\"ok\",\"drain\":\"ok\"}}",
          ready.text());

      TestResponse head = h.exchange(TestRequest.head("/_tarn/health/ready").anonymous());
      assertEquals(200, head.status());
      assertEquals(0, head.body().length);
      assertEquals(String.valueOf(ready.body().length), head.header("Content-Length"));

      TestResponse post = h.exchange(TestRequest.post("/_tarn/health/live").anonymous());
      assertEquals(405, post.status());
      assertEquals("GET, HEAD", post.header("Allow"));
      assertEquals(0, drain.inFlight());
    }
  }

  @Test
  void whileDrainingReadyIs503AndLiveStays200() {
    java.util.List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(ServerErrorLog.class.getName());
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        logged.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(capture);
    try {
      whileDraining();
    } finally {
      log.removeHandler(capture);
    }
    assertEquals(java.util.List.of(), logged, "a not-ready probe is an answer, not a server fault to log");
  }

  private void whileDraining() {
    drain.begin();
    try (ChannelHarness h = connection()) { // opened before the drain, its probe arriving after
      TestResponse ready = h.exchange(TestRequest.get("/_tarn/health/ready").anonymous());
      assertEquals(503, ready.status());
      assertEquals("{\"status\":\"not_ready\",\"checks\":{\"storage\":\"ok\",\"disk\":\"ok\",\"drain\":\"draining\"}}",
          ready.text());
      assertEquals("close", ready.header("Connection"));
      h.assertClosed();
    }
    try (ChannelHarness h = connection()) {
      TestResponse live = h.exchange(TestRequest.get("/_tarn/health/live").anonymous());
      assertEquals(200, live.status());
      assertEquals("close", live.header("Connection"));
    }
  }

  /** A stream of events that never ends by itself. */
  private static final class Endless implements ApiStream {
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public byte[] poll() {
      return null;
    }

    @Override
    public boolean finished() {
      return false;
    }

    @Override
    public void onReady(Runnable wake) {}

    @Override
    public boolean stillAuthorized() {
      return true;
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  @Test
  void anEventStreamDoesNotHoldTheDrainAndEndsWhenItBegins() {
    Endless stream = new Endless();
    S3Dispatcher streaming = head -> new S3Dispatcher.Plan() {
      @Override
      public BodyConsumer start() {
        return BodyConsumer.noBody(() -> S3Response.status(200).header("Content-Type", "text/event-stream")
            .body(new S3Response.Events(stream)));
      }

      @Override
      public String resource() {
        return "/_tarn/api/v1/buckets/b/events/live";
      }
    };
    ChannelHarness h = new ChannelHarness(streaming, drain);
    drain.onBegin(() -> h.channel.pipeline().fireUserEventTriggered(Drain.Event.BEGIN));
    try (h) {
      h.send(TestRequest.get("/_tarn/api/v1/buckets/b/events/live"));
      h.settle();
      Object head = h.channel.readOutbound();
      assertEquals(200, ((HttpResponse) head).status().code());
      ReferenceCountUtil.release(head);
      assertEquals(0, drain.inFlight(), "a stream is not a request in flight: it would hold the drain");

      assertEquals(0, drain.begin());
      h.runLoop();
      StringBuilder rest = new StringBuilder();
      Object m;
      boolean ended = false;
      while ((m = h.channel.readOutbound()) != null) {
        ByteBuf c = ((HttpContent) m).content();
        rest.append(c.toString(StandardCharsets.UTF_8));
        ended |= m instanceof LastHttpContent;
        ReferenceCountUtil.release(m);
      }
      assertEquals("event: end\ndata: {\"reason\":\"server stopping\"}\n\n", rest.toString());
      assertTrue(ended, "the chunked body ends");
      h.assertClosed();
      assertEquals(1, stream.closes.get());
    }
  }

  @Test
  void aStoredObjectIsStillServedToARequestInFlight() {
    byte[] data = S3Fixture.bytes(100_000);
    fixture.putObject(bkt, "r", data, io.tarn.storage.ObjectMetadata.of(null, java.util.Map.of()));
    try (ChannelHarness h = connection()) {
      h.send(TestRequest.get("/" + bkt + "/r"));
      h.runLoop(); // routed, its storage work queued
      drain.begin();
      h.settle();
      TestResponse r = h.next();
      assertEquals(200, r.status());
      assertArrayEquals(data, r.body());
      h.assertClosed();
    }
  }
}
