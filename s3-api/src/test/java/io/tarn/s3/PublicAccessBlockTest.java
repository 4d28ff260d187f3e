package io.tarn.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.Permission;
import io.tarn.storage.PublicAccessBlock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public access block: {@code ?publicAccessBlock} PUT/GET/DELETE, BlockPublicPolicy refusing a
 * public policy, RestrictPublicBuckets limiting a public policy's Allow to the bucket's own users, and
 * the server-wide default that a bucket's configuration cannot loosen.
 */
class PublicAccessBlockTest {
  private static final String ALL = "<PublicAccessBlockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      + "<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>"
      + "<BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>"
      + "</PublicAccessBlockConfiguration>";
  private static final String NONE = "<PublicAccessBlockConfiguration>"
      + "<BlockPublicAcls>false</BlockPublicAcls><BlockPublicPolicy>false</BlockPublicPolicy>"
      + "</PublicAccessBlockConfiguration>";

  @TempDir Path dir;
  private S3Fixture fixture;
  private NewAccessKey bob;
  private NewAccessKey reader;
  private NewAccessKey stranger;

  private void open(PublicAccessBlock serverBlock) {
    fixture = S3Fixture.open(dir, serverBlock);
    IdentityStore identity = fixture.store().identity();
    bob = fixture.user("bob");
    reader = fixture.user("reader");
    stranger = fixture.user("stranger");
    assertEquals(200, fixture.as(bob, TestRequest.put("/bkt")).status());
    assertEquals(200, fixture.as(bob, TestRequest.put("/bkt/doc").body("x")).status());
    identity.grant("bkt", reader.info().userId(), Permission.READ);
  }

  @AfterEach
  void close() {
    fixture.close();
  }



  private static String publicPolicy(String action) {
    return BucketPolicyTest.policy(BucketPolicyTest.statement("Allow", "\"*\"", action, "arn:aws:s3:::bkt/*", null));
  }

  private TestResponse putBlock(String xml) {
    return fixture.as(bob, TestRequest.put("/bkt?publicAccessBlock").body(xml).header("Content-MD5", BucketPolicyTest.md5(xml)));
  }

  @Test
  void theConfigurationIsPutReadAndDeleted() {
    open(PublicAccessBlock.NONE);
    TestResponse r = fixture.as(bob, TestRequest.get("/bkt?publicAccessBlock"));
    assertEquals(404, r.status());
    assertEquals("NoSuchPublicAccessBlockConfiguration", r.xml("Code"));
    assertEquals(200, putBlock(NONE).status());
    r = fixture.as(bob, TestRequest.get("/bkt?publicAccessBlock"));
    assertEquals(200, r.status());
    assertEquals("false", r.xml("BlockPublicAcls"));
    assertEquals("false", r.xml("IgnorePublicAcls"), "an absent setting is false");
    assertEquals(200, putBlock(ALL).status());
    r = fixture.as(bob, TestRequest.get("/bkt?publicAccessBlock"));
    assertEquals("true", r.xml("IgnorePublicAcls"));
    assertEquals("true", r.xml("RestrictPublicBuckets"));
    denied(fixture.as(stranger, TestRequest.get("/bkt?publicAccessBlock")));
    denied(fixture.as(reader, TestRequest.delete("/bkt?publicAccessBlock")));
    assertEquals(204, fixture.as(bob, TestRequest.delete("/bkt?publicAccessBlock")).status());
    assertEquals(404, fixture.as(bob, TestRequest.get("/bkt?publicAccessBlock")).status());
    String bad = "<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>";
    assertEquals("MalformedXML", putBlock(bad).xml("Code"));
    assertEquals("NoSuchBucket", fixture.as(bob, TestRequest.get("/nob?publicAccessBlock")).xml("Code"));
  }

  @Test
  void blockPublicPolicyRefusesAPublicPolicyButNotOneThatNamesUsers() {
    open(PublicAccessBlock.NONE);
    assertEquals(200, putBlock(ALL).status());
    TestResponse r = fixture.as(bob, TestRequest.put("/bkt?policy").body(publicPolicy("s3:GetObject")));
    denied(r);
    assertEquals(404, fixture.as(bob, TestRequest.get("/bkt?policy")).status(), "nothing stored");
    assertEquals(204, fixture.as(bob, TestRequest.put("/bkt?policy").body(BucketPolicyTest.policy(BucketPolicyTest.statement(
        "Allow", "{\"AWS\":\"arn:aws:iam:::user/stranger\"}", "s3:GetObject", "arn:aws:s3:::bkt/*", null)))).status());
  }

  @Test
  void restrictPublicBucketsLetsAPublicPolicyAllowOnlyTheBucketsOwnUsers() {
    open(PublicAccessBlock.NONE);
    assertEquals(204, fixture.as(bob, TestRequest.put("/bkt?policy").body(publicPolicy("s3:PutObject"))).status());
    assertEquals(200, fixture.as(stranger, TestRequest.put("/bkt/s").body("x")).status());
    assertEquals(200, putBlock(ALL).status());
    denied(fixture.as(stranger, TestRequest.put("/bkt/s").body("x")));
    // reader holds a grant (READ): the public policy's Allow still counts for it.
    assertEquals(200, fixture.as(reader, TestRequest.put("/bkt/r").body("x")).status());
    assertEquals(204, fixture.as(bob, TestRequest.delete("/bkt?publicAccessBlock")).status());
    assertEquals(200, fixture.as(stranger, TestRequest.put("/bkt/s").body("x")).status());
  }

