package io.tarn.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServer;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** {@code tarn webhooks tail}: follows a bucket's live events and deliveries; refused without read access. */
class WebhooksTailCliTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @TempDir static Path home;

  private static List<String> command(String... args) {
    return TarnServer.tarnCommand(args);
  }

  private static Map<String, String> env(String accessKey, String secretKey) {
    return Map.of("TARN_ENDPOINT", TARN.endpoint().toString(), "TARN_ACCESS_KEY", accessKey,
        "TARN_SECRET_KEY", secretKey, "XDG_CONFIG_HOME", home.toString(), "HOME", home.toString());
  }

  @Test
  void followsEventsAndDeliveriesAsJsonLines() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String bucket = TestData.bucketName("cli-tail");
      TARN.s3().createBucket(r -> r.bucket(bucket));
      String rule = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).webhooksApi().expect(201, "POST",
          "/buckets/" + bucket + "/webhooks", Map.of("url", receiver.url("/tail").toString(),
              "events", List.of("s3:ObjectCreated:*"))).path("id").asText();
      ProcessBuilder pb = new ProcessBuilder(command("webhooks", "tail", bucket, "--json"));
      pb.environment().putAll(env(TARN.accessKey(), TARN.secretKey()));
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process p = pb.start();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String l;
          while ((l = r.readLine()) != null) {
            lines.add(l);
          }
        } catch (java.io.IOException ended) {
          // the process was stopped
        }
      });
      reader.start();
      try {
        ObjectMapper json = new ObjectMapper();
        assertEquals("ready", json.readTree(poll(lines)).path("type").asText());
        TARN.s3().putObject(b -> b.bucket(bucket).key("tailed.txt"), RequestBody.fromString("t"));
        JsonNode event = json.readTree(poll(lines));
        assertEquals("event", event.path("type").asText(), event::toString);
        assertEquals("tailed.txt", event.path("key").asText());
        assertEquals(rule, event.path("rules").get(0).path("id").asText());
        JsonNode delivery = json.readTree(poll(lines));
        assertEquals("delivery", delivery.path("type").asText(), delivery::toString);
        assertEquals("delivered", delivery.path("outcome").asText());
        assertEquals(200, delivery.path("status").asInt());
      } finally {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static String poll(BlockingQueue<String> lines) throws InterruptedException {
    String l = lines.poll(30, TimeUnit.SECONDS);
    assertTrue(l != null, "tail printed nothing within 30 s");
    return l;
  }

  @Test
  void aUserWhoMayNotReadTheBucketIsRefusedWithExit5() {
    String bucket = TestData.bucketName("cli-tail-no");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    AdminClient.User stranger = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey())
        .createUser(TestData.bucketName("tail-stranger"), "user");
    Cli.Result r = Cli.run(command("webhooks", "tail", bucket), env(stranger.accessKey(), stranger.secretKey()), home,
        Duration.ofMinutes(1));
    assertEquals(5, r.exitCode(), r.describe());
    assertTrue(r.stderr().contains("read access"), r.describe());
  }
}
