package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Browser;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.console.BucketsPage;
import io.tarn.it.support.console.ObjectBrowserPage;
import io.tarn.it.support.console.SignInPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The console over HTTPS ({@code tarn server --tls-self-signed}), in a chromium that accepts exactly that
 * server's certificate: sign-in with a {@code Secure} cookie, listing, an upload read back through the
 * SDK, a delete (its checksum by WebCrypto, which a secure context has), a share link opened over
 * https in a cookie-less browser, and sign-out. A browser that was not told about the certificate gets no console.
 */
class ConsoleTlsTest {
  @RegisterExtension
  static final TarnServerExtension TARN = new TarnServerExtension(List.of("--tls-self-signed"));
  @RegisterExtension final Browser browser = new Browser().trusting(TARN::tlsCertificate);
  /** Someone else's browser, never signed in, that also accepts the server's certificate. */
  @RegisterExtension final Browser fresh = new Browser("fresh").trusting(TARN::tlsCertificate);
  /** A browser that accepts no certificate it cannot verify. */
  @RegisterExtension final Browser untrusting = new Browser("untrusting");

  private static final String COOKIE = "tarn_session";

  @Test
  void signsInListsUploadsDeletesAndSharesOverHttps(@TempDir Path tmp) throws IOException {
    assertEquals("https", TARN.endpoint().getScheme());
    String bucket = TestData.bucketName("tls");
    TARN.s3().createBucket(b -> b.bucket(bucket));
    TARN.s3().putObject(p -> p.bucket(bucket).key("already.txt"), RequestBody.fromString("put by the SDK"));

    // A browser opening the server's root is sent to the console, on https.
    browser.driver().get(TARN.endpoint().resolve("/").toString());
    SignInPage signIn = SignInPage.shown(browser);
    String page = browser.driver().getCurrentUrl();
    assertTrue(page.startsWith(TARN.endpoint().resolve("/_tarn/console/").toString()), page);
    assertEquals(true, browser.driver().executeScript("return window.isSecureContext && !!crypto.subtle"));

    BucketsPage buckets = signIn.signIn(TARN.accessKey(), TARN.secretKey());
    Cookie cookie = browser.driver().manage().getCookieNamed(COOKIE);
    assertNotNull(cookie, "no session cookie after signing in over https");
    assertTrue(cookie.isSecure(), "the session cookie must be Secure under TLS");
    assertTrue(cookie.isHttpOnly(), "the session cookie must be HttpOnly");
    assertEquals("Strict", cookie.getSameSite());
    assertEquals("/_tarn/", cookie.getPath());
    assertTrue(buckets.bucketNames().contains(bucket), buckets.bucketNames().toString());

    ObjectBrowserPage objects = buckets.open(bucket);
    assertEquals(List.of("already.txt"), objects.objectKeys());
    String content = "uploaded over https\n";
    Path file = Files.writeString(tmp.resolve("over-tls.txt"), content);
    String summary = objects.uploadFiles(List.of(file)).awaitUploads(1);
    assertTrue(summary.contains("1 of 1 file uploaded"), summary);
    assertEquals(content, TARN.s3().getObjectAsBytes(g -> g.bucket(bucket).key("over-tls.txt")).asUtf8String());
    assertEquals(Set.of("already.txt", "over-tls.txt"), Set.copyOf(objects.objectKeys()));

    objects.details("over-tls.txt");
    String link = objects.shareLink("1 hour");
    assertTrue(link.startsWith(TARN.endpoint().resolve("/" + bucket + "/over-tls.txt?").toString()), link);
    fresh.driver().get(link);
    assertTrue(fresh.driver().manage().getCookies().isEmpty(), "the fresh browser must have no cookie");
    assertEquals(content.strip(), fresh.driver().findElement(By.tagName("body")).getText().strip());

    String deleted = objects.select("already.txt").deleteSelected();
    assertTrue(deleted.contains("Deleted 1 object"), deleted);
    assertEquals(Set.of("over-tls.txt"), keys(bucket));
    assertArrayEquals(content.getBytes(), TARN.s3().getObjectAsBytes(g -> g.bucket(bucket).key("over-tls.txt"))
        .asByteArray());

    // Signing out over https clears the Secure cookie, and the session is gone on the server: a reload
    // with the old cookie put back asks to sign in again.
    browser.driver().findElement(By.id("sign-out")).click();
    SignInPage.shown(browser);
    assertNull(browser.driver().manage().getCookieNamed(COOKIE), "signing out left the cookie");
    browser.driver().manage().addCookie(cookie);
    browser.driver().navigate().refresh();
    SignInPage.shown(browser);
    assertTrue(browser.driver().findElements(By.id("page-buckets")).isEmpty(), "the old session still works");

    // Without the certificate, chromium shows its own error page, not the console.
    untrusting.driver().get(TARN.endpoint().resolve("/_tarn/console/").toString());
    assertTrue(untrusting.driver().findElements(By.id("sign-in-form")).isEmpty(),
        "a browser that does not trust the certificate reached the console");
    String refused = untrusting.driver().getPageSource();
    assertTrue(refused.contains("ERR_CERT_AUTHORITY_INVALID"), refused.substring(0, Math.min(2000, refused.length())));
  }

  private static Set<String> keys(String bucket) {
    return TARN.s3().listObjectsV2(l -> l.bucket(bucket)).contents().stream().map(S3Object::key)
        .collect(Collectors.toSet());
  }
}
