package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.NewAccessKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ACL documents and headers as S3 defines them
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html, API_PutObjectAcl.html,
 * API_PutBucketOwnershipControls.html), and their errors.
 */
class AclOpsTest extends S3FixtureTest {
  private static final String XSI = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
  private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

  private static TestResponse run(TestRequest r) {
    return DirectExchange.run(fixture.api(), r);
  }

  private static String policy(String... grants) {
    return "<AccessControlPolicy><Owner><ID>" + S3Fixture.ALICE.userId() + "</ID></Owner><AccessControlList>"
        + String.join("", grants) + "</AccessControlList></AccessControlPolicy>";
  }

  private static String user(String id, String permission) {
    return "<Grant><Grantee " + XSI + " xsi:type=\"CanonicalUser\"><ID>" + id + "</ID></Grantee><Permission>"
        + permission + "</Permission></Grant>";
  }

  private static String group(String uri, String permission) {
    return "<Grant><Grantee " + XSI + " xsi:type=\"Group\"><URI>" + uri + "</URI></Grantee><Permission>" + permission
        + "</Permission></Grant>";
  }

  private static void error(String code, TestResponse r) {
    assertEquals(code, r.xml("Code"), r.toString());
  }

  @Test
  void aPolicyDocumentIsStoredAndReadBackWithTheRealOwner() {
    String b = fixture.newBucket();
    String alice = S3Fixture.ALICE.userId();
    TestResponse put = run(TestRequest.put("/" + b + "?acl").body(policy(user(alice, "FULL_CONTROL"),
        group(ALL_USERS, "READ"), group("http://acs.amazonaws.com/groups/s3/LogDelivery", "WRITE"))));
    assertEquals(200, put.status(), put.toString());
    TestResponse got = run(TestRequest.get("/" + b + "?acl"));
    assertEquals(List.of(alice, alice), got.xmlAll("ID"), "Owner and its grant");
    assertEquals("alice", got.xml("DisplayName"));
    assertEquals(List.of(ALL_USERS, "http://acs.amazonaws.com/groups/s3/LogDelivery"), got.xmlAll("URI"));
    assertEquals(List.of("FULL_CONTROL", "READ", "WRITE"), got.xmlAll("Permission"));
    assertEquals(true, got.text().contains("xsi:type=\"Group\""), got.text());
  }

  @Test
  void badGranteesAndDocumentsAreS3Errors() {
    String b = fixture.newBucket();
    error("InvalidArgument", run(TestRequest.put("/" + b + "?acl").body(policy(user("f".repeat(64), "READ")))));
    error("InvalidArgument", run(TestRequest.put("/" + b + "?acl").body(policy(group("http://example.com/all", "READ")))));
    error("UnresolvableGrantByEmailAddress", run(TestRequest.put("/" + b + "?acl").body(policy(
        "<Grant><Grantee " + XSI + " xsi:type=\"AmazonCustomerByEmail\"><EmailAddress>a@example.com</EmailAddress>"
            + "</Grantee><Permission>READ</Permission></Grant>"))));
    error("MalformedACLError", run(TestRequest.put("/" + b + "?acl").body(policy(user(S3Fixture.ALICE.userId(), "ALL")))));
    error("MalformedACLError", run(TestRequest.put("/" + b + "?acl").body("<AccessControlPolicy><AccessControlList/>")));
    error("MissingSecurityHeader", run(TestRequest.put("/" + b + "?acl")));
    error("UnexpectedContent", run(TestRequest.put("/" + b + "?acl").header("x-amz-acl", "private")
        .body(policy(user(S3Fixture.ALICE.userId(), "FULL_CONTROL")))));
    error("InvalidArgument", run(TestRequest.put("/" + b + "?acl").header("x-amz-grant-read", "who=\"me\"")));
    error("UnresolvableGrantByEmailAddress", run(TestRequest.put("/" + b + "?acl")
        .header("x-amz-grant-read", "emailAddress=\"a@example.com\"")));
    TestResponse unknown = run(TestRequest.put("/" + b + "?acl").header("x-amz-grant-write",
        "emailAddress=\"nobody@example.com\""));
    assertEquals(400, unknown.status());
    assertEquals("nobody@example.com", unknown.xml("EmailAddressProvided"), unknown.toString());
    error("UnresolvableGrantByEmailAddress", run(TestRequest.put("/" + b + "?acl")
        .header("x-amz-grant-read", "emailAddress=\"not an address\"")));
    // None of them changed the ACL.
    assertEquals(List.of("FULL_CONTROL"), run(TestRequest.get("/" + b + "?acl")).xmlAll("Permission"));
  }

