package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Cli;
import io.tarn.it.support.RawHttp;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Received;
import io.tarn.it.support.Xml;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Webhooks as clients of other stores and S3 tooling see them: a receiver written to ElasticLake's
 * webhooks document (https://elasticlake.com/blog/webhooks-event-driven) behind a rule made through
 * the compatibility endpoint; each rule seeing only event names it subscribed to; and
 * {@code GET ?notification} showing what is delivered, no more.
 */
class NotificationsCompatTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static AdminClient api() {
    return new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).webhooksApi();
  }

  /**
   * The document's client, step by step: a personal API token, then {@code POST /webhooks} with it
   * as a Bearer and the document's body; uploads through the Java SDK; the document's receiver
   * (Python, its {@code verify_webhook} as written) must verify every delivery and read its fields.
   */
  @Test
  void aReceiverWrittenToElasticLakesDocumentVerifiesAndReadsEveryEvent(@TempDir Path work) throws Exception {
    Path python = Cli.require("python3", "apt-get install python3", PYTHON);
    Path script = work.resolve("elasticlake_receiver.py");
    try (InputStream in = NotificationsCompatTest.class.getResourceAsStream("/webhooks/elasticlake_receiver.py")) {
      Files.copy(in, script);
    }
    Path log = work.resolve("received.jsonl");
    String secret = "my-webhook-secret";
    ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString()).directory(work.toFile())
        .redirectError(work.resolve("receiver.err").toFile());
    pb.environment().put("WEBHOOK_SECRET", secret);
    pb.environment().put("RECEIVER_LOG", log.toString());
    Process receiver = pb.start();
    try {
      int port = portOf(receiver, work);
      String bucket = TestData.bucketName("elasticlake");
      S3Client s3 = TARN.s3();
      s3.createBucket(r -> r.bucket(bucket));

      // The token belongs to the admin: only admins may point a rule at the loopback receiver.
      String token = api().expect(201, "POST", "/tokens", Map.of("name", "elasticlake-client")).path("token").asText();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("bucket", bucket);
      body.put("endpoint", "http://127.0.0.1:" + port + "/webhooks/storage");
      body.put("events", List.of("object:created", "object:deleted")); // the document's example
      body.put("secret", secret);
      HttpResponse<String> created = bearer(token, "POST", "/webhooks", JSON.writeValueAsString(body));
      assertEquals(201, created.statusCode(), created.body());
      JsonNode rule = JSON.readTree(created.body());
      assertEquals("compact", rule.path("format").asText(), created.body());
      String id = rule.path("id").asText();
      HttpResponse<String> read = bearer(token, "GET", "/webhooks/" + id, null);
      assertEquals("compact", JSON.readTree(read.body()).path("format").asText(), read.body());
      assertEquals("compact", api().expect(200, "GET", "/buckets/" + bucket + "/webhooks/" + id, null)
          .path("format").asText());

      byte[] pdf = "%PDF-1.7 not really".getBytes(StandardCharsets.UTF_8);
      s3.putObject(r -> r.bucket(bucket).key("uploads/document.pdf").contentType("application/pdf"),
          RequestBody.fromBytes(pdf));
      String mpEtag = completeMultipart(s3, bucket, "uploads/video.mp4", "video/mp4");
      s3.deleteObject(r -> r.bucket(bucket).key("uploads/document.pdf"));

      List<JsonNode> got = awaitLines(log, 3);
      String all = got.toString();
      for (JsonNode g : got) {
        assertTrue(g.path("verified").asBoolean(), "the document's verify_webhook accepted it: " + all);
        assertEquals(bucket, g.path("bucket").asText(), all);
        assertEquals(g.path("event").asText(), g.path("tarnEvent").asText(), all);
      }
      Map<String, JsonNode> byEvent = new HashMap<>();
      for (JsonNode g : got) {
        byEvent.put(g.path("event").asText() + " " + g.path("key").asText(), g);
      }
      JsonNode put = byEvent.get("object:created uploads/document.pdf");
      assertNotNull(put, all);
      assertEquals("application/pdf", put.path("contentType").asText());
      assertEquals(pdf.length, put.path("size").asLong());
      assertEquals(TestData.md5Hex(pdf), put.path("etag").asText());
      // A rule with only object:created gets object:created for a completed upload, never multipart:completed.
      JsonNode mp = byEvent.get("object:created uploads/video.mp4");
      assertNotNull(mp, all);
      assertEquals("video/mp4", mp.path("contentType").asText());
      assertEquals(mpEtag.replace("\"", ""), mp.path("etag").asText());
      JsonNode del = byEvent.get("object:deleted uploads/document.pdf");
      assertNotNull(del, all);
      assertTrue(del.path("contentType").isNull(), all);
    } finally {
      receiver.destroy();
      if (!receiver.waitFor(10, TimeUnit.SECONDS)) {
        receiver.destroyForcibly();
      }
    }
  }

  /**
   * One rule per alias on one bucket; each gets exactly the events it subscribed to, under the name it
   * subscribed to, in the body's {@code event} and in {@code X-Tarn-Event}.
   */
  @Test
  void eachAliasRuleGetsExactlyItsEventsUnderItsOwnName() throws IOException {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String bucket = TestData.bucketName("aliases");
      S3Client s3 = TARN.s3();
      s3.createBucket(r -> r.bucket(bucket));
      Map<String, String> paths = Map.of("object:created", "/created", "object:updated", "/updated",
          "object:deleted", "/deleted", "multipart:completed", "/multipart");
      for (Map.Entry<String, String> e : paths.entrySet()) {
        api().expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url",
            receiver.url(e.getValue()).toString(), "events", List.of(e.getKey()), "format", "compact"));
      }
      s3.putObject(r -> r.bucket(bucket).key("a"), RequestBody.fromString("new key"));
      s3.putObject(r -> r.bucket(bucket).key("a"), RequestBody.fromString("overwrite"));
      completeMultipart(s3, bucket, "b", "application/octet-stream"); // a new key
      completeMultipart(s3, bucket, "a", "application/octet-stream"); // over an existing key
      s3.deleteObject(r -> r.bucket(bucket).key("a"));

      Map<String, List<String>> seen = new HashMap<>();
      for (int i = 0; i < 7; i++) {
        Received r = receiver.take(WAIT);
        JsonNode body = JSON.readTree(r.body());
        assertEquals(body.path("event").asText(), r.header("X-Tarn-Event"), r.text());
        seen.computeIfAbsent(r.path(), p -> new ArrayList<>()).add(body.path("event").asText() + " "
            + body.path("object").path("key").asText());
      }
      sleep(500);
      assertEquals(List.of(), receiver.drain().stream().map(Received::text).toList(), "nothing more");
      seen.values().forEach(l -> l.sort(null));
      assertEquals(Map.of(
          "/created", List.of("object:created a", "object:created b"),
          "/updated", List.of("object:updated a", "object:updated a"),
          "/deleted", List.of("object:deleted a"),
          "/multipart", List.of("multipart:completed a", "multipart:completed b")), seen);
    }
  }

  /**
   * {@code GET ?notification}: aliases as the exact S3 names they deliver, disabled rules left out;
   * names the server never emits refused wherever a rule is made (normal API, compatibility endpoint).
   */
  @Test
  void notificationConfigurationShowsWhatIsDeliveredAndNeverEmittedNamesAreRefused() {
    String bucket = TestData.bucketName("deliv");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    AdminClient api = api();
    String url = "http://127.0.0.1:9/hook";
    String created = api.expect(201, "POST", "/buckets/" + bucket + "/webhooks",
        Map.of("url", url, "events", List.of("object:created"))).path("id").asText();
    String deleted = api.expect(201, "POST", "/buckets/" + bucket + "/webhooks",
        Map.of("url", url, "events", List.of("object:deleted", "multipart:completed"))).path("id").asText();
    String wildcard = api.expect(201, "POST", "/buckets/" + bucket + "/webhooks",
        Map.of("url", url, "events", List.of("s3:ObjectCreated:*", "object:updated"))).path("id").asText();
    String disabled = api.expect(201, "POST", "/buckets/" + bucket + "/webhooks",
        Map.of("url", url, "events", List.of("s3:ObjectRemoved:*"), "enabled", false)).path("id").asText();

    RawHttp.RawResponse get = TARN.raw().signed("GET", "/" + bucket, "notification", Map.of(), new byte[0]);
    assertEquals(200, get.status(), get.text());
    Map<String, List<String>> events = new LinkedHashMap<>();
    for (Element q : Xml.children(Xml.parse(get.text().getBytes(StandardCharsets.UTF_8)), "QueueConfiguration")) {
      events.put(Xml.childText(q, "Id"), Xml.children(q, "Event").stream().map(Element::getTextContent).toList());
    }
    assertEquals(Map.of(
        created, List.of("s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
            "s3:ObjectCreated:CompleteMultipartUpload"),
        deleted, List.of("s3:ObjectRemoved:Delete", "s3:ObjectCreated:CompleteMultipartUpload"),
        wildcard, List.of("s3:ObjectCreated:*")), events, get.text());
    assertFalse(get.text().contains(disabled), "a disabled rule delivers nothing: " + get.text());

    for (List<String> never : List.of(List.of("s3:ObjectRestore:*"), List.of("s3:ObjectCreated:*", "s3:Replication:*"),
        List.of("s3:LifecycleExpiration:*"), List.of("s3:ObjectTagging:Put"), List.of("s3:ObjectAcl:Put"),
        List.of("s3:ObjectRemoved:DeleteMarkerCreated"), List.of("s3:IntelligentTiering"),
        List.of("s3:LifecycleTransition"), List.of("s3:ReducedRedundancyLostObject"))) {
      String name = never.get(never.size() - 1);
      AdminClient.Response r = api.call("POST", "/buckets/" + bucket + "/webhooks", Map.of("url", url, "events", never));
      assertEquals(400, r.status(), r.text());
      assertEquals("events", r.json().path("error").path("field").asText(), r.text());
      assertTrue(r.json().path("error").path("message").asText().contains("never emits " + name), r.text());
      AdminClient.Response patch = api.call("PATCH", "/buckets/" + bucket + "/webhooks/" + created,
          Map.of("events", never));
      assertEquals(400, patch.status(), patch.text());
      assertTrue(patch.text().contains(name), patch.text());
      AdminClient.Response compat = api.call("POST", "/webhooks", Map.of("bucket", bucket, "endpoint", url,
          "events", never));
      assertEquals(400, compat.status(), compat.text());
      assertTrue(compat.json().path("error").path("message").asText().contains("never emits " + name), compat.text());
    }
  }

  // ---- helpers

  private static String completeMultipart(S3Client s3, String bucket, String key, String contentType) {
    String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)).uploadId();
    String partEtag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
        RequestBody.fromString("part of " + key)).eTag();
    return s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(partEtag).build()))).eTag();
  }

  private static HttpResponse<String> bearer(String token, String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TARN.port() + "/_tarn/api/v1" + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
    if (json == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** The port the receiver prints first ("PORT=n"), waiting for it a bounded time. */
  private static int portOf(Process receiver, Path work) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String first;
    try {
      first = line.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      first = null;
    }
    if (first == null || !first.startsWith("PORT=")) {
      throw new AssertionError("the receiver did not start: " + first + "\n"
          + Files.readString(work.resolve("receiver.err"), StandardCharsets.UTF_8));
    }
    return Integer.parseInt(first.substring("PORT=".length()).strip());
  }

  /** The first {@code n} lines the receiver logged, waiting up to {@link #WAIT}; fails with what it has. */
  private static List<JsonNode> awaitLines(Path log, int n) throws IOException {
    long end = System.nanoTime() + WAIT.toNanos();
    List<String> lines = List.of();
    while (System.nanoTime() < end) {
      lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
      if (lines.size() >= n) {
        break;
      }
      sleep(100);
    }
    assertTrue(lines.size() >= n, "the receiver logged " + lines);
    List<JsonNode> out = new ArrayList<>();
    for (String l : lines.subList(0, n)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
