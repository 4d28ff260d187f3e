package io.tarn.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServer;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** {@code tarn webhooks} end to end: add a rule, list it, send a test event, see a delivery, remove it. */
class WebhooksCliTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @TempDir static Path home;

  private static Cli.Result tarn(String... args) {
    return Cli.run(TarnServer.tarnCommand(args), Map.of("TARN_ENDPOINT", TARN.endpoint().toString(), "TARN_ACCESS_KEY", TARN.accessKey(),
        "TARN_SECRET_KEY", TARN.secretKey(), "XDG_CONFIG_HOME", home.toString(), "HOME", home.toString()),
        home, Duration.ofMinutes(1));
  }

  @Test
  void addListTestDeliveriesAndRemove() throws IOException {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String bucket = TestData.bucketName("cli-hooks");
      TARN.s3().createBucket(r -> r.bucket(bucket));
      JsonNode rule = new ObjectMapper().readTree(tarn("webhooks", "add", bucket, "--url", receiver.url("/cli").toString(),
          "--events", "s3:ObjectCreated:*,ObjectRemoved:*", "--prefix", "in/", "--secret", "cli-secret", "--json")
          .assertSuccess().stdout());
      String id = rule.path("id").asText();
      assertFalse(id.isEmpty(), rule.toString());
      assertEquals("in/", rule.path("prefix").asText());
      assertFalse(rule.toString().contains("cli-secret"), "the secret is never shown: " + rule);

      Cli.Result ls = tarn("webhooks", "ls", bucket).assertSuccess();
      assertTrue(ls.stdout().contains(id), ls.describe());

      tarn("webhooks", "test", bucket, id).assertSuccess();
      assertTrue(receiver.take(Duration.ofSeconds(20)).text().contains("s3:TestEvent"));
      TARN.s3().putObject(r -> r.bucket(bucket).key("in/a.txt"), RequestBody.fromString("a"));
      assertTrue(receiver.take(Duration.ofSeconds(20)).text().contains("ObjectCreated:Put"));

      Cli.Result deliveries = tarn("webhooks", "deliveries", bucket, id, "--json").assertSuccess();
      assertTrue(deliveries.stdout().contains("delivered"), deliveries.describe());

      tarn("webhooks", "rm", bucket, id).assertSuccess();
      Cli.Result gone = tarn("webhooks", "ls", bucket, "--json").assertSuccess();
      assertFalse(gone.stdout().contains(id), gone.describe());
      Cli.Result missing = tarn("webhooks", "rm", bucket, id);
      assertEquals(6, missing.exitCode(), missing.describe());
    }
  }

  /** The delivery log (issue 13): filters, a key's deliveries, the inspector, redeliver any, the dry-run count. */
  @Test
  void theDeliveryLogFromTheCli() throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String bucket = TestData.bucketName("cli-log");
      TARN.s3().createBucket(r -> r.bucket(bucket));
      String id = json.readTree(tarn("webhooks", "add", bucket, "--url", receiver.url("/log").toString(),
          "--events", "s3:ObjectCreated:*", "--secret", "cli-log-secret", "--json").assertSuccess().stdout())
          .path("id").asText();
      TARN.s3().putObject(r -> r.bucket(bucket).key("p/a.txt"), RequestBody.fromString("a"));
      WebhookReceiver.Received a = receiver.take(Duration.ofSeconds(20));
      TARN.s3().putObject(r -> r.bucket(bucket).key("q/b.txt"), RequestBody.fromString("b"));
      receiver.take(Duration.ofSeconds(20));
      String delivery = a.header("X-Tarn-Delivery");

      JsonNode filtered = json.readTree(tarn("webhooks", "deliveries", bucket, id, "--status", "delivered",
          "--prefix", "p/", "--json").assertSuccess().stdout());
      assertEquals(1, filtered.path("deliveries").size(), filtered.toString());
      assertEquals("p/a.txt", filtered.path("deliveries").get(0).path("key").asText());

      Cli.Result events = tarn("webhooks", "events", bucket, "p/a.txt").assertSuccess();
      assertTrue(events.stdout().contains("p/a.txt") && !events.stdout().contains("q/b.txt"), events.describe());

      JsonNode inspected = json.readTree(tarn("webhooks", "delivery", bucket, delivery, "--json").assertSuccess()
          .stdout());
      assertEquals(a.text(), inspected.path("body").asText());
      assertEquals(a.header("X-Tarn-Signature-256"),
          inspected.path("attempts").get(0).path("requestHeaders").path("X-Tarn-Signature-256").asText());
      assertFalse(inspected.toString().contains("cli-log-secret"), "never the secret");

      tarn("webhooks", "redeliver", bucket, delivery, "--any").assertSuccess();
      WebhookReceiver.Received again = receiver.take(Duration.ofSeconds(20));
      assertEquals(a.text(), again.text());
      assertEquals(delivery, again.header("X-Tarn-Delivery"));

      Cli.Result count = tarn("webhooks", "redeliver", bucket, "--all", "--rule", id, "--dry-run").assertSuccess();
      assertEquals("0", count.stdout().strip(), count.describe());
    }
  }

  /** {@code test --wait} shows the receiver's answer (status, headers, body), and exits 1 when it is not a 2xx. */
  @Test
  void testWaitShowsTheReceiversAnswer() throws IOException {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String bucket = TestData.bucketName("cli-wait");
      TARN.s3().createBucket(r -> r.bucket(bucket));
      String id = new ObjectMapper().readTree(tarn("webhooks", "add", bucket, "--url", receiver.url("/w").toString(),
          "--events", "object:created", "--json").assertSuccess().stdout()).path("id").asText();

      receiver.enqueue(WebhookReceiver.Answer.of(202, "accepted by the receiver"));
      Cli.Result ok = tarn("webhooks", "test", bucket, id, "--wait").assertSuccess();
      assertTrue(ok.stdout().contains("Outcome:   delivered"), ok.describe());
      assertTrue(ok.stdout().contains("Status:    202"), ok.describe());
      assertTrue(ok.stdout().toLowerCase(java.util.Locale.ROOT).contains("x-receiver: tarn-it"), ok.describe());
      assertTrue(ok.stdout().endsWith("accepted by the receiver\n"), ok.describe());
      assertTrue(receiver.take(Duration.ofSeconds(10)).text().contains("s3:TestEvent"));

      receiver.enqueue(WebhookReceiver.Answer.of(500, "boom"));
      Cli.Result failed = tarn("webhooks", "test", bucket, id, "--wait", "--json");
      assertEquals(1, failed.exitCode(), failed.describe());
      JsonNode outcome = new ObjectMapper().readTree(failed.stdout());
      assertEquals("failed", outcome.path("outcome").asText(), failed.describe());
      assertEquals(500, outcome.path("statusCode").asInt(), failed.describe());
      assertEquals("boom", outcome.path("body").asText(), failed.describe());
    }
  }

  /** A name the server never emits is refused, and the CLI's output names it. */
  @Test
  void addRefusesEventsTheServerNeverEmitsNamingThem() {
    String bucket = TestData.bucketName("cli-never");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    Cli.Result r = tarn("webhooks", "add", bucket, "--url", "http://127.0.0.1:9/hook",
        "--events", "s3:ObjectCreated:*,s3:ObjectRestore:*,s3:ObjectTagging:Put");
    r.assertFailure();
    String said = r.stdout() + r.stderr();
    assertTrue(said.contains("never emits s3:ObjectRestore:*, s3:ObjectTagging:Put"), r.describe());
    Cli.Result ls = tarn("webhooks", "ls", bucket, "--json").assertSuccess();
    assertFalse(ls.stdout().contains("ObjectRestore"), ls.describe());
  }
}
