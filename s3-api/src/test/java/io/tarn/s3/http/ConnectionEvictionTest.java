package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When {@link S3HttpHandler} lets the connection caps evict its connection: only while it waits for
 * a request head, never while a request is in progress, and a head that arrives just after an
 * eviction is dropped unanswered. Here the cap is one connection, and a newcomer is an admission.
 */
class ConnectionEvictionTest extends S3FixtureTest {
  private final List<ChannelHarness> harnesses = new ArrayList<>();
  private final ConnectionLimits caps = new ConnectionLimits(1, 0);

  @AfterEach
  void tearDown() {
    harnesses.forEach(ChannelHarness::close);
  }

  private ChannelHarness connect() {
    ChannelHarness h = new ChannelHarness(fixture.api(), caps);
    harnesses.add(h);
    return h;
  }

  /** Whether a newcomer gets a place (its own connection is not played). */
  private boolean newcomerAdmitted() {
    return caps.admit(null, () -> { }) != null;
  }

  @Test
  void anUploadInProgressIsNotEvictedButItsConnectionIsOnceTheResponseIsWritten() {
    ChannelHarness h = connect();
    String path = "/" + fixture.newBucket() + "/k";
    TestRequest.Built put = TestRequest.put(path).body(S3Fixture.bytes(100_000)).build();
    byte[] wire = put.wire();
    int cut = put.headBytes().length + 1000;
    h.send(Arrays.copyOfRange(wire, 0, cut));
    h.settle();
    assertFalse(newcomerAdmitted(), "the only connection is uploading a body: refused");
    h.assertOpen();
    h.send(Arrays.copyOfRange(wire, cut, wire.length));
    h.settle();
    assertEquals(200, h.next().status());
    assertTrue(newcomerAdmitted(), "an idle keep-alive connection gives its place");
    h.runLoop();
    h.assertClosed();
  }

  @Test
  void aRequestWaitingForStorageWorkIsNotEvicted() {
    ChannelHarness h = connect();
    h.send(TestRequest.get("/" + fixture.newBucket() + "/missing"));
    h.runLoop(); // routed; its storage work waits for a worker
    assertFalse(newcomerAdmitted());
    h.settle();
    assertEquals(404, h.next().status());
    assertTrue(newcomerAdmitted());
    h.runLoop();
    h.assertClosed();
  }

  @Test
  void aHeadArrivingOnAnEvictedConnectionBeforeItsCloseIsDroppedUnanswered() {
    ChannelHarness h = connect();
    assertTrue(newcomerAdmitted()); // the close is queued on h's event loop
    h.assertOpen();
    h.send(TestRequest.get("/" + fixture.newBucket() + "/k")); // read before the close runs
    assertEquals(0, h.runWorkers(), "no work for a request on an evicted connection");
    h.runLoop();
    h.assertClosed();
    assertTrue(h.nothingWritten());
  }
}