  @Test
  void restrictPublicBucketsShutsOutAnonymousCallersAPublicPolicyLetIn() {
    open(PublicAccessBlock.NONE);
    assertEquals(204, fixture.as(bob, TestRequest.put("/bkt?policy").body(publicPolicy("s3:GetObject"))).status());
    assertEquals(200, DirectExchange.run(fixture.api(), TestRequest.get("/bkt/doc").anonymous()).status());
    assertEquals(200, putBlock(ALL).status());
    denied(DirectExchange.run(fixture.api(), TestRequest.get("/bkt/doc").anonymous()));
    assertEquals(200, fixture.as(reader, TestRequest.get("/bkt/doc")).status());
  }

  @Test
  void theServerWideBlockAppliesToEveryBucketAndABucketCannotLoosenIt() {
    open(PublicAccessBlock.parse("BlockPublicPolicy"));
    denied(fixture.as(bob, TestRequest.put("/bkt?policy").body(publicPolicy("s3:GetObject"))));
    assertEquals(200, putBlock(NONE).status());
    denied(fixture.as(bob, TestRequest.put("/bkt?policy").body(publicPolicy("s3:GetObject"))));
    assertEquals(404, fixture.as(bob, TestRequest.get("/bkt?policy")).status());
  }

  private static final String ACLS_ONLY = "<PublicAccessBlockConfiguration>"
      + "<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>"
      + "</PublicAccessBlockConfiguration>";

  /** BlockPublicAcls refuses every request that sets a public ACL; a private one still goes through. */
  @Test
  void blockPublicAclsRefusesPublicAclsOnEveryWrite() {
    open(PublicAccessBlock.NONE);
    assertEquals(200, putBlock(ACLS_ONLY).status());
    denied(fixture.as(bob, TestRequest.put("/bkt/p").header("x-amz-acl", "public-read").body("x")));
    assertEquals(404, fixture.as(bob, TestRequest.head("/bkt/p")).status(), "nothing stored");
    denied(fixture.as(bob, TestRequest.put("/bkt/doc?acl").header("x-amz-acl", "authenticated-read")));
    denied(fixture.as(bob, TestRequest.put("/bkt?acl").header("x-amz-grant-read",
        "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")));
    denied(fixture.as(bob, TestRequest.post("/bkt/mp?uploads").header("x-amz-acl", "public-read-write")));
    denied(fixture.as(bob, TestRequest.put("/bkt/copy").header("x-amz-copy-source", "/bkt/doc")
        .header("x-amz-acl", "public-read")));
    assertEquals(200, fixture.as(bob, TestRequest.put("/bkt/q").header("x-amz-acl", "private").body("x")).status());
    // The server-wide block covers a bucket being created, which has no configuration of its own yet.
    fixture.close();
    dir = dir.resolve("again");
    fixture = S3Fixture.open(dir, PublicAccessBlock.parse("BlockPublicAcls"));
    NewAccessKey carol = fixture.user("carol");
    denied(fixture.as(carol, TestRequest.put("/pub").header("x-amz-acl", "public-read")));
    assertEquals(200, fixture.as(carol, TestRequest.put("/priv").header("x-amz-acl", "private")).status());
  }

  /** IgnorePublicAcls: public grants stay stored and shown, and grant nothing while it is on. */
  @Test
  void ignorePublicAclsMakesPublicGrantsGrantNothing() {
    open(PublicAccessBlock.NONE);
    assertEquals(200, fixture.as(bob, TestRequest.put("/bkt/pub").header("x-amz-acl", "public-read").body("x")).status());
    assertEquals(200, fixture.as(bob, TestRequest.put("/bkt?acl").header("x-amz-acl", "authenticated-read")).status());
    // The canned ACL replaced the bucket's grants: reader's READ by name again, beside the public one.
    fixture.store().identity().grant("bkt", reader.info().userId(), Permission.READ);
    assertEquals(200, DirectExchange.run(fixture.api(), TestRequest.get("/bkt/pub").anonymous()).status());
    assertEquals(200, fixture.as(stranger, TestRequest.get("/bkt?list-type=2")).status());
    assertEquals(200, putBlock("<PublicAccessBlockConfiguration><IgnorePublicAcls>true</IgnorePublicAcls>"
        + "</PublicAccessBlockConfiguration>").status());
    denied(DirectExchange.run(fixture.api(), TestRequest.get("/bkt/pub").anonymous()));
    denied(fixture.as(stranger, TestRequest.get("/bkt?list-type=2")));
    assertEquals(200, fixture.as(reader, TestRequest.get("/bkt/pub")).status(), "a grant by name still counts");
    TestResponse acl = fixture.as(bob, TestRequest.get("/bkt/pub?acl"));
    assertEquals(200, acl.status());
    org.junit.jupiter.api.Assertions.assertTrue(acl.text().contains("global/AllUsers"), "still stored and shown");
    assertEquals(204, fixture.as(bob, TestRequest.delete("/bkt?publicAccessBlock")).status());
    assertEquals(200, DirectExchange.run(fixture.api(), TestRequest.get("/bkt/pub").anonymous()).status());
  }

  private static void denied(TestResponse r) {
    assertEquals(403, r.status(), r.toString());
    assertEquals("AccessDenied", r.xml("Code"));
  }
}
