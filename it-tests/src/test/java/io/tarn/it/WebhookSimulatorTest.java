package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Received;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The rule simulator ({@code POST /_tarn/api/v1/buckets/{b}/webhooks/simulate}) against what a real
 * receiver gets for the same key: the bodies are byte-identical once the values only a real commit
 * decides are set aside, the headers are the same, and each signature verifies with the secret over
 * its own body. Its {@code curl} replays the delivery byte for byte.
 */
class WebhookSimulatorTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SECRET = "sim-s3cr3t";
  /**
   * The fields whose values differ between any two events, even of the same key: when it was
   * (eventTime, timestamp), its place in the commit order (sequencer), the request that made it
   * (x-amz-request-id) and the bytes' MD5, which a simulation has not seen (eTag, etag). Only their
   * values are replaced, so the comparison still checks that each field is there, in its place.
   */
  private static final Pattern PER_EVENT =
      Pattern.compile("\"(eventTime|timestamp|sequencer|x-amz-request-id|eTag|etag)\":\"[^\"]*\"");

  @TempDir static Path home;
  private static WebhookReceiver receiver;
  private static AdminClient api;

  @BeforeAll
  static void start() {
    receiver = new WebhookReceiver();
    api = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).webhooksApi();
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  private static String rule(String bucket, Map<String, Object> spec) {
    return api.expect(201, "POST", "/buckets/" + bucket + "/webhooks", spec).path("id").asText();
  }

  private static JsonNode simulate(String bucket, Map<String, Object> request) {
    return api.expect(200, "POST", "/buckets/" + bucket + "/webhooks/simulate", request);
  }

  private static JsonNode byId(JsonNode answer, String ruleId) {
    for (JsonNode r : answer.path("rules")) {
      if (r.path("ruleId").asText().equals(ruleId)) {
        return r;
      }
    }
    throw new AssertionError("no rule " + ruleId + " in " + answer);
  }

  private static String normalised(String body) {
    return PER_EVENT.matcher(body).replaceAll("\"$1\":\"*\"");
  }

  @Test
  void theSimulatedDeliveryIsWhatTheReceiverGetsForTheSameKey() throws Exception {
    receiver.drain();
    String bucket = TestData.bucketName("sim");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    String s3Rule = rule(bucket, Map.of("url", receiver.url("/s3").toString(), "events", List.of("s3:ObjectCreated:*"),
        "prefix", "in/", "secret", SECRET));
    String compactRule = rule(bucket, Map.of("url", receiver.url("/compact").toString(),
        "events", List.of("object:created"), "suffix", ".txt", "format", "compact", "signature", "standard-webhooks",
        "secret", SECRET));
    String key = "in/a b(1).txt";
    String content = "hello";

    // The content type the SDK's RequestBody.fromString sends, so the compact bodies can agree.
    JsonNode answer = simulate(bucket, Map.of("key", key, "event", "s3:ObjectCreated:Put", "size", content.length(),
        "contentType", "text/plain; charset=UTF-8"));
    assertFalse(answer.toString().contains(SECRET), "never the secret: " + answer);
    assertEquals(List.of("eventTime", "timestamp", "sequencer", "x-amz-request-id", "eTag", "etag", "X-Tarn-Delivery",
        "webhook-id", "webhook-timestamp"), texts(answer.path("placeholders")));
    JsonNode simS3 = byId(answer, s3Rule);
    JsonNode simCompact = byId(answer, compactRule);
    assertTrue(simS3.path("matched").asBoolean() && simCompact.path("matched").asBoolean(), answer.toString());

    TARN.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content));
    Map<String, Received> got = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      Received r = receiver.take(WAIT);
      got.put(r.path(), r);
    }
    Received realS3 = got.get("/s3");
    Received realCompact = got.get("/compact");
    assertNotNull(realS3, got.keySet().toString());
    assertNotNull(realCompact, got.keySet().toString());

    // Bodies: byte for byte, apart from the per-event values.
    String simS3Body = simS3.path("body").asText();
    assertEquals(normalised(realS3.text()), normalised(simS3Body));
    assertNotEquals(realS3.text(), simS3Body, "the per-event values are the simulation's own");
    String simCompactBody = simCompact.path("body").asText();
    assertEquals(normalised(realCompact.text()), normalised(simCompactBody));

    // Headers: every header the simulation shows, with the receiver's value, apart from the per-event ones.
    assertSameHeaders(simS3.path("headers"), realS3,
        List.of("X-Tarn-Delivery", "X-Tarn-Signature-256", "X-Tarn-Signature"));
    assertSameHeaders(simCompact.path("headers"), realCompact,
        List.of("X-Tarn-Delivery", "webhook-id", "webhook-timestamp", "webhook-signature"));
    // The delivery id differs only by the sequencer: both end with the rule's id.
    assertTrue(simS3.path("headers").path("X-Tarn-Delivery").asText().endsWith("-" + s3Rule));
    assertTrue(realS3.header("X-Tarn-Delivery").endsWith("-" + s3Rule));

    // Signatures: each verifies with the secret over its own body (and the real one over the real body).
    String simHex = hmacHex(SECRET.getBytes(StandardCharsets.UTF_8), simS3Body.getBytes(StandardCharsets.UTF_8));
    assertEquals(simHex, simS3.path("headers").path("X-Tarn-Signature-256").asText());
    assertEquals("sha256=" + simHex, simS3.path("headers").path("X-Tarn-Signature").asText());
    assertEquals(hmacHex(SECRET.getBytes(StandardCharsets.UTF_8), realS3.body()), realS3.header("X-Tarn-Signature-256"));
    JsonNode h = simCompact.path("headers");
    assertEquals(standardWebhooks(h.path("webhook-id").asText(), h.path("webhook-timestamp").asText(), simCompactBody),
        h.path("webhook-signature").asText());
  }

  @Test
  void eachRuleThatDoesNotMatchSaysEveryReason() {
    String bucket = TestData.bucketName("sim-why");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    String match = rule(bucket, Map.of("url", receiver.url("/m").toString(), "events", List.of("ObjectCreated:Put")));
    String prefix = rule(bucket, Map.of("url", receiver.url("/p").toString(), "events", List.of("ObjectCreated:*"),
        "prefix", "logs/"));
    String all = rule(bucket, Map.of("url", receiver.url("/a").toString(), "events", List.of("object:updated"),
        "prefix", "LOGS/", "suffix", ".gz", "enabled", false));

    JsonNode answer = simulate(bucket, Map.of("key", "logs/today.txt", "event", "ObjectCreated:Put", "size", 3));
    assertEquals(List.of(match, prefix, all), texts(answer.path("rules"), "ruleId"), "in the order rules are listed");
    JsonNode m = byId(answer, match);
    assertTrue(m.path("matched").asBoolean());
    assertEquals("ObjectCreated:Put", m.path("eventName").asText());
    assertTrue(m.path("curl").asText().startsWith("curl -sS -X POST '" + receiver.url("/m") + "'"), m.toString());
    assertFalse(m.path("signed").asBoolean());
    assertNull(m.path("headers").get("X-Tarn-Signature-256"), "no secret, no signature");

    JsonNode p = byId(answer, prefix);
    assertTrue(p.path("matched").asBoolean(), "logs/ matches: " + p);
    JsonNode a = byId(answer, all);
    assertFalse(a.path("matched").asBoolean());
    assertEquals(List.of("disabled", "prefix", "suffix", "event"), texts(a.path("reasons"), "check"), a.toString());
    assertTrue(a.path("reasons").get(1).path("message").asText().contains("\"LOGS/\""), a.toString());
    assertTrue(a.path("reasons").get(3).path("message").asText()
        .contains("s3:ObjectCreated:Put of a new key is not among the rule's events object:updated"), a.toString());
    assertTrue(a.path("body").isNull() && a.path("curl").isNull(), a.toString());

    // object:updated matches once the write replaces an existing object.
    JsonNode replaced = simulate(bucket, Map.of("key", "LOGS/x.gz", "event", "ObjectCreated:Put", "replaces", true));
    assertEquals(List.of("disabled"), texts(byId(replaced, all).path("reasons"), "check"));

    AdminClient.Response bad = api.call("POST", "/buckets/" + bucket + "/webhooks/simulate",
        Map.of("key", "k", "event", "s3:ObjectRestore:Completed"));
    assertEquals(400, bad.status(), bad.text());
    assertEquals("event", bad.json().path("error").path("field").asText(), bad.text());
    AdminClient.Response negative = api.call("POST", "/buckets/" + bucket + "/webhooks/simulate",
        Map.of("key", "k", "event", "ObjectCreated:Put", "size", -1));
    assertEquals(400, negative.status(), negative.text());
    assertEquals("size", negative.json().path("error").path("field").asText(), negative.text());
  }

  /** The curl command, run by a shell, sends the simulated body and headers byte for byte. */
  @Test
  void theCurlReplaysTheSimulatedDeliveryByteForByte() {
    Path curl = Cli.require("curl", "apt-get install curl", Path.of("/usr/bin/curl"));
    receiver.drain();
    String bucket = TestData.bucketName("sim-curl");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    String id = rule(bucket, Map.of("url", receiver.url("/replay").toString(), "events", List.of("ObjectRemoved:*"),
        "secret", SECRET));
    JsonNode r = byId(simulate(bucket, Map.of("key", "it's \"quoted\" $HOME `x`", "event", "ObjectRemoved:Delete")), id);
    String command = r.path("curl").asText().replaceFirst("^curl ", curl + " ");
    Cli.run(List.of("/bin/sh", "-c", command), Map.of(), home, Duration.ofSeconds(30)).assertSuccess();
    Received got = receiver.take(WAIT);
    assertEquals(r.path("body").asText(), got.text());
    assertSameHeaders(r.path("headers"), got, List.of());
    assertEquals(hmacHex(SECRET.getBytes(StandardCharsets.UTF_8), got.body()), got.header("X-Tarn-Signature-256"));
  }

  private static void assertSameHeaders(JsonNode simulated, Received real, List<String> perEvent) {
    for (Iterator<Map.Entry<String, JsonNode>> it = simulated.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> h = it.next();
      String got = real.header(h.getKey());
      assertNotNull(got, "the receiver got no " + h.getKey() + ": " + real.headers());
      if (!perEvent.contains(h.getKey())) {
        assertEquals(h.getValue().asText(), got, h.getKey());
      }
    }
    for (String name : perEvent) {
      assertTrue(simulated.has(name), "the simulation shows " + name + ": " + simulated);
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }

  private static String hmacHex(byte[] key, byte[] data) throws IllegalStateException {
    return HexFormat.of().formatHex(hmac(key, data));
  }

  /** https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md */
  private static String standardWebhooks(String id, String timestamp, String body) {
    byte[] signed = (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
    return "v1," + Base64.getEncoder().encodeToString(hmac(SECRET.getBytes(StandardCharsets.UTF_8), signed));
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
