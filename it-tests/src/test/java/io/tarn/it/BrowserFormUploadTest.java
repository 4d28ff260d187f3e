package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Boto3;
import io.tarn.it.support.Boto3.Form;
import io.tarn.it.support.Boto3.Generation;
import io.tarn.it.support.Browser;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Received;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The "upload from a web page" case end to end in a real browser: a web application makes the form with
 * boto3's {@code generate_presigned_post} (default settings), a page holds it with a file input, the
 * user picks a file and submits, and Chromium posts it to Tarn itself (no script: a plain HTML form,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html). The object is stored byte for
 * byte under the key the form's {@code ${filename}} names, S3's 201 PostResponse is what the browser
 * shows, and the bucket's webhook gets {@code ObjectCreated:Post}.
 */
class BrowserFormUploadTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();

  private static String attr(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Test
  void aPlainHtmlFormPostsThePickedFileToTheBucket(@TempDir Path work) throws Exception {
    String bucket = TestData.bucketName("form");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).webhooksApi().expect(201, "POST",
          "/buckets/" + bucket + "/webhooks",
          Map.of("url", receiver.url("/post").toString(), "events", List.of("s3:ObjectCreated:Post")));
      Form form = Boto3.presignedPost(Generation.CURRENT, TARN, work, bucket, "from-browser/${filename}", Map.of(
          "TARN_POST_FIELDS", "{\"success_action_status\": \"201\"}",
          "TARN_POST_CONDITIONS", "[{\"success_action_status\": \"201\"}, [\"content-length-range\", 1, 10485760]]"));
      StringBuilder html = new StringBuilder("<!doctype html><title>upload</title><form id=\"upload\" method=\"post\""
          + " enctype=\"multipart/form-data\" action=\"" + attr(form.url()) + "\">");
      form.fields().forEach((name, value) -> html.append("<input type=\"hidden\" name=\"").append(attr(name))
          .append("\" value=\"").append(attr(value)).append("\">"));
      html.append("<input type=\"file\" name=\"file\" id=\"file\"><button id=\"send\">Upload</button></form>");
      byte[] data = TestData.bytes(300_000, 7);
      Path file = work.resolve("holiday photo.jpg");
      Files.write(file, data);

      browser.driver().get("data:text/html;charset=utf-8,"
          + URLEncoder.encode(html.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
      browser.driver().findElement(By.id("file")).sendKeys(Browser.inputPath(file));
      browser.driver().findElement(By.id("send")).click();
      String key = "from-browser/holiday photo.jpg";
      browser.waitUpTo(Duration.ofSeconds(30)).until(d -> d.getPageSource().contains("PostResponse"));
      String shown = browser.driver().getPageSource();
      assertTrue(shown.contains(key), shown);
      assertTrue(shown.contains(bucket), shown);

      assertArrayEquals(data, TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
      Received event = receiver.take(Duration.ofSeconds(20));
      assertEquals("/post", event.path());
      assertTrue(event.text().contains("\"eventName\":\"ObjectCreated:Post\""), event.text());
      assertTrue(event.text().contains("holiday+photo.jpg") || event.text().contains("holiday%20photo.jpg"),
          event.text());
    }
  }
}
