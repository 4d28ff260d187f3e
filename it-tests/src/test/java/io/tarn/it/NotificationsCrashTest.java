package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Received;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * At-least-once across crashes: writers keep uploading while the server is killed with SIGKILL and
 * restarted, repeatedly. Two rules match every upload (both read their first attempts from the
 * bucket's event log, with cursors of their own that attempts ending out of order, and mutations
 * committing out of sequencer order, must never carry past an undelivered event) and the receiver fails
 * a share of requests, so retries (with their own copy of the body) are in flight at the kills too. Afterwards every acknowledged upload has reached the receiver for both
 * rules, every event that arrived names an object that really was committed (events commit with
 * their mutation, never without it), and duplicates of a delivery are byte-identical.
 */
class NotificationsCrashTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(List.of(
      "--webhook-retry-initial", "200ms", "--webhook-retry-max", "1s"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROUNDS = 5;
  private static final int WRITERS = 4;
  private static final List<String> PATHS = List.of("/crash-a", "/crash-b");
  /** Answers 503 to this many requests at the start of each round: retries are in flight at the kill. */
  private static final int FAILURES_PER_ROUND = 40;

  @Test
  void everyAcknowledgedUploadIsDeliveredAtLeastOnceAcrossSigkills() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String bucket = TestData.bucketName("crash");
      TARN.s3().createBucket(r -> r.bucket(bucket));
      for (String path : PATHS) {
        new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).webhooksApi().expect(201, "POST",
            "/buckets/" + bucket + "/webhooks",
            Map.of("url", receiver.url(path).toString(), "events", List.of("s3:ObjectCreated:*")));
      }

      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < FAILURES_PER_ROUND; i++) {
          receiver.enqueue(WebhookReceiver.Answer.of(503));
        }
        S3Client s3 = TARN.s3();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < WRITERS; t++) {
          String prefix = "r" + round + "/t" + t + "/";
          Thread w = new Thread(() -> {
            for (int i = 0; ; i++) {
              String key = prefix + i;
              try {
                s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(key));
              } catch (RuntimeException serverGone) {
                return; // unacknowledged: may or may not have committed
              }
              acknowledged.add(key);
            }
          });
          w.start();
          writers.add(w);
        }
        Thread.sleep(1500);
        TARN.killAndRestart();
        for (Thread w : writers) {
          w.join(60_000);
        }
      }
      assertTrue(acknowledged.size() > ROUNDS * WRITERS, "the writers made progress: " + acknowledged.size());

      // Collect deliveries until every acknowledged upload has been announced.
      Map<String, List<Received>> byDelivery = new HashMap<>();
      Map<String, Set<String>> announcedTo = new HashMap<>();
      PATHS.forEach(p -> announcedTo.put(p, new HashSet<>()));
      long deadline = System.nanoTime() + 90_000_000_000L;
      while (!announcedTo.values().stream().allMatch(a -> a.containsAll(acknowledged)) && System.nanoTime() < deadline) {
        for (Received r : receiver.drain()) {
          byDelivery.computeIfAbsent(r.header("X-Tarn-Delivery"), k -> new ArrayList<>()).add(r);
          announcedTo.get(r.path()).add(key(r));
        }
        Thread.sleep(100);
      }
      for (String path : PATHS) {
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(announcedTo.get(path));
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged uploads never announced to " + path + ", e.g. "
            + missing.stream().limit(5).toList());
      }
      Set<String> announced = new HashSet<>();
      announcedTo.values().forEach(announced::addAll);

      long received = byDelivery.values().stream().mapToLong(List::size).sum();
      System.out.println("NotificationsCrashTest: " + acknowledged.size() + " acknowledged uploads, " + announced.size()
          + " announced, " + received + " requests received for " + byDelivery.size() + " deliveries");
      for (List<Received> copies : byDelivery.values()) {
        for (Received c : copies) {
          assertArrayEquals(copies.get(0).body(), c.body(), "a duplicate delivery differs from the first");
        }
      }
      // An event exists only for a committed upload: each announced key is there to read.
      S3Client s3 = TARN.s3();
      for (String key : announced) {
        s3.headObject(r -> r.bucket(bucket).key(key));
      }
    }
  }

  private static String key(Received r) {
    try {
      JsonNode rec = JSON.readTree(r.body()).path("Records").get(0);
      return java.net.URLDecoder.decode(rec.path("s3").path("object").path("key").asText(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.text(), e);
    }
  }
}
