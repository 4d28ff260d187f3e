package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Role;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.auth.SigV2;
import io.tarn.s3.auth.SigV4;
import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.Permission;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POST Object through the S3 front end (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html):
 * signed forms of both signature versions stored, anonymous ones authorized as the anonymous caller,
 * the policy's conditions and size range enforced before anything is stored, and S3's answers.
 */
class PostObjectsTest extends S3FixtureTest {
  private static final String BOUNDARY = "------------------------d74496d66958873e";
  private static final String FUTURE = "2025-06-01T13:00:00Z";
  private String bkt;

  @BeforeEach
  void setUp() {
    bkt = fixture.newBucket();
  }

  /** A form's fields and file, rendered as curl -F sends it. */
  private static final class Form {
    final List<String[]> fields = new ArrayList<>();
    byte[] file = "hello form".getBytes(StandardCharsets.UTF_8);
    String filename = "hello.txt";

    Form field(String name, String value) {
      fields.add(new String[] {name, value});
      return this;
    }

    Form file(byte[] content) {
      this.file = content;
      return this;
    }

    /** Signs {@code policyJson} with Signature Version 2 as {@code accessKey}: AWSAccessKeyId, policy, signature. */
    Form signedV2(String policyJson, String accessKey, String secret) {
      String policy = b64(policyJson);
      return field("AWSAccessKeyId", accessKey).field("policy", policy)
          .field("signature", SigV2.signature(secret, policy.getBytes(StandardCharsets.UTF_8)));
    }

    /** Signs with Signature Version 4: the x-amz-* fields, policy, x-amz-signature. */
    Form signedV4(String policyJson, String accessKey, String secret) {
      String date = "20250601";
      String policy = b64(policyJson);
      byte[] key = SigV4.signingKey(secret, date, S3Fixture.REGION, SigV4.SERVICE);
      return field("x-amz-algorithm", SigV4.ALGORITHM)
          .field("x-amz-credential", accessKey + "/" + date + "/" + S3Fixture.REGION + "/s3/aws4_request")
          .field("x-amz-date", date + "T120000Z").field("policy", policy)
          .field("x-amz-signature", SigV4.signature(key, policy));
    }

    byte[] body() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (String[] f : fields) {
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + f[0] + "\"\r\n\r\n" + f[1] + "\r\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
          + "\"\r\nContent-Type: application/x-part-type\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(file);
      out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return out.toByteArray();
    }
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private String policy(String... conditions) {
    return "{\"expiration\": \"" + FUTURE + "\", \"conditions\": [{\"bucket\": \"" + bkt + "\"}"
        + (conditions.length == 0 ? "" : ", " + String.join(", ", conditions)) + "]}";
  }

  private TestResponse post(Form form) {
    return post("/" + bkt, form);
  }

  private TestResponse post(String target, Form form) {
    return DirectExchange.run(fixture.api(), TestRequest.post(target).anonymous()
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).body(form.body()));
  }

  private Optional<ObjectInfo> stored(String key) {
    return fixture.store().head(bkt, key);
  }

  private String read(String key) {
    return DirectExchange.run(fixture.api(), TestRequest.get("/" + bkt + "/" + key)).text();
  }

