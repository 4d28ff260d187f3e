package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Cli;
import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code GET /_tarn/admin/v1/info} and {@code tarn admin info}: the webhook backlog per rule, the
 * slowest receivers (p99) and the server's recent errors (a 500 with its request id), the same in the
 * API and the CLI; a regular user is refused.
 */
class AdminInfoTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @TempDir static Path home;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Above the inline threshold (128 KiB): the object's bytes are a file under data/blobs. */
  private static final int LARGE = 300 << 10;

  private static Cli.Result tarn(String... args) {
    return Cli.tarn(home, Map.of("TARN_ENDPOINT", TARN.endpoint().toString(), "TARN_ACCESS_KEY", TARN.accessKey(),
        "TARN_SECRET_KEY", TARN.secretKey()), Duration.ofMinutes(1), args);
  }

  private static Set<Path> blobFiles() throws Exception {
    try (Stream<Path> files = Files.walk(TARN.dataDir().resolve("blobs"))) {
      return new HashSet<>(files.filter(Files::isRegularFile).toList());
    }
  }

  private static JsonNode find(JsonNode lines, String ruleId) {
    for (JsonNode l : lines) {
      if (l.path("ruleId").asText().equals(ruleId)) {
        return l;
      }
    }
    return null;
  }

  @Test
  void infoShowsTheBacklogPerRuleTheSlowestReceiversAndRecentErrorsInTheApiAndTheCli() throws Exception {
    AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    AdminClient hooks = admin.webhooksApi();
    try (WebhookReceiver failing = new WebhookReceiver(); WebhookReceiver slow = new WebhookReceiver()) {
      failing.setDefault(Answer.of(500));
      slow.setDefault(new Answer(200, Duration.ofMillis(300), null));
      String bucket = TestData.bucketName("info");
      TARN.s3().createBucket(r -> r.bucket(bucket));
      String failingRule = hooks.expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url",
          failing.url("/f").toString(), "events", List.of("ObjectCreated:*"), "prefix", "small/")).path("id").asText();
      String slowRule = hooks.expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url",
          slow.url("/s").toString(), "events", List.of("ObjectCreated:*"), "prefix", "small/")).path("id").asText();
      for (int i = 0; i < 3; i++) {
        int n = i;
        TARN.s3().putObject(r -> r.bucket(bucket).key("small/" + n), RequestBody.fromString("x"));
      }
      for (int i = 0; i < 3; i++) {
        assertNotNull(slow.take(Duration.ofSeconds(20)));
        assertNotNull(failing.take(Duration.ofSeconds(20)));
      }

      // A server fault: an object whose blob file is gone is a 500 (see ServerErrorsTest).
      Set<Path> before = blobFiles();
      TARN.s3().putObject(r -> r.bucket(bucket).key("big"), RequestBody.fromBytes(TestData.bytes(LARGE, 7)));
      Set<Path> added = blobFiles();
      added.removeAll(before);
      assertEquals(1, added.size(), added.toString());
      Files.delete(added.iterator().next());
      RawResponse gone = TARN.raw().signed("GET", "/" + bucket + "/big", "", Map.of(), null);
      assertEquals(500, gone.status(), gone.toString());
      String requestId = gone.header("x-amz-request-id");

      // Figures settle once the slow receiver's answers are recorded and the failures are counted.
      JsonNode info = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        info = admin.expect(200, "GET", "/info", null);
        JsonNode slowLine = find(info.path("webhooks").path("slowestReceivers"), slowRule);
        JsonNode failLine = find(info.path("webhooks").path("backlogByRule"), failingRule);
        // The slow receiver got its 3 requests (take) before it answered them: until the answers are
        // recorded its rule is still in the backlog.
        if (slowLine != null && failLine != null && failLine.path("pending").asLong() == 3
            && find(info.path("webhooks").path("backlogByRule"), slowRule) == null
            && info.path("recentErrors").toString().contains(requestId)) {
          break;
        }
        Thread.sleep(200);
      }
      JsonNode webhooks = info.path("webhooks");
      assertEquals(3, webhooks.path("backlog").asLong(), info.toString());
      assertEquals(info.path("notificationBacklog").asLong(), webhooks.path("backlog").asLong());
      assertTrue(webhooks.path("rules").asInt() >= 2, info.toString());
      JsonNode failLine = find(webhooks.path("backlogByRule"), failingRule);
      assertNotNull(failLine, info.toString());
      assertEquals(3, failLine.path("pending").asLong());
      assertEquals(bucket, failLine.path("bucket").asText());
      assertEquals(failing.url("/f").toString(), failLine.path("url").asText());
      assertFalse(failLine.path("lastFailure").isNull(), failLine.toString());
      assertEquals(null, find(webhooks.path("backlogByRule"), slowRule), "nothing waits for the slow one");
      JsonNode slowLine = find(webhooks.path("slowestReceivers"), slowRule);
      assertNotNull(slowLine, info.toString());
      assertTrue(slowLine.path("latencyP99Millis").asLong() >= 300, slowLine.toString());
      // The rule's own figures say the same.
      assertEquals(hooks.expect(200, "GET", "/buckets/" + bucket + "/webhooks/" + slowRule + "/stats", null)
          .path("latencyP99Millis").asLong(), slowLine.path("latencyP99Millis").asLong());
      JsonNode error = null;
      for (JsonNode e : info.path("recentErrors")) {
        if (e.path("message").asText().contains(requestId)) {
          error = e;
        }
      }
      assertNotNull(error, "the 500 is among the recent errors: " + info.path("recentErrors"));
      assertEquals("ServerErrorLog", error.path("source").asText());
      assertTrue(error.path("message").asText().contains("GET /" + bucket + "/big -> 500 InternalError"), error.toString());
      assertFalse(info.path("recentErrors").toString().contains(TARN.secretKey()));

      // The CLI shows the same figures: in JSON, the API's answer; for a person, the lines.
      JsonNode cli = JSON.readTree(tarn("admin", "info", "--json").assertSuccess().stdout());
      assertEquals(failLine, find(cli.path("webhooks").path("backlogByRule"), failingRule));
      assertTrue(cli.path("recentErrors").toString().contains(requestId), cli.toString());
      Cli.Result text = tarn("admin", "info").assertSuccess();
      String out = text.stdout();
      assertTrue(out.contains("Webhook backlog by rule:"), text.describe());
      assertTrue(out.lines().anyMatch(l -> l.contains(failingRule) && l.contains(bucket) && l.matches(".*\\s3\\s.*")),
          text.describe());
      assertTrue(out.contains("Slowest receivers") && out.lines().anyMatch(l -> l.contains(slowRule)), text.describe());
      assertTrue(out.contains("Recent errors (newest first):") && out.contains(requestId), text.describe());
    }
  }

  @Test
  void aRegularUserIsRefusedInfoByTheApiAndTheCli() {
    AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    AdminClient.User user = admin.createUser("info-user-" + TestData.bucketName("u"), "user");
    AdminClient.Response r = new AdminClient(TARN.port(), user.accessKey(), user.secretKey()).call("GET", "/info", null);
    assertEquals(403, r.status(), r.text());
    assertEquals("admin role required", r.json().path("error").path("message").asText());
    Cli.Result cli = Cli.tarn(home, Map.of("TARN_ENDPOINT", TARN.endpoint().toString(), "TARN_ACCESS_KEY",
        user.accessKey(), "TARN_SECRET_KEY", user.secretKey()), Duration.ofMinutes(1), "admin", "info");
    assertEquals(5, cli.exitCode(), cli.describe());
  }
}