  private static String byEmail(String address, String permission) {
    return "<Grant><Grantee " + XSI + " xsi:type=\"AmazonCustomerByEmail\"><EmailAddress>" + address
        + "</EmailAddress></Grantee><Permission>" + permission + "</Permission></Grant>";
  }

  /**
   * A grantee by e-mail address is the user with that address (in any case), stored and shown as that
   * CanonicalUser, as S3 does (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html),
   * and the grant gives that user access.
   */
  @Test
  void emailGranteesResolveToTheUserWithThatAddress() {
    NewAccessKey bobKey = fixture.user("mailbob");
    String bob = bobKey.info().userId();
    fixture.store().identity().setUserEmail(bob, "Bob@Example.com");
    String b = fixture.newBucket();
    assertEquals(200, run(TestRequest.put("/" + b + "/k").body("secret")).status());
    assertEquals(403, fixture.as(bobKey, TestRequest.get("/" + b + "/k")).status(), "no grant yet");

    TestResponse put = run(TestRequest.put("/" + b + "/k?acl").header("x-amz-grant-read",
        "emailAddress=\"bob@example.com\"").header("x-amz-grant-full-control", "id=\"" + S3Fixture.ALICE.userId() + "\""));
    assertEquals(200, put.status(), put.toString());
    TestResponse got = run(TestRequest.get("/" + b + "/k?acl"));
    assertEquals(List.of(S3Fixture.ALICE.userId(), S3Fixture.ALICE.userId(), bob), got.xmlAll("ID"));
    assertEquals(List.of("alice", "alice", "mailbob"), got.xmlAll("DisplayName"));
    assertEquals(List.of("FULL_CONTROL", "READ"), got.xmlAll("Permission"));
    assertFalse(got.text().contains("AmazonCustomerByEmail") || got.text().contains("EmailAddress"), got.text());
    assertEquals(2, got.text().split("xsi:type=\"CanonicalUser\"", -1).length - 1, got.text());
    TestResponse read = fixture.as(bobKey, TestRequest.get("/" + b + "/k"));
    assertEquals(200, read.status(), read.toString());
    assertEquals("secret", read.text());

    // The same in an AccessControlPolicy document, on the bucket: bob may list it.
    put = run(TestRequest.put("/" + b + "?acl").body(policy(user(S3Fixture.ALICE.userId(), "FULL_CONTROL"),
        byEmail("BOB@example.COM", "READ"))));
    assertEquals(200, put.status(), put.toString());
    got = run(TestRequest.get("/" + b + "?acl"));
    assertEquals(List.of(S3Fixture.ALICE.userId(), S3Fixture.ALICE.userId(), bob), got.xmlAll("ID"));
    assertEquals(200, fixture.as(bobKey, TestRequest.get("/" + b)).status());

    // The grant is to the user, not the address: a later change of address does not move it.
    fixture.store().identity().setUserEmail(bob, "robert@example.com");
    assertEquals(200, fixture.as(bobKey, TestRequest.get("/" + b + "/k")).status());
    error("UnresolvableGrantByEmailAddress", run(TestRequest.put("/" + b + "/k?acl")
        .header("x-amz-grant-read", "emailAddress=\"bob@example.com\"")));
  }