  @Test
  void aSignatureVersion2FormIsStored() throws Exception {
    byte[] content = S3Fixture.bytes(100_000);
    TestResponse r = post(new Form().field("key", "up/${filename}").field("Content-Type", "image/png")
        .field("x-amz-meta-owner", "eric").file(content)
        .signedV2(policy("[\"starts-with\", \"$key\", \"up/\"]", "{\"Content-Type\": \"image/png\"}",
            "[\"starts-with\", \"$x-amz-meta-owner\", \"\"]"), S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(204, r.status(), r.toString());
    String md5 = hex(MessageDigest.getInstance("MD5").digest(content));
    assertEquals("\"" + md5 + "\"", r.header("ETag"));
    assertEquals("http://tarn.test/" + bkt + "/up/hello.txt", r.header("Location"));
    ObjectInfo info = stored("up/hello.txt").orElseThrow();
    assertEquals(md5, info.etag());
    assertEquals("image/png", info.metadata().contentType());
    assertEquals("eric", info.metadata().userMetadata().get("owner"));
    TestResponse get = DirectExchange.run(fixture.api(), TestRequest.get("/" + bkt + "/up/hello.txt"));
    assertArrayEquals(content, get.body());
  }

  /** Form fields are UTF-8 text: non-ASCII metadata is stored as the same text a PUT's header gives. */
  @Test
  void nonAsciiFieldsAreStoredAsTheirText() {
    TestResponse r = post(new Form().field("key", "caf\u00e9/${filename}").field("x-amz-meta-note", "caf\u00c3\u00a9")
        .field("x-amz-meta-city", "\u6771\u4eac")
        .signedV2(policy("[\"starts-with\", \"$key\", \"caf\u00e9/\"]", "[\"starts-with\", \"$x-amz-meta-note\", \"\"]",
            "[\"starts-with\", \"$x-amz-meta-city\", \"\"]"),
            S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(204, r.status(), r.toString());
    ObjectInfo info = stored("caf\u00e9/hello.txt").orElseThrow();
    // Typed as is: "cafÃ©" is not the UTF-8 of "café" to be decoded once more.
    assertEquals("caf\u00c3\u00a9", info.metadata().userMetadata().get("note"));
    assertEquals("\u6771\u4eac", info.metadata().userMetadata().get("city"));
  }

  @Test
  void aSignatureVersion4FormIsStoredWith201AndItsDocument() {
    TestResponse r = post(new Form().field("key", "v4.txt").field("success_action_status", "201")
        .signedV4(policy("{\"key\": \"v4.txt\"}", "{\"success_action_status\": \"201\"}",
            "{\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"}", "[\"starts-with\", \"$x-amz-credential\", \"\"]",
            "[\"starts-with\", \"$x-amz-date\", \"\"]"), S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(201, r.status(), r.toString());
    assertEquals("http://tarn.test/" + bkt + "/v4.txt", r.xml("Location"));
    assertEquals(bkt, r.xml("Bucket"));
    assertEquals("v4.txt", r.xml("Key"));
    assertEquals(r.header("ETag"), unescape(r.xml("ETag")));
    assertEquals("hello form", read("v4.txt"));
    // Not the file part's type (application/x-part-type here): only the Content-Type field sets it, as on S3.
    assertEquals(null, stored("v4.txt").orElseThrow().metadata().contentType());
    assertEquals("binary/octet-stream", stored("v4.txt").orElseThrow().metadata().effectiveContentType());
  }

  @Test
  void successActionStatusAndRedirect() {
    String redirect = "https://app.example/done?x=1";
    TestResponse r = post(new Form().field("key", "r.txt").field("success_action_redirect", redirect)
        .signedV2(policy("{\"key\": \"r.txt\"}", "[\"starts-with\", \"$success_action_redirect\", \"https://app.example/\"]"),
            S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(303, r.status(), r.toString());
    String etag = stored("r.txt").orElseThrow().etag();
    assertEquals(redirect + "&bucket=" + bkt + "&key=r.txt&etag=%22" + etag + "%22", r.header("Location"));

    TestResponse ok = post(new Form().field("key", "s.txt").field("success_action_status", "200")
        .signedV2(policy("{\"key\": \"s.txt\"}", "{\"success_action_status\": \"200\"}"), S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(200, ok.status());
    assertEquals(0, ok.body().length);
    // Any other value: 204 (s3-tests test_post_object_set_invalid_success_code).
    TestResponse other = post(new Form().field("key", "t.txt").field("success_action_status", "404")
        .signedV2(policy("{\"key\": \"t.txt\"}", "{\"success_action_status\": \"404\"}"), S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(204, other.status());
    // A URL S3 cannot interpret is ignored.
    TestResponse bad = post(new Form().field("key", "u.txt").field("redirect", "not a url")
        .signedV2(policy("{\"key\": \"u.txt\"}", "{\"redirect\": \"not a url\"}"), S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(204, bad.status());
  }

  @Test
  void anExpiredPolicyOrAFailedConditionStoresNothing() {
    String expired = "{\"expiration\": \"2025-06-01T11:59:59Z\", \"conditions\": [{\"key\": \"e.txt\"}]}";
    TestResponse r = post(new Form().field("key", "e.txt").signedV2(expired, S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(403, r.status());
    assertEquals("AccessDenied", r.xml("Code"));
    assertEquals("Invalid according to Policy: Policy expired.", r.xml("Message"));

    TestResponse failed = post(new Form().field("key", "other/e.txt")
        .signedV2(policy("[\"starts-with\", \"$key\", \"mine/\"]"), S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(403, failed.status());
    assertEquals("Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", \"mine/\"]",
        unescape(failed.xml("Message")));

    TestResponse extra = post(new Form().field("key", "e.txt").field("x-amz-meta-sneaky", "1")
        .signedV2(policy("{\"key\": \"e.txt\"}"), S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals("Invalid according to Policy: Extra input fields: x-amz-meta-sneaky", extra.xml("Message"));

    TestResponse wrongBucket = post(new Form().field("key", "e.txt").signedV2(
        "{\"expiration\": \"" + FUTURE + "\", \"conditions\": [{\"bucket\": \"elsewhere\"}, {\"key\": \"e.txt\"}]}",
        S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(403, wrongBucket.status());
    assertFalse(stored("e.txt").isPresent());
    assertFalse(stored("other/e.txt").isPresent());
  }

  @Test
  void contentLengthRangeIsEnforced() {
    String range = "[\"content-length-range\", 5, 10]";
    TestResponse big = post(new Form().field("key", "big").file(new byte[11])
        .signedV2(policy("{\"key\": \"big\"}", range), S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(400, big.status());
    assertEquals("EntityTooLarge", big.xml("Code"));
    assertEquals("10", big.xml("MaxSizeAllowed"));
    TestResponse small = post(new Form().field("key", "small").file(new byte[4])
        .signedV2(policy("{\"key\": \"small\"}", range), S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals("EntityTooSmall", small.xml("Code"));
    assertEquals("5", small.xml("MinSizeAllowed"));
    assertFalse(stored("big").isPresent());
    assertFalse(stored("small").isPresent());
    TestResponse fits = post(new Form().field("key", "fits").file(new byte[10])
        .signedV2(policy("{\"key\": \"fits\"}", range), S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(204, fits.status());
  }

  @Test
  void signaturesAndMissingFields() {
    TestResponse wrongSecret = post(new Form().field("key", "x")
        .signedV2(policy("{\"key\": \"x\"}"), S3Fixture.ACCESS_KEY, "not the secret"));
    assertEquals(403, wrongSecret.status());
    assertEquals("SignatureDoesNotMatch", wrongSecret.xml("Code"));
    TestResponse wrongV4 = post(new Form().field("key", "x").signedV4(policy("{\"key\": \"x\"}",
        "[\"starts-with\", \"$x-amz-algorithm\", \"\"]", "[\"starts-with\", \"$x-amz-credential\", \"\"]",
        "[\"starts-with\", \"$x-amz-date\", \"\"]"), S3Fixture.ACCESS_KEY, "not the secret"));
    assertEquals("SignatureDoesNotMatch", wrongV4.xml("Code"));
    TestResponse unknownKey = post(new Form().field("key", "x").signedV2(policy("{\"key\": \"x\"}"), "AKIANOBODY", "s"));
    assertEquals("InvalidAccessKeyId", unknownKey.xml("Code"));
    TestResponse noSignature = post(new Form().field("key", "x").field("AWSAccessKeyId", S3Fixture.ACCESS_KEY)
        .field("policy", b64(policy("{\"key\": \"x\"}"))));
    assertEquals(400, noSignature.status());
    assertEquals("InvalidArgument", noSignature.xml("Code"));
    TestResponse noKey = post(new Form().signedV2(policy(), S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals("InvalidArgument", noKey.xml("Code"));
    assertEquals("key", noKey.xml("ArgumentName"));
    assertFalse(stored("x").isPresent());
  }

  /** Without a policy the form is anonymous, authorized as anyone else: refused on a bucket not open to all. */
  @Test
  void anAnonymousFormIsTheAnonymousCaller() {
    TestResponse r = post(new Form().field("key", "anon.txt"));
    assertEquals(403, r.status(), r.toString());
    assertEquals("AccessDenied", r.xml("Code"));
    assertFalse(stored("anon.txt").isPresent());
  }

  /**
   * An anonymous form is stored where the bucket allows everyone to write: by its ACL (public-read-write,
   * AllUsers WRITE) or by its policy ({@code "Principal": "*"} allowed s3:PutObject on a prefix).
   */
  @Test
  void anAnonymousFormIsStoredWhereTheBucketLetsEveryoneWrite() {
    DirectExchange.run(fixture.api(), TestRequest.put("/" + bkt + "?policy")
        .credentials(S3Fixture.ACCESS_KEY, S3Fixture.SECRET)
        .body("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\","
            + " \"Action\": \"s3:PutObject\", \"Resource\": \"arn:aws:s3:::" + bkt + "/drop/*\"}]}"));
    assertEquals(204, post(new Form().field("key", "drop/anon.txt")).status());
    assertTrue(stored("drop/anon.txt").isPresent());
    assertEquals(403, post(new Form().field("key", "elsewhere.txt")).status(), "outside the policy's prefix");
    assertFalse(stored("elsewhere.txt").isPresent());

    TestResponse acl = DirectExchange.run(fixture.api(), TestRequest.put("/" + bkt + "?acl")
        .credentials(S3Fixture.ACCESS_KEY, S3Fixture.SECRET).header("x-amz-acl", "public-read-write"));
    assertEquals(200, acl.status(), acl.toString());
    assertEquals(204, post(new Form().field("key", "elsewhere.txt")).status());
    assertTrue(stored("elsewhere.txt").isPresent());
  }

  /** The signer needs write access to the bucket, as for PutObject. */
  @Test
  void theSignerIsAuthorizedAsForAPut() {
    NewAccessKey reader = user("post-reader", Permission.READ);
    NewAccessKey writer = user("post-writer", Permission.READ_WRITE);
    TestResponse denied = post(new Form().field("key", "r.txt")
        .signedV2(policy("{\"key\": \"r.txt\"}"), reader.info().accessKeyId(), reader.secretAccessKey()));
    assertEquals(403, denied.status());
    assertEquals("AccessDenied", denied.xml("Code"));
    assertFalse(stored("r.txt").isPresent());
    TestResponse allowed = post(new Form().field("key", "w.txt")
        .signedV2(policy("{\"key\": \"w.txt\"}"), writer.info().accessKeyId(), writer.secretAccessKey()));
    assertEquals(204, allowed.status(), allowed.toString());
    assertTrue(stored("w.txt").isPresent());
  }

  private NewAccessKey user(String name, Permission permission) {
    var identity = fixture.store().identity();
    var u = identity.createUser(name + "-" + bkt, Role.USER);
    identity.grant(bkt, u.id(), permission);
    return identity.createKey(u.id(), null);
  }

  @Test
  void checksumsAndContentMd5AreVerified() throws Exception {
    byte[] content = "checked".getBytes(StandardCharsets.UTF_8);
    String crc = Base64.getEncoder().encodeToString(ChecksumAlgorithm.CRC32.digest(content));
    TestResponse ok = post(new Form().field("key", "c.txt").field("x-amz-checksum-crc32", crc).file(content)
        .signedV2(policy("{\"key\": \"c.txt\"}", "{\"x-amz-checksum-crc32\": \"" + crc + "\"}"), S3Fixture.ACCESS_KEY,
            S3Fixture.SECRET));
    assertEquals(204, ok.status(), ok.toString());
    assertEquals(crc, ok.header("x-amz-checksum-crc32"));
    assertEquals(crc, stored("c.txt").orElseThrow().checksum().wireValue());

    TestResponse bad = post(new Form().field("key", "d.txt").field("x-amz-checksum-crc32", crc).file("other".getBytes(StandardCharsets.UTF_8))
        .signedV2(policy("{\"key\": \"d.txt\"}", "{\"x-amz-checksum-crc32\": \"" + crc + "\"}"), S3Fixture.ACCESS_KEY,
            S3Fixture.SECRET));
    assertEquals("BadDigest", bad.xml("Code"));
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
    TestResponse badMd5 = post(new Form().field("key", "m.txt").field("Content-MD5", md5).file("other".getBytes(StandardCharsets.UTF_8))
        .signedV2(policy("{\"key\": \"m.txt\"}", "{\"Content-MD5\": \"" + md5 + "\"}"), S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals("BadDigest", badMd5.xml("Code"));
    assertFalse(stored("d.txt").isPresent());
    assertFalse(stored("m.txt").isPresent());
  }

  /**
   * The acl field is PutObject's x-amz-acl: a form is answered as a PUT with that header is (today
   * both store the object and take the canned ACL without acting on it).
   */
  @Test
  void theAclFieldIsAnsweredAsPutObjectAnswersXAmzAcl() {
    for (String acl : List.of("private", "public-read")) {
      TestResponse put = DirectExchange.run(fixture.api(), TestRequest.put("/" + bkt + "/put-" + acl)
          .header("x-amz-acl", acl).body("x"));
      TestResponse form = post(new Form().field("key", "post-" + acl).field("acl", acl)
          .signedV2(policy("{\"key\": \"post-" + acl + "\"}", "{\"acl\": \"" + acl + "\"}"), S3Fixture.ACCESS_KEY,
              S3Fixture.SECRET));
      assertEquals(put.status() == 200, form.status() == 204, acl + ": " + put + " / " + form);
      assertEquals(stored("put-" + acl).isPresent(), stored("post-" + acl).isPresent(), acl);
      // And the same ACL results: the form's acl field is stored as PutObject's header is.
      TestResponse putAcl = DirectExchange.run(fixture.api(), TestRequest.get("/" + bkt + "/put-" + acl + "?acl"));
      TestResponse formAcl = DirectExchange.run(fixture.api(), TestRequest.get("/" + bkt + "/post-" + acl + "?acl"));
      assertEquals(200, formAcl.status(), formAcl.toString());
      assertEquals(putAcl.text(), formAcl.text(), acl);
      assertEquals(acl.equals("public-read"), formAcl.text().contains("http://acs.amazonaws.com/groups/global/AllUsers"),
          formAcl.text());
    }
  }

  /** Tarn performs no server-side encryption: asked for in a field, it is refused as its header is. */
  @Test
  void serverSideEncryptionFieldsAreRefused() {
    TestResponse r = post(new Form().field("key", "sse.txt").field("x-amz-server-side-encryption", "AES256")
        .signedV2(policy("{\"key\": \"sse.txt\"}", "{\"x-amz-server-side-encryption\": \"AES256\"}"),
            S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(501, r.status(), r.toString());
    assertEquals("x-amz-server-side-encryption", r.xml("Header"));
    assertFalse(stored("sse.txt").isPresent());
  }

  @Test
  void aMissingBucketAndAFormThatIsNoForm() {
    TestResponse r = post("/no-such-bucket", new Form().field("key", "k").signedV2(
        "{\"expiration\": \"" + FUTURE + "\", \"conditions\": [{\"key\": \"k\"}]}", S3Fixture.ACCESS_KEY, S3Fixture.SECRET));
    assertEquals(404, r.status());
    assertEquals("NoSuchBucket", r.xml("Code"));
    TestResponse notAForm = DirectExchange.run(fixture.api(), TestRequest.post("/" + bkt).anonymous()
        .header("Content-Type", "application/x-www-form-urlencoded").body("key=k"));
    assertEquals(412, notAForm.status());
    assertEquals("Bucket POST must be of the enclosure-type multipart/form-data", notAForm.xml("Condition"));
  }

  /** TestResponse reads elements as written; the quotes of these are character references. */
  private static String unescape(String xmlText) {
    return xmlText.replace("&quot;", "\"");
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }
}
