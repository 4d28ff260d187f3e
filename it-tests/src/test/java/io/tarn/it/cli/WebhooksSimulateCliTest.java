package io.tarn.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code tarn webhooks simulate}: the simulator's answer for a person and, with --json, for a script. */
class WebhooksSimulateCliTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @TempDir static Path home;

  private static Cli.Result tarn(String... args) {
    return Cli.tarn(home, Map.of("TARN_ENDPOINT", TARN.endpoint().toString(), "TARN_ACCESS_KEY", TARN.accessKey(),
        "TARN_SECRET_KEY", TARN.secretKey()), Duration.ofMinutes(1), args);
  }

  @Test
  void simulateShowsMatchesWithTheirCurlAndSaysWhyTheOthersDoNot() throws IOException {
    String bucket = TestData.bucketName("cli-sim");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    AdminClient api = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).webhooksApi();
    String hit = api.expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url", "http://127.0.0.1:9/hit",
        "events", List.of("s3:ObjectCreated:*"), "secret", "cli-sim-secret")).path("id").asText();
    String miss = api.expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url", "http://127.0.0.1:9/miss",
        "events", List.of("ObjectRemoved:*"), "suffix", ".jpg")).path("id").asText();

    Cli.Result text = tarn("webhooks", "simulate", bucket, "photos/cat.png", "--size", "42").assertSuccess();
    String out = text.stdout();
    assertTrue(out.contains("Webhook " + hit + " -> http://127.0.0.1:9/hit: matches, as ObjectCreated:Put"
        + " (s3 body, tarn signature)"), text.describe());
    assertTrue(out.contains("X-Tarn-Signature-256: "), text.describe());
    assertTrue(out.contains("\"key\":\"photos/cat.png\",\"size\":42"), text.describe());
    assertTrue(out.contains("curl -sS -X POST 'http://127.0.0.1:9/hit'"), text.describe());
    assertTrue(out.contains("Webhook " + miss + " -> http://127.0.0.1:9/miss: no match"), text.describe());
    assertTrue(out.contains("  - suffix: the key does not end with \".jpg\""), text.describe());
    assertTrue(out.contains("  - event: s3:ObjectCreated:Put of a new key is not among the rule's events"
        + " s3:ObjectRemoved:*"), text.describe());
    assertFalse(out.contains("cli-sim-secret"), "never the secret: " + out);

    JsonNode json = new ObjectMapper().readTree(tarn("webhooks", "simulate", bucket, "old.jpg", "--event",
        "ObjectRemoved:Delete", "--json").assertSuccess().stdout());
    assertEquals("ObjectRemoved:Delete", json.path("simulation").path("event").asText());
    assertFalse(json.path("rules").get(0).path("matched").asBoolean(), json.toString());
    assertTrue(json.path("rules").get(1).path("matched").asBoolean(), json.toString());

    Cli.Result bad = tarn("webhooks", "simulate", bucket, "k", "--event", "s3:ObjectRestore:Post");
    assertEquals(1, bad.exitCode(), bad.describe());
    assertTrue((bad.stdout() + bad.stderr()).contains("must be one of the events the server emits"), bad.describe());
    Cli.Result missing = tarn("webhooks", "simulate", TestData.bucketName("cli-sim-none"), "k");
    assertEquals(6, missing.exitCode(), missing.describe());
  }
}
