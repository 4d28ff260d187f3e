package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.it.support.AdminClient;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Answer;
import io.tarn.it.support.WebhookReceiver.Received;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/** Queued deliveries are durable: a restart while the receiver is down loses none of them. */
class NotificationsRestartTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(List.of(
      "--webhook-retry-initial", "300ms", "--webhook-retry-max", "1s"));
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void deliveriesSurviveARestartWhileTheReceiverIsDown() {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      AdminClient api = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).webhooksApi();
      String bucket = TestData.bucketName("restart");
      TARN.s3().createBucket(r -> r.bucket(bucket));
      api.expect(201, "POST", "/buckets/" + bucket + "/webhooks",
          Map.of("url", receiver.url("/restart").toString(), "events", List.of("s3:ObjectCreated:*")));
      receiver.setDefault(Answer.of(503));
      TARN.s3().putObject(r -> r.bucket(bucket).key("survivor"), RequestBody.fromString("x"));
      Received refused = receiver.take(WAIT);
      assertEquals("/restart", refused.path());

      TARN.server().restart(); // the committed event must still be queued afterwards
      receiver.drain();
      receiver.setDefault(Answer.of(200));
      Received delivered = receiver.take(WAIT);
      assertArrayEquals(refused.body(), delivered.body(), "the same stored body");
      assertEquals(refused.header("X-Tarn-Delivery"), delivered.header("X-Tarn-Delivery"));
    }
  }
}
