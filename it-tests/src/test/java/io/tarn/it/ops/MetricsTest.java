package io.tarn.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.PrometheusText;
import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Answer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code GET /_tarn/metrics} on a server with the default options (docs/ops/metrics.md): refused
 * without an admin's credential; with one (a signature or an API token) a Prometheus text exposition
 * that a strict parser accepts, whose request, storage and webhook series move after S3 requests and
 * a webhook delivery; OpenMetrics when asked, ending with {@code # EOF}.
 */
class MetricsTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/_tarn/metrics";

  private static PrometheusText scrape() {
    RawResponse r = TARN.raw().signed("GET", PATH, "", Map.of(), null);
    assertEquals(200, r.status(), r.text());
    assertTrue(r.header("Content-Type").startsWith("text/plain; version=0.0.4"), r.header("Content-Type"));
    return PrometheusText.parse(r.text());
  }

  /** Scrapes until {@code done} holds (an exchange is counted once its response is written). */
  private static PrometheusText scrapeUntil(Predicate<PrometheusText> done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    PrometheusText m = scrape();
    while (!done.test(m)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("metrics never showed " + what);
      }
      Thread.sleep(50);
      m = scrape();
    }
    return m;
  }

  @Test
  void withoutCredentialsOrAsANonAdminItIsRefusedWithAClearMessage() throws Exception {
    RawResponse anonymous = TARN.raw().anonymous("GET", PATH, Map.of(), null);
    assertEquals(403, anonymous.status(), anonymous.text());
    JsonNode error = JSON.readTree(anonymous.body()).path("error");
    assertEquals("AccessDenied", error.path("code").asText(), anonymous.text());
    assertTrue(error.path("message").asText().contains("--metrics-public"), anonymous.text());
    assertFalse(anonymous.text().contains("tarn_"), "no metric leaks into a refusal");

    AdminClient root = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    AdminClient.User user = root.createUser(TestData.bucketName("plain"), "user");
    AdminClient asUser = new AdminClient(TARN.port(), user.accessKey(), user.secretKey());
    String token = asUser.webhooksApi().expect(201, "POST", "/tokens", Map.of("name", "scraper")).path("token").asText();
    RawResponse nonAdmin = TARN.raw().anonymous("GET", PATH, Map.of("Authorization", "Bearer " + token), null);
    assertEquals(403, nonAdmin.status(), nonAdmin.text());
    assertTrue(nonAdmin.text().contains("admin"), nonAdmin.text());

    RawResponse badToken = TARN.raw().anonymous("GET", PATH, Map.of("Authorization", "Bearer tarn_nope"), null);
    assertEquals(403, badToken.status(), badToken.text());
  }

  @Test
  void anAdminsApiTokenScrapesIt() {
    AdminClient root = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    String token = root.webhooksApi().expect(201, "POST", "/tokens", Map.of("name", "prometheus")).path("token").asText();
    RawResponse r = TARN.raw().anonymous("GET", PATH, Map.of("Authorization", "Bearer " + token), null);
    assertEquals(200, r.status(), r.text());
    PrometheusText m = PrometheusText.parse(r.text());
    assertEquals(1, m.samples("tarn_build_info").size(), "tarn_build_info");
    assertEquals("no-store", r.header("Cache-Control"));
  }

  @Test
  void requestAndStorageSeriesMoveAfterS3Requests() throws Exception {
    String bucket = TestData.bucketName("metrics");
    TARN.s3().createBucket(b -> b.bucket(bucket));
    PrometheusText before = scrape();
    byte[] body = TestData.bytes(4096, 1);
    TARN.s3().putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromBytes(body));
    assertEquals(4096, TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key("k")).asByteArray().length);
    try {
      TARN.s3().getObject(r -> r.bucket(bucket).key("missing")).close();
      throw new AssertionError("GET of a missing key succeeded");
    } catch (NoSuchKeyException expected) {
      // a 4xx
    }
    PrometheusText after = scrapeUntil(m -> delta(before, m, "tarn_s3_request_duration_seconds_count",
        "operation", "GetObject") >= 2 && delta(before, m, "tarn_s3_requests_total", "operation", "PutObject",
        "status_class", "2xx") >= 1, "the PUT and the two GETs");

    assertEquals(1, delta(before, after, "tarn_s3_requests_total", "operation", "PutObject", "status_class", "2xx"));
    assertEquals(1, delta(before, after, "tarn_s3_requests_total", "operation", "GetObject", "status_class", "2xx"));
    assertEquals(1, delta(before, after, "tarn_s3_requests_total", "operation", "GetObject", "status_class", "4xx"));
    assertTrue(delta(before, after, "tarn_s3_received_bytes_total", "operation", "PutObject") >= 4096,
        "PUT body bytes (aws-chunked framing may add some)");
    assertTrue(delta(before, after, "tarn_s3_sent_bytes_total", "operation", "GetObject") >= 4096, "GET body bytes");
    assertTrue(after.value("tarn_s3_request_duration_seconds_bucket", "operation", "GetObject", "le", "+Inf")
        >= 2);
    // The scrape itself is in flight while it is rendered, on an open connection.
    assertTrue(after.value("tarn_s3_requests_in_flight") >= 1, "in flight");
    assertTrue(after.value("tarn_s3_connections_open") >= 1, "connections");
    assertEquals("counter", after.family("tarn_s3_connection_evictions_total").type());

    assertEquals(1, after.value("tarn_storage_objects", "bucket", bucket));
    assertEquals(4096, after.value("tarn_storage_bytes", "bucket", bucket));
    assertTrue(delta(before, after, "tarn_blob_fsync_seconds_count") >= 1, "the PUT's blob was fsynced");
    assertTrue(after.value("tarn_disk_free_bytes") > 0);
    assertTrue(after.value("tarn_disk_total_bytes") >= after.value("tarn_disk_free_bytes"));
    assertTrue(after.value("tarn_rocksdb_live_sst_bytes") >= 0);
    assertEquals(1, after.samples("tarn_rocksdb_pending_compaction_bytes").size());
    assertEquals(1, after.samples("tarn_rocksdb_running_compactions").size());
    assertTrue(after.value("tarn_rocksdb_memtable_bytes") > 0, "the memtables hold the new object's rows");

    assertTrue(after.value("jvm_memory_used_bytes", "area", "heap") > 0, "JVM heap");
    assertFalse(after.samples("jvm_threads_current").isEmpty(), "JVM threads");
    assertFalse(after.samples("jvm_buffer_pool_used_bytes", "pool", "direct").isEmpty(), "direct memory");
    assertFalse(after.samples("jvm_gc_collection_seconds_count").isEmpty(), "GC pauses");
    assertTrue(after.value("process_resident_memory_bytes") > 0, "RSS");
    assertTrue(after.value("process_open_fds") > 0, "open files");
    assertTrue(after.value("tarn_uptime_seconds") > 0);
    assertFalse(after.samples("tarn_build_info").get(0).labels().get("version").isEmpty());
  }

  @Test
  void aWebhookDeliveryMovesItsRulesSeries() throws Exception {
    AdminClient hooks = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).webhooksApi();
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      receiver.setDefault(Answer.of(200));
      String bucket = TestData.bucketName("hooked");
      TARN.s3().createBucket(b -> b.bucket(bucket));
      String rule = hooks.expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url",
          receiver.url("/hook").toString(), "events", List.of("ObjectCreated:*"))).path("id").asText();
      TARN.s3().putObject(r -> r.bucket(bucket).key("a"), RequestBody.fromString("x"));
      assertNotNull(receiver.take(Duration.ofSeconds(20)), "the delivery");

      // One scrape reads each metric in turn, not all at one instant: the delivery's three series may show
      // up in different scrapes, so wait for all of them.
      PrometheusText m = scrapeUntil(s -> s.value("tarn_webhook_delivered_total", "rule", rule) == 1
          && s.value("tarn_webhook_delivery_delay_seconds_count", "rule", rule) == 1
          && s.value("tarn_webhook_round_trip_seconds_count", "rule", rule) == 1, "the delivery");
      assertEquals(bucket, m.samples("tarn_webhook_delivered_total", "rule", rule).get(0).labels().get("bucket"));
      assertEquals(0, m.value("tarn_webhook_pending", "rule", rule));
      assertEquals(0, m.value("tarn_webhook_failed_attempts_total", "rule", rule));
      assertEquals(0, m.value("tarn_webhook_dead_letters_total", "rule", rule));
      assertEquals(1, m.value("tarn_webhook_round_trip_seconds_count", "rule", rule));
      assertTrue(m.value("tarn_webhook_delivery_delay_seconds_sum", "rule", rule) > 0, "commit to 2xx takes time");
      assertTrue(m.value("tarn_webhook_rules") >= 1);
    }
  }

  @Test
  void openMetricsWhenAskedEndingWithEof() {
    RawResponse r = TARN.raw().signed("GET", PATH, "",
        Map.of("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"), null);
    assertEquals(200, r.status(), r.text());
    assertTrue(r.header("Content-Type").startsWith("application/openmetrics-text; version=1.0.0"),
        r.header("Content-Type"));
    assertTrue(r.text().endsWith("# EOF\n"), "ends with # EOF");
    PrometheusText m = PrometheusText.parseOpenMetrics(r.text());
    assertEquals("counter", m.family("tarn_s3_requests").type());
    assertEquals("info", m.family("tarn_build").type());
    assertFalse(m.samples("tarn_s3_requests_total").isEmpty());
  }

  private static double delta(PrometheusText before, PrometheusText after, String sample, String... labels) {
    return sum(after, sample, labels) - sum(before, sample, labels);
  }

  private static double sum(PrometheusText m, String sample, String... labels) {
    return m.samples(sample, labels).stream().mapToDouble(PrometheusText.Sample::value).sum();
  }
}
