package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Browser;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.console.ObjectBrowserPage;
import io.tarn.it.support.console.SignInPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Keys with a "." or ".." path segment in the console, in a real browser. A browser resolves such
 * segments away in every URL it sends (https://url.spec.whatwg.org/#single-dot-path-segment), so the
 * presigned path-style URL of "a/../b" would be sent as the URL of "b": the console must never show or
 * save b's bytes for it. It shows what the listing says, explains in words why it cannot preview,
 * download or share such an object (and which S3 client command can), still deletes it (DeleteObjects
 * carries keys in its body) and browses folders like "../" (listed by a prefix query parameter). A key
 * beginning with "/" has an empty segment, which browsers keep: it opens as any other.
 */
class ConsoleDotKeysTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();

  /** The object a rewritten "a/../b" would reach. */
  private static final String B = "the bytes of the object named b\n";
  private static final String DOT_DOT_B = "the bytes of a/../b, which is not b\n";
  private static final List<String> DOT_KEYS = List.of("..", "x/..", "./x", "dir/./f", "../up.txt");

  /** A bucket with b, a/../b, the keys of DOT_KEYS (each holding its own name) and /lead, all text/plain. */
  private static String seeded() {
    String bucket = TestData.bucketName("dots");
    TARN.s3().createBucket(c -> c.bucket(bucket));
    put(bucket, "b", B);
    put(bucket, "a/../b", DOT_DOT_B);
    for (String key : DOT_KEYS) {
      put(bucket, key, "the bytes of " + key + "\n");
    }
    put(bucket, "/lead", "the bytes of /lead\n");
    return bucket;
  }

  private static void put(String bucket, String key, String content) {
    TARN.s3().putObject(p -> p.bucket(bucket).key(key).contentType("text/plain"), RequestBody.fromString(content));
  }

  private ObjectBrowserPage open(String bucket) {
    return SignInPage.open(browser, TARN.endpoint()).signIn(TARN.accessKey(), TARN.secretKey()).open(bucket);
  }

  private static List<String> keys(String bucket) {
    return TARN.s3().listObjectsV2Paginator(l -> l.bucket(bucket)).contents().stream().map(S3Object::key).toList();
  }

  private List<Path> downloaded() throws IOException {
    try (Stream<Path> files = Files.list(browser.downloads())) {
      return files.toList();
    }
  }

  private String pageText() {
    return browser.driver().findElement(By.tagName("body")).getText();
  }

  /**
   * Details from the listing and the refusal in words, for a key with a dot segment: shows the fields
   * the listing has, no preview, no share link, and a Download button that explains instead of saving.
   */
  private void assertExplainedNotOpened(ObjectBrowserPage objects, String bucket, String key, String segment,
      String command) {
    Map<String, String> details = objects.details(key);
    assertEquals(key, details.get("key"), details::toString);
    long size = TARN.s3().headObject(h -> h.bucket(bucket).key(key)).contentLength();
    assertTrue(details.get("size").contains("(" + size + " bytes)"), details::toString);
    assertEquals(TARN.s3().headObject(h -> h.bucket(bucket).key(key)).eTag(), details.get("etag"));
    assertFalse(details.get("last-modified").isEmpty(), details::toString);
    String note = objects.detailsDotSegmentNote();
    assertTrue(note.contains("name has a “" + segment + "” path segment")
        && note.contains("Web browsers remove such segments") && note.contains("cannot preview, download or share")
        && note.contains(command), note);
    assertFalse(objects.hasPreview(), "a preview would read another object");
    assertFalse(objects.offersShareLink(), "a share link would name another object");

    Map<String, String> button = objects.downloadButton(key);
    assertEquals("true", button.get("aria-disabled"), button::toString);
    assertEquals("false", button.get("disabled"), "the button stays focusable, to say why: " + button);
    assertTrue(button.get("title").contains("path segment"), button::toString);
    String refused = objects.downloadRefused(key);
    assertTrue(refused.startsWith(key + ": ") && refused.contains("cannot preview, download or share")
        && refused.contains(command), refused);
  }

  @Test
  void aKeyWithADotSegmentIsExplainedInWordsAndNeverOpenedAsAnotherObject() throws IOException {
    String bucket = seeded();
    ObjectBrowserPage root = open(bucket);
    // Listed by delimiter, a/../b is in the folder "a/../" of "a/".
    ObjectBrowserPage a = root.openFolder("a/").openFolder("a/../");
    assertEquals(List.of("Buckets", bucket, "a", ".."), a.breadcrumbs());
    assertEquals(List.of("a/../b"), a.objectKeys());
    assertExplainedNotOpened(a, bucket, "a/../b", "..", "aws s3api get-object --bucket " + bucket + " --key a/../b b");
    // The browser would have sent a/../b's requests to /<bucket>/b: none was made, nothing was saved.
    assertEquals(Map.of(), a.resourceTiming("/" + bucket + "/b?"));
    assertEquals(List.of(), downloaded());
    assertFalse(pageText().contains(B.strip()), "b's bytes are shown");

    root = a.breadcrumb(bucket);
    assertTrue(root.objectKeys().containsAll(List.of("..", "b")), root.objectKeys()::toString);
    // ".." alone would be sent as the bucket's own URL, a listing.
    assertExplainedNotOpened(root, bucket, "..", "..", "aws s3api get-object --bucket " + bucket + " --key .. object");
    ObjectBrowserPage x = root.openFolder("x/");
    assertExplainedNotOpened(x, bucket, "x/..", "..", "--key x/.. object");
    ObjectBrowserPage dot = x.breadcrumb(bucket).openFolder("./");
    assertExplainedNotOpened(dot, bucket, "./x", ".", "--key ./x x");
    assertEquals(Map.of(), dot.resourceTiming("/" + bucket + "/x?"));
    assertEquals(List.of(), downloaded());

    // b itself opens as usual, with its own bytes.
    root = dot.breadcrumb(bucket);
    root.details("b");
    assertEquals("text", root.awaitPreview());
    assertEquals(B, root.previewText());
    assertEquals("", root.detailsDotSegmentNote());
  }

  @Test
  void keysWithDotSegmentsAreDeletedAndBIsKept() {
    String bucket = seeded();
    ObjectBrowserPage root = open(bucket);
    assertEquals("Deleted 1 object.", root.select("..").deleteSelected());
    ObjectBrowserPage a = root.openFolder("a/").openFolder("a/../");
    assertEquals("Deleted 1 object.", a.select("a/../b").deleteSelected());
    assertEquals(List.of(), a.objectKeys());
    ObjectBrowserPage dir = a.breadcrumb(bucket).openFolder("dir/").openFolder("dir/./");
    assertEquals("Deleted 1 object.", dir.select("dir/./f").deleteSelected());

    List<String> left = keys(bucket);
    for (String gone : List.of("..", "a/../b", "dir/./f")) {
      assertFalse(left.contains(gone), gone + " is still there: " + left);
    }
    assertTrue(left.containsAll(List.of("b", "x/..", "./x", "../up.txt", "/lead")), left::toString);
    assertEquals(B, TARN.s3().getObjectAsBytes(g -> g.bucket(bucket).key("b")).asUtf8String());
  }

  @Test
  void foldersWithDotSegmentsAreBrowsedButNotUploadedInto() {
    String bucket = seeded();
    ObjectBrowserPage root = open(bucket);
    assertTrue(root.folders().containsAll(List.of("../", "./", "/", "a/", "dir/", "x/")), root.folders()::toString);
    assertEquals("", root.dotFolderNote());

    ObjectBrowserPage up = root.openFolder("../");
    assertEquals(List.of("../up.txt"), up.objectKeys());
    assertEquals(List.of("Buckets", bucket, ".."), up.breadcrumbs());
    String note = up.dotFolderNote();
    assertTrue(note.contains("“.” or “..” path segment") && note.contains("cannot upload into it"), note);
    assertEquals(Map.of("upload-files", false, "upload-folder", false, "delete-selected", false),
        up.writeControlsEnabled());

    // A drop still reaches the queue, which refuses the file in words before sending anything.
    Map<String, String> failed = up.dropFile("new.txt", "dropped into ../").awaitUploadsEnded(1);
    String why = failed.get("../new.txt");
    assertTrue(why != null && why.contains("“..” path segment") && why.contains("cannot upload it")
        && why.contains("aws s3api put-object --bucket " + bucket + " --key ../new.txt --body FILE"), failed::toString);
    List<String> keys = keys(bucket);
    assertFalse(keys.contains("../new.txt") || keys.contains("new.txt"), keys::toString);

    ObjectBrowserPage dir = up.breadcrumb(bucket).openFolder("dir/");
    assertEquals(List.of("dir/./"), dir.folders());
    assertEquals(List.of("dir/./f"), dir.openFolder("dir/./").objectKeys());
  }

  @Test
  void aKeyBeginningWithASlashKeepsItsEmptySegmentAndOpens() throws IOException {
    String bucket = seeded();
    ObjectBrowserPage slash = open(bucket).openFolder("/");
    assertEquals(List.of("/lead"), slash.objectKeys());
    Map<String, String> details = slash.details("/lead");
    assertEquals("text/plain", details.get("content-type"), details::toString);
    assertEquals("", slash.detailsDotSegmentNote());
    assertEquals("text", slash.awaitPreview());
    assertEquals("the bytes of /lead\n", slash.previewText());
    assertTrue(slash.offersShareLink());

    slash.download("/lead");
    Path file = browser.downloads().resolve("lead");
    browser.waitUpTo(Duration.ofSeconds(60)).until(d -> Files.isRegularFile(file)
        && !Files.exists(browser.downloads().resolve("lead.crdownload")));
    assertEquals("the bytes of /lead\n", Files.readString(file, StandardCharsets.UTF_8));
  }
}
