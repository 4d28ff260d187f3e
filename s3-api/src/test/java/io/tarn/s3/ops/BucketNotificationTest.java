package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.core.Role;
import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.Page;
import io.tarn.notifications.RuleSpec;
import io.tarn.notifications.RuleStats;
import io.tarn.notifications.RuleView;
import io.tarn.notifications.WebhookService;
import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.UserInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /{bucket}?notification} reports the bucket's webhook rules; {@code PUT ?notification}
 * is 501 and points to the webhooks API.
 */
class BucketNotificationTest {
  @TempDir static Path dir;
  private static final Instant T = Instant.parse("2026-11-29T18:00:00Z");
  private static final Map<String, List<RuleView>> RULES = new ConcurrentHashMap<>();
  private static S3Fixture fixture;

  /** Only {@link #rules} is used by the S3 API; everything else would be a bug. */
  private static final class Rules implements WebhookService {
    @Override
    public List<RuleView> rules(String bucket) {
      return RULES.getOrDefault(bucket, List.of());
    }

    private static UnsupportedOperationException unused() {
      return new UnsupportedOperationException("the S3 API only reads rules");
    }

    @Override
    public RuleView rule(String bucket, String ruleId) {
      throw unused();
    }

    @Override
    public RuleView createRule(io.tarn.storage.BucketRef bucket, RuleSpec spec, Principal caller) {
      throw unused();
    }

    @Override
    public RuleView updateRule(io.tarn.storage.BucketRef bucket, String ruleId, RuleSpec patch, Principal caller) {
      throw unused();
    }

    @Override
    public void deleteRule(String bucket, String ruleId) {
      throw unused();
    }

    @Override
    public void deleteRules(String bucket) {
      throw unused();
    }

    @Override
    public io.tarn.notifications.TestResult sendTestAndWait(String bucket, String ruleId, RequestContext ctx,
        java.time.Duration wait) {
      throw unused();
    }

    @Override
    public String sendTest(String bucket, String ruleId, RequestContext ctx) {
      throw unused();
    }

    @Override
    public Page<DeliveryView> deliveries(String bucket, String ruleId, String after, int limit) {
      throw unused();
    }

    @Override
    public Page<DeliveryView> deadLetters(String bucket, String ruleId, String after, int limit) {
      throw unused();
    }

    @Override
    public void redeliver(String bucket, String deliveryId) {
      throw unused();
    }

    @Override
    public int redeliverAll(String bucket, String ruleId) {
      throw unused();
    }

    @Override
    public int purgeDeadLetters(String bucket, String ruleId) {
      throw unused();
    }

    @Override
    public RuleStats stats(String bucket, String ruleId) {
      throw unused();
    }

    @Override
    public Page<DeliveryView> deliveries(String bucket, String ruleId, io.tarn.notifications.DeliveryFilter filter,
        String after, int limit) {
      throw unused();
    }

    @Override
    public io.tarn.notifications.DeliveryDetail delivery(String bucket, String deliveryId) {
      throw unused();
    }

    @Override
    public void redeliverDelivery(String bucket, String deliveryId) {
      throw unused();
    }

    @Override
    public int countDeadLetters(String bucket, String ruleId) {
      throw unused();
    }

    @Override
    public List<DeliveryView> objectDeliveries(String bucket, String key, int limit) {
      throw unused();
    }

    @Override
    public long backlog() {
      throw unused();
    }

    @Override
    public List<io.tarn.notifications.RuleFigures> figures() {
      throw unused();
    }

    @Override
    public java.util.List<io.tarn.notifications.SimulatedRule> simulate(String bucket, String ownerId,
        io.tarn.notifications.Simulation simulation, RequestContext ctx) {
      throw unused();
    }
  }

  @BeforeAll
  static void openStore() {
    fixture = S3Fixture.open(dir, new Rules());
  }

  @AfterAll
  static void closeStore() {
    fixture.close();
  }

  private static TestResponse run(TestRequest r) {
    return DirectExchange.run(fixture.api(), r);
  }

  private static RuleView rule(String bucket, String id, List<String> events, List<String> s3Events, String prefix,
      String suffix, boolean enabled) {
    return new RuleView(id, bucket, "https://hooks.example.com/" + id, events, s3Events, prefix, suffix, "****",
        enabled, "s3", "tarn", null, T, T, S3Fixture.ALICE.userId());
  }

