package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.AdminClient.User;
import io.tarn.it.support.Browser;
import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.console.BucketsPage;
import io.tarn.it.support.console.ObjectBrowserPage;
import io.tarn.it.support.console.SignInPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WindowType;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The web console in a real browser (headless chromium) against a real server: sign-in and its cookie,
 * buckets, uploads by file and folder input and by drop, the paged object browser, details, download,
 * delete, sign-out. What the console did is checked through the AWS SDK, not through the console.
 *
 * <p>With {@code -Dtarn.screenshots=docs/console} the tests also write the screenshots of docs/console/.
 */
class ConsoleBrowserTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COOKIE = "tarn_session";

  private BucketsPage signInAsRoot() {
    return SignInPage.open(browser, TARN.endpoint()).signIn(TARN.accessKey(), TARN.secretKey());
  }

  /** Everything the page script can store or show, where a secret must never be. */
  private String storageAndUrl() {
    Object stored = browser.driver().executeScript(
        "return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + location.href + document.cookie");
    return String.valueOf(stored);
  }

  @Test
  void aWrongSecretIsRefusedInWordsAndTheRightOneGetsAStrictHttpOnlyCookie() {
    SignInPage signIn = SignInPage.open(browser, TARN.endpoint());
    browser.screenshot("sign-in");
    String wrong = TARN.secretKey().substring(1) + "x";
    String message = signIn.signInExpectingError(TARN.accessKey(), wrong);
    assertTrue(message.contains("not right"), message);
    assertEquals("alert", signIn.errorRole());
    assertNull(browser.driver().manage().getCookieNamed(COOKIE), "a refused sign-in must set no cookie");
    assertFalse(storageAndUrl().contains(wrong));

    BucketsPage buckets = signIn.signIn(TARN.accessKey(), TARN.secretKey());
    Cookie cookie = browser.driver().manage().getCookieNamed(COOKIE);
    assertNotNull(cookie, "no session cookie after signing in");
    assertTrue(cookie.isHttpOnly(), "the session cookie must be HttpOnly");
    assertEquals("Strict", cookie.getSameSite());
    assertEquals("/_tarn/", cookie.getPath());
    assertFalse(storageAndUrl().contains(TARN.secretKey()), "the secret must not be kept by the page");
    assertFalse(storageAndUrl().contains(cookie.getValue()), "the session id must not be readable by script");
    assertFalse(buckets.signedInAs().isBlank(), "the header names the signed-in user");
  }

  @Test
  void createsAndDeletesBucketsAndSaysWhyANameIsRefused() {
    String taken = TestData.bucketName("taken");
    TARN.s3().createBucket(b -> b.bucket(taken));
    BucketsPage buckets = signInAsRoot();
    assertTrue(buckets.bucketNames().contains(taken), buckets.bucketNames().toString());

    String invalid = buckets.createExpectingError("Not_A_Valid_Name");
    assertTrue(invalid.contains("lower-case letters"), invalid);
    String owned = buckets.createExpectingError(taken);
    assertTrue(owned.contains("was not created"), owned);

    String fresh = TestData.bucketName("console");
    buckets.create(fresh);
    assertTrue(TARN.s3().listBuckets().buckets().stream().anyMatch(b -> b.name().equals(fresh)));
    browser.screenshot("buckets");
    buckets.delete(fresh);
    assertFalse(TARN.s3().listBuckets().buckets().stream().anyMatch(b -> b.name().equals(fresh)));
  }

  @Test
  void uploadsFilesAndAFolderThenBrowsesDownloadsAndDeletes(@TempDir Path tmp) throws IOException {
    String bucket = TestData.bucketName("upload");
    ObjectBrowserPage objects = signInAsRoot().create(bucket).open(bucket);
    assertEquals(List.of("Buckets", bucket), objects.breadcrumbs());

    Path hello = Files.writeString(tmp.resolve("hello world.txt"), "hello, console\n");
    Path data = TestData.writeFile(tmp.resolve("data.bin"), 3 * TestData.MIB + 17, 1);
    Path empty = Files.write(tmp.resolve("empty.txt"), new byte[0]);
    objects.uploadFiles(List.of(hello, data, empty));
    String summary = objects.awaitUploads(3);
    assertTrue(summary.contains("3 of 3 files uploaded"), summary);
    assertEquals(1.0, objects.totalProgress(), 1e-9);
    browser.screenshot("upload");

    Path album = Files.createDirectories(tmp.resolve("album"));
    Files.writeString(album.resolve("a.txt"), "first");
    Path deep = TestData.writeFile(Files.createDirectories(album.resolve("sub")).resolve("b.bin"), 70_000, 2);
    objects.clearUploads().uploadFolder(album);
    objects.awaitUploads(2);
    assertEquals(Set.of("album/a.txt", "album/sub/b.bin"), Set.copyOf(objects.uploadKeys()));

    S3Client s3 = TARN.s3();
    assertEquals(Set.of("hello world.txt", "data.bin", "empty.txt", "album/a.txt", "album/sub/b.bin"), keys(s3, bucket, ""));
    assertArrayEquals(Files.readAllBytes(data), s3.getObjectAsBytes(b -> b.bucket(bucket).key("data.bin")).asByteArray());
    assertArrayEquals(Files.readAllBytes(hello),
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("hello world.txt")).asByteArray());
    assertEquals(0, s3.getObjectAsBytes(b -> b.bucket(bucket).key("empty.txt")).asByteArray().length);
    assertArrayEquals(Files.readAllBytes(deep),
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("album/sub/b.bin")).asByteArray());
    assertEquals("text/plain", s3.headObject(b -> b.bucket(bucket).key("hello world.txt")).contentType());

    assertEquals(List.of("album/"), objects.folders());
    assertEquals(Set.of("hello world.txt", "data.bin", "empty.txt"), Set.copyOf(objects.objectKeys()));

    ObjectBrowserPage inAlbum = objects.openFolder("album/");
    assertEquals(List.of("Buckets", bucket, "album"), inAlbum.breadcrumbs());
    assertEquals(List.of("album/sub/"), inAlbum.folders());
    assertEquals(List.of("album/a.txt"), inAlbum.objectKeys());
    ObjectBrowserPage inSub = inAlbum.openFolder("album/sub/");
    assertEquals(List.of("Buckets", bucket, "album", "sub"), inSub.breadcrumbs());
    objects = inSub.breadcrumb(bucket);
    assertEquals(bucket, objects.heading());
    assertEquals(List.of("album/"), objects.folders());

    // Names are untrusted text: characters that mean something in URLs, routes and HTML stay themselves.
    String odd = "odd #?%& ü+/<img src=x onerror=alert(1)> 1.txt";
    s3.putObject(b -> b.bucket(bucket).key(odd), RequestBody.fromString("odd"));
    ObjectBrowserPage inOdd = objects.filter("").openFolder("odd #?%& ü+/");
    assertEquals(List.of(odd), inOdd.objectKeys());
    assertEquals(List.of("Buckets", bucket, "odd #?%& ü+"), inOdd.breadcrumbs());
    assertEquals(odd, inOdd.details(odd).get("key"));
    assertEquals(0L, browser.driver().executeScript("return document.querySelectorAll('img').length"));
    objects = inOdd.breadcrumb(bucket);
    assertEquals(List.of("album/", "odd #?%& ü+/"), objects.folders());

    // A file dropped on the browser (a DataTransfer built in the page, as a drop from the desktop carries).
    browser.driver().executeScript("const t = new DataTransfer();"
        + "t.items.add(new File(['dropped!'], 'dropped.txt', {type: 'text/plain'}));"
        + "const zone = document.getElementById('page-browser');"
        + "for (const type of ['dragenter', 'dragover', 'drop']) {"
        + "  zone.dispatchEvent(new DragEvent(type, {dataTransfer: t, bubbles: true, cancelable: true}));"
        + "}");
    objects.awaitUploads(3);
    assertEquals("dropped!", s3.getObjectAsBytes(b -> b.bucket(bucket).key("dropped.txt")).asUtf8String());

    s3.putObject(b -> b.bucket(bucket).key("meta.txt").contentType("text/x-note").metadata(Map.of("colour", "blue")),
        RequestBody.fromString("<b>not markup</b>"));
    objects = objects.filter("");
    Map<String, String> details = objects.details("meta.txt");
    String etag = s3.headObject(b -> b.bucket(bucket).key("meta.txt")).eTag();
    assertEquals("meta.txt", details.get("key"));
    assertEquals(etag, details.get("etag"));
    assertEquals("text/x-note", details.get("content-type"));
    assertTrue(details.get("size").contains("17 bytes"), details.get("size"));
    // HeadObject has no owner: the panel takes it from the listing (fetch-owner), as S3 names it.
    var owner = s3.listObjectsV2(b -> b.bucket(bucket).prefix("meta.txt").fetchOwner(true)).contents().get(0).owner();
    assertEquals(owner.displayName() != null ? owner.displayName() : owner.id(), details.get("owner"));
    assertFalse(details.get("owner").isBlank());
    assertFalse(details.get("last-modified").isBlank());
    assertEquals(Map.of("colour", "blue"), objects.detailsMetadata());
    browser.screenshot("browser");

    objects.download("data.bin");
    Path saved = awaitDownload("data.bin");
    assertArrayEquals(Files.readAllBytes(data), Files.readAllBytes(saved));

    objects.select("hello world.txt", "empty.txt", "dropped.txt");
    assertEquals("Delete selected (3)", objects.deleteButtonLabel());
    String deleted = objects.deleteSelected();
    assertTrue(deleted.contains("Deleted 3 objects"), deleted);
    assertEquals(Set.of("data.bin", "meta.txt", "album/a.txt", "album/sub/b.bin", odd), keys(s3, bucket, ""));
    assertEquals(Set.of("data.bin", "meta.txt"), Set.copyOf(objects.objectKeys()));
  }

  @Test
  void anUploadThatFailsSaysWhyForThatFile(@TempDir Path tmp) throws IOException {
    String bucket = TestData.bucketName("gone");
    ObjectBrowserPage objects = signInAsRoot().create(bucket).open(bucket);
    TARN.s3().deleteBucket(b -> b.bucket(bucket));
    Path file = Files.writeString(tmp.resolve("late.txt"), "too late");
    Map<String, String> failures = objects.uploadFiles(List.of(file)).awaitUploadsEnded(1);
    assertEquals(Set.of("late.txt"), failures.keySet());
    assertTrue(failures.get("late.txt").contains("go back to the bucket list"), failures.toString());
    assertTrue(objects.uploadSummary().contains("1 failed"), objects.uploadSummary());
    assertTrue(objects.error().contains("could not be listed"), objects.error());
  }

  @Test
  void showsSpeedAndTimeLeftWhileUploadingAndCancelStopsAnUpload(@TempDir Path tmp) {
    String bucket = TestData.bucketName("slow");
    ObjectBrowserPage objects = signInAsRoot().create(bucket).open(bucket);
    // A slow link (about 1 MiB/s up), so the upload is watched while it goes.
    browser.throttleUploads(1024 * 1024);
    Path big = TestData.writeFile(tmp.resolve("big.bin"), 24L * TestData.MIB, 3);
    objects.uploadFiles(List.of(big));
    browser.waitUpTo(Duration.ofSeconds(30)).until(d -> objects.uploadSummary().contains("/s, about "));
    String summary = objects.uploadSummary();
    assertTrue(summary.matches("0 of 1 file uploaded, [0-9.]+ (B|KiB|MiB) of 24 MiB, [0-9.]+ (B|KiB|MiB)/s, about .+ left\\."),
        summary);
    assertEquals("uploading", objects.uploadState("big.bin"));
    objects.cancelUpload("big.bin");
    browser.waitUpTo(Duration.ofSeconds(30)).until(d -> "cancelled".equals(objects.uploadState("big.bin")));
    assertTrue(keys(TARN.s3(), bucket, "").isEmpty(), "a cancelled upload left an object");
  }

  @Test
  void signsInByKeyboardAlone() {
    SignInPage.open(browser, TARN.endpoint());
    // The access key field has the focus when the page opens; Tab moves to the secret, Enter submits.
    browser.driver().switchTo().activeElement().sendKeys(TARN.accessKey(), Keys.TAB, TARN.secretKey(), Keys.ENTER);
    BucketsPage buckets = BucketsPage.shown(browser);
    assertEquals("h1", browser.driver().switchTo().activeElement().getTagName(),
        "focus moves to the new page's heading");
    assertFalse(buckets.signedInAs().isBlank());
  }

  @Test
  void pagesThroughFiveThousandKeysTwoHundredAtATimeNeverLoadingTheWholePrefix() {
    String bucket = TestData.bucketName("pages");
    TARN.s3().createBucket(b -> b.bucket(bucket));
    List<String> all = IntStream.range(0, 5000).mapToObj(i -> String.format("many/k%04d", i)).toList();
    long start = System.nanoTime();
    putAll(bucket, all);
    TARN.s3().putObject(b -> b.bucket(bucket).key("outside.txt"), RequestBody.fromString("x"));
    long filled = System.nanoTime();

    ObjectBrowserPage objects = signInAsRoot().open(bucket).openFolder("many/");
    List<String> seen = new ArrayList<>();
    List<List<String>> pages = new ArrayList<>();
    assertFalse(objects.hasPreviousPage());
    while (true) {
      assertTrue(pages.size() < 25, "more than 25 pages of 200 for 5,000 keys");
      List<String> page = objects.objectKeys();
      assertEquals(200, page.size(), "page " + objects.pageNumber());
      assertEquals(pages.size() + 1, objects.pageNumber());
      pages.add(page);
      seen.addAll(page);
      if (!objects.hasNextPage()) {
        break;
      }
      objects.nextPage();
    }
    assertEquals(25, pages.size());
    assertEquals(25, objects.pageNumber());
    assertEquals(5000, new HashSet<>(seen).size(), "a key was listed twice");
    assertEquals(all, seen);
    // Previous page all the way back: each page is the one seen going forward, and page 1 has no previous.
    for (int n = 24; n >= 1; n--) {
      assertEquals(pages.get(n - 1), objects.previousPage().objectKeys(), "page " + n + " going back");
      assertTrue(objects.hasNextPage(), "page " + n + " has a next page");
    }
    assertFalse(objects.hasPreviousPage(), "page 1 has no previous page");
    assertEquals(pages.get(1), objects.nextPage().objectKeys(), "Next page again after going back");
    assertEquals(pages.get(0), objects.previousPage().objectKeys());
    long browsed = System.nanoTime();
    System.out.printf("[ConsoleBrowserTest] 5,000 keys put in %d ms, 25 pages forward and back in %d ms%n",
        (filled - start) / 1_000_000, (browsed - filled) / 1_000_000);

    ObjectBrowserPage filtered = objects.filter("k09");
    assertEquals(1, filtered.pageNumber());
    assertEquals(all.subList(900, 1000), filtered.objectKeys());
    assertFalse(filtered.hasNextPage());
    List<String> descending = new ArrayList<>(all.subList(900, 1000));
    Collections.reverse(descending);
    assertEquals(descending, filtered.sortBy("name").objectKeys(), "a second click on Name sorts descending");

    ObjectBrowserPage first = filtered.sortBy("name").filter("");
    String summary = first.selectAllOnPage().deleteSelected();
    assertTrue(summary.contains("Deleted 200 objects"), summary);
    Set<String> left = keys(TARN.s3(), bucket, "many/");
    assertEquals(new LinkedHashSet<>(all.subList(200, 5000)), new LinkedHashSet<>(left.stream().sorted().toList()));
    assertEquals(all.subList(200, 400), first.objectKeys());
  }

  @Test
  void signingOutEndsTheSessionOnTheServerAndEverywhereEndsTheOthers() throws IOException {
    BucketsPage buckets = signInAsRoot();
    String first = browser.driver().manage().getCookieNamed(COOKIE).getValue();
    assertEquals(200, session(first).status());
    browser.driver().findElement(By.id("sign-out")).click();
    SignInPage signIn = SignInPage.shown(browser);
    assertTrue(signIn.notice().contains("signed out"), signIn.notice());
    assertEquals(401, session(first).status(), "the old cookie still works after signing out");

    String other = signInWithoutBrowser(TARN.accessKey(), TARN.secretKey());
    assertEquals(200, session(other).status());
    buckets = signIn.signIn(TARN.accessKey(), TARN.secretKey());
    String second = browser.driver().manage().getCookieNamed(COOKIE).getValue();
    browser.driver().findElement(By.id("sign-out-everywhere")).click();
    SignInPage.shown(browser);
    assertEquals(401, session(second).status());
    assertEquals(401, session(other).status(), "sign out everywhere left another session alive");
    assertNotNull(buckets);
  }

  @Test
  void aSessionEndedElsewhereReturnsToSignInWithANotice() throws IOException {
    BucketsPage buckets = signInAsRoot();
    String cookie = browser.driver().manage().getCookieNamed(COOKIE).getValue();
    RawResponse current = session(cookie);
    String csrf = JSON.readTree(current.body()).path("csrfToken").asText();
    RawResponse ended = TARN.raw().anonymous("DELETE", "/_tarn/api/v1/session",
        Map.of("Cookie", COOKIE + "=" + cookie, "X-Tarn-CSRF", csrf), null);
    assertEquals(204, ended.status(), ended::toString);
    assertNotNull(buckets);
    browser.driver().findElement(By.id("new-bucket-name")).sendKeys(TestData.bucketName("late"));
    browser.driver().findElement(By.id("create-bucket")).click();
    SignInPage signIn = SignInPage.shown(browser);
    assertTrue(signIn.notice().contains("Sign in again"), signIn.notice());
  }

  /** In a second tab: signs out, signs in with this key, then comes back to the first tab. */
  private void signInAgainInAnotherTab(String accessKey, String secretKey) {
    String firstTab = browser.driver().getWindowHandle();
    browser.driver().switchTo().newWindow(WindowType.TAB);
    browser.driver().get(TARN.endpoint().resolve("/_tarn/console/").toString());
    BucketsPage.shown(browser);
    browser.driver().findElement(By.id("sign-out")).click();
    SignInPage.shown(browser).signIn(accessKey, secretKey);
    browser.driver().switchTo().window(firstTab);
  }

  @Test
  void aPageKeepsWorkingAfterAnotherTabSignedInAgain() {
    BucketsPage first = signInAsRoot();
    signInAgainInAnotherTab(TARN.accessKey(), TARN.secretKey());
    String bucket = TestData.bucketName("tabs");
    first.create(bucket);
    assertTrue(TARN.s3().listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)));
  }

  @Test
  void aPageDoesNotActAsAnotherUserSignedInInAnotherTab() {
    User other = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey())
        .createUser("console-" + TestData.bucketName("tab"), "user");
    BucketsPage first = signInAsRoot();
    signInAgainInAnotherTab(other.accessKey(), other.secretKey());
    String bucket = TestData.bucketName("tabs");
    String error = first.createExpectingError(bucket);
    assertTrue(error.contains("You signed in as " + other.name() + " in another tab"), error);
    assertFalse(TARN.s3().listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)));
  }

  @Test
  void aSecondUserSeesNoneOfTheFirstUsersBuckets() {
    String rootBucket = TestData.bucketName("rootonly");
    TARN.s3().createBucket(b -> b.bucket(rootBucket));
    AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    User other = admin.createUser("console-" + TestData.bucketName("u"), "user");

    BucketsPage buckets = SignInPage.open(browser, TARN.endpoint()).signIn(other.accessKey(), other.secretKey());
    assertEquals(List.of(), buckets.bucketNames());
    assertTrue(buckets.showsNoBuckets());
    String mine = TestData.bucketName("mine");
    buckets.create(mine);
    assertEquals(List.of(mine), buckets.bucketNames());
    S3Client asOther = TARN.s3With(S3Clients.credentials(other.accessKey(), other.secretKey()));
    assertEquals(List.of(mine), asOther.listBuckets().buckets().stream().map(b -> b.name()).toList());
  }

  @Test
  void fitsA360PixelWidePhoneAndFollowsTheSystemsDarkMode() {
    String bucket = TestData.bucketName("phone");
    TARN.s3().createBucket(b -> b.bucket(bucket));
    List<String> names = List.of("a-rather-long-object-name-that-must-wrap-on-a-phone.txt", "notes.md",
        "photos/beach.jpg", "report-2026.pdf");
    for (String key : names) {
      TARN.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x".repeat(key.length() * 100)));
    }
    browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", 360, "height", 740, "deviceScaleFactor", 1, "mobile", true));
    String light = backgroundColour();
    browser.driver().executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    BucketsPage buckets = signInAsRoot();
    assertNoSidewaysScrolling("buckets");
    ObjectBrowserPage objects = buckets.open(bucket);
    assertNoSidewaysScrolling("object browser");
    Object table = browser.driver().executeScript("const w = document.querySelector('.table-wrap');"
        + "return [w.scrollWidth, w.clientWidth]");
    assertEquals(((List<?>) table).get(1), ((List<?>) table).get(0),
        "the object table scrolls sideways on a phone (scrollWidth, clientWidth) = " + table);
    assertEquals(List.of("photos/"), objects.folders());
    assertEquals(3, objects.objectKeys().size());
    browser.screenshot("browser-phone-dark");
    String dark = backgroundColour();
    assertFalse(dark.equals(light), "the page looks the same in dark mode: " + dark);
    browser.driver().executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
    assertEquals(light, backgroundColour());
    assertNoSidewaysScrolling("object browser in light mode");
    browser.screenshot("browser-phone");
  }

  private String backgroundColour() {
    if (!browser.driver().getCurrentUrl().contains("/_tarn/console/")) {
      SignInPage.open(browser, TARN.endpoint());
    }
    return String.valueOf(browser.driver().executeScript("return getComputedStyle(document.body).backgroundColor"));
  }

  private void assertNoSidewaysScrolling(String page) {
    Object widths = browser.driver().executeScript(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
    List<?> w = (List<?>) widths;
    assertEquals(w.get(1), w.get(0), page + " is wider than the phone (scrollWidth, clientWidth) = " + w);
  }

  @Test
  void theChecksumFallbackAgreesWithWebCryptoAndTheJdk() throws NoSuchAlgorithmException {
    SignInPage.open(browser, TARN.endpoint());
    for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, 70_000}) {
      byte[] data = TestData.bytes(size, size);
      String expected = TestData.base64(MessageDigest.getInstance("SHA-256").digest(data));
      Object result = browser.driver().executeAsyncScript(
          "const [b64, done] = arguments;"
              + "const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));"
              + "import('/_tarn/console/js/sha256.js').then(async (m) => {"
              + "  const own = btoa(String.fromCharCode(...m.sha256(bytes)));"
              + "  done([own, await m.sha256Base64(bytes)]);"
              + "}).catch((e) => done(String(e)));",
          TestData.base64(data));
      assertEquals(List.of(expected, expected), result, "size " + size);
    }
  }

  private RawResponse session(String cookieValue) {
    return TARN.raw().anonymous("GET", "/_tarn/api/v1/session", Map.of("Cookie", COOKIE + "=" + cookieValue), null);
  }

  /** Signs in over plain HTTP (another device, as far as the server can tell); returns its cookie's value. */
  private String signInWithoutBrowser(String accessKey, String secretKey) throws IOException {
    byte[] body = JSON.writeValueAsBytes(Map.of("accessKeyId", accessKey, "secretKey", secretKey));
    RawResponse r = TARN.raw().anonymous("POST", "/_tarn/api/v1/session", Map.of("Content-Type", "application/json"), body);
    assertEquals(200, r.status(), r::toString);
    JsonNode json = JSON.readTree(r.body());
    assertFalse(json.path("csrfToken").asText().isEmpty(), r::toString);
    String setCookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(COOKIE + "="))
        .findFirst().orElseThrow(() -> new AssertionError("no session cookie: " + r));
    return setCookie.substring(COOKIE.length() + 1, setCookie.indexOf(';'));
  }

  private Path awaitDownload(String name) {
    Path file = browser.downloads().resolve(name);
    browser.waitUpTo(Duration.ofSeconds(60)).until(d -> Files.isRegularFile(file)
        && !Files.exists(browser.downloads().resolve(name + ".crdownload")));
    return file;
  }

  /** Puts every key (empty) through the async SDK, 64 requests in flight at a time. */
  private static void putAll(String bucket, List<String> keys) {
    Semaphore inFlight = new Semaphore(64);
    List<CompletableFuture<?>> puts = new ArrayList<>();
    for (String k : keys) {
      inFlight.acquireUninterruptibly();
      puts.add(TARN.s3Async().putObject(b -> b.bucket(bucket).key(k), AsyncRequestBody.empty())
          .whenComplete((r, e) -> inFlight.release()));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
  }

  private static Set<String> keys(S3Client s3, String bucket, String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }
}