  @Test
  void objectAclsFromHeadersAtPutCopyAndMultipart() {
    String b = fixture.newBucket();
    assertEquals(200, run(TestRequest.put("/" + b + "/k").header("x-amz-grant-read", "uri=\"" + ALL_USERS + "\", id=\""
        + S3Fixture.ALICE.userId() + "\"").body("v")).status());
    assertEquals(List.of("READ", "READ"), run(TestRequest.get("/" + b + "/k?acl")).xmlAll("Permission"),
        "grant headers are the whole ACL: no implicit owner grant");
    assertEquals(200, run(TestRequest.put("/" + b + "/copy").header("x-amz-copy-source", "/" + b + "/k")).status());
    assertEquals(List.of("FULL_CONTROL"), run(TestRequest.get("/" + b + "/copy?acl")).xmlAll("Permission"),
        "a copy does not take its source's ACL");
    TestResponse up = run(TestRequest.post("/" + b + "/mp?uploads").header("x-amz-acl", "public-read"));
    String uploadId = up.xml("UploadId");
    TestResponse part = run(TestRequest.put("/" + b + "/mp?partNumber=1&uploadId=" + uploadId).body("part"));
    String done = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + part.header("ETag")
        + "</ETag></Part></CompleteMultipartUpload>";
    assertEquals(200, run(TestRequest.post("/" + b + "/mp?uploadId=" + uploadId).body(done)).status());
    assertEquals(List.of("FULL_CONTROL", "READ"), run(TestRequest.get("/" + b + "/mp?acl")).xmlAll("Permission"));
    error("InvalidArgument", run(TestRequest.put("/" + b + "/bad").header("x-amz-acl", "world-readable").body("x")));
    error("NoSuchKey", run(TestRequest.put("/" + b + "/nope?acl").header("x-amz-acl", "private")));
    error("NoSuchKey", run(TestRequest.get("/" + b + "/nope?acl")));
  }

  @Test
  void ownershipControlsRoundTrip() {
    String b = fixture.newBucket();
    error("OwnershipControlsNotFoundError", run(TestRequest.get("/" + b + "?ownershipControls")));
    String preferred = "<OwnershipControls><Rule><ObjectOwnership>BucketOwnerPreferred</ObjectOwnership></Rule>"
        + "</OwnershipControls>";
    assertEquals(200, run(TestRequest.put("/" + b + "?ownershipControls").body(preferred)).status());
    TestResponse got = run(TestRequest.get("/" + b + "?ownershipControls"));
    assertEquals("BucketOwnerPreferred", got.xml("ObjectOwnership"));
    error("MalformedXML", run(TestRequest.put("/" + b + "?ownershipControls").body(
        "<OwnershipControls><Rule><ObjectOwnership>Mine</ObjectOwnership></Rule></OwnershipControls>")));
    error("MalformedXML", run(TestRequest.put("/" + b + "?ownershipControls").body("<OwnershipControls/>")));
    assertEquals(204, run(TestRequest.delete("/" + b + "?ownershipControls")).status());
    error("OwnershipControlsNotFoundError", run(TestRequest.get("/" + b + "?ownershipControls")));
    error("NoSuchBucket", run(TestRequest.get("/no-such-bucket-here?ownershipControls")));
  }

  @Test
  void withAclsDisabledObjectAclsReadAsTheBucketOwnersFullControl() {
    String b = fixture.newBucket();
    assertEquals(200, run(TestRequest.put("/" + b + "/before").header("x-amz-acl", "public-read").body("v")).status());
    String enforced = "<OwnershipControls><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule>"
        + "</OwnershipControls>";
    assertEquals(200, run(TestRequest.put("/" + b + "?ownershipControls").body(enforced)).status());
    assertEquals(List.of("FULL_CONTROL"), run(TestRequest.get("/" + b + "/before?acl")).xmlAll("Permission"));
    error("AccessControlListNotSupported", run(TestRequest.put("/" + b + "/before?acl").header("x-amz-acl", "public-read")));
    error("AccessControlListNotSupported", run(TestRequest.put("/" + b + "?acl").header("x-amz-acl", "public-read")));
    assertEquals(200, run(TestRequest.put("/" + b + "/before?acl").header("x-amz-acl", "bucket-owner-full-control"))
        .status());
  }
}
