package io.tarn.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Bucket policies through the S3 front end: the {@code ?policy} and {@code ?policyStatus}
 * subresources, and the Authorizer's combination of the policy with Tarn's rules (explicit Deny over
 * everything, admins included, but for the way out; Allow over missing grants; neither: Tarn's rules).
 * The fixture's own key (alice) is an admin; bob owns the buckets.
 */
class BucketPolicyTest {
  @TempDir static Path dir;
  private static S3Fixture fixture;
  private static IdentityStore identity;
  private static NewAccessKey bob;
  private static NewAccessKey reader;
  private static NewAccessKey stranger;
  private static int buckets;

  @BeforeAll
  static void users() {
    fixture = S3Fixture.open(dir);
    identity = fixture.store().identity();
    bob = fixture.user("bob");
    reader = fixture.user("reader");
    stranger = fixture.user("stranger");
  }

  @AfterAll
  static void close() {
    fixture.close();
  }


  /** A new bucket of bob's with objects doc and public/a, and reader granted READ on it. */
  private static String bucket() {
    String b = "pol-" + ++buckets;
    assertEquals(200, fixture.as(bob, TestRequest.put("/" + b)).status());
    assertEquals(200, fixture.as(bob, TestRequest.put("/" + b + "/doc").body("private")).status());
    assertEquals(200, fixture.as(bob, TestRequest.put("/" + b + "/public/a").body("public")).status());
    identity.grant(b, reader.info().userId(), Permission.READ);
    return b;
  }

  static TestResponse asAdmin(TestRequest r) {
    return DirectExchange.run(fixture.api(), r);
  }

  static String statement(String effect, String principal, String action, String resource, String condition) {
    return "{\"Effect\":\"" + effect + "\",\"Principal\":" + principal + ",\"Action\":\"" + action
        + "\",\"Resource\":\"" + resource + "\"" + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
  }

  static String policy(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  static void putPolicy(String bucket, String policy) {
    TestResponse r = fixture.as(bob, TestRequest.put("/" + bucket + "?policy").body(policy));
    assertEquals(204, r.status(), r.toString());
  }

  private static void denied(TestResponse r) {
    assertEquals(403, r.status(), r.toString());
    if (r.body().length > 0) {
      assertEquals("AccessDenied", r.xml("Code"));
    }
  }

  @Test
  void theOwnerPutsGetsAndDeletesAPolicyAsText() {
    String b = bucket();
    TestResponse none = fixture.as(bob, TestRequest.get("/" + b + "?policy"));
    assertEquals(404, none.status());
    assertEquals("NoSuchBucketPolicy", none.xml("Code"));
    String text = policy(statement("Allow", "\"*\"", "s3:GetObject", "arn:aws:s3:::" + b + "/public/*", null))
        .replace(",", ",\n  ");
    putPolicy(b, text);
    TestResponse got = fixture.as(bob, TestRequest.get("/" + b + "?policy"));
    assertEquals(200, got.status());
    assertEquals(text, got.text(), "the document exactly as it was put");
    assertEquals("application/json", got.header("Content-Type"));
    assertEquals(204, fixture.as(bob, TestRequest.delete("/" + b + "?policy")).status());
    assertEquals(404, fixture.as(bob, TestRequest.get("/" + b + "?policy")).status());
    assertEquals(204, fixture.as(bob, TestRequest.delete("/" + b + "?policy")).status(), "deleting none is no error");
    assertEquals("NoSuchBucket", fixture.as(bob, TestRequest.get("/nobucket?policy")).xml("Code"));
  }

  @Test
  void aMalformedPolicyOrAnUnknownUserIsMalformedPolicyWithS3sMessage() {
    String b = bucket();
    TestResponse r = fixture.as(bob, TestRequest.put("/" + b + "?policy").body("{\"Version\":\"2012-10-17\"}"));
    assertEquals(400, r.status());
    assertEquals("MalformedPolicy", r.xml("Code"));
    assertEquals("Missing required field Statement", r.xml("Message"));
    r = fixture.as(bob, TestRequest.put("/" + b + "?policy").body(policy(statement("Allow", "\"*\"", "s3:GetObject",
        "arn:aws:s3:::other/*", null))));
    assertEquals("MalformedPolicy", r.xml("Code"));
    r = fixture.as(bob, TestRequest.put("/" + b + "?policy").body(policy(statement("Allow",
        "{\"AWS\":\"arn:aws:iam:::user/nobody\"}", "s3:GetObject", "arn:aws:s3:::" + b + "/*", null))));
    assertEquals("MalformedPolicy", r.xml("Code"));
    assertEquals("Invalid principal in policy", r.xml("Message"));
    r = fixture.as(bob, TestRequest.put("/" + b + "?policy").body(policy(statement("Allow",
        "{\"CanonicalUser\":\"" + "b".repeat(64) + "\"}", "s3:GetObject", "arn:aws:s3:::" + b + "/*", null))));
    assertEquals("Invalid principal in policy", r.xml("Message"));
    putPolicy(b, policy(statement("Allow", "{\"AWS\":\"arn:aws:iam:::user/stranger\"}", "s3:GetObject",
        "arn:aws:s3:::" + b + "/*", null)));
  }

  @Test
  void onlyTheOwnerAndAdminsManageThePolicyUnlessItGrantsThat() {
    String b = bucket();
    String p = policy(statement("Allow", "\"*\"", "s3:GetObject", "arn:aws:s3:::" + b + "/public/*", null));
    denied(fixture.as(stranger, TestRequest.put("/" + b + "?policy").body(p)));
    denied(fixture.as(reader, TestRequest.get("/" + b + "?policy")));
    assertEquals(204, asAdmin(TestRequest.put("/" + b + "?policy").body(p)).status());
    putPolicy(b, policy(statement("Allow", "{\"AWS\":\"arn:aws:iam:::user/reader\"}", "s3:GetBucketPolicy",
        "arn:aws:s3:::" + b, null)));
    assertEquals(200, fixture.as(reader, TestRequest.get("/" + b + "?policy")).status());
    denied(fixture.as(reader, TestRequest.delete("/" + b + "?policy")));
  }

  @Test
  void anAllowAdmitsACallerTarnsGrantsWouldRefuseOnlyWhereItSays() {
    String b = bucket();
    denied(fixture.as(stranger, TestRequest.get("/" + b + "/public/a")));
    putPolicy(b, policy(statement("Allow", "\"*\"", "s3:GetObject", "arn:aws:s3:::" + b + "/public/*", null),
        statement("Allow", "{\"AWS\":\"arn:aws:iam:::user/reader\"}", "s3:PutObject", "arn:aws:s3:::" + b
            + "/inbox/*", null)));
    assertEquals(200, fixture.as(stranger, TestRequest.get("/" + b + "/public/a")).status());
    assertEquals(200, fixture.as(stranger, TestRequest.head("/" + b + "/public/a")).status());
    denied(fixture.as(stranger, TestRequest.get("/" + b + "/doc")));
    denied(fixture.as(stranger, TestRequest.get("/" + b + "?list-type=2")));
    // reader's READ grant alone would refuse a write; the policy allows it under inbox/ only.
    assertEquals(200, fixture.as(reader, TestRequest.put("/" + b + "/inbox/x").body("x")).status());
    denied(fixture.as(reader, TestRequest.put("/" + b + "/elsewhere").body("x")));
    assertEquals(200, fixture.as(reader, TestRequest.get("/" + b + "/doc")).status(), "its grant still counts");
  }

  @Test
  void anonymousCallersGetWhatAPublicPolicyAllowsAndNothingElse() {
    String b = bucket();
    denied(asAnonymous(TestRequest.get("/" + b + "/public/a")));
    putPolicy(b, policy(statement("Allow", "\"*\"", "s3:GetObject", "arn:aws:s3:::" + b + "/public/*", null),
        statement("Allow", "{\"AWS\":\"arn:aws:iam:::user/stranger\"}", "s3:GetObject", "arn:aws:s3:::" + b
            + "/doc", null)));
    TestResponse r = asAnonymous(TestRequest.get("/" + b + "/public/a"));
    assertEquals(200, r.status(), r.toString());
    assertEquals("public", r.text());
    denied(asAnonymous(TestRequest.get("/" + b + "/doc")));
    denied(asAnonymous(TestRequest.get("/" + b + "?list-type=2")));
    denied(asAnonymous(TestRequest.put("/" + b + "/public/new").body("x")));
    denied(asAnonymous(TestRequest.get("/" + b + "?policy")));
    denied(asAnonymous(TestRequest.delete("/" + b + "?policy")));
    assertEquals(200, fixture.as(stranger, TestRequest.get("/" + b + "/doc")).status());
  }

  static TestResponse asAnonymous(TestRequest r) {
    return DirectExchange.run(fixture.api(), r.anonymous());
  }

  @Test
  void aDenyRefusesTheOwnerAndAdminsWhoCanStillManageThePolicy() {
    String b = bucket();
    putPolicy(b, policy(statement("Deny", "\"*\"", "s3:DeleteObject", "arn:aws:s3:::" + b + "/*", null)));
    denied(asAdmin(TestRequest.delete("/" + b + "/doc")));
    denied(fixture.as(bob, TestRequest.delete("/" + b + "/doc")));
    assertEquals(200, fixture.as(bob, TestRequest.get("/" + b + "/doc")).status());

    putPolicy(b, policy(statement("Deny", "\"*\"", "s3:*", "arn:aws:s3:::" + b, null),
        statement("Deny", "\"*\"", "s3:*", "arn:aws:s3:::" + b + "/*", null)));
    denied(asAdmin(TestRequest.get("/" + b + "/doc")));
    denied(fixture.as(bob, TestRequest.get("/" + b + "?list-type=2")));
    denied(fixture.as(bob, TestRequest.get("/" + b + "?policyStatus")));
    denied(fixture.as(stranger, TestRequest.delete("/" + b + "?policy")));
    // The way out: the owner and admins may always get, put and delete the policy.
    assertEquals(200, fixture.as(bob, TestRequest.get("/" + b + "?policy")).status());
    assertEquals(204, asAdmin(TestRequest.delete("/" + b + "?policy")).status());
    assertEquals(204, fixture.as(bob, TestRequest.delete("/" + b + "/doc")).status());
  }

  @Test
  void deleteObjectsChecksEachKey() {
    String b = bucket();
    putPolicy(b, policy(statement("Deny", "\"*\"", "s3:DeleteObject", "arn:aws:s3:::" + b + "/public/*", null)));
    String body = "<Delete><Object><Key>doc</Key></Object><Object><Key>public/a</Key></Object></Delete>";
    TestResponse r = fixture.as(bob, TestRequest.post("/" + b + "?delete").body(body)
        .header("Content-MD5", md5(body)));
    assertEquals(200, r.status(), r.toString());
    assertEquals(List.of("doc"), r.xmlAll("Key").subList(0, 1));
    assertEquals(List.of("AccessDenied"), r.xmlAll("Code"));
    assertEquals(404, fixture.as(bob, TestRequest.head("/" + b + "/doc")).status());
    assertEquals(200, fixture.as(bob, TestRequest.head("/" + b + "/public/a")).status());
    // Without a grant, an Allow on some keys lets a stranger delete those and no others.
    putPolicy(b, policy(statement("Allow", "{\"AWS\":\"arn:aws:iam:::user/stranger\"}", "s3:DeleteObject",
        "arn:aws:s3:::" + b + "/public/*", null)));
    assertEquals(200, fixture.as(bob, TestRequest.put("/" + b + "/doc").body("again")).status());
    r = fixture.as(stranger, TestRequest.post("/" + b + "?delete").body(body).header("Content-MD5", md5(body)));
    assertEquals(200, r.status(), r.toString());
    assertEquals(List.of("AccessDenied"), r.xmlAll("Code"));
    assertEquals(200, fixture.as(bob, TestRequest.head("/" + b + "/doc")).status());
    assertEquals(404, fixture.as(bob, TestRequest.head("/" + b + "/public/a")).status());
  }

  @Test
  void aCopyReadsItsSourceUnderTheSourcesPolicy() {
    String src = bucket();
    String dst = bucket();
    putPolicy(src, policy(statement("Deny", "\"*\"", "s3:GetObject", "arn:aws:s3:::" + src + "/doc", null)));
    denied(fixture.as(bob, TestRequest.put("/" + dst + "/copy").header("x-amz-copy-source", "/" + src + "/doc")));
    assertEquals(200, fixture.as(bob, TestRequest.put("/" + dst + "/copy")
        .header("x-amz-copy-source", "/" + src + "/public/a")).status());
  }

  @Test
  void conditionsSeeTheRequestsKeys() {
    String b = bucket();
    putPolicy(b, policy(
        statement("Allow", "\"*\"", "s3:ListBucket", "arn:aws:s3:::" + b,
            "{\"StringEquals\":{\"s3:prefix\":\"public/\",\"s3:max-keys\":\"5\"}}"),
        statement("Deny", "\"*\"", "s3:GetObject", "arn:aws:s3:::" + b + "/*",
            "{\"StringEquals\":{\"aws:UserAgent\":\"blocked-agent\"}}"),
        statement("Deny", "\"*\"", "s3:PutObject", "arn:aws:s3:::" + b + "/*",
            "{\"Bool\":{\"aws:SecureTransport\":\"false\"},\"StringEquals\":{\"s3:x-amz-acl\":\"public-read\"}}"),
        statement("Deny", "{\"AWS\":\"arn:aws:iam:::user/bob\"}", "s3:GetObject", "arn:aws:s3:::" + b + "/doc",
            "{\"StringNotEquals\":{\"s3:signatureversion\":\"AWS4-HMAC-SHA256\"}}"),
        statement("Deny", "{\"AWS\":\"arn:aws:iam:::user/bob\"}", "s3:GetObject", "arn:aws:s3:::" + b + "/public/a",
            "{\"StringEquals\":{\"s3:authType\":\"REST-HEADER\"},\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"}}")));
    assertEquals(200, fixture.as(stranger, TestRequest.get("/" + b + "?list-type=2&prefix=public/&max-keys=5")).status());
    denied(fixture.as(stranger, TestRequest.get("/" + b + "?list-type=2&prefix=public/")));
    denied(fixture.as(stranger, TestRequest.get("/" + b + "?list-type=2&prefix=other/&max-keys=5")));
    denied(fixture.as(bob, TestRequest.get("/" + b + "/doc").header("User-Agent", "blocked-agent")));
    assertEquals(200, fixture.as(bob, TestRequest.get("/" + b + "/doc").header("User-Agent", "fine")).status());
    denied(fixture.as(bob, TestRequest.put("/" + b + "/x").header("x-amz-acl", "public-read").body("x")));
    assertEquals(200, fixture.as(bob, TestRequest.put("/" + b + "/x").header("x-amz-acl", "private").body("x")).status());
    denied(fixture.as(bob, TestRequest.get("/" + b + "/public/a")));
  }

  @Test
  void policyStatusTellsWhetherThePolicyIsPublic() {
    String b = bucket();
    assertEquals("false", fixture.as(bob, TestRequest.get("/" + b + "?policyStatus")).xml("IsPublic"));
    putPolicy(b, policy(statement("Allow", "\"*\"", "s3:GetObject", "arn:aws:s3:::" + b + "/*",
        "{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}")));
    assertEquals("false", fixture.as(bob, TestRequest.get("/" + b + "?policyStatus")).xml("IsPublic"));
    putPolicy(b, policy(statement("Allow", "\"*\"", "s3:GetObject", "arn:aws:s3:::" + b + "/*", null)));
    TestResponse r = fixture.as(bob, TestRequest.get("/" + b + "?policyStatus"));
    assertEquals(200, r.status());
    assertEquals("true", r.xml("IsPublic"));
    assertTrue(r.text().contains("<PolicyStatus xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"), r.text());
  }

  @Test
  void aPublicReadAclMakesTheBucketPublicWhileACLsCount() {
    String b = bucket();
    assertEquals(200, fixture.as(bob, TestRequest.put("/" + b + "?acl").header("x-amz-acl", "public-read")).status());
    assertEquals("true", fixture.as(bob, TestRequest.get("/" + b + "?policyStatus")).xml("IsPublic"));
    String ignore = "<PublicAccessBlockConfiguration><IgnorePublicAcls>true</IgnorePublicAcls>"
        + "</PublicAccessBlockConfiguration>";
    assertEquals(200, fixture.as(bob, TestRequest.put("/" + b + "?publicAccessBlock").body(ignore)
        .header("Content-MD5", md5(ignore))).status());
    assertEquals("false", fixture.as(bob, TestRequest.get("/" + b + "?policyStatus")).xml("IsPublic"));
  }

  static String md5(String body) {
    try {
      return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5")
          .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
