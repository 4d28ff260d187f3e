package io.tarn.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.NewAccessKey;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Authorizer on ACLs (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions):
 * each permission opens exactly its operations, to users and to the anonymous caller, on a real store.
 */
class AclAuthorizationTest {
  private static final String ALL_USERS = "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"";
  @TempDir static Path dir;
  private static S3Fixture fixture;
  private static IdentityStore identity;
  private static NewAccessKey owner;
  private static NewAccessKey other;

  @BeforeAll
  static void users() {
    fixture = S3Fixture.open(dir);
    identity = fixture.store().identity();
    owner = fixture.user("owner");
    other = fixture.user("other");
  }

  @AfterAll
  static void close() {
    fixture.close();
  }



  private static TestResponse anonymous(TestRequest r) {
    return DirectExchange.run(fixture.api(), r.anonymous());
  }

  private static void denied(TestResponse r) {
    assertEquals(403, r.status(), r.toString());
    if (r.body().length > 0) {
      assertEquals("AccessDenied", r.xml("Code"));
    }
  }

  private static String id(NewAccessKey k) {
    return k.info().userId();
  }

  @Test
  void anObjectMadePublicIsReadAnonymouslyAndOnlyIt() {
    assertEquals(200, fixture.as(owner, TestRequest.put("/pub")).status());
    assertEquals(200, fixture.as(owner, TestRequest.put("/pub/open").header("x-amz-acl", "public-read").body("open")).status());
    assertEquals(200, fixture.as(owner, TestRequest.put("/pub/closed").body("closed")).status());

    TestResponse read = anonymous(TestRequest.get("/pub/open"));
    assertEquals(200, read.status(), read.toString());
    assertEquals("open", read.text());
    assertEquals(200, anonymous(TestRequest.head("/pub/open")).status());
    denied(anonymous(TestRequest.get("/pub/closed")));
    denied(anonymous(TestRequest.get("/pub?list-type=2")));
    denied(anonymous(TestRequest.put("/pub/new").body("x")));
    denied(anonymous(TestRequest.delete("/pub/open")));
    denied(anonymous(TestRequest.get("/pub/open?acl")), "READ is not READ_ACP");
    denied(anonymous(TestRequest.get("/pub/missing")), "no bucket READ: AccessDenied, not NoSuchKey");
    denied(anonymous(TestRequest.get("/")));
    denied(anonymous(TestRequest.put("/anonymous-bucket")));

    // Private again: refused again.
    assertEquals(200, fixture.as(owner, TestRequest.put("/pub/open?acl").header("x-amz-acl", "private")).status());
    denied(anonymous(TestRequest.get("/pub/open")));
  }

  /** An anonymous write is the bucket owner's object: readable and manageable by the owner, not by no one. */
  @Test
  void anAnonymousWriteBelongsToTheBucketOwner() {
    assertEquals(200, fixture.as(owner, TestRequest.put("/dropbox").header("x-amz-acl", "public-read-write")).status());
    assertEquals(200, anonymous(TestRequest.put("/dropbox/note").body("hi")).status());
    TestResponse acl = fixture.as(owner, TestRequest.get("/dropbox/note?acl"));
    assertEquals(200, acl.status(), acl.toString());
    assertEquals(id(owner), acl.xml("ID"));
    assertEquals("hi", fixture.as(owner, TestRequest.get("/dropbox/note")).text());
    denied(anonymous(TestRequest.get("/dropbox/note")), "private to the bucket owner: the bucket's WRITE is not READ");
    denied(fixture.as(other, TestRequest.get("/dropbox/note")));
  }

  private static void denied(TestResponse r, String why) {
    assertEquals(403, r.status(), why + ": " + r);
  }

  @Test
  void aPublicReadBucketListsButDoesNotOpenItsObjects() {
    assertEquals(200, fixture.as(owner, TestRequest.put("/listable").header("x-amz-acl", "public-read")).status());
    assertEquals(200, fixture.as(owner, TestRequest.put("/listable/doc").body("doc")).status());
    TestResponse list = anonymous(TestRequest.get("/listable?list-type=2"));
    assertEquals(200, list.status(), list.toString());
    assertEquals("doc", list.xml("Key"));
    denied(anonymous(TestRequest.get("/listable/doc")), "bucket READ lists; objects keep their own ACL");
    assertEquals(404, anonymous(TestRequest.get("/listable/missing")).status(), "may list, so may learn it is missing");
    assertEquals(200, fixture.as(other, TestRequest.get("/listable?list-type=2")).status(), "AllUsers includes users");
  }

