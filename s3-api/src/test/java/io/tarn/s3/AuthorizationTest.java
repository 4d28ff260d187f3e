package io.tarn.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.Permission;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what: owners and admins everything, READ and READ_WRITE grantees what their grant
 * allows, everyone else AccessDenied; key and user state checked on every request.
 */
class AuthorizationTest {
  @TempDir static Path dir;
  private static S3Fixture fixture;
  private static IdentityStore identity;
  private static NewAccessKey bob;
  private static NewAccessKey reader;
  private static NewAccessKey writer;
  private static NewAccessKey stranger;

  @BeforeAll
  static void users() {
    fixture = S3Fixture.open(dir);
    identity = fixture.store().identity();
    bob = fixture.user("bob");
    reader = fixture.user("reader");
    writer = fixture.user("writer");
    stranger = fixture.user("stranger");
    assertEquals(200, fixture.as(bob, TestRequest.put("/bobs")).status());
    assertEquals(200, fixture.as(bob, TestRequest.put("/bobs/doc").body("bob's data")).status());
    identity.grant("bobs", reader.info().userId(), Permission.READ);
    identity.grant("bobs", writer.info().userId(), Permission.READ_WRITE);
    assertEquals(200, fixture.as(stranger, TestRequest.put("/strangers")).status());
  }

  @AfterAll
  static void close() {
    fixture.close();
  }



  private static void denied(TestResponse r) {
    assertEquals(403, r.status(), r.toString());
    if (r.body().length > 0) {
      assertEquals("AccessDenied", r.xml("Code"));
    }
  }

  @Test
  void theOwnerDoesEverything() {
    assertEquals(200, fixture.as(bob, TestRequest.get("/bobs/doc")).status());
    assertEquals(200, fixture.as(bob, TestRequest.get("/bobs?list-type=2")).status());
    assertEquals(200, fixture.as(bob, TestRequest.get("/bobs?acl")).status());
    assertEquals(200, fixture.as(bob, TestRequest.put("/bobs/owned").body("x")).status());
    assertEquals(204, fixture.as(bob, TestRequest.delete("/bobs/owned")).status());
  }

  @Test
  void aReaderReadsButDoesNotWrite() {
    assertEquals("bob's data", fixture.as(reader, TestRequest.get("/bobs/doc")).text());
    assertEquals(200, fixture.as(reader, TestRequest.head("/bobs")).status());
    assertEquals(200, fixture.as(reader, TestRequest.get("/bobs?list-type=2")).status());
    denied(fixture.as(reader, TestRequest.put("/bobs/new").body("x")));
    denied(fixture.as(reader, TestRequest.delete("/bobs/doc")));
    denied(fixture.as(reader, TestRequest.post("/bobs/new?uploads")));
    denied(fixture.as(reader, TestRequest.delete("/bobs")));
    assertEquals(200, fixture.as(bob, TestRequest.head("/bobs/doc")).status(), "the refused delete must not have deleted");
  }

  @Test
  void aWriterWritesButDoesNotConfigureOrDeleteTheBucket() {
    assertEquals(200, fixture.as(writer, TestRequest.put("/bobs/from-writer").body("w")).status());
    assertEquals(200, fixture.as(writer, TestRequest.get("/bobs/from-writer")).status());
    assertEquals(204, fixture.as(writer, TestRequest.delete("/bobs/from-writer")).status());
    denied(fixture.as(writer, TestRequest.delete("/bobs")));
    denied(fixture.as(writer, TestRequest.put("/bobs?acl").header("x-amz-acl", "private")));
  }

  @Test
  void aStrangerGetsAccessDeniedOnEveryOperationButNoSuchBucketForMissingOnes() {
    denied(fixture.as(stranger, TestRequest.get("/bobs/doc")));
    denied(fixture.as(stranger, TestRequest.head("/bobs/doc")));
    denied(fixture.as(stranger, TestRequest.head("/bobs")));
    denied(fixture.as(stranger, TestRequest.get("/bobs")));
    denied(fixture.as(stranger, TestRequest.get("/bobs?location")));
    denied(fixture.as(stranger, TestRequest.put("/bobs/x").body("x")));
    denied(fixture.as(stranger, TestRequest.delete("/bobs")));
    TestResponse missing = fixture.as(stranger, TestRequest.get("/nobody/x"));
    assertEquals(404, missing.status());
    assertEquals("NoSuchBucket", missing.xml("Code"));
  }

