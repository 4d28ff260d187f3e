package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Browser;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Answer;
import io.tarn.it.support.console.AdminPages;
import io.tarn.it.support.console.SecretDialog;
import io.tarn.it.support.console.SignInPage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The admin pages in a real browser: an admin adds a user with a role, creates a key for it whose
 * secret signs SDK requests, disables and enables the user, and deletes it (its bucket passes to the
 * heir chosen in the confirmation); the server page shows the figures of {@code GET /info}; a regular
 * user is offered no admin page and is refused by the API.
 */
class ConsoleAdminTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();

  private static AdminClient admin() {
    return new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
  }

  private AdminPages signInAsRoot() {
    SignInPage.open(browser, TARN.endpoint()).signIn(TARN.accessKey(), TARN.secretKey());
    assertTrue(AdminPages.offered(browser), "an admin is offered the admin pages");
    return AdminPages.openUsers(browser);
  }

  @Test
  void anAdminAddsAUserCreatesAKeyThatSignsSdkRequestsDisablesAndDeletesIt() {
    String name = "carol-" + TestData.bucketName("u");
    AdminPages users = signInAsRoot().addUser(name, name + "@example.com", "User");
    assertTrue(users.userNames().contains(name), users.userNames().toString());
    assertEquals("User", users.userRole(name));
    assertEquals("Active", users.userStatus(name));
    assertEquals("user", admin().expect(200, "GET", "/users/" + name, null).path("role").asText());

    users.openUser(name);
    SecretDialog dialog = users.createKey("Never");
    String id = dialog.id();
    String secret = dialog.secret();
    assertTrue(dialog.warning().contains("will not be shown again"), dialog.warning());
    dialog.dismiss();
    users.awaitKey(id, "Active");
    assertFalse(browser.driver().getPageSource().contains(secret), "the secret stays in the page after the dialog");
    assertEquals(name, admin().expect(200, "GET", "/keys/" + id, null).path("user").asText());

    // The secret shown is the key's: the AWS SDK signs with it (SigV4) and the server accepts.
    S3Client carol = TARN.s3With(S3Clients.credentials(id, secret));
    String bucket = TestData.bucketName("carols");
    carol.createBucket(b -> b.bucket(bucket));
    carol.putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("v"));
    assertEquals(List.of(bucket), carol.listBuckets().buckets().stream().map(Bucket::name).toList());
    users.users().openUser(name);
    assertEquals(Map.of(bucket, "owner"), users.userBuckets());
    browser.screenshot("admin-user");

    users.users();
    String disabled = users.disableUser(name);
    assertTrue(disabled.contains("will be refused"), disabled);
    assertEquals("Disabled", users.userStatus(name));
    assertEquals(403, assertThrows(S3Exception.class, carol::listBuckets).statusCode());
    users.enableUser(name);
    assertEquals("Active", users.userStatus(name));
    assertEquals(List.of(bucket), carol.listBuckets().buckets().stream().map(Bucket::name).toList());
    browser.screenshot("admin-users");

    // The confirmation says what happens to its keys and its bucket; the bucket passes to the heir.
    String deleted = users.deleteUser(name, "root");
    assertTrue(deleted.contains("access keys are deleted") && deleted.contains("owns 1 bucket")
        && deleted.contains("they are not deleted") && deleted.contains("pass"), deleted);
    assertFalse(users.userNames().contains(name), users.userNames().toString());
    assertEquals(404, admin().call("GET", "/users/" + name, null).status());
    JsonNode b = admin().expect(200, "GET", "/buckets/" + bucket, null);
    assertEquals("root", b.path("owner").asText(), b.toString());
    assertEquals(1, b.path("objects").asLong(), "its objects stay: " + b);
    assertEquals(403, assertThrows(S3Exception.class, carol::listBuckets).statusCode());
    assertEquals("", users.error());
  }

  /**
   * An admin adds a user with an e-mail address, sees it listed, is told beside the field when another
   * user has the address, and changes and removes it in the user's row; the API shows the same.
   */
  @Test
  void anAdminGivesAUserAnEmailAddressAndChangesIt() {
    String suffix = TestData.bucketName("m");
    String name = "erin-" + suffix;
    String address = "Erin." + suffix + "@Example.com";
    AdminPages users = signInAsRoot().addUser(name, address, "User");
    assertEquals(address, users.userEmail(name), "shown as typed");
    assertEquals(address, admin().expect(200, "GET", "/users/" + name, null).path("email").asText());

    String other = "frank-" + suffix;
    String refused = users.tryAddUser(other, address.toLowerCase(java.util.Locale.ROOT), "User");
    assertTrue(refused.contains("\"email\"") && refused.contains("is user " + name + "'s"), refused);
    assertFalse(users.userNames().contains(other), "not added: " + users.userNames());
    assertEquals(404, admin().call("GET", "/users/" + other, null).status());
    assertTrue(users.tryAddUser(other, null, "User").isEmpty(), "added without an address");

    assertTrue(users.editEmail(other, "no-at-sign").contains("must contain exactly one @"));
    assertEquals("", users.editEmail(name, "erin." + suffix + "@example.org"));
    assertEquals("erin." + suffix + "@example.org", users.userEmail(name));
    assertEquals("", users.editEmail(other, address), "the old address is free again");
    assertEquals(address, users.userEmail(other));
    assertEquals("", users.editEmail(name, ""));
    assertEquals("", users.userEmail(name));
    assertTrue(admin().expect(200, "GET", "/users/" + name, null).path("email").isNull());
    assertEquals("", users.error());
  }

  @Test
  void theServerPageShowsTheFiguresOfInfo() throws Exception {
    try (WebhookReceiver failing = new WebhookReceiver()) {
      failing.setDefault(Answer.of(500));
      String bucket = TestData.bucketName("server-page");
      TARN.s3().createBucket(r -> r.bucket(bucket));
      String rule = admin().webhooksApi().expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url",
          failing.url("/f").toString(), "events", List.of("ObjectCreated:*"))).path("id").asText();
      TARN.s3().putObject(r -> r.bucket(bucket).key("a"), RequestBody.fromString("hello"));
      assertNotNull(failing.take(Duration.ofSeconds(20)));

      AdminPages server = signInAsRoot().server();
      Map<String, String> shown = server.serverFigures();
      JsonNode info = admin().expect(200, "GET", "/info", null);
      for (String field : List.of("version", "dataDir", "users", "buckets", "objects", "bytes", "diskTotalBytes",
          "notificationBacklog")) {
        assertEquals(info.path(field).asText(), shown.get(field), field);
      }
      assertTrue(Math.abs(info.path("uptimeSeconds").asLong() - Long.parseLong(shown.get("uptimeSeconds"))) <= 5,
          shown.toString());
      assertTrue(Math.abs(info.path("diskFreeBytes").asLong() - Long.parseLong(shown.get("diskFreeBytes"))) < 256L << 20,
          "disk free moves with other writers, not by much: " + shown);
      assertEquals("1", server.backlogOf(rule), "the failing rule's backlog is listed");
      assertEquals(info.path("webhooks").path("backlogByRule").get(0).path("pending").asText(), server.backlogOf(rule));
      browser.screenshot("admin-server");
    }
  }

  @Test
  void aRegularUserIsOfferedNoAdminPageAndTheApiRefusesIt() {
    AdminClient.User dave = admin().createUser("dave-" + TestData.bucketName("u"), "user");
    SignInPage.open(browser, TARN.endpoint()).signIn(dave.accessKey(), dave.secretKey());
    assertFalse(AdminPages.offered(browser), "no admin link for a user");
    AdminPages typed = AdminPages.typeUsersAddress(browser);
    assertTrue(typed.error().contains("admin role required"), typed.error());
    assertTrue(typed.userNames().isEmpty(), typed.userNames().toString());
    AdminClient asDave = new AdminClient(TARN.port(), dave.accessKey(), dave.secretKey());
    for (String[] call : List.of(new String[] {"GET", "/users"}, new String[] {"GET", "/info"},
        new String[] {"POST", "/users"}, new String[] {"DELETE", "/users/root"})) {
      AdminClient.Response r = asDave.call(call[0], call[1], call[0].equals("POST") ? Map.of("name", "x") : null);
      assertEquals(403, r.status(), call[0] + " " + call[1] + ": " + r.text());
    }
    assertEquals(403, asDave.call("POST", "/keys", Map.of("user", "root")).status(), "no key for someone else");
  }
}
