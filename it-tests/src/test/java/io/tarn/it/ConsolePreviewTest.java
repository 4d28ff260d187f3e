package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Browser;
import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.console.ObjectBrowserPage;
import io.tarn.it.support.console.SignInPage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The details panel's preview in a real browser: an image decoded, text shown as text and cut at 64 KiB,
 * audio and video decoded to their metadata, a PDF loaded in its frame.
 */
class ConsolePreviewTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();

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

  private ObjectBrowserPage signedInAt(String bucket) {
    return SignInPage.open(browser, TARN.endpoint()).signIn(TARN.accessKey(), TARN.secretKey()).open(bucket);
  }

  /**
   * The preview element's URL is a presigned inline GET of the object, and that URL, fetched with no
   * cookie, answers 200 with the object's type and bytes.
   */
  private void assertPresignedInline(String src, String bucket, String key, String type, byte[] body) {
    URI uri = URI.create(src);
    assertEquals(TARN.endpoint().getAuthority(), uri.getAuthority(), src);
    assertEquals("/" + bucket + "/" + key, uri.getPath(), src);
    assertTrue(uri.getRawQuery().contains("response-content-disposition=inline")
        && uri.getRawQuery().contains("X-Amz-Signature="), src);
    RawResponse r = TARN.raw().anonymous("GET", uri.getRawPath() + "?" + uri.getRawQuery(), Map.of(), null);
    assertEquals(200, r.status(), r::toString);
    assertEquals(type, r.header("Content-Type"));
    assertEquals("inline", r.header("Content-Disposition"));
    assertArrayEquals(body, r.body());
  }

  @Test
  void previewsAudioWhichTheBrowserDecodes() throws IOException {
    String bucket = TestData.bucketName("audio");
    TARN.s3().createBucket(b -> b.bucket(bucket));
    byte[] wav = wav(0.5);
    put(bucket, "tone.wav", "audio/wav", wav);
    ObjectBrowserPage objects = signedInAt(bucket);
    objects.details("tone.wav");
    assertEquals("audio", objects.awaitPreview());
    Map<String, Number> audio = objects.previewMedia();
    assertEquals(0, audio.get("error").intValue(), audio::toString);
    assertTrue(audio.get("readyState").intValue() >= 1, audio::toString);
    assertEquals(0.5, audio.get("duration").doubleValue(), 0.01, audio::toString);
    assertPresignedInline(objects.previewSource(), bucket, "tone.wav", "audio/wav", wav);
  }

  @Test
  void previewsAVideoWhichTheBrowserDecodes() {
    String bucket = TestData.bucketName("video");
    TARN.s3().createBucket(b -> b.bucket(bucket));
    // No video tool on this machine: chromium itself records one second of a 64x48 canvas as WebM/VP8.
    browser.driver().get("about:blank");
    Object recorded = browser.driver().executeAsyncScript(RECORD_WEBM);
    assertTrue(String.valueOf(recorded).startsWith("GkXfo"), "not a WebM (EBML header) recording: " + recorded);
    byte[] webm = Base64.getDecoder().decode(String.valueOf(recorded));
    put(bucket, "clip.webm", "video/webm", webm);
    ObjectBrowserPage objects = signedInAt(bucket);
    objects.details("clip.webm");
    assertEquals("video", objects.awaitPreview());
    Map<String, Number> video = objects.previewMedia();
    assertEquals(0, video.get("error").intValue(), video::toString);
    assertTrue(video.get("readyState").intValue() >= 1, video::toString);
    assertEquals(64, video.get("videoWidth").intValue(), video::toString);
    assertEquals(48, video.get("videoHeight").intValue(), video::toString);
    assertPresignedInline(objects.previewSource(), bucket, "clip.webm", "video/webm", webm);
  }

  /**
   * What headless chromium lets a test see of a PDF in an iframe: the frame navigated to the presigned
   * URL, got 200, and chromium made a PDF document of it (its contentType is application/pdf: an S3
   * error would be an XML document, a refused frame an error page). The rendered pages are drawn by the
   * PDF viewer in a frame of its own that page script cannot reach, so they are not checked.
   */
  @Test
  void previewsAPdfInAFrameThatLoadsIt() {
    String bucket = TestData.bucketName("pdf");
    TARN.s3().createBucket(b -> b.bucket(bucket));
    byte[] pdf = pdf("Hello from Tarn");
    put(bucket, "tiny.pdf", "application/pdf", pdf);
    ObjectBrowserPage objects = signedInAt(bucket);
    objects.details("tiny.pdf");
    assertEquals("pdf", objects.awaitPreview());
    String src = objects.previewSource();
    browser.waitUpTo(Duration.ofSeconds(30)).until(d -> "complete".equals(browser.driver().executeScript(
        "const d = document.querySelector('#preview-body iframe').contentDocument;"
            + "return d && d.URL === arguments[0] ? d.readyState : '';", src)));
    assertEquals("application/pdf", browser.driver().executeScript(
        "return document.querySelector('#preview-body iframe').contentDocument.contentType"));
    Map<String, Object> timing = objects.resourceTiming("/tiny.pdf?");
    assertEquals("iframe", timing.get("initiatorType"), timing::toString);
    assertEquals(200L, timing.get("responseStatus"), timing::toString);
    assertPresignedInline(src, bucket, "tiny.pdf", "application/pdf", pdf);
  }

  /** Records one second of a changing 64x48 canvas with MediaRecorder; answers the WebM file in base64. */
  private static final String RECORD_WEBM = "const done = arguments[arguments.length - 1];"
      + "const c = document.createElement('canvas'); c.width = 64; c.height = 48;"
      + "const g = c.getContext('2d');"
      + "const type = ['video/webm;codecs=vp8', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));"
      + "if (!type) { done('no type'); return; }"
      + "const rec = new MediaRecorder(c.captureStream(25), {mimeType: type});"
      + "const chunks = [];"
      + "rec.ondataavailable = (e) => chunks.push(e.data);"
      + "rec.onstop = async () => {"
      + "  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());"
      + "  let s = ''; for (const b of bytes) s += String.fromCharCode(b);"
      + "  done(btoa(s));"
      + "};"
      + "let i = 0;"
      + "const draw = setInterval(() => { g.fillStyle = i++ % 2 ? '#c00' : '#00c'; g.fillRect(0, 0, 64, 48); }, 40);"
      + "rec.start(100);"
      + "setTimeout(() => { clearInterval(draw); rec.stop(); }, 1000);";

  /** A one-page PDF 1.4 showing {@code text}, with a correct cross-reference table. */
  static byte[] pdf(String text) {
    String content = "BT /F1 18 Tf 20 40 Td (" + text + ") Tj ET";
    List<String> objects = List.of(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R"
            + " /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " + content.length() + " >>\nstream\n" + content + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    StringBuilder out = new StringBuilder("%PDF-1.4\n");
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      offsets.add(out.length());
      out.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
    }
    int xref = out.length();
    out.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f \n");
    for (int offset : offsets) {
      out.append(String.format("%010d 00000 n \n", offset));
    }
    out.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n")
        .append(xref).append("\n%%EOF\n");
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code seconds} of a 440 Hz tone as a WAV file (16-bit PCM, mono, 8 kHz), written by javax.sound. */
  static byte[] wav(double seconds) throws IOException {
    float rate = 8000;
    int samples = (int) (rate * seconds);
    byte[] pcm = new byte[samples * 2];
    for (int i = 0; i < samples; i++) {
      short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate));
      pcm[2 * i] = (byte) v;
      pcm[2 * i + 1] = (byte) (v >> 8);
    }
    AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), format, samples), AudioFileFormat.Type.WAVE, out);
    return out.toByteArray();
  }
}
