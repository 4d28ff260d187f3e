package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.AdminClient.User;
import io.tarn.it.support.Browser;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Answer;
import io.tarn.it.support.WebhookReceiver.Received;
import io.tarn.it.support.console.BucketsPage;
import io.tarn.it.support.console.SignInPage;
import io.tarn.it.support.console.WebhooksTabPage;
import io.tarn.it.support.console.WebhooksTabPage.TestOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bucket's Webhooks tab in a real browser, against a real server and a real receiver on
 * 127.0.0.1: an admin adds a rule from the form and Send test shows the receiver's answer while the
 * receiver gets a signed s3:TestEvent; a regular user's loopback URL is refused beside the field;
 * an edit keeps the rule's delivery log and dead letters; enable, disable, delete; a user who may
 * not manage the bucket gets no tab, and the API refuses it too.
 */
class ConsoleWebhooksTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(List.of(
      "--webhook-retry-initial", "200ms", "--webhook-retry-max", "400ms", "--webhook-max-attempts", "2"));
  @RegisterExtension final Browser browser = new Browser();

  private static AdminClient adminApi() {
    return new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
  }

  private static AdminClient webhooksApi(User user) {
    return new AdminClient(TARN.port(), user.accessKey(), user.secretKey()).webhooksApi();
  }

  private static User newUser(String prefix) {
    return adminApi().createUser("wh-" + TestData.bucketName(prefix), "user");
  }

  private static S3Client s3(User user) {
    return TARN.s3With(S3Clients.credentials(user.accessKey(), user.secretKey()));
  }

  private BucketsPage signInAsAdmin() {
    return SignInPage.open(browser, TARN.endpoint()).signIn(TARN.accessKey(), TARN.secretKey());
  }

  @Test
  void anAdminAddsARuleFromTheFormAndSendTestShowsTheReceiversSignedAnswer() throws Exception {
    String bucket = TestData.bucketName("wh-form");
    TARN.s3().createBucket(b -> b.bucket(bucket));
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      WebhooksTabPage tab = signInAsAdmin().open(bucket).openWebhooks();
      assertEquals(List.of(), tab.ruleIds());
      tab.add().type("url", receiver.url("/hook").toString()).event("s3:ObjectRemoved:*", true)
          .type("prefix", "in/").type("description", "thumbnails");
      tab.format("compact");
      assertTrue(tab.formatSample().contains("\"event\": \"object:created\""), tab.formatSample());
      tab.format("s3");
      assertTrue(tab.formatSample().contains("\"eventVersion\": \"2.4\""), tab.formatSample());
      String secret = tab.generateSecret();
      assertTrue(secret.matches("[0-9a-f]{64}"), secret);
      assertFalse(secret.equals(tab.generateSecret()), "a fresh secret every time");
      secret = tab.generateSecret();
      tab.save();

      List<String> ids = tab.ruleIds();
      assertEquals(1, ids.size(), ids::toString);
      String id = ids.get(0);
      JsonNode rule = adminApi().webhooksApi().expect(200, "GET", "/buckets/" + bucket + "/webhooks/" + id, null);
      assertEquals(receiver.url("/hook").toString(), rule.path("url").asText());
      assertEquals("[\"object:created\",\"s3:ObjectRemoved:*\"]", rule.path("events").toString());
      assertEquals("in/", rule.path("prefix").asText());
      assertEquals("****", rule.path("secret").asText(), "write-only");
      assertTrue(tab.cell(id, "rule-events").contains("s3:ObjectRemoved:*"), tab.cell(id, "rule-events"));
      assertTrue(tab.cell(id, "rule-filter").contains("in/"), tab.cell(id, "rule-filter"));
      assertEquals("No deliveries yet", tab.awaitHealth(id, "new"));

      receiver.enqueue(Answer.of(200, "thanks from the receiver"));
      TestOutcome outcome = tab.sendTest(id);
      assertEquals("delivered", outcome.state(), outcome::toString);
      assertEquals("200", outcome.status(), outcome::toString);
      assertTrue(outcome.statusLine().startsWith("Delivered: HTTP 200 in "), outcome::toString);
      assertEquals("tarn-it", outcome.headers().get("x-receiver"), outcome::toString);
      assertEquals("thanks from the receiver", outcome.body());

      Received got = receiver.take(Duration.ofSeconds(10));
      assertNotNull(got, "the receiver got the test event");
      assertEquals("s3:TestEvent", got.header("x-tarn-event"));
      assertTrue(got.text().contains("\"Event\":\"s3:TestEvent\""), got.text());
      String hex = HexFormat.of().formatHex(
          WebhookReceiver.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), got.body()));
      assertEquals(hex, got.header("x-tarn-signature-256"), "signed with the secret the form generated");
      assertEquals("Healthy", tab.awaitHealth(id, "healthy"));
      browser.screenshot("webhooks-tab");

      // The figures follow deliveries while the view is open, without a click.
      TARN.s3().putObject(b -> b.bucket(bucket).key("in/new.txt"), RequestBody.fromString("new"));
      assertTrue(receiver.take(Duration.ofSeconds(10)).text().contains("in/new.txt"));
      tab.awaitFigure(id, "figure-delivered", "Delivered 2");
    }
  }

  @Test
  void aRegularUsersLoopbackUrlIsRefusedBesideTheUrlFieldWithTheReason() {
    User owner = newUser("owner");
    String bucket = TestData.bucketName("wh-ssrf");
    s3(owner).createBucket(b -> b.bucket(bucket));
    WebhooksTabPage tab = SignInPage.open(browser, TARN.endpoint()).signIn(owner.accessKey(), owner.secretKey())
        .open(bucket).openWebhooks();
    Map<String, String> errors = tab.add().type("url", "http://127.0.0.1:9/hook").saveRefused();

    assertEquals(List.of("url"), List.copyOf(errors.keySet()), errors::toString);
    String why = errors.get("url");
    assertTrue(why.contains("127.0.0.1") && why.contains("loopback"), why);
    assertTrue(why.contains("server-side request forgery"), why);
    assertTrue(tab.markedInvalid("url"));
    browser.screenshot("webhooks-editor-refused");
    assertEquals(0, webhooksApi(owner).expect(200, "GET", "/buckets/" + bucket + "/webhooks", null)
        .path("webhooks").size());

    // A field the form cannot check itself: no event chosen is said beside the events.
    tab.type("url", "https://hooks.example.com/in").event("object:created", false);
    assertTrue(tab.saveRefused().containsKey("events"));
  }

  @Test
  void anEditKeepsTheDeliveryLogAndDeadLettersAndRulesAreDisabledEnabledAndDeleted() throws Exception {
    String bucket = TestData.bucketName("wh-edit");
    TARN.s3().createBucket(b -> b.bucket(bucket));
    AdminClient api = adminApi().webhooksApi();
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      receiver.setDefault(Answer.of(500));
      String id = api.expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of(
          "url", receiver.url("/down").toString(), "events", List.of("object:created", "s3:TestEvent")))
          .path("id").asText();
      TARN.s3().putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("a"));
      String deadLetters = "/buckets/" + bucket + "/dead-letters?rule=" + id;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (api.expect(200, "GET", deadLetters, null).path("deadLetters").size() == 0) {
        assertTrue(System.nanoTime() < deadline, "no dead letter within 20 s");
        Thread.sleep(100);
      }
      String log = "/buckets/" + bucket + "/webhooks/" + id + "/deliveries";
      JsonNode before = api.expect(200, "GET", log, null).path("deliveries");
      assertTrue(before.size() >= 2, before::toString);

      WebhooksTabPage tab = signInAsAdmin().open(bucket).openWebhooks();
      assertTrue(tab.awaitHealth(id, "failing").startsWith("Failing since "), tab.cell(id, "rule-health"));
      assertTrue(tab.cell(id, "rule-figures").contains("Dead letters 1"), tab.cell(id, "rule-figures"));
      browser.screenshot("webhooks-failing");

      tab.edit(id).type("url", receiver.url("/fixed").toString()).type("suffix", ".txt").save();
      assertEquals(List.of(id), tab.ruleIds(), "the same rule, not a new one");
      JsonNode edited = api.expect(200, "GET", "/buckets/" + bucket + "/webhooks/" + id, null);
      assertEquals(receiver.url("/fixed").toString(), edited.path("url").asText());
      assertEquals(".txt", edited.path("suffix").asText());
      assertEquals("[\"object:created\",\"s3:TestEvent\"]", edited.path("events").toString(),
          "an event the form has no box for is kept");
      assertEquals(before, api.expect(200, "GET", log, null).path("deliveries"), "the delivery log survives an edit");
      assertEquals(1, api.expect(200, "GET", deadLetters, null).path("deadLetters").size(), "so do dead letters");

      tab.toggle(id);
      assertFalse(tab.enabled(id));
      assertFalse(api.expect(200, "GET", "/buckets/" + bucket + "/webhooks/" + id, null).path("enabled").asBoolean());
      tab.toggle(id);
      assertTrue(tab.enabled(id));
      assertTrue(api.expect(200, "GET", "/buckets/" + bucket + "/webhooks/" + id, null).path("enabled").asBoolean());

      String said = tab.delete(id);
      assertTrue(said.contains("delivery log") && said.contains("dead letters"), said);
      assertEquals(List.of(), tab.ruleIds());
      assertEquals(404, api.call("GET", "/buckets/" + bucket + "/webhooks/" + id, null).status());
    }
  }

  @Test
  void theRulesAndTheEditorFitA360PixelWidePhone() {
    String bucket = TestData.bucketName("wh-phone");
    TARN.s3().createBucket(b -> b.bucket(bucket));
    String id = adminApi().webhooksApi().expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of(
        "url", "http://127.0.0.1:9/a/rather/long/path/for/a/webhook/on/a/phone", "events",
        List.of("s3:ObjectCreated:CompleteMultipartUpload", "object:deleted"), "prefix", "uploads/2026/")).path("id")
        .asText();
    browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", 360, "height", 740, "deviceScaleFactor", 1, "mobile", true));

    WebhooksTabPage tab = signInAsAdmin().open(bucket).openWebhooks();
    assertEquals(List.of(id), tab.ruleIds());
    assertEquals(List.of(360L, 360L), tab.pageAndWindowWidth(), "the rules page scrolls sideways");
    tab.edit(id);
    assertEquals(List.of(360L, 360L), tab.pageAndWindowWidth(), "the editor scrolls sideways");
    browser.screenshot("webhooks-editor-phone");
  }

  @Test
  void aUserWhoMayNotManageTheBucketGetsNoTabAndTheApiRefusesToo() {
    User owner = newUser("owner");
    User reader = newUser("reader");
    User stranger = newUser("stranger");
    String bucket = TestData.bucketName("wh-gate");
    s3(owner).createBucket(b -> b.bucket(bucket));
    new AdminClient(TARN.port(), owner.accessKey(), owner.secretKey())
        .expect(200, "PUT", "/buckets/" + bucket + "/grants/" + reader.name(), Map.of("permission", "read"));
    // Made by an admin: a target that needs no DNS (the tests run offline).
    String id = adminApi().webhooksApi().expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of(
        "url", "http://127.0.0.1:9/in", "events", List.of("object:created"))).path("id").asText();

    BucketsPage asReader = SignInPage.open(browser, TARN.endpoint()).signIn(reader.accessKey(), reader.secretKey());
    assertFalse(asReader.open(bucket).offersWebhooks(), "a read grant does not offer the Webhooks tab");
    WebhooksTabPage tab = WebhooksTabPage.go(browser, bucket);
    assertTrue(tab.refusal().contains("Only the owner of bucket " + bucket), tab.refusal());
    assertFalse(tab.showsAView());
    assertEquals(403, webhooksApi(reader).call("GET", "/buckets/" + bucket + "/webhooks", null).status());
    assertEquals(403, webhooksApi(reader).call("POST", "/buckets/" + bucket + "/webhooks/" + id + "/test?wait=true",
        Map.of()).status());

    assertEquals(403, webhooksApi(stranger).call("GET", "/buckets/" + bucket + "/webhooks", null).status());
    assertEquals(403, webhooksApi(stranger).call("PATCH", "/buckets/" + bucket + "/webhooks/" + id,
        Map.of("url", "https://evil.example.com/")).status());
  }
}