  @Test
  void writeReadAcpAndWriteAcpOpenTheirOperationsOnly() {
    assertEquals(200, fixture.as(owner, TestRequest.put("/shared")).status());
    assertEquals(200, fixture.as(owner, TestRequest.put("/shared/doc").body("doc")).status());
    denied(fixture.as(other, TestRequest.put("/shared/x").body("x")));

    assertEquals(200, fixture.as(owner, TestRequest.put("/shared?acl").header("x-amz-grant-write", "id=\"" + id(other) + "\"")
        .header("x-amz-grant-full-control", "id=\"" + id(owner) + "\"")).status());
    assertEquals(200, fixture.as(other, TestRequest.put("/shared/x").body("x")).status(), "bucket WRITE puts");
    assertEquals(204, fixture.as(other, TestRequest.delete("/shared/doc")).status(), "and deletes");
    denied(fixture.as(other, TestRequest.get("/shared?list-type=2")), "WRITE is not READ");
    denied(fixture.as(other, TestRequest.get("/shared?acl")));
    // What other wrote is its own (ObjectWriter): it reads it and its ACL; the bucket owner too.
    assertEquals(200, fixture.as(other, TestRequest.get("/shared/x")).status());
    TestResponse objectAcl = fixture.as(other, TestRequest.get("/shared/x?acl"));
    assertEquals(200, objectAcl.status(), objectAcl.toString());
    assertEquals(id(other), objectAcl.xml("ID"));
    assertEquals(200, fixture.as(owner, TestRequest.get("/shared/x")).status());

    assertEquals(200, fixture.as(owner, TestRequest.put("/shared?acl").header("x-amz-grant-read-acp", "id=\"" + id(other) + "\""))
        .status());
    assertEquals(200, fixture.as(other, TestRequest.get("/shared?acl")).status(), "READ_ACP reads the ACL");
    denied(fixture.as(other, TestRequest.put("/shared?acl").header("x-amz-acl", "public-read")), "but does not write it");
    denied(fixture.as(other, TestRequest.put("/shared/y").body("y")), "the new ACL replaced the WRITE grant");
    assertEquals(200, fixture.as(owner, TestRequest.put("/shared?acl").header("x-amz-grant-write-acp", "id=\"" + id(other) + "\""))
        .status());
    assertEquals(200, fixture.as(other, TestRequest.put("/shared?acl").header("x-amz-grant-read", ALL_USERS)).status(),
        "WRITE_ACP writes the ACL");
    assertEquals(200, anonymous(TestRequest.get("/shared?list-type=2")).status(), "the ACL other wrote is in force");
    denied(fixture.as(other, TestRequest.get("/shared?acl")), "and it no longer grants other anything");
  }

  @Test
  void ownershipControlsAreTheOwners() {
    assertEquals(200, fixture.as(owner, TestRequest.put("/owned").header("x-amz-grant-full-control", "id=\"" + id(other) + "\""))
        .status());
    String enforced = "<OwnershipControls><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule>"
        + "</OwnershipControls>";
    denied(fixture.as(other, TestRequest.put("/owned?ownershipControls").body(enforced)), "FULL_CONTROL is not ownership");
    denied(fixture.as(other, TestRequest.get("/owned?ownershipControls")), "nor reading it");
    TestResponse refused = fixture.as(owner, TestRequest.put("/owned?ownershipControls").body(enforced));
    assertEquals(400, refused.status());
    assertEquals("InvalidBucketAclWithObjectOwnership", refused.xml("Code"));
    assertEquals(200, fixture.as(owner, TestRequest.put("/owned?acl").header("x-amz-acl", "private")).status());
    assertEquals(200, fixture.as(owner, TestRequest.put("/owned?ownershipControls").body(enforced)).status());
    // ACLs disabled: grants count for nothing, and setting one is refused.
    TestResponse acl = fixture.as(owner, TestRequest.put("/owned/k").header("x-amz-acl", "public-read").body("k"));
    assertEquals(400, acl.status());
    assertEquals("AccessControlListNotSupported", acl.xml("Code"));
    assertEquals(200, fixture.as(owner, TestRequest.put("/owned/k").header("x-amz-acl", "bucket-owner-full-control").body("k"))
        .status());
    denied(anonymous(TestRequest.get("/owned/k")));
  }

  @Test
  void aBadSignatureStillFailsAsBefore() {
    assertEquals(200, fixture.as(owner, TestRequest.put("/signed").header("x-amz-acl", "public-read")).status());
    TestResponse r = DirectExchange.run(fixture.api(), TestRequest.get("/signed?list-type=2")
        .credentials(owner.info().accessKeyId(), "not-the-secret"));
    assertEquals(403, r.status());
    assertEquals("SignatureDoesNotMatch", r.xml("Code"));
  }
}
