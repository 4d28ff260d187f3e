package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.AdminClient.User;
import io.tarn.it.support.Browser;
import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.console.AccountPage;
import io.tarn.it.support.console.BucketsPage;
import io.tarn.it.support.console.SecretDialog;
import io.tarn.it.support.console.SignInPage;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The console's account page in a real browser: access keys (the secret shown once, then nowhere;
 * it signs SigV4 requests through the AWS SDK; expiry, disable, delete), API tokens (the value works
 * as a bearer token until revoked), and disabling the key the session was made with.
 */
class ConsoleAccountTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();

  private static final String COOKIE = "tarn_session";

  private static AdminClient admin() {
    return new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
  }

  private static User newUser(String prefix) {
    return admin().createUser("account-" + TestData.bucketName(prefix), "user");
  }

  private AccountPage signInAndOpenAccount(User user) {
    SignInPage.open(browser, TARN.endpoint()).signIn(user.accessKey(), user.secretKey());
    return AccountPage.open(browser);
  }

  /** Everything page script can reach: the DOM with every field's value, both storages, the URL. */
  private String everythingThePageHolds() {
    return String.valueOf(browser.driver().executeScript("return document.documentElement.outerHTML"
        + " + Array.from(document.querySelectorAll('input, textarea'), (e) => e.value).join('\\n')"
        + " + JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + location.href"));
  }

  private RawResponse bearer(String token) {
    return TARN.raw().anonymous("GET", "/_tarn/api/v1/tokens", Map.of("Authorization", "Bearer " + token), null);
  }

  @Test
  void aNewKeysSecretIsShownOnceSignsSigV4RequestsAndTheKeyCanBeShortenedDisabledAndDeleted() throws Exception {
    User user = newUser("keys");
    AccountPage account = signInAndOpenAccount(user);
    assertEquals(List.of(user.accessKey()), account.keyIds());

    SecretDialog dialog = account.createKey("Never");
    String id = dialog.id();
    String secret = dialog.secret();
    assertFalse(secret.isBlank());
    assertTrue(dialog.readOnly(), "the secret's field must be read-only");
    assertTrue(dialog.warning().contains("will not be shown again"), dialog.warning());
    assertFalse(dialog.copy().isBlank());
    assertTrue(everythingThePageHolds().contains(secret), "the probe must see the secret while it is shown");
    account = dialog.close();
    assertFalse(everythingThePageHolds().contains(secret), "the secret stays in the page after the dialog closed");
    assertEquals("Active", account.keyStatus(id));

    // The secret shown is the key's: the AWS SDK signs with it (SigV4) and the server accepts.
    S3Client withNewKey = TARN.s3With(S3Clients.credentials(id, secret));
    String bucket = TestData.bucketName("newkey");
    withNewKey.createBucket(b -> b.bucket(bucket));
    assertEquals(List.of(bucket), withNewKey.listBuckets().buckets().stream().map(Bucket::name).toList());

    account.setKeyExpiry(id, "7 days");
    Instant expires = Instant.parse(admin().expect(200, "GET", "/keys/" + id, null).path("expires").asText());
    Instant week = Instant.now().plus(Duration.ofDays(7));
    assertTrue(expires.isAfter(week.minus(Duration.ofHours(1))) && expires.isBefore(week.plus(Duration.ofHours(1))),
        expires::toString);
    assertEquals(expires, Instant.parse(account.keyExpires(id)));

    String message = account.disableKey(id);
    assertTrue(message.contains("will be refused"), message);
    assertFalse(message.contains("signed in with"), "not the session's key: " + message);
    account.awaitKey(id, "Disabled");
    assertEquals(403, assertThrows(S3Exception.class, withNewKey::listBuckets).statusCode());

    account.deleteKey(id);
    account.awaitKey(id, null);
    assertEquals(List.of(user.accessKey()), account.keyIds());
    assertEquals(404, admin().call("GET", "/keys/" + id, null).status());
    assertEquals("", account.error());

    // Neither the sign-in secret nor the new key's reached the server's log or the page's console.
    String serverLog = Files.readString(TARN.server().logFile());
    for (String s : List.of(secret, user.secretKey())) {
      assertFalse(serverLog.contains(s), "a secret in the server log");
      assertFalse(browser.consoleLog().contains(s), "a secret in the browser console");
    }
  }

  @Test
  void anApiTokenIsShownOnceWorksAsABearerTokenUntilRevoked() {
    User user = newUser("tokens");
    AccountPage account = signInAndOpenAccount(user);
    SecretDialog dialog = account.createToken("deploy script", "30 days");
    String token = dialog.secret();
    assertTrue(dialog.warning().contains("will not be shown again"), dialog.warning());
    account = dialog.close();
    assertFalse(everythingThePageHolds().contains(token), "the token stays in the page after the dialog closed");
    assertEquals(List.of("deploy script"), account.tokenNames());
    browser.screenshot("account");

    RawResponse works = bearer(token);
    assertEquals(200, works.status(), works::toString);
    assertTrue(works.text().contains("deploy script"), works::text);

    account.revokeToken("deploy script");
    assertEquals(List.of(), account.tokenNames());
    // The webhooks API answers every bad credential, a revoked token included, with 403 AccessDenied.
    RawResponse refused = bearer(token);
    assertEquals(403, refused.status(), refused::toString);
    assertTrue(refused.text().contains("AccessDenied"), refused::text);
  }

  @Test
  void disablingTheKeyTheSessionWasMadeWithSaysSoThenEndsTheSession() {
    User user = newUser("own");
    AccountPage account = signInAndOpenAccount(user);
    String cookie = browser.driver().manage().getCookieNamed(COOKIE).getValue();
    String message = account.disableKey(user.accessKey());
    assertTrue(message.contains("This is the key you signed in with")
        && message.contains("ends this console session"), message);

    SignInPage signIn = SignInPage.shown(browser);
    assertTrue(signIn.notice().contains("You disabled the access key " + user.accessKey()), signIn.notice());
    assertTrue(signIn.notice().contains("your session has ended"), signIn.notice());
    assertFalse(admin().expect(200, "GET", "/keys/" + user.accessKey(), null).path("enabled").asBoolean());
    RawResponse old = TARN.raw().anonymous("GET", "/_tarn/api/v1/session", Map.of("Cookie", COOKIE + "=" + cookie),
        null);
    assertEquals(401, old.status(), old::toString);
  }

  @Test
  void signOutEverywhereFromTheAccountPageEndsEverySession() {
    User user = newUser("everywhere");
    AccountPage account = signInAndOpenAccount(user);
    String cookie = browser.driver().manage().getCookieNamed(COOKIE).getValue();
    SignInPage signIn = account.signOutEverywhere();
    assertTrue(signIn.notice().contains("every device"), signIn.notice());
    RawResponse old = TARN.raw().anonymous("GET", "/_tarn/api/v1/session", Map.of("Cookie", COOKIE + "=" + cookie),
        null);
    assertEquals(401, old.status(), old::toString);
  }

  @Test
  void deletingTheKeyTheSessionWasMadeWithEndsTheSessionAndLeavesTheOtherKeys() {
    User user = newUser("delete-own");
    JsonNode other = admin().expect(201, "POST", "/keys", Map.of("user", user.name()));
    String otherId = other.path("accessKeyId").asText();
    AccountPage account = signInAndOpenAccount(user);
    assertEquals(Set.of(user.accessKey(), otherId), Set.copyOf(account.keyIds()));
    String message = account.deleteKey(user.accessKey());
    assertTrue(message.contains("This is the key you signed in with"), message);

    SignInPage signIn = SignInPage.shown(browser);
    assertTrue(signIn.notice().contains("You deleted the access key " + user.accessKey()), signIn.notice());
    signIn.signIn(otherId, other.path("secretAccessKey").asText());
    assertEquals(List.of(otherId), AccountPage.open(browser).keyIds());
  }

  @Test
  void theAccountAndBucketSettingsPagesFitA360PixelWidePhone() {
    User user = newUser("phone");
    User reader = newUser("phone-reader");
    String bucket = TestData.bucketName("a-bucket-with-a-rather-long-name");
    TARN.s3With(S3Clients.credentials(user.accessKey(), user.secretKey())).createBucket(b -> b.bucket(bucket));
    AdminClient asUser = new AdminClient(TARN.port(), user.accessKey(), user.secretKey());
    asUser.expect(200, "PUT", "/buckets/" + bucket + "/grants/" + reader.name(), Map.of("permission", "read"));
    asUser.webhooksApi().expect(201, "POST", "/tokens", Map.of("name", "a token with a long name for a phone"));
    browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", 360, "height", 740, "deviceScaleFactor", 1, "mobile", true));

    BucketsPage buckets = SignInPage.open(browser, TARN.endpoint()).signIn(user.accessKey(), user.secretKey());
    assertNoSidewaysScrolling("buckets");
    buckets.settings(bucket);
    assertNoSidewaysScrolling("bucket settings");
    AccountPage.open(browser);
    assertNoSidewaysScrolling("account");
  }

  private void assertNoSidewaysScrolling(String page) {
    List<?> w = (List<?>) browser.driver().executeScript(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
    assertEquals(w.get(1), w.get(0), page + " is wider than the phone (scrollWidth, clientWidth) = " + w);
  }
}
