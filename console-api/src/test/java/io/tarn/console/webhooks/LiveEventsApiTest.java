package io.tarn.console.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Principal;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.Permission;
import io.tarn.storage.access.policy.BucketPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /buckets/{b}/events/live}: open to whoever may read the bucket (owner, admin, a grant),
 * refused to others as the rest of the API refuses; the stream's later re-checks follow the
 * credential and the grant; the caps answer 429.
 */
class LiveEventsApiTest extends WebhooksTestSupport {
  private int n;

  private ApiResponse live(Optional<Principal> caller, Map<String, String> headers, String bucket) {
    return api.handle(new ApiRequest("GET", "/api/v1/buckets/" + bucket + "/events/live", Map.of(), headers,
        new byte[0], caller, "REQ-live-" + (++n), "192.0.2.7"));
  }

  private ApiResponse live(Principal caller, String bucket) {
    return live(Optional.ofNullable(caller), Map.of(), bucket);
  }

  private static String error(ApiResponse r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static void assertStream(ApiResponse r) {
    assertEquals(200, r.status(), () -> error(r));
    assertEquals("text/event-stream", r.contentType());
    assertNotNull(r.stream());
    assertEquals("no-store", r.headers().get("Cache-Control"));
    byte[] first = r.stream().poll();
    assertTrue(new String(first, StandardCharsets.UTF_8).startsWith("event: ready\n"));
    r.stream().close();
  }

  @Test
  void readersMayWatchOthersAreRefusedAsElsewhere() {
    assertStream(live(alice, "photos")); // the owner
    assertStream(live(root, "photos")); // an admin
    assertStream(live(Optional.empty(), Map.of("authorization", "Bearer " + token(alice)), "photos"));

    ApiResponse bobRefused = live(bob, "photos");
    assertEquals(403, bobRefused.status());
    assertNull(bobRefused.stream());
    assertTrue(error(bobRefused).contains("you may not read bucket photos"), error(bobRefused));
    assertEquals(403, live(Optional.empty(), Map.of("authorization", "Bearer " + token(bob)), "photos").status());
    assertEquals(403, live(null, "photos").status()); // unsigned, no token
    assertEquals(404, live(bob, "nope").status());

    identity.grant("photos", bob.userId(), Permission.READ); // a READ grant is enough, as for S3 reads
    assertStream(live(bob, "photos"));
    // ...but not to manage the bucket's webhooks.
    assertEquals(403, call(bob, "GET", "/buckets/photos/webhooks").status());
    assertEquals(List.of(), webhooks.live.viewers("photos"), "every tail closed has left");
  }

  /** As S3's ListBucket: the bucket policy's Deny refuses even an owner and an admin; its Allow admits. */
  @Test
  void theBucketPolicyDecidesAsForAListing() throws Exception {
    store.putBucketPolicy("photos", BucketPolicy.parse("""
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam:::user/bob"}, "Action": "s3:ListBucket",
           "Resource": "arn:aws:s3:::photos"},
          {"Effect": "Deny", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::photos",
           "Condition": {"StringEquals": {"aws:username": ["alice", "root"]}}}]}""", "photos"));
    assertStream(live(bob, "photos")); // no grant: the policy's Allow
    ApiResponse denied = live(alice, "photos");
    assertEquals(403, denied.status());
    assertTrue(error(denied).contains("denies you s3:ListBucket"), error(denied));
    assertEquals(403, live(root, "photos").status(), "an explicit Deny binds admins too");

    ApiResponse r = live(bob, "photos");
    assertTrue(r.stream().stillAuthorized());
    store.deleteBucketPolicy("photos");
    assertFalse(r.stream().stillAuthorized(), "the policy that admitted it is gone");
    r.stream().close();
    assertStream(live(alice, "photos"));
  }

  @Test
  void theStreamEndsWhenTheGrantOrTheKeyIsGone() {
    identity.grant("photos", bob.userId(), Permission.READ_WRITE);
    ApiResponse r = live(bob, "photos");
    assertTrue(r.stream().stillAuthorized());
    identity.revoke("photos", bob.userId());
    assertFalse(r.stream().stillAuthorized(), "the grant was revoked");
    r.stream().close();

    identity.grant("photos", bob.userId(), Permission.READ);
    ApiResponse again = live(bob, "photos");
    assertTrue(again.stream().stillAuthorized());
    identity.setKeyEnabled(bob.accessKeyId(), false);
    assertFalse(again.stream().stillAuthorized(), "the key was disabled");
    again.stream().close();

    String token = token(alice);
    ApiResponse byToken = live(Optional.empty(), Map.of("authorization", "Bearer " + token), "photos");
    assertTrue(byToken.stream().stillAuthorized());
    identity.revokeToken(alice.userId(), identity.tokens(alice.userId()).get(0).id());
    assertFalse(byToken.stream().stillAuthorized(), "the token was revoked");
    byToken.stream().close();
  }

  @Test
  void aBucketDeletedAndCreatedAgainIsAnotherBucket() {
    ApiResponse r = live(alice, "photos");
    assertTrue(r.stream().stillAuthorized());
    store.deleteBucket("photos");
    store.createBucket("photos", "us-east-1", alice.userId());
    assertFalse(r.stream().stillAuthorized());
    r.stream().close();
  }

  @Test
  void capsAnswerTooManyRequests() {
    ApiResponse a = live(alice, "photos");
    ApiResponse b = live(alice, "photos");
    ApiResponse third = live(alice, "photos"); // 2 per user
    assertEquals(429, third.status(), () -> error(third));
    assertTrue(error(third).contains("TooManyRequests"), error(third));
    a.stream().close();
    assertStream(live(alice, "photos"));
    b.stream().close();
  }
}
