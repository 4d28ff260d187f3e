package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.Browser;
import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.console.ObjectBrowserPage;
import io.tarn.it.support.console.SignInPage;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The console's "Share link" in a real browser: the link is a presigned GET signed with the access key,
 * so a second, cookie-less browser can open it, also after the sharer signed out, until it expires.
 */
class ConsoleShareLinkTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();
  /** Someone else's browser: never signed in, no cookie. */
  @RegisterExtension final Browser fresh = new Browser("fresh");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COOKIE = "tarn_session";
  private static final String CONTENT = "shared through the console, no cookie needed\n";

  private ObjectBrowserPage objectShown(String bucket, String key) {
    TARN.s3().createBucket(b -> b.bucket(bucket));
    TARN.s3().putObject(p -> p.bucket(bucket).key(key).contentType("text/plain"), RequestBody.fromString(CONTENT));
    ObjectBrowserPage objects = SignInPage.open(browser, TARN.endpoint())
        .signIn(TARN.accessKey(), TARN.secretKey()).open(bucket);
    if (key.contains("/")) {
      objects = objects.openFolder(key.substring(0, key.lastIndexOf('/') + 1));
    }
    objects.details(key);
    return objects;
  }

  /** What the cookie-less browser shows for url: the object's text, or the S3 error document. */
  private String openFresh(String url) {
    fresh.driver().get(url);
    assertTrue(fresh.driver().manage().getCookies().isEmpty(), "the fresh browser must have no cookie");
    return fresh.driver().findElement(By.tagName("body")).getText();
  }

  private static String query(String url, String name) {
    Matcher m = Pattern.compile("[?&]" + Pattern.quote(name) + "=([^&]*)").matcher(url);
    assertTrue(m.find(), name + " missing from " + url);
    return m.group(1);
  }

  @Test
  void aShareLinkOpensInACookieLessBrowserAlsoAfterSignOut() {
    String bucket = TestData.bucketName("share");
    String key = "docs/read me.txt";
    ObjectBrowserPage objects = objectShown(bucket, key);

    // 1 hour is the shortest expiry the console offers; the link says so in X-Amz-Expires.
    String url = objects.shareLink("1 hour");
    assertEquals("3600", query(url, "X-Amz-Expires"), url);
    assertTrue(url.startsWith(TARN.endpoint().resolve("/" + bucket + "/docs/").toString()), url);
    assertTrue(objects.shareLinkExpiry().startsWith("Expires in 1 hour"), objects.shareLinkExpiry());
    String copied = objects.copyShareLink();
    assertTrue(copied.equals("Link copied.") || copied.contains("Ctrl+C"), copied);

    String week = objects.shareLink("7 days");
    assertEquals("604800", query(week, "X-Amz-Expires"), week);
    assertTrue(objects.shareLinkExpiry().startsWith("Expires in 7 days"), objects.shareLinkExpiry());
    String custom = objects.shareLinkForHours("30");
    assertEquals("108000", query(custom, "X-Amz-Expires"), custom);
    assertTrue(objects.shareLinkExpiry().startsWith("Expires in 1 day 6 hours"), objects.shareLinkExpiry());
    String tooLong = objects.shareLinkErrorForHours("169");
    assertTrue(tooLong.contains("1 to 168"), tooLong);

    assertEquals(CONTENT.strip(), openFresh(url).strip());

    browser.driver().findElement(By.id("sign-out")).click();
    SignInPage.shown(browser);
    assertEquals(CONTENT.strip(), openFresh(url).strip(), "the link must outlive the session");
    RawResponse plain = TARN.raw().anonymous("GET", url.substring(url.indexOf('/', "http://".length())), Map.of(), null);
    assertEquals(200, plain.status(), plain::toString);
    assertEquals(CONTENT, plain.text());
  }

  @Test
  void anExpiredShareLinkIsRefusedByS3() throws IOException, InterruptedException {
    String bucket = TestData.bucketName("expire");
    String key = "soon-gone.txt";
    objectShown(bucket, key);
    String cookie = browser.driver().manage().getCookieNamed(COOKIE).getValue();
    RawResponse session = TARN.raw().anonymous("GET", "/_tarn/api/v1/session", Map.of("Cookie", COOKIE + "=" + cookie), null);
    String csrf = JSON.readTree(session.body()).path("csrfToken").asText();
    byte[] body = JSON.writeValueAsBytes(Map.of("method", "GET", "bucket", bucket, "key", key, "expiresSeconds", 2));
    RawResponse presigned = TARN.raw().anonymous("POST", "/_tarn/api/v1/presign",
        Map.of("Cookie", COOKIE + "=" + cookie, "X-Tarn-CSRF", csrf, "Content-Type", "application/json"), body);
    assertEquals(200, presigned.status(), presigned::toString);
    JsonNode json = JSON.readTree(presigned.body());
    String url = URI.create(TARN.endpoint().toString()).resolve(json.path("url").asText()).toString();
    assertEquals("2", query(url, "X-Amz-Expires"), url);

    Thread.sleep(3000);
    String shown = openFresh(url);
    assertTrue(shown.contains("AccessDenied") && shown.contains("Request has expired"), shown);
  }
}
