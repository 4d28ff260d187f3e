package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.AdminClient.User;
import io.tarn.it.support.Browser;
import io.tarn.it.support.CuttableProxy;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.console.ObjectBrowserPage;
import io.tarn.it.support.console.SignInPage;
import io.tarn.it.support.console.UploadsPanel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Big files from the console in a real browser: a 48 MiB file goes up as a multipart upload in parallel
 * 8 MiB parts, resumes after a reload (only the missing parts sent again), waits out a dropped network,
 * and Cancel or Discard aborts it. What happened is checked through the AWS SDK (ListParts,
 * ListMultipartUploads, the object's bytes and ETag), Resource Timing (which parts the page sent) and a
 * webhook receiver (the event S3 clients would get).
 */
class ConsoleMultipartTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SIZE = 48L * TestData.MIB;
  private static final int PART = 8 * TestData.MIB;
  private static final int PARTS = 6;
  private static final String KEY = "big.bin";
  /** Slow enough that the first parts take seconds, so the test acts while the upload is mid-way. */
  private static final long SLOW = 4L * TestData.MIB;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path tmp;
  private static Path file;
  private static String expectedEtag;

  @BeforeAll
  static void bigFile() throws IOException {
    file = TestData.writeFile(tmp.resolve(KEY), SIZE, 48);
    List<byte[]> parts = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (int i = 0; i < PARTS; i++) {
        parts.add(in.readNBytes(PART));
      }
    }
    expectedEtag = TestData.multipartEtag(parts);
  }

  private ObjectBrowserPage signedInAt(String bucket) {
    return SignInPage.open(browser, TARN.endpoint()).signIn(TARN.accessKey(), TARN.secretKey()).open(bucket);
  }

  private static String newBucket(String prefix) {
    String bucket = TestData.bucketName(prefix);
    TARN.s3().createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  @Test
  void aBigFileGoesUpInParallelPartsReadsBackIdenticalAndFiresOneCompleteMultipartUploadEvent() throws IOException {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String bucket = newBucket("mpu");
      new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).webhooksApi().expect(201, "POST",
          "/buckets/" + bucket + "/webhooks",
          Map.of("url", receiver.url("/events").toString(), "events", List.of("s3:ObjectCreated:*")));
      ObjectBrowserPage objects = signedInAt(bucket);
      objects.uploadFiles(List.of(file)).awaitUploads(1);
      assertEquals(1.0, objects.totalProgress(), "the progress reached 100 %");
      assertEquals(List.of(KEY), objects.objectKeys());

      assertStoredWhole(bucket);
      UploadsPanel panel = UploadsPanel.of(browser);
      assertEquals(IntStream.rangeClosed(1, PARTS).boxed().toList(), panel.partsSent().stream().sorted().toList(),
          "each part sent once");
      int atOnce = panel.mostPartsAtOnce();
      assertTrue(atOnce > 1 && atOnce <= 4, "parts in flight at once: " + atOnce);
      assertEquals(Map.of(), panel.storedRecords(), "a finished upload is forgotten");

      JsonNode record = JSON.readTree(receiver.take(WAIT).body()).path("Records").get(0);
      assertEquals("ObjectCreated:CompleteMultipartUpload", record.path("eventName").asText());
      assertEquals(KEY, record.path("s3").path("object").path("key").asText());
      assertEquals(SIZE, record.path("s3").path("object").path("size").asLong());
      assertEquals(expectedEtag.replace("\"", ""), record.path("s3").path("object").path("eTag").asText());
      sleep(Duration.ofSeconds(2));
      assertEquals(List.of(), receiver.drain(), "one upload, one event");
    }
  }

  @Test
  void afterAReloadChoosingTheSameFileAgainSendsOnlyTheMissingParts() throws IOException {
    String bucket = newBucket("resume");
    ObjectBrowserPage objects = signedInAt(bucket);
    browser.throttleUploads(SLOW);
    objects.uploadFiles(List.of(file));
    String uploadId = awaitPartsStored(bucket);

    browser.driver().navigate().refresh();
    ObjectBrowserPage.shown(browser);
    UploadsPanel panel = UploadsPanel.of(browser).awaitUnfinished(KEY);
    Set<Integer> before = storedParts(bucket, uploadId);
    assertTrue(!before.isEmpty() && before.size() < PARTS, "the reload came mid-way: parts stored " + before);

    Map<String, String> stored = panel.storedRecords();
    assertEquals(1, stored.size(), stored.toString());
    String text = stored.values().iterator().next();
    JsonNode record = JSON.readTree(text);
    assertEquals(Set.of("bucket", "key", "uploadId", "partSize", "name", "size", "lastModified", "started"),
        fieldNames(record), "only what resuming needs is stored: " + text);
    assertEquals(uploadId, record.path("uploadId").asText());
    assertEquals(PART, record.path("partSize").asInt());
    assertFalse(text.contains("Signature") || text.contains("X-Amz") || text.contains(TARN.secretKey()), text);

    browser.unthrottle();
    panel.resume(KEY, file);
    objects.awaitUploads(1);
    String note = panel.note(KEY);
    assertTrue(note.startsWith("Resumed: " + before.size() + " of " + PARTS + " parts"), note);
    List<Integer> sent = panel.partsSent();
    Set<Integer> missing = IntStream.rangeClosed(1, PARTS).boxed().filter(n -> !before.contains(n))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(missing.size(), sent.size(), "parts sent after the reload: " + sent + ", already stored: " + before);
    assertEquals(missing, new TreeSet<>(sent), "parts sent after the reload: " + sent + ", already stored: " + before);
    assertStoredWhole(bucket);
    assertEquals(Map.of(), panel.storedRecords());
    assertEquals(List.of(), panel.unfinishedKeys());
    assertEquals(List.of(), uploads(bucket));
  }

  @Test
  void anotherFileIsNotTakenForItAndAnUploadGoneFromTheServerStartsAfresh() throws IOException {
    String bucket = newBucket("afresh");
    ObjectBrowserPage objects = signedInAt(bucket);
    browser.throttleUploads(SLOW);
    objects.uploadFiles(List.of(file));
    String uploadId = awaitPartsStored(bucket);
    browser.driver().navigate().refresh();
    ObjectBrowserPage.shown(browser);
    UploadsPanel panel = UploadsPanel.of(browser).awaitUnfinished(KEY);
    browser.unthrottle();

    // Same name and size, another modification time: not the file the upload was started with.
    Path copy = Files.copy(file, Files.createDirectories(tmp.resolve("copy")).resolve(KEY));
    Files.setLastModifiedTime(copy, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() - 3_600_000));
    panel.resume(KEY, copy);
    browser.waitUpTo(WAIT).until(d -> !panel.unfinishedMessage().isEmpty());
    assertTrue(panel.unfinishedMessage().startsWith("That is not the file this upload was started with: choose "
        + KEY), panel.unfinishedMessage());
    assertEquals(List.of(), objects.uploadKeys(), "nothing was uploaded");

    // The upload ends elsewhere; the same file chosen again in the folder (not through Resume) starts afresh.
    TARN.s3().abortMultipartUpload(r -> r.bucket(bucket).key(KEY).uploadId(uploadId));
    objects.uploadFiles(List.of(file)).awaitUploads(1);
    String note = panel.note(KEY);
    assertTrue(note.startsWith("The earlier unfinished upload of this file is no longer on the server"), note);
    assertStoredWhole(bucket);
    assertEquals(Map.of(), panel.storedRecords());
    assertEquals(List.of(), uploads(bucket));
  }

  @Test
  void partsCutOffByTheNetworkAreTriedAgainAndGiveTheirProgressBack() throws IOException {
    try (CuttableProxy link = new CuttableProxy(TARN.port())) {
      String bucket = newBucket("retry");
      ObjectBrowserPage objects = SignInPage.open(browser, link.endpoint())
          .signIn(TARN.accessKey(), TARN.secretKey()).open(bucket);
      browser.throttleUploads(SLOW);
      objects.uploadFiles(List.of(file));
      String uploadId = awaitPartsStored(bucket);
      // Cut while parts are going: the progress then counts bytes of parts the server does not hold yet.
      browser.waitUpTo(WAIT).until(d -> counted(objects) > (long) storedParts(bucket, uploadId).size() * PART);
      link.cut();
      UploadsPanel panel = UploadsPanel.of(browser);
      browser.waitUpTo(WAIT).until(d -> panel.note(KEY).contains("Trying again in"));
      // Nothing gets through now: the parts cut off count no more, so the progress shown is whole parts
      // the server holds. (Not necessarily all it holds: a part may have arrived whole while its answer
      // was cut, which the browser cannot know until ListParts.)
      Set<Integer> held = storedParts(bucket, uploadId);
      assertTrue(held.size() < PARTS, "the cut came mid-way: " + held);
      browser.waitUpTo(WAIT).until(d -> counted(objects) % PART == 0
          && counted(objects) <= (long) storedParts(bucket, uploadId).size() * PART);
      link.restore();
      browser.unthrottle();
      objects.awaitUploads(1);
      assertStoredWhole(bucket);
      assertEquals(List.of(), uploads(bucket));
    }
  }

  @Test
  void anUploadThatRunsOutOfTriesFailsInWordsAndCanBeResumed() throws IOException {
    try (CuttableProxy link = new CuttableProxy(TARN.port())) {
      String bucket = newBucket("outoftries");
      ObjectBrowserPage objects = SignInPage.open(browser, link.endpoint())
          .signIn(TARN.accessKey(), TARN.secretKey()).open(bucket);
      browser.throttleUploads(SLOW);
      objects.uploadFiles(List.of(file));
      awaitPartsStored(bucket);
      link.cut();
      Map<String, String> failures = objects.awaitUploadsEnded(1);
      String error = failures.get(KEY);
      assertTrue(error != null && error.startsWith("The Tarn server could not be reached.")
          && error.endsWith("choose the file again under \"Unfinished uploads\"."), failures.toString());
      link.restore();
      browser.unthrottle();
      UploadsPanel panel = UploadsPanel.of(browser).awaitUnfinished(KEY);
      objects.clearUploads();
      panel.resume(KEY, file);
      objects.awaitUploads(1);
      assertTrue(panel.note(KEY).startsWith("Resumed: "), panel.note(KEY));
      assertStoredWhole(bucket);
      assertEquals(List.of(), uploads(bucket));
    }
  }

  /** The bytes the panel counts as uploaded (the total progress bar's value). */
  private static long counted(ObjectBrowserPage objects) {
    return Math.round(objects.totalProgress() * SIZE);
  }

  @Test
  void cancelAbortsTheMultipartUploadAndForgetsIt() {
    String bucket = newBucket("cancel");
    ObjectBrowserPage objects = signedInAt(bucket);
    browser.throttleUploads(SLOW);
    objects.uploadFiles(List.of(file));
    awaitPartsStored(bucket);
    assertEquals(1, UploadsPanel.of(browser).storedRecords().size());
    objects.cancelUpload(KEY);
    browser.waitUpTo(WAIT).until(d -> "cancelled".equals(objects.uploadState(KEY)));
    assertEquals(List.of(), uploads(bucket), "Cancel aborted the upload");
    assertEquals(Map.of(), UploadsPanel.of(browser).storedRecords());
    assertEquals(List.of(), UploadsPanel.of(browser).unfinishedKeys());
    assertEquals(0, TARN.s3().listObjectsV2(r -> r.bucket(bucket)).keyCount());
  }

  @Test
  void anUnfinishedUploadIsListedOnlyForItsOwnKeyAndDiscardAbortsIt() {
    String bucket = newBucket("discard");
    ObjectBrowserPage objects = signedInAt(bucket);
    browser.throttleUploads(SLOW);
    objects.uploadFiles(List.of(file));
    awaitPartsStored(bucket);
    browser.driver().navigate().refresh();
    ObjectBrowserPage.shown(browser);
    UploadsPanel panel = UploadsPanel.of(browser).awaitUnfinished(KEY);
    browser.unthrottle();

    User other = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey())
        .createUser("console-" + TestData.bucketName("mpu"), "user");
    browser.driver().findElement(By.id("sign-out")).click();
    SignInPage.shown(browser).signIn(other.accessKey(), other.secretKey());
    assertEquals(List.of(), panel.unfinishedKeys(), "another user's unfinished uploads are not listed");
    assertEquals(1, panel.storedRecords().size(), "but they are kept for their own user");

    browser.driver().findElement(By.id("sign-out")).click();
    SignInPage.shown(browser).signIn(TARN.accessKey(), TARN.secretKey());
    panel.awaitUnfinished(KEY).discard(KEY);
    assertEquals(List.of(), uploads(bucket), "Discard aborted the upload");
    assertEquals(Map.of(), panel.storedRecords());
  }

  @Test
  void aDroppedNetworkIsWaitedOutAndTheUploadGoesOn() throws IOException {
    String bucket = newBucket("offline");
    ObjectBrowserPage objects = signedInAt(bucket);
    browser.throttleUploads(SLOW);
    objects.uploadFiles(List.of(file));
    awaitPartsStored(bucket);
    // Chrome's offline emulation lets bodies already in flight finish; what it stops is every new
    // request, and navigator.onLine turns false: the upload must wait rather than spend its tries.
    browser.goOffline();
    UploadsPanel panel = UploadsPanel.of(browser);
    browser.waitUpTo(WAIT).until(d -> panel.note(KEY).contains("The network dropped"));
    sleep(Duration.ofSeconds(20));
    assertEquals("uploading", objects.uploadState(KEY), "offline longer than five tries take, the upload still waits");
    browser.unthrottle();
    objects.awaitUploads(1);
    assertStoredWhole(bucket);
  }

  /** The object is the file: same bytes, and the ETag of six 8 MiB parts. */
  private static void assertStoredWhole(String bucket) throws IOException {
    assertEquals(expectedEtag, TARN.s3().headObject(r -> r.bucket(bucket).key(KEY)).eTag());
    try (InputStream in = TARN.s3().getObject(r -> r.bucket(bucket).key(KEY))) {
      assertEquals(TestData.sha256Hex(file), sha256Hex(in), "the bytes read back are the file's");
    }
  }

  private static String sha256Hex(InputStream in) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the bucket's one multipart upload holds at least one part; returns its upload id. */
  private String awaitPartsStored(String bucket) {
    String[] id = new String[1];
    browser.waitUpTo(WAIT).until(d -> {
      List<MultipartUpload> uploads = uploads(bucket);
      if (uploads.size() != 1) {
        return false;
      }
      id[0] = uploads.get(0).uploadId();
      return !storedParts(bucket, id[0]).isEmpty();
    });
    return id[0];
  }

  private static List<MultipartUpload> uploads(String bucket) {
    return TARN.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads();
  }

  private static Set<Integer> storedParts(String bucket, String uploadId) {
    try {
      return TARN.s3().listParts(r -> r.bucket(bucket).key(KEY).uploadId(uploadId)).parts().stream()
          .map(p -> p.partNumber()).collect(Collectors.toCollection(TreeSet::new));
    } catch (S3Exception e) {
      throw new AssertionError("ListParts: " + e.awsErrorDetails().errorCode(), e);
    }
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