  /** The golden file, compacted as the writer emits it (see the xml package's Golden). */
  private static String golden(String name) {
    try (InputStream in = BucketNotificationTest.class.getResourceAsStream("/golden/" + name)) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      StringBuilder sb = new StringBuilder(lines[0]).append('\n');
      for (int i = 1; i < lines.length; i++) {
        sb.append(lines[i].replaceFirst("^ +", ""));
      }
      return sb.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyRuleOfTheBucketIsReportedWithItsS3EventNames() {
    String b = fixture.newBucket();
    // The rule's own event names may be aliases; ?notification shows the S3 names they deliver
    // (RuleView.s3Events, computed by the notifications module: see its EventPatternTest).
    RULES.put(b, List.of(
        rule(b, "5f2b7c1e-9d3a-4e8b-a1c2-3d4e5f6a7b8c", List.of("object:created", "ObjectRemoved:Delete"),
            List.of("s3:ObjectCreated:Put", "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload",
                "s3:ObjectRemoved:Delete"), "images/cats & dogs/", ".jpg", true),
        rule(b, "0a1b2c3d-0000-4000-8000-000000000002", List.of("multipart:completed"),
            List.of("s3:ObjectCreated:CompleteMultipartUpload"), null, ".tar.gz", true),
        // A disabled rule delivers nothing: it is not reported.
        rule(b, "0a1b2c3d-0000-4000-8000-000000000003", List.of("s3:ObjectCreated:*"),
            List.of("s3:ObjectCreated:*"), null, null, false),
        // Nor is one with no S3 event to show (S3 requires at least one Event per configuration).
        rule(b, "0a1b2c3d-0000-4000-8000-000000000004", List.of("s3:TestEvent"), List.of(), null, null, true)));
    TestResponse r = run(TestRequest.get("/" + b + "?notification"));
    assertEquals(200, r.status(), r.toString());
    assertEquals("application/xml", r.header("Content-Type"));
    assertEquals(golden("notification-configuration-webhooks.xml"), r.text());
  }

  @Test
  void aBucketWithoutWebhooksHasAnEmptyConfiguration() {
    String b = fixture.newBucket();
    TestResponse r = run(TestRequest.get("/" + b + "?notification"));
    assertEquals(200, r.status(), r.toString());
    assertEquals(golden("notification-configuration.xml"), r.text());
  }

  @Test
  void onlyTheOwnerMayReadIt() {
    String b = fixture.newBucket();
    RULES.put(b, List.of(rule(b, "r1", List.of("ObjectCreated:*"), List.of("s3:ObjectCreated:*"), null, null, true)));
    UserInfo bob = fixture.store().identity().createUser("bob-" + b, Role.USER);
    NewAccessKey key = fixture.store().identity().createKey(bob.id(), null);
    TestResponse r = run(TestRequest.get("/" + b + "?notification")
        .credentials(key.info().accessKeyId(), key.secretAccessKey()));
    assertEquals(403, r.status(), r.toString());
    assertEquals("AccessDenied", r.xml("Code"));
  }

  @Test
  void aMissingBucketIsNoSuchBucket() {
    TestResponse r = run(TestRequest.get("/never-made?notification"));
    assertEquals(404, r.status(), r.toString());
    assertEquals("NoSuchBucket", r.xml("Code"));
  }

  @Test
  void putIsNotImplementedAndPointsToTheWebhooksApi() {
    String b = fixture.newBucket();
    TestResponse r = run(TestRequest.put("/" + b + "?notification")
        .body("<NotificationConfiguration><QueueConfiguration/></NotificationConfiguration>"));
    assertEquals(501, r.status(), r.toString());
    assertEquals("NotImplemented", r.xml("Code"));
    assertEquals("PutBucketNotificationConfiguration is not implemented: configure webhooks with the Tarn webhooks"
        + " API, POST /_tarn/api/v1/buckets/" + b + "/webhooks (or 'tarn webhooks add " + b + "').", r.xml("Message"));
    assertEquals(golden("notification-configuration.xml"), run(TestRequest.get("/" + b + "?notification")).text(),
        "nothing was configured");
  }
}
