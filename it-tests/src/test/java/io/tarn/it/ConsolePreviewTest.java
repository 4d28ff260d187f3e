package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Browser;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.console.ObjectBrowserPage;
import io.tarn.it.support.console.SignInPage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/** The details panel's preview in a real browser: an image decoded, text shown as text and cut at 64 KiB. */
class ConsolePreviewTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();

  @AfterEach
  void noScriptErrorsAndNoCspViolations() {
    String log = browser.consoleLog();
    assertFalse(log.contains("Content Security Policy") || log.contains("Uncaught"), log);
  }

  private static void put(String bucket, String key, String type, byte[] body) {
    TARN.s3().putObject(p -> p.bucket(bucket).key(key).contentType(type), RequestBody.fromBytes(body));
  }

  private static byte[] png(int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xff0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @Test
  void previewsAnImageAndTextAsTextCutAt64KiB() throws IOException {
    String bucket = TestData.bucketName("preview");
    TARN.s3().createBucket(b -> b.bucket(bucket));
    put(bucket, "pixel.png", "image/png", png(7, 5));
    String small = "{\"markup\": \"<b>not bold</b><img src=x>\"}\n";
    put(bucket, "small.json", "application/json", small.getBytes(StandardCharsets.UTF_8));
    String line = "<script>alert(1)</script> a line of a big log file that is longer than the preview\n";
    StringBuilder big = new StringBuilder();
    while (big.length() < 200_000) {
      big.append(line);
    }
    put(bucket, "big.log", "text/plain; charset=utf-8", big.toString().getBytes(StandardCharsets.UTF_8));
    put(bucket, "blob.bin", "application/octet-stream", new byte[] {1, 2, 3});

    ObjectBrowserPage objects = SignInPage.open(browser, TARN.endpoint())
        .signIn(TARN.accessKey(), TARN.secretKey()).open(bucket);

    objects.details("pixel.png");
    assertEquals("image", objects.awaitPreview());
    assertEquals(7, objects.previewImageWidth());

    objects.details("small.json");
    assertEquals("text", objects.awaitPreview());
    assertEquals(small, objects.previewText());
    assertEquals(0, objects.previewElementsBesidesText(), "text must never be parsed as HTML");
    assertEquals("", objects.previewTruncatedNote());

    objects.details("big.log");
    assertEquals("text", objects.awaitPreview());
    assertEquals(big.substring(0, 65536), objects.previewText());
    assertEquals(0, objects.previewElementsBesidesText());
    String note = objects.previewTruncatedNote();
    assertTrue(note.startsWith("First 64 KiB of ") && note.endsWith(" shown."), note);
    long received = objects.largestBodyReceived("/big.log?");
    assertTrue(received > 0 && received <= 65536, "the preview read " + received + " bytes, not only the first 64 KiB");

    objects.details("blob.bin");
    assertFalse(objects.hasPreview(), "an octet-stream has no preview");
  }
}
