package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.AdminClient.User;
import io.tarn.it.support.Browser;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.console.BucketSettingsPage;
import io.tarn.it.support.console.BucketsPage;
import io.tarn.it.support.console.ObjectBrowserPage;
import io.tarn.it.support.console.SignInPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Buckets shared between users, in a real browser: the owner grants in the bucket's settings, a user
 * with a read grant browses read-only and is refused writes in words, a grant cut while a page is
 * open, a forced delete with the typed name, and a session whose key an admin disabled.
 */
class ConsoleGrantsTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();

  private static AdminClient admin() {
    return new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
  }

  private static AdminClient adminApiAs(User user) {
    return new AdminClient(TARN.port(), user.accessKey(), user.secretKey());
  }

  private static User newUser(String prefix) {
    return admin().createUser("grants-" + TestData.bucketName(prefix), "user");
  }

  private static S3Client s3(User user) {
    return TARN.s3With(S3Clients.credentials(user.accessKey(), user.secretKey()));
  }

  private BucketsPage signIn(User user) {
    return SignInPage.open(browser, TARN.endpoint()).signIn(user.accessKey(), user.secretKey());
  }

  private static String readOnly(String bucket, User owner) {
    return "You have read-only access to bucket " + bucket + " (granted by its owner " + owner.name()
        + "). Ask them for write access.";
  }

  @Test
  void theOwnerGrantsReadAndTheGranteeBrowsesReadOnlyAndIsRefusedWritesInWords() {
    User owner = newUser("owner");
    User reader = newUser("reader");
    S3Client asOwner = s3(owner);
    String shared = TestData.bucketName("shared");
    String other = TestData.bucketName("private");
    asOwner.createBucket(b -> b.bucket(shared));
    asOwner.createBucket(b -> b.bucket(other));
    asOwner.putObject(b -> b.bucket(shared).key("docs/readme.txt").contentType("text/plain"),
        RequestBody.fromString("read me, please\n"));
    asOwner.putObject(b -> b.bucket(shared).key("top.txt"), RequestBody.fromString("top"));

    BucketsPage buckets = signIn(owner);
    assertEquals("Owner", buckets.access(shared));
    assertEquals("2", buckets.objects(shared));
    assertEquals(19, buckets.bytes(shared));
    BucketSettingsPage settings = buckets.settings(shared);
    assertEquals(owner.name(), settings.owner());
    assertEquals(Map.of(), settings.grants());
    settings.grant(reader.name(), "Read only");
    assertEquals(Map.of(reader.name(), "read"), settings.grants());
    browser.screenshot("bucket-settings");
    JsonNode view = adminApiAs(owner).expect(200, "GET", "/buckets/" + shared, null);
    assertEquals(reader.name(), view.path("grants").get(0).path("user").asText(), view::toString);
    assertEquals("read", view.path("grants").get(0).path("permission").asText(), view::toString);
    browser.driver().findElement(By.id("sign-out")).click();

    BucketsPage asReader = SignInPage.shown(browser).signIn(reader.accessKey(), reader.secretKey());
    assertEquals(List.of(shared), asReader.bucketNames(), "none of the owner's other buckets");
    assertEquals("Read only", asReader.access(shared));
    assertEquals(owner.name(), asReader.owner(shared));
    assertFalse(asReader.offersSettingsAndDelete(shared));
    ObjectBrowserPage objects = asReader.open(shared);
    assertEquals("read", objects.awaitAccess());
    assertTrue(objects.markedReadOnly());
    assertTrue(objects.readOnlyNote().contains("read-only access to bucket " + shared), objects.readOnlyNote());
    assertEquals(Map.of("upload-files", false, "upload-folder", false, "delete-selected", false),
        objects.writeControlsEnabled());
    browser.screenshot("read-only");

    objects = objects.openFolder("docs/");
    assertEquals("docs/readme.txt", objects.details("docs/readme.txt").get("key"));
    assertEquals("text", objects.awaitPreview());
    assertTrue(objects.previewText().contains("read me, please"), objects.previewText());

    // A write the server refuses anyway: a drop still reaches S3, which says AccessDenied.
    objects.dropFile("nope.txt", "not allowed");
    Map<String, String> failures = objects.awaitUploadsEnded(1);
    assertEquals(Map.of("docs/nope.txt", readOnly(shared, owner)), failures);
    assertThrows(NoSuchKeyException.class, () -> asOwner.headObject(b -> b.bucket(shared).key("docs/nope.txt")));

    // Refused for another reason: the grant is gone when the reader next lists.
    adminApiAs(owner).expect(200, "DELETE", "/buckets/" + shared + "/grants/" + reader.name(), null);
    objects = objects.breadcrumb(shared);
    assertTrue(objects.error().contains("You have no access to bucket " + shared), objects.error());
    assertFalse(objects.error().contains("AccessDenied"), objects.error());
  }

  @Test
  void aGrantCutToReadWhileThePageIsOpenIsExplainedWhenAWriteIsRefused(@TempDir Path tmp) throws IOException {
    User owner = newUser("owner");
    User writer = newUser("writer");
    String bucket = TestData.bucketName("cut");
    s3(owner).createBucket(b -> b.bucket(bucket));
    adminApiAs(owner).expect(200, "PUT", "/buckets/" + bucket + "/grants/" + writer.name(),
        Map.of("permission", "read-write"));

    BucketsPage buckets = signIn(writer);
    assertEquals("Read and write", buckets.access(bucket));
    ObjectBrowserPage objects = buckets.open(bucket);
    assertEquals("read-write", objects.awaitAccess());
    assertFalse(objects.markedReadOnly());
    Path first = Files.writeString(tmp.resolve("first.txt"), "first");
    objects.uploadFiles(List.of(first)).awaitUploads(1);
    assertEquals(List.of("first.txt"), objects.objectKeys());

    adminApiAs(owner).expect(200, "PUT", "/buckets/" + bucket + "/grants/" + writer.name(),
        Map.of("permission", "read"));
    Path second = Files.writeString(tmp.resolve("second.txt"), "second");
    objects.clearUploads().uploadFiles(List.of(second));
    assertEquals(Map.of("second.txt", readOnly(bucket, owner)), objects.awaitUploadsEnded(1));

    String summary = objects.select("first.txt").deleteSelected();
    assertTrue(summary.contains(readOnly(bucket, owner)), summary);
    assertEquals("first", s3(owner).getObjectAsBytes(b -> b.bucket(bucket).key("first.txt")).asUtf8String());
  }

  @Test
  void theOwnerDeletesANonEmptyBucketWithEverythingInItAfterTypingItsName() {
    User owner = newUser("owner");
    S3Client asOwner = s3(owner);
    String bucket = TestData.bucketName("full");
    asOwner.createBucket(b -> b.bucket(bucket));
    for (String key : List.of("a.txt", "b/c.txt", "b/d/e.txt")) {
      asOwner.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
    }
    asOwner.createMultipartUpload(b -> b.bucket(bucket).key("unfinished"));

    BucketSettingsPage settings = signIn(owner).settings(bucket);
    assertEquals("3", settings.objects());
    BucketsPage buckets = settings.forceDelete(bucket);
    assertFalse(buckets.bucketNames().contains(bucket), buckets.bucketNames().toString());
    assertThrows(NoSuchBucketException.class, () -> asOwner.headBucket(b -> b.bucket(bucket)));
  }

  @Test
  void aSessionWhoseKeyAnAdminDisabledEndsAtTheNextClick() {
    User user = newUser("disabled");
    String bucket = TestData.bucketName("click");
    s3(user).createBucket(b -> b.bucket(bucket));
    s3(user).putObject(b -> b.bucket(bucket).key("folder/file.txt"), RequestBody.fromString("x"));
    ObjectBrowserPage objects = signIn(user).open(bucket);
    assertEquals(List.of("folder/"), objects.folders());

    admin().expect(200, "PATCH", "/keys/" + user.accessKey(), Map.of("enabled", false));
    objects.clickFolder("folder/");
    SignInPage signIn = SignInPage.shown(browser);
    assertTrue(signIn.notice().contains("session has ended"), signIn.notice());
  }
}
