package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.ObjectMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bucket operations (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html and its siblings). */
class BucketOpsTest extends S3FixtureTest {

  private static TestResponse run(TestRequest r) {
    return DirectExchange.run(fixture.api(), r);
  }

  @Test
  void createHeadAndDeleteABucket() {
    TestResponse created = run(TestRequest.put("/made-here"));
    assertEquals(200, created.status(), created.toString());
    assertEquals("/made-here", created.header("Location"));
    TestResponse head = run(TestRequest.head("/made-here"));
    assertEquals(200, head.status());
    assertEquals(S3Fixture.REGION, head.header("x-amz-bucket-region"));
    assertEquals(409, run(TestRequest.put("/made-here")).status());
    assertEquals("BucketAlreadyOwnedByYou", run(TestRequest.put("/made-here")).xml("Code"));
    assertEquals(204, run(TestRequest.delete("/made-here")).status());
    assertEquals(404, run(TestRequest.head("/made-here")).status());
    assertEquals("NoSuchBucket", run(TestRequest.delete("/made-here")).xml("Code"));
  }

  @Test
  void aLocationConstraintMustNameThisRegion() {
    String other = "<CreateBucketConfiguration><LocationConstraint>eu-west-3</LocationConstraint></CreateBucketConfiguration>";
    TestResponse r = run(TestRequest.put("/elsewhere").body(other));
    assertEquals(400, r.status());
    assertEquals("IllegalLocationConstraintException", r.xml("Code"));
    assertEquals(404, run(TestRequest.head("/elsewhere")).status());
    String here = "<CreateBucketConfiguration><LocationConstraint>" + S3Fixture.REGION + "</LocationConstraint></CreateBucketConfiguration>";
    assertEquals(200, run(TestRequest.put("/right-here").body(here)).status());
  }

  @Test
  void createBucketTakesACannedAclAndAnObjectOwnership() {
    TestResponse r = run(TestRequest.put("/public-one").header("x-amz-acl", "public-read"));
    assertEquals(200, r.status(), r.toString());
    TestResponse acl = run(TestRequest.get("/public-one?acl"));
    assertEquals(List.of("FULL_CONTROL", "READ"), acl.xmlAll("Permission"));
    assertEquals("http://acs.amazonaws.com/groups/global/AllUsers", acl.xml("URI"));
    assertEquals("ObjectWriter", run(TestRequest.get("/public-one?ownershipControls")).xml("ObjectOwnership"),
        "no x-amz-object-ownership: the server's default, stored with the bucket as AWS stores its own");

    TestResponse unknown = run(TestRequest.put("/bad-acl").header("x-amz-acl", "public"));
    assertEquals(400, unknown.status());
    assertEquals("InvalidArgument", unknown.xml("Code"));
    assertEquals("x-amz-acl", unknown.xml("ArgumentName"));
    TestResponse both = run(TestRequest.put("/bad-acl").header("x-amz-acl", "private")
        .header("x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""));
    assertEquals("InvalidRequest", both.xml("Code"));
    assertEquals("Specifying both Canned ACLs and Header Grants is not allowed", both.xml("Message"));
    assertEquals("InvalidArgument", run(TestRequest.put("/bad-acl").header("x-amz-object-ownership", "Mine"))
        .xml("Code"));
    TestResponse enforced = run(TestRequest.put("/bad-acl").header("x-amz-object-ownership", "BucketOwnerEnforced")
        .header("x-amz-acl", "public-read"));
    assertEquals(400, enforced.status());
    assertEquals("InvalidBucketAclWithObjectOwnership", enforced.xml("Code"));
    assertEquals(404, run(TestRequest.head("/bad-acl")).status(), "no bucket made by a refused request");

    assertEquals(200, run(TestRequest.put("/enforced-one").header("x-amz-object-ownership", "BucketOwnerEnforced"))
        .status());
    assertEquals("BucketOwnerEnforced", run(TestRequest.get("/enforced-one?ownershipControls")).xml("ObjectOwnership"));
  }

  @Test
  void aBucketWithObjectsCannotBeDeleted() {
    String b = fixture.newBucket();
    fixture.putObject(b, "k", "v".getBytes(), ObjectMetadata.of(null, Map.of()));
    TestResponse r = run(TestRequest.delete("/" + b));
    assertEquals(409, r.status());
    assertEquals("BucketNotEmpty", r.xml("Code"));
    assertEquals(b, r.xml("BucketName"));
  }

  @Test
  void listBucketsPagesWithAContinuationToken() {
    run(TestRequest.put("/page-a"));
    run(TestRequest.put("/page-b"));
    run(TestRequest.put("/page-c"));
    TestResponse first = run(TestRequest.get("/?prefix=page-&max-buckets=2"));
    assertEquals(200, first.status(), first.toString());
    assertEquals(List.of("page-a", "page-b"), first.xmlAll("Name"));
    assertEquals("alice", first.xml("DisplayName"));
    String token = first.xml("ContinuationToken");
    TestResponse second = run(TestRequest.get("/?prefix=page-&max-buckets=2&continuation-token=" + token));
    assertEquals(List.of("page-c"), second.xmlAll("Name"));
    assertEquals(null, second.xml("ContinuationToken"));
  }

  @Test
  void locationAclAndNotificationOfABucket() {
    String b = fixture.newBucket();
    TestResponse location = run(TestRequest.get("/" + b + "?location"));
    assertEquals(200, location.status());
    assertTrue(location.text().contains("<LocationConstraint"), location.text());
    assertEquals(null, location.xml("LocationConstraint"), "us-east-1 is reported as an empty constraint");

    TestResponse acl = run(TestRequest.get("/" + b + "?acl"));
    assertEquals(S3Fixture.ALICE.userId(), acl.xml("ID"));
    assertEquals("FULL_CONTROL", acl.xml("Permission"));
    assertEquals(200, run(TestRequest.put("/" + b + "?acl").header("x-amz-acl", "private")).status());
    assertEquals(200, run(TestRequest.put("/" + b + "?acl").header("x-amz-acl", "public-read")).status());
    assertEquals(List.of("FULL_CONTROL", "READ"), run(TestRequest.get("/" + b + "?acl")).xmlAll("Permission"));

    TestResponse notification = run(TestRequest.get("/" + b + "?notification"));
    assertEquals(200, notification.status());
    assertTrue(notification.text().contains("NotificationConfiguration"), notification.text());
  }
}
