package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.stream.ChunkedWriteHandler;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that are too slow or too many, on an embedded channel with frozen time: the request head
 * deadline and the upload rate floor of {@link SlowClientGuard}, 503 SlowDown when the worker pool
 * is saturated, and blob reads under TLS on the workers, not the event loop.
 */
class SlowClientTest extends S3FixtureTest {
  private static final S3Server.Limits LIMITS = S3Server.Limits.defaults()
      .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(60))
      .withUploadRate(1024, Duration.ofSeconds(60), Duration.ofSeconds(10));

  private ChannelHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private ChannelHarness guarded() {
    ChannelHarness[] self = new ChannelHarness[1];
    self[0] = new ChannelHarness(fixture.api(), LIMITS, false, new SlowClientGuard(LIMITS, () -> self[0].nanos));
    return self[0];
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  // ---- request head deadline

  @Test
  void aHeadTrickledByteByByteIsClosedAtTheDeadlineWithRequestTimeout() {
    h = guarded();
    byte[] head = ascii("GET /bucket/key HTTP/1.1\r\nHost: tarn.test\r\nX-Filler: " + "a".repeat(100));
    // One byte every 5 s: each byte would restart an idle timer, but not this deadline.
    for (int i = 0; i < 6; i++) {
      h.send(Arrays.copyOfRange(head, i, i + 1));
      h.advance(Duration.ofSeconds(5).minusMillis(1));
      h.assertOpen();
    }
    assertTrue(h.nothingWritten());
    h.advance(Duration.ofMillis(10)); // 30 s after the first byte
    TestResponse r = h.next();
    assertEquals(400, r.status());
    assertEquals("RequestTimeout", r.xml("Code"));
    assertEquals("close", r.header("Connection"));
    h.assertClosed();
  }

  @Test
  void aHeadCompletedInTimeIsServedAndAnIdleConnectionAfterItIsNotTimedOut() {
    h = guarded();
    byte[] req = TestRequest.get("/nobucket/k").build().wire();
    h.send(Arrays.copyOfRange(req, 0, 10));
    h.advance(Duration.ofSeconds(29));
    h.send(Arrays.copyOfRange(req, 10, req.length));
    h.settle();
    assertEquals("NoSuchBucket", h.next().xml("Code"));
    h.advance(Duration.ofSeconds(120)); // between requests only the idle timeout applies
    h.assertOpen();
    assertTrue(h.nothingWritten());
    h.send(TestRequest.get("/nobucket/k2").build().wire());
    h.settle();
    assertEquals("NoSuchBucket", h.next().xml("Code"));
  }

  // ---- upload rate floor

  private TestRequest.Built startUpload(String bkt, int size) {
    TestRequest.Built put = TestRequest.put("/" + bkt + "/slow").payload(TestRequest.Payload.UNSIGNED)
        .body(S3Fixture.bytes(size)).build();
    h.send(put.headBytes());
    h.settle(); // accepted: the handler reads the body now
    assertTrue(h.autoRead());
    return put;
  }

  @Test
  void anUploadBelowTheRateFloorFailsWithRequestTimeoutAfterGraceAndWindow() {
    h = guarded();
    String bkt = fixture.newBucket();
    TestRequest.Built put = startUpload(bkt, 100_000);
    byte[] body = put.wireBody();
    int sent = 0;
    // 100 bytes every 5 s (20 B/s): within the grace period and most of the first window, open.
    for (int t = 0; t < 65; t += 5) {
      h.send(Arrays.copyOfRange(body, sent, sent + 100));
      sent += 100;
      h.settle();
      h.advance(Duration.ofSeconds(5));
      h.assertOpen();
    }
    h.advance(Duration.ofSeconds(6)); // 10 s grace + 60 s window
    TestResponse r = h.next();
    assertEquals(400, r.status());
    assertEquals("RequestTimeout", r.xml("Code"));
    assertEquals("close", r.header("Connection"));
    h.settle();
    h.assertClosed();
    assertFalse(fixture.store().head(bkt, "slow").isPresent());
  }

  @Test
  void anUploadAboveTheFloorCompletesHoweverLongItTakes() {
    h = guarded();
    String bkt = fixture.newBucket();
    TestRequest.Built put = startUpload(bkt, 400_000);
    byte[] body = put.wireBody();
    // 2,000 bytes every second (about 2 KiB/s) for 200 s.
    for (int sent = 0; sent < body.length; sent += 2000) {
      h.send(Arrays.copyOfRange(body, sent, Math.min(body.length, sent + 2000)));
      h.settle();
      h.advance(Duration.ofSeconds(1));
      h.assertOpen();
    }
    h.settle();
    TestResponse r = h.next();
    assertEquals(200, r.status(), r.toString());
    assertTrue(fixture.store().head(bkt, "slow").isPresent());
  }

  @Test
  void timeTheServerHoldsReadingBackIsNotCountedAgainstTheClient() {
    h = guarded();
    String bkt = fixture.newBucket();
    TestRequest.Built put = startUpload(bkt, 3 << 20);
    byte[] body = put.wireBody();
    // 2 MiB at once, and the worker that writes it to disk is stuck: reading pauses (backpressure).
    h.send(Arrays.copyOfRange(body, 0, 2 << 20));
    h.runLoop();
    assertFalse(h.autoRead());
    h.advance(Duration.ofSeconds(600)); // ten windows without a byte: the server's doing
    h.assertOpen();
    assertTrue(h.nothingWritten());
    h.settle(); // the disk catches up; reading resumes
    assertTrue(h.autoRead());
    h.send(Arrays.copyOfRange(body, 2 << 20, body.length));
    h.settle();
    assertEquals(200, h.next().status());
  }

  // ---- a saturated worker pool

  @Test
  void aSaturatedWorkerPoolAnswersSlowDownAndAdmitsAgainLater() {
    h = new ChannelHarness(fixture.api());
    String bkt = fixture.newBucket();
    h.saturated = true;
    TestResponse r = h.exchange(TestRequest.get("/" + bkt + "/k"));
    assertEquals(503, r.status());
    assertEquals("SlowDown", r.xml("Code"));
    assertEquals(0, h.workers.pending(), "a turned-away request adds no work");
    h.assertOpen(); // nothing left unread: the connection can be reused
    h.saturated = false;
    assertEquals(404, h.exchange(TestRequest.get("/" + bkt + "/k")).status());
  }

  @Test
  void anUploadTurnedAwayWithSlowDownClosesTheConnection() {
    h = new ChannelHarness(fixture.api());
    String bkt = fixture.newBucket();
    h.saturated = true;
    h.send(TestRequest.put("/" + bkt + "/k").body(S3Fixture.bytes(1000)).build().headBytes());
    h.settle();
    List<TestResponse> all = h.all();
    assertEquals(1, all.size(), all.toString());
    assertEquals("SlowDown", all.get(0).xml("Code"));
    h.assertClosed(); // the unread body cannot be skipped
  }

  // ---- blob reads under TLS

  @Test
  void underTlsBlobFileReadsRunOnTheWorkersNotTheEventLoop() {
    String bkt = fixture.newBucket();
    byte[] data = S3Fixture.bytes(300 << 10); // above the inline threshold: a blob file
    h = new ChannelHarness(fixture.api());
    assertEquals(200, h.exchange(TestRequest.put("/" + bkt + "/big").body(data)).status());
    h.close();
    h = new ChannelHarness(fixture.api(), S3Server.Limits.defaults(), true, new ChunkedWriteHandler());
    h.send(TestRequest.get("/" + bkt + "/big"));
    // Route, authenticate and open the object, until the response head is written.
    for (int i = 0; i < 20; i++) {
      h.runLoop();
      if (!h.channel.outboundMessages().isEmpty()) {
        break;
      }
      h.runWorkers();
    }
    h.runLoop();
    assertEquals(1, h.channel.outboundMessages().size(), "only the response head: the event loop read no file");
    assertEquals(1, h.workers.pending(), "the first chunk is being read by a worker");
    h.settle();
    TestResponse r = h.next();
    assertEquals(200, r.status());
    assertEquals(0, r.fileRegions());
    assertArrayEquals(data, r.body());
  }
}
