package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.RawHttp;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Answer;
import io.tarn.it.support.WebhookReceiver.Received;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Bucket notifications end to end: a real server (short retry schedule), a real receiver on
 * 127.0.0.1, rules made through the webhooks API; payloads parsed with the AWS SDK's own S3 event
 * parser and compared with golden files; signatures recomputed here.
 */
class NotificationsTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(List.of(
      "--webhook-retry-initial", "300ms", "--webhook-retry-max", "1s", "--webhook-max-attempts", "3"));
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "it-s3cr3t";

  private static WebhookReceiver receiver;
  private static AdminClient api;
  private static AdminClient admin;

  @BeforeAll
  static void start() {
    receiver = new WebhookReceiver();
    admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    api = admin.webhooksApi();
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  private static String bucketWithRule(String name, Map<String, Object> rule) {
    String bucket = TestData.bucketName(name);
    TARN.s3().createBucket(r -> r.bucket(bucket));
    JsonNode created = api.expect(201, "POST", "/buckets/" + bucket + "/webhooks", rule);
    return bucket + "/" + created.path("id").asText();
  }

  private static Map<String, Object> rule(String path, List<String> events) {
    return Map.of("url", receiver.url(path).toString(), "events", events, "secret", SECRET);
  }

  @Test
  void everyObjectEventArrivesSignedAndParsesWithTheSdk() throws IOException {
    receiver.drain();
    String[] br = bucketWithRule("events", rule("/events", List.of("s3:ObjectCreated:*", "ObjectRemoved:*"))).split("/");
    String bucket = br[0];
    String ruleId = br[1];
    S3Client s3 = TARN.s3();

    String etag = s3.putObject(r -> r.bucket(bucket).key("photos/a b(1).txt"), RequestBody.fromString("hello")).eTag();
    Received put = receiver.take(WAIT);
    verifySigned(put, "ObjectCreated:Put");
    S3EventNotificationRecord rec = single(put);
    assertEquals("2.4", rec.getEventVersion());
    assertEquals("tarn:s3", rec.getEventSource());
    assertEquals("us-east-1", rec.getAwsRegion());
    assertEquals("ObjectCreated:Put", rec.getEventName());
    assertEquals(ruleId, rec.getS3().getConfigurationId());
    assertEquals(bucket, rec.getS3().getBucket().getName());
    assertEquals("arn:aws:s3:::" + bucket, rec.getS3().getBucket().getArn());
    assertEquals("photos/a+b%281%29.txt", rec.getS3().getObject().getKey());
    assertEquals("photos/a b(1).txt", rec.getS3().getObject().getUrlDecodedKey());
    assertEquals(5L, rec.getS3().getObject().getSizeAsLong());
    assertEquals(etag.replace("\"", ""), rec.getS3().getObject().getETag());
    assertNull(rec.getS3().getObject().getVersionId(), "no versionId for an unversioned bucket");
    assertEquals("127.0.0.1", rec.getRequestParameters().getSourceIpAddress());
    assertNotNull(rec.getResponseElements().getXAmzRequestId());
    assertGolden("s3-put.json", put);
    String firstSequencer = rec.getS3().getObject().getSequencer();

    s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("photos/a b(1).txt").destinationBucket(bucket).destinationKey("copy"));
    Received copy = receiver.take(WAIT);
    verifySigned(copy, "ObjectCreated:Copy");
    assertTrue(single(copy).getS3().getObject().getSequencer().compareTo(firstSequencer) > 0, "sequencers grow");
    assertGolden("s3-copy.json", copy);

    String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("big")).uploadId();
    String partEtag = s3.uploadPart(r -> r.bucket(bucket).key("big").uploadId(uploadId).partNumber(1),
        RequestBody.fromString("part")).eTag();
    s3.completeMultipartUpload(r -> r.bucket(bucket).key("big").uploadId(uploadId)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(partEtag).build())));
    Received mp = receiver.take(WAIT);
    verifySigned(mp, "ObjectCreated:CompleteMultipartUpload");
    assertGolden("s3-complete-multipart.json", mp);

    s3.deleteObject(r -> r.bucket(bucket).key("copy"));
    Received del = receiver.take(WAIT);
    verifySigned(del, "ObjectRemoved:Delete");
    JsonNode object = JSON.readTree(del.body()).path("Records").get(0).path("s3").path("object");
    assertFalse(object.has("size") || object.has("eTag"), "removals omit size and eTag, as S3 does: " + object);
    assertEquals("ObjectRemoved:Delete", single(del).getEventName());
    assertGolden("s3-delete.json", del);
  }

  @Test
  void aFailingReceiverGetsIdenticalRetriesWithBackoffThenADeadLetterThatCanBeRedelivered() throws IOException {
    receiver.drain();
    String[] br = bucketWithRule("retry", rule("/retry", List.of("s3:ObjectCreated:Put"))).split("/");
    String bucket = br[0];
    String ruleId = br[1];
    receiver.enqueue(Answer.of(500), Answer.of(503), new Answer(302, Duration.ZERO, receiver.url("/elsewhere").toString()));
    TARN.s3().putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("v"));

    Received first = receiver.take(WAIT);
    Received second = receiver.take(WAIT);
    Received third = receiver.take(WAIT);
    for (Received r : List.of(second, third)) {
      assertEquals("/retry", r.path(), "a 3xx is a failure and is never followed");
      assertEquals(first.header("X-Tarn-Delivery"), r.header("X-Tarn-Delivery"), "one delivery id across retries");
      assertArrayEquals(first.body(), r.body(), "byte-identical retries");
      assertEquals(first.header("X-Tarn-Signature-256"), r.header("X-Tarn-Signature-256"));
    }
    // Backoff 300 ms then 600 ms, each within the 20% jitter.
    assertTrue(Duration.between(first.arrived(), second.arrived()).toMillis() >= 200, "first backoff");
    assertTrue(Duration.between(second.arrived(), third.arrived()).toMillis() >= 450, "second backoff");

    JsonNode dead = awaitDeadLetter(bucket, first.header("X-Tarn-Delivery"));
    assertEquals(ruleId, dead.path("ruleId").asText());
    JsonNode log = api.expect(200, "GET", "/buckets/" + bucket + "/webhooks/" + ruleId + "/deliveries", null);
    assertTrue(log.path("deliveries").size() >= 3, log.toString());

    api.expect(200, "POST", "/buckets/" + bucket + "/dead-letters/" + first.header("X-Tarn-Delivery") + "/redeliver", null);
    Received again = receiver.take(WAIT);
    assertArrayEquals(first.body(), again.body());
    assertEquals(first.header("X-Tarn-Delivery"), again.header("X-Tarn-Delivery"));
    JsonNode stats = awaitStats(bucket, ruleId);
    assertEquals(1, stats.path("delivered").asLong(), stats.toString());
    assertTrue(receiver.drain().stream().noneMatch(r -> r.path().equals("/elsewhere")));
  }

  @Test
  void testEventsCompactPayloadsAndStandardWebhooksSignatures() throws Exception {
    receiver.drain();
    String[] br = bucketWithRule("compact", Map.of("url", receiver.url("/compact").toString(),
        "events", List.of("object:created", "object:updated"), "format", "compact",
        "signature", "standard-webhooks", "secret", SECRET)).split("/");
    String bucket = br[0];
    String ruleId = br[1];
    api.expect(202, "POST", "/buckets/" + bucket + "/webhooks/" + ruleId + "/test", null);
    Received test = receiver.take(WAIT);
    JsonNode t = JSON.readTree(test.body());
    assertEquals("Tarn", t.path("Service").asText());
    assertEquals("s3:TestEvent", t.path("Event").asText());
    assertEquals(bucket, t.path("Bucket").asText());

    TARN.s3().putObject(r -> r.bucket(bucket).key("doc.txt").contentType("text/plain"), RequestBody.fromString("one"));
    TARN.s3().putObject(r -> r.bucket(bucket).key("doc.txt").contentType("text/plain"), RequestBody.fromString("two!"));
    JsonNode created = JSON.readTree(receiver.take(WAIT).body());
    Received updatedReq = receiver.take(WAIT);
    JsonNode updated = JSON.readTree(updatedReq.body());
    assertEquals("object:created", created.path("event").asText());
    assertEquals("object:updated", updated.path("event").asText());
    assertEquals(4, updated.path("object").path("size").asLong());
    assertEquals("text/plain", updated.path("object").path("contentType").asText());
    // Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body">.
    String signed = updatedReq.header("webhook-id") + "." + updatedReq.header("webhook-timestamp") + "." + updatedReq.text();
    String expected = "v1," + Base64.getEncoder().encodeToString(hmac(SECRET.getBytes(StandardCharsets.UTF_8), signed));
    assertTrue(List.of(updatedReq.header("webhook-signature").split(" ")).contains(expected), updatedReq.headers().toString());
  }

  @Test
  void notificationConfigurationShowsRulesAsQueueConfigurationsAndPutIsNotImplemented() {
    String[] br = bucketWithRule("config", Map.of("url", receiver.url("/config").toString(),
        "events", List.of("s3:ObjectCreated:Put"), "prefix", "in/", "suffix", ".jpg")).split("/");
    String bucket = br[0];
    RawHttp.RawResponse get = TARN.raw().signed("GET", "/" + bucket, "notification", Map.of(), new byte[0]);
    assertEquals(200, get.status(), get.text());
    String xml = get.text();
    assertTrue(xml.contains("<Id>" + br[1] + "</Id>"), xml);
    assertTrue(xml.contains("<Queue>arn:tarn:webhook:::" + br[1] + "</Queue>"), xml);
    assertTrue(xml.contains("<Event>s3:ObjectCreated:Put</Event>"), xml);
    assertTrue(xml.contains("<FilterRule><Name>prefix</Name><Value>in/</Value></FilterRule>"), xml);
    assertTrue(xml.contains("<FilterRule><Name>suffix</Name><Value>.jpg</Value></FilterRule>"), xml);
    RawHttp.RawResponse put = TARN.raw().signed("PUT", "/" + bucket, "notification", Map.of(),
        "<NotificationConfiguration/>".getBytes(StandardCharsets.UTF_8));
    assertEquals(501, put.status());
    assertTrue(put.text().contains("NotImplemented"), put.text());
  }

  @Test
  void onlyAdminsMayTargetPrivateAddressesInAnySpelling() {
    AdminClient.User user = admin.createUser("hooks-" + Long.toString(System.nanoTime() & 0xfffff, 36), "user");
    AdminClient asUser = new AdminClient(TARN.port(), user.accessKey(), user.secretKey()).webhooksApi();
    String bucket = TestData.bucketName("ssrf");
    software.amazon.awssdk.services.s3.S3Client s3 = io.tarn.it.support.S3Clients.pathStyle(TARN.port(),
        io.tarn.it.support.S3Clients.credentials(user.accessKey(), user.secretKey()), new io.tarn.it.support.ResponseHeaderAudit());
    try (s3) {
      s3.createBucket(r -> r.bucket(bucket));
    }
    int port = receiver.url("/").getPort();
    for (String url : List.of("http://127.0.0.1:" + port + "/", "http://2130706433:" + port + "/", "http://0x7f.1:" + port + "/",
        "http://0177.0.0.1:" + port + "/", "http://[::ffff:127.0.0.1]:" + port + "/", "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/", "http://[fd00::1]/", "http://100.64.0.1/", "http://localhost:" + port + "/")) {
      AdminClient.Response r = asUser.call("POST", "/buckets/" + bucket + "/webhooks",
          Map.of("url", url, "events", List.of("s3:ObjectCreated:*")));
      assertEquals(403, r.status(), url + " -> " + r.text());
      assertEquals("url", r.json().path("error").path("field").asText(), r.text());
    }
    AdminClient.Response userPublic = asUser.call("POST", "/buckets/" + bucket + "/webhooks",
        Map.of("url", "ftp://example.com/", "events", List.of("s3:ObjectCreated:*")));
    assertEquals(400, userPublic.status(), userPublic.text());
    // The admin may point the user's bucket at the loopback receiver.
    api.expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url", receiver.url("/admin").toString(),
        "events", List.of("s3:ObjectCreated:*")));
  }

  @Test
  void webhookSecretsAreEncryptedAtRest() throws IOException {
    receiver.drain();
    String secret = "whsec-it-" + Long.toString(System.nanoTime(), 36) + "-plain-text-must-not-be-on-disk";
    String bucket = bucketWithRule("sealed", Map.of("url", receiver.url("/sealed").toString(),
        "events", List.of("s3:ObjectCreated:*"), "secret", secret)).split("/")[0];
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    byte[] control = bucket.getBytes(StandardCharsets.UTF_8); // the rule's record key, stored in plain
    boolean secretFound = false;
    boolean controlFound = false;
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(TARN.dataDir())) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files.filter(java.nio.file.Files::isRegularFile)::iterator) {
        byte[] hay = java.nio.file.Files.readAllBytes(f);
        secretFound |= TestData.contains(hay, needle);
        controlFound |= f.startsWith(TARN.dataDir().resolve("meta")) && TestData.contains(hay, control);
      }
    }
    assertTrue(controlFound, "the search sees what the metadata store holds");
    assertFalse(secretFound, "the webhook secret is stored in plain text");
    // ...and signing still works with it.
    TARN.s3().putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("v"));
    Received r = receiver.take(WAIT);
    assertEquals(HexFormat.of().formatHex(hmac(needle, r.text())), r.header("X-Tarn-Signature-256"));
  }

  // ---- helpers

  private static void verifySigned(Received r, String event) {
    assertEquals("POST", r.method());
    assertEquals("application/json", r.header("Content-Type"));
    assertEquals("Tarn-Webhook", r.header("User-Agent"));
    assertNotNull(r.header("X-Tarn-Delivery"));
    assertEquals(event, r.header("X-Tarn-Event"));
    String hex = HexFormat.of().formatHex(hmac(SECRET.getBytes(StandardCharsets.UTF_8), r.text()));
    assertEquals(hex, r.header("X-Tarn-Signature-256"));
    assertEquals("sha256=" + hex, r.header("X-Tarn-Signature"));
  }

  private static S3EventNotificationRecord single(Received r) {
    S3EventNotification n = S3EventNotification.fromJson(r.body());
    assertEquals(1, n.getRecords().size());
    return n.getRecords().get(0);
  }

  private static byte[] hmac(byte[] key, String data) {
    return WebhookReceiver.hmacSha256(key, data.getBytes(StandardCharsets.UTF_8));
  }

  /** Compares with a golden file after replacing what differs per run (ids, times, names). */
  private static void assertGolden(String name, Received r) throws IOException {
    JsonNode root = JSON.readTree(r.body());
    JsonNode rec = root.path("Records").get(0);
    com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) rec;
    n.put("eventTime", "TIME");
    ((com.fasterxml.jackson.databind.node.ObjectNode) rec.path("userIdentity")).put("principalId", "PRINCIPAL");
    com.fasterxml.jackson.databind.node.ObjectNode re = (com.fasterxml.jackson.databind.node.ObjectNode) rec.path("responseElements");
    re.put("x-amz-request-id", "REQUEST-ID");
    re.put("x-amz-id-2", "HOST-ID");
    com.fasterxml.jackson.databind.node.ObjectNode s3 = (com.fasterxml.jackson.databind.node.ObjectNode) rec.path("s3");
    s3.put("configurationId", "RULE-ID");
    com.fasterxml.jackson.databind.node.ObjectNode b = (com.fasterxml.jackson.databind.node.ObjectNode) s3.path("bucket");
    b.put("name", "BUCKET");
    b.put("arn", "arn:aws:s3:::BUCKET");
    ((com.fasterxml.jackson.databind.node.ObjectNode) b.path("ownerIdentity")).put("principalId", "OWNER");
    com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) s3.path("object");
    o.put("sequencer", "SEQUENCER");
    if (o.has("eTag")) {
      o.put("eTag", "ETAG");
    }
    String actual = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root).trim();
    if (Boolean.getBoolean("tarn.golden.update")) {
      // Regenerate with -Dtarn.golden.update=true, then review the diff before committing it.
      java.nio.file.Path file = java.nio.file.Path.of("src/test/resources/golden/notifications", name);
      java.nio.file.Files.createDirectories(file.getParent());
      java.nio.file.Files.writeString(file, actual + "\n");
      return;
    }
    try (InputStream in = NotificationsTest.class.getResourceAsStream("/golden/notifications/" + name)) {
      assertNotNull(in, "golden file /golden/notifications/" + name + "; actual:\n" + actual);
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim(), actual, name);
    }
  }

  private static JsonNode awaitDeadLetter(String bucket, String deliveryId) {
    long end = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < end) {
      JsonNode page = api.expect(200, "GET", "/buckets/" + bucket + "/dead-letters", null);
      for (JsonNode d : page.path("deadLetters")) {
        if (d.path("deliveryId").asText().equals(deliveryId)) {
          return d;
        }
      }
      sleep(100);
    }
    throw new AssertionError("no dead letter " + deliveryId + " in " + bucket);
  }

  private static JsonNode awaitStats(String bucket, String ruleId) {
    long end = System.nanoTime() + WAIT.toNanos();
    JsonNode s = null;
    while (System.nanoTime() < end) {
      s = api.expect(200, "GET", "/buckets/" + bucket + "/webhooks/" + ruleId + "/stats", null);
      if (s.path("delivered").asLong() > 0) {
        return s;
      }
      sleep(100);
    }
    return s;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