  @Test
  void copyingNeedsReadOnTheSourceToo() {
    denied(fixture.as(stranger, TestRequest.put("/strangers/stolen").header("x-amz-copy-source", "/bobs/doc")));
    assertEquals(404, fixture.as(stranger, TestRequest.get("/strangers/stolen")).status());
    assertEquals(200, fixture.as(writer, TestRequest.put("/bobs/copied").header("x-amz-copy-source", "/bobs/doc")).status());
  }

  @Test
  void listBucketsShowsOwnedAndGrantedBucketsAndAdminsSeeAll() {
    assertEquals(List.of("bobs"), fixture.as(bob, TestRequest.get("/")).xmlAll("Name"));
    assertEquals(List.of("bobs"), fixture.as(reader, TestRequest.get("/")).xmlAll("Name"));
    assertEquals(List.of("strangers"), fixture.as(stranger, TestRequest.get("/")).xmlAll("Name"));
    List<String> all = DirectExchange.run(fixture.api(), TestRequest.get("/")).xmlAll("Name");
    assertTrue(all.containsAll(List.of("bobs", "strangers")), all.toString());
  }

  @Test
  void aBucketTakenByAnotherUserIsBucketAlreadyExists() {
    TestResponse r = fixture.as(stranger, TestRequest.put("/bobs"));
    // AccessDenied comes first only for operations on the bucket; creating names a new bucket.
    assertEquals(409, r.status(), r.toString());
    assertEquals("BucketAlreadyExists", r.xml("Code"));
  }

  @Test
  void keyAndUserStateTakeEffectOnTheNextRequest() {
    NewAccessKey k = fixture.user("changing");
    assertEquals(200, fixture.as(k, TestRequest.get("/")).status());

    identity.setKeyEnabled(k.info().accessKeyId(), false);
    TestResponse disabled = fixture.as(k, TestRequest.get("/"));
    assertEquals(403, disabled.status());
    assertEquals("InvalidAccessKeyId", disabled.xml("Code"));
    identity.setKeyEnabled(k.info().accessKeyId(), true);
    assertEquals(200, fixture.as(k, TestRequest.get("/")).status());

    identity.setKeyExpiry(k.info().accessKeyId(), S3Fixture.NOW.minusSeconds(1));
    assertEquals("InvalidAccessKeyId", fixture.as(k, TestRequest.get("/")).xml("Code"));
    identity.setKeyExpiry(k.info().accessKeyId(), S3Fixture.NOW.plusSeconds(60));
    assertEquals(200, fixture.as(k, TestRequest.get("/")).status());

    identity.setUserEnabled(k.info().userId(), false);
    assertEquals("AccessDenied", fixture.as(k, TestRequest.get("/")).xml("Code"));
    identity.setUserEnabled(k.info().userId(), true);
    assertEquals(200, fixture.as(k, TestRequest.get("/")).status());

    identity.deleteKey(k.info().accessKeyId());
    assertEquals("InvalidAccessKeyId", fixture.as(k, TestRequest.get("/")).xml("Code"));
  }

  @Test
  void aWrongSecretIsSignatureDoesNotMatch() {
    TestResponse r = DirectExchange.run(fixture.api(),
        TestRequest.get("/bobs/doc").credentials(bob.info().accessKeyId(), "not-the-secret-0000000000000000000000000"));
    assertEquals(403, r.status());
    assertEquals("SignatureDoesNotMatch", r.xml("Code"));
  }

  @Test
  void tarnApisGetTheSignedPrincipalOrNone() {
    TestResponse signed = fixture.as(bob, TestRequest.post("/_tarn/admin/v1/users?x=1").body("{\"a\":1}"));
    assertEquals(200, signed.status(), signed.toString());
    assertEquals("POST /admin/v1/users {x=[1]} principal=bob body={\"a\":1}", signed.text());
    assertEquals("1", signed.header("X-Echo"));

    TestResponse unsigned = DirectExchange.run(fixture.api(), TestRequest.get("/_tarn/api/v1/x%20y").anonymous());
    assertEquals("GET /api/v1/x y {} principal=- body=", unsigned.text());

    TestResponse bad = DirectExchange.run(fixture.api(),
        TestRequest.get("/_tarn/admin/v1/info").credentials(bob.info().accessKeyId(), "wrong-secret-00000000000000000000000000"));
    assertEquals(403, bad.status());
    assertEquals("application/json", bad.header("Content-Type"));
    assertTrue(bad.text().contains("\"code\":\"SignatureDoesNotMatch\""), bad.text());
    assertFalse(bad.text().contains("<Error>"));
  }
}
