package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exchange hook: one {@link ExchangeRecord} per request, after its {@code started}, naming the
 * operation, principal, bucket and key the S3 layer routed and authenticated, the status and error
 * code sent, the body bytes each way, and whether the connection was cut.
 */
class ExchangeListenerTest extends S3FixtureTest {
  private final List<String> started = new ArrayList<>();
  private final List<ExchangeRecord> ended = new ArrayList<>();
  private ChannelHarness h;
  private String bkt;

  @BeforeEach
  void setUp() {
    bkt = fixture.newBucket();
    h = new ChannelHarness(fixture.api(), new ExchangeListener() {
      @Override
      public void started(RequestHead head) {
        started.add(head.requestId());
      }

      @Override
      public void ended(ExchangeRecord r) {
        ended.add(r);
      }
    });
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private ExchangeRecord only() {
    assertEquals(1, ended.size(), ended.toString());
    assertEquals(started, List.of(ended.get(0).requestId()), "started and ended pair up");
    ExchangeRecord r = ended.remove(0);
    started.clear();
    return r;
  }

  @Test
  void aPutAndAGetAreRecordedWithTheirOperationPrincipalAndBytes() {
    TestResponse put = h.exchange(TestRequest.put("/" + bkt + "/dir/k%20y").body("hello world"));
    assertEquals(200, put.status());
    ExchangeRecord p = only();
    assertEquals("PutObject", p.operation());
    assertEquals(bkt, p.bucket());
    assertEquals("dir/k y", p.key(), "the key is decoded");
    assertEquals(S3Fixture.ACCESS_KEY, p.accessKeyId());
    assertEquals(S3Fixture.ALICE.userId(), p.userId());
    assertEquals(200, p.status());
    assertNull(p.errorCode());
    assertEquals(11, p.bytesIn());
    assertEquals(0, p.bytesOut());
    assertFalse(p.cut());
    assertEquals("embedded", p.remoteAddress(), "the harness's channel has no IP address");
    assertEquals(put.header("x-amz-request-id"), p.requestId());
    assertTrue(p.endNanos() >= p.startNanos());
    assertTrue(Math.abs(System.currentTimeMillis() - p.startEpochMillis()) < 60_000);

    TestResponse get = h.exchange(TestRequest.get("/" + bkt + "/dir/k%20y"));
    assertEquals(200, get.status());
    ExchangeRecord g = only();
    assertEquals("GetObject", g.operation());
    assertEquals(0, g.bytesIn());
    assertEquals(11, g.bytesOut());
    assertEquals(200, g.status());

    h.exchange(TestRequest.head("/" + bkt + "/dir/k%20y"));
    ExchangeRecord head = only();
    assertEquals("HeadObject", head.operation());
    assertEquals(0, head.bytesOut(), "a HEAD sends no body");
  }

  @Test
  void anErrorCarriesItsCode() {
    TestResponse r = h.exchange(TestRequest.get("/" + bkt + "/missing"));
    assertEquals(404, r.status());
    ExchangeRecord e = only();
    assertEquals("GetObject", e.operation());
    assertEquals(404, e.status());
    assertEquals("NoSuchKey", e.errorCode());
    assertEquals(r.body().length, e.bytesOut());
    assertEquals(S3Fixture.ACCESS_KEY, e.accessKeyId());
  }

  @Test
  void aBadSignatureNamesTheOperationButNoPrincipal() {
    TestResponse r = h.exchange(TestRequest.get("/" + bkt + "/k").credentials(S3Fixture.ACCESS_KEY, "wrong-secret"));
    assertEquals(403, r.status());
    ExchangeRecord e = only();
    assertEquals("GetObject", e.operation());
    assertEquals("SignatureDoesNotMatch", e.errorCode());
    assertNull(e.accessKeyId(), "not authenticated");
    assertNull(e.userId());
  }

  @Test
  void anUnparsableRequestIsUnknown() {
    h.send(("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    h.settle();
    TestResponse r = h.next();
    ExchangeRecord e = only();
    assertEquals("Unknown", e.operation());
    assertNull(e.bucket());
    assertEquals(400, r.status());
    assertEquals(400, e.status());
    assertEquals("RequestHeaderSectionTooLarge", e.errorCode());
  }

  @Test
  void tarnApisAreNamedByFamily() {
    h.exchange(TestRequest.get("/_tarn/health/live").anonymous());
    assertEquals("Health", only().operation());
    h.exchange(TestRequest.get("/_tarn/metrics").anonymous());
    assertEquals("Metrics", only().operation());
    h.exchange(TestRequest.get("/_tarn/admin/v1/users"));
    ExchangeRecord admin = only();
    assertEquals("Admin", admin.operation());
    assertEquals(S3Fixture.ACCESS_KEY, admin.accessKeyId(), "a signed API call names its key");
    h.exchange(TestRequest.get("/_tarn/console/app.js").anonymous());
    ExchangeRecord console = only();
    assertEquals("Console", console.operation());
    assertNull(console.accessKeyId());
  }

  @Test
  void aConnectionCutBeforeTheResponseEndsTheExchangeOnce() {
    TestRequest.Built put = TestRequest.put("/" + bkt + "/cut").body(new byte[100]).build();
    h.send(put.headBytes());
    h.send(new byte[40]);
    h.settle();
    h.channel.close();
    h.settle();
    ExchangeRecord e = only();
    assertTrue(e.cut());
    assertEquals(0, e.status(), "no response was sent");
    assertEquals(40, e.bytesIn());
    assertEquals("PutObject", e.operation());
  }
}
