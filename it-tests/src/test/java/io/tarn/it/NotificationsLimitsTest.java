package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Answer;
import io.tarn.it.support.WebhookReceiver.Received;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/** The delivery pool's bounds are the server's options: {@code --webhook-per-host} caps one receiver. */
class NotificationsLimitsTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(List.of(
      "--webhook-per-host", "3", "--webhook-concurrency", "10"));

  @Test
  void aReceiverNeverGetsMoreRequestsAtOnceThanThePerHostBound() {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      receiver.setDefault(new Answer(200, Duration.ofMillis(200), null));
      AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
      String bucket = TestData.bucketName("limits");
      TARN.s3().createBucket(r -> r.bucket(bucket));
      JsonNode rule = admin.webhooksApi().expect(201, "POST", "/buckets/" + bucket + "/webhooks",
          Map.of("url", receiver.url("/hook").toString(), "events", List.of("s3:ObjectCreated:*"), "format", "compact"));
      assertTrue(rule.path("id").asText().length() > 0);
      Set<String> keys = new TreeSet<>();
      for (int i = 0; i < 12; i++) {
        String key = "k" + i;
        TARN.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("v"));
        keys.add(key);
      }
      Set<String> arrived = new TreeSet<>();
      for (int i = 0; i < keys.size(); i++) {
        Received r = receiver.take(Duration.ofSeconds(20));
        String body = r.text();
        int at = body.indexOf("\"key\":\"") + 7;
        arrived.add(body.substring(at, body.indexOf('"', at)));
      }
      assertEquals(keys, arrived);
      // Twelve deliveries waiting, answered after 200 ms each: the bound was reached and held.
      assertEquals(3, receiver.maxInFlight());
    }
  }
}
