package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.AdminClient;
import io.tarn.it.support.AdminClient.User;
import io.tarn.it.support.Browser;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.console.LiveEventsPage;
import io.tarn.it.support.console.ObjectBrowserPage;
import io.tarn.it.support.console.SignInPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The Webhooks tab's "Live events" in a real browser: a file uploaded in the object browser (another
 * tab) shows up with the rule it matched and its delivery to a real receiver; pause and clear; a user
 * who may not read the bucket gets no tail.
 */
class ConsoleLiveEventsTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();
  @TempDir Path files;

  private static WebhookReceiver receiver;

  @BeforeAll
  static void start() {
    receiver = new WebhookReceiver();
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  private static AdminClient admin() {
    return new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
  }

  @Test
  void anUploadInTheObjectBrowserShowsUpWithItsRuleAndItsDelivery() throws Exception {
    String bucket = TestData.bucketName("live-ui");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    String rule = admin().webhooksApi().expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url",
        receiver.url("/console-live").toString(), "events", List.of("s3:ObjectCreated:*"))).path("id").asText();
    receiver.drain();

    SignInPage.open(browser, TARN.endpoint()).signIn(TARN.accessKey(), TARN.secretKey()).open(bucket).openWebhooks();
    // The object browser links to the bucket's Webhooks tab; its "Live events" view.
    browser.waitUpTo(Duration.ofSeconds(20)).until(ExpectedConditions.elementToBeClickable(
        By.cssSelector("[data-test=webhooks-tab-live]"))).click();
    LiveEventsPage live = LiveEventsPage.shown(browser).awaitLive();
    String liveTab = browser.driver().getWindowHandle();
    // Keep the live view open in its own tab and upload from the object browser in another.
    browser.driver().switchTo().newWindow(WindowType.TAB);
    browser.driver().get(TARN.endpoint().resolve("/_tarn/console/#/b/" + bucket + "/").toString());
    ObjectBrowserPage objects = ObjectBrowserPage.shown(browser);
    Path file = Files.writeString(files.resolve("report <1>.txt"), "quarterly figures\n");
    objects.uploadFiles(List.of(file)).awaitUploads(1);
    assertTrue(objects.objectKeys().contains("report <1>.txt"));

    browser.driver().switchTo().window(liveTab);
    assertEquals("s3:ObjectCreated:Put", live.awaitEvent("report <1>.txt"));
    assertEquals(List.of(rule), live.rules("report <1>.txt"));
    String outcome = live.awaitOutcome("report <1>.txt", rule);
    assertTrue(outcome.startsWith("delivered 200 in "), outcome);
    assertEquals("/console-live", receiver.take(Duration.ofSeconds(20)).path());
    browser.screenshot("live-events");

    // Paused, new events wait; resumed, they show; clear empties the list.
    live.pause();
    TARN.s3().putObject(b -> b.bucket(bucket).key("while-paused"), RequestBody.fromString("p"));
    browser.waitUpTo(Duration.ofSeconds(20)).until(d -> live.waitingNote().contains("1 new events waiting"));
    assertFalse(live.keys().contains("while-paused"));
    live.pause(); // the same button resumes
    assertEquals("s3:ObjectCreated:Put", live.awaitEvent("while-paused"));
    live.clear();
    assertEquals(List.of(), live.keys());
  }

  @Test
  void aUserWhoMayNotReadTheBucketGetsNoTail() {
    String bucket = TestData.bucketName("live-private");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    User stranger = admin().createUser("live-" + TestData.bucketName("stranger"), "user");
    SignInPage.open(browser, TARN.endpoint()).signIn(stranger.accessKey(), stranger.secretKey());
    browser.driver().get(TARN.endpoint().resolve("/_tarn/console/#/webhooks/" + bucket + "/live").toString());
    WebElement refused = browser.waitUpTo(Duration.ofSeconds(20)).until(
        ExpectedConditions.visibilityOfElementLocated(By.id("webhooks-refused")));
    assertTrue(refused.getText().contains("no access to bucket " + bucket), refused.getText());
    TARN.s3().putObject(b -> b.bucket(bucket).key("secret"), RequestBody.fromString("s"));
    assertEquals(List.of(), browser.driver().findElements(By.id("live-events-view")));
  }

  @Test
  void aUserWithAReadGrantFollowsTheLiveEventsButSeesNoOtherWebhooksView() {
    String bucket = TestData.bucketName("live-grant");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    User reader = admin().createUser("live-" + TestData.bucketName("reader"), "user");
    admin().expect(200, "PUT", "/buckets/" + bucket + "/grants/" + reader.name(), Map.of("permission", "read"));
    ObjectBrowserPage objects = SignInPage.open(browser, TARN.endpoint()).signIn(reader.accessKey(),
        reader.secretKey()).open(bucket);
    assertFalse(objects.offersWebhooks(), "a grant does not manage webhooks");
    browser.driver().findElement(By.id("live-link")).click();
    LiveEventsPage live = LiveEventsPage.shown(browser).awaitLive();
    assertTrue(browser.driver().findElements(By.cssSelector("li[data-readers=false]")).stream()
        .noneMatch(WebElement::isDisplayed), "only the live view is offered to a reader");
    TARN.s3().putObject(b -> b.bucket(bucket).key("seen-by-reader"), RequestBody.fromString("r"));
    assertEquals("s3:ObjectCreated:Put", live.awaitEvent("seen-by-reader"));
  }
}
