package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.AdminClient.User;
import io.tarn.it.support.Browser;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Answer;
import io.tarn.it.support.WebhookReceiver.Received;
import io.tarn.it.support.console.BucketsPage;
import io.tarn.it.support.console.DeliveryLogPage;
import io.tarn.it.support.console.ObjectBrowserPage;
import io.tarn.it.support.console.SignInPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The delivery log in a real browser against a real server and receiver (issue 13): an upload's
 * delivery shows within seconds; a failing receiver's attempts show status, response body and next
 * retry; a dead letter redelivered arrives byte-identical; all dead letters of a rule are counted
 * before they are queued again; the object's Events list its deliveries; and a user without access to
 * the bucket reads no log, in the console or at the API.
 */
class ConsoleDeliveryLogTest {
  // Three attempts 300 ms then 600 ms apart: a delivery is dead within a few seconds.
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(List.of(
      "--webhook-retry-initial", "300ms", "--webhook-retry-max", "1s", "--webhook-max-attempts", "3"));
  @RegisterExtension final Browser browser = new Browser();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static AdminClient admin() {
    return new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
  }

  @Test
  void uploadFailRetryDieRedeliverAndTheObjectsEvents(@TempDir Path tmp) throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String bucket = TestData.bucketName("dlog");
      TARN.s3().createBucket(r -> r.bucket(bucket));
      admin().webhooksApi().expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url",
          receiver.url("/hook").toString(), "events", List.of("s3:ObjectCreated:*"), "secret", "whsec-log-test"));

      BucketsPage buckets = SignInPage.open(browser, TARN.endpoint()).signIn(TARN.accessKey(), TARN.secretKey());
      ObjectBrowserPage objects = buckets.open(bucket);
      objects.uploadFiles(List.of(Files.writeString(tmp.resolve("ok.txt"), "fine"))).awaitUploads(1);
      Received ok = receiver.take(WAIT);
      assertTrue(ok.text().contains("ok.txt"), ok::text);

      DeliveryLogPage log = DeliveryLogPage.fromObjectBrowser(browser);
      String okId = log.awaitRow("ok.txt", "delivered"); // the view refreshes itself
      assertEquals(ok.header("X-Tarn-Delivery"), okId);

      // The receiver fails: each attempt shows its status, the receiver's body and the next retry.
      receiver.setDefault(Answer.of(500, "receiver down: disk full"));
      browser.driver().findElement(By.id("back-to-objects")).click(); // the tab's breadcrumb
      objects = ObjectBrowserPage.shown(browser);
      // The uploads panel still lists the first: two in all.
    objects.uploadFiles(List.of(Files.writeString(tmp.resolve("bad.txt"), "broken"))).awaitUploads(2);
      Received first = receiver.take(WAIT);
      log = DeliveryLogPage.fromObjectBrowser(browser);
      String badId = log.awaitRow("bad.txt", "failed");
      DeliveryLogPage.Inspector inspector = log.inspect(badId);
      Map<String, String> failed = inspector.attempts().get(inspector.attempts().size() - 1);
      assertEquals("1", failed.get("attempt"), failed::toString);
      assertEquals("500", failed.get("status"), failed::toString);
      assertEquals("receiver down: disk full", failed.get("response-body"), failed::toString);
      assertNotEquals("—", failed.get("next-retry"), failed::toString);
      assertEquals(first.header("X-Tarn-Signature-256"), failed.get("request:x-tarn-signature-256"), failed::toString);
      assertEquals(first.text(), inspector.requestBody());
      log.screenshotInspector("attempt-inspector");

      // After the third attempt it is a dead letter; redelivered, it arrives byte-identical.
      String deadId = log.awaitRow("bad.txt", "dead");
      assertEquals(badId, deadId);
      receiver.take(WAIT);
      receiver.take(WAIT);
      receiver.setDefault(Answer.of(200));
      log.closeInspector().filter("dead", null);
      browser.screenshot("delivery-log");
      assertEquals("dead", log.inspect(deadId).state());
      assertTrue(log.inspect(deadId).redeliver().contains("queued again"));
      Received again = receiver.take(WAIT);
      assertArrayEquals(first.body(), again.body(), "the same bytes as the first attempt");
      assertEquals(first.header("X-Tarn-Delivery"), again.header("X-Tarn-Delivery"));
      log.filter("", null);
      log.awaitRow("bad.txt", "delivered");
      assertEquals("1 (redelivery 1)", log.inspect(deadId).attempts().get(0).get("attempt"),
          "the inspector marks the attempt as the redelivery's");
      log.closeInspector();

      // All dead letters of the rule: the count comes first.
      receiver.setDefault(Answer.of(503, "busy"));
      for (String k : List.of("d1.txt", "d2.txt")) {
        TARN.s3().putObject(r -> r.bucket(bucket).key(k), software.amazon.awssdk.core.sync.RequestBody.fromString(k));
      }
      log.awaitRow("d1.txt", "dead");
      log.awaitRow("d2.txt", "dead");
      receiver.drain();
      receiver.setDefault(Answer.of(200));
      StringBuilder message = new StringBuilder();
      String result = log.redeliverAllDead(message);
      assertTrue(message.toString().startsWith("2 dead letters of this webhook will be queued again"),
          message::toString);
      assertEquals("2 dead letters queued again.", result);
      Received r1 = receiver.take(WAIT);
      Received r2 = receiver.take(WAIT);

      // Select many: both, delivered now, are sent again with the same bodies.
      String d1 = log.awaitRow("d1.txt", "delivered");
      String d2 = log.awaitRow("d2.txt", "delivered");
      assertEquals("2 deliveries queued again.", log.redeliverSelected(d1, d2));
      List<String> again2 = List.of(receiver.take(WAIT).text(), receiver.take(WAIT).text());
      assertTrue(again2.containsAll(List.of(r1.text(), r2.text())), again2::toString);

      // Object detail → Events: the key's deliveries, newest first.
      browser.driver().findElement(By.id("back-to-objects")).click();
      objects = ObjectBrowserPage.shown(browser);
      objects.details("bad.txt");
      List<String> events = objects.detailsEvents();
      assertEquals("delivered", events.get(0), events::toString);
      assertTrue(events.containsAll(List.of("failed", "dead")), events::toString);
      browser.screenshot("object-events");
    }
  }

  @Test
  void aUserWithoutAccessToTheBucketReadsNoLog() {
    User stranger = admin().createUser("dlog-" + TestData.bucketName("stranger"), "user");
    String bucket = TestData.bucketName("dlogpriv");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    JsonNode rule = admin().webhooksApi().expect(201, "POST", "/buckets/" + bucket + "/webhooks",
        Map.of("url", "http://127.0.0.1:9/in", "events", List.of("s3:ObjectCreated:*")));
    AdminClient asStranger = new AdminClient(TARN.port(), stranger.accessKey(), stranger.secretKey()).webhooksApi();
    for (String path : List.of("/webhooks/" + rule.path("id").asText() + "/deliveries", "/deliveries?key=a",
        "/deliveries/00000000000000a1-" + rule.path("id").asText())) {
      AdminClient.Response r = asStranger.call("GET", "/buckets/" + bucket + path, null);
      assertEquals(403, r.status(), path + ": " + r.text());
    }
    assertEquals(403, asStranger.call("POST", "/buckets/" + bucket + "/deliveries/redeliver",
        Map.of("ids", List.of("x"))).status());

    SignInPage.open(browser, TARN.endpoint()).signIn(stranger.accessKey(), stranger.secretKey());
    browser.driver().get(TARN.endpoint().resolve("/_tarn/console/#/webhooks/" + bucket + "/log").toString());
    // The tab itself refuses (the API above would too), so no view, and no row, is ever drawn.
    String refused = browser.waitUpTo(DeliveryLogPage.WAIT).until(ExpectedConditions.visibilityOfElementLocated(
        By.id("webhooks-refused"))).getText();
    assertTrue(refused.contains("no access to bucket " + bucket), refused);
    assertTrue(browser.driver().findElements(By.cssSelector("tr[data-test=log-row]")).isEmpty());
  }
}
