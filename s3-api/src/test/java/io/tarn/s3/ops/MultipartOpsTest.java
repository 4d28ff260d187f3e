package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Hex;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestRequest.Payload;
import io.tarn.s3.testing.TestResponse;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Multipart uploads (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html). */
class MultipartOpsTest extends S3FixtureTest {
  private static final byte[] PART1 = S3Fixture.bytes(5 << 20);
  private static final byte[] PART2 = "and the short last part".getBytes();

  private String bkt;

  @BeforeEach
  void setUp() {
    bkt = fixture.newBucket();
  }

  private TestResponse run(TestRequest r) {
    return DirectExchange.run(fixture.api(), r);
  }

  private String create(String key) {
    TestResponse r = run(TestRequest.post("/" + bkt + "/" + key + "?uploads").header("Content-Type", "text/plain"));
    assertEquals(200, r.status(), r.toString());
    String id = r.xml("UploadId");
    assertNotNull(id);
    return id;
  }

  private String uploadPart(String key, String uploadId, int n, byte[] data) {
    TestResponse r = run(TestRequest.put("/" + bkt + "/" + key + "?partNumber=" + n + "&uploadId=" + uploadId)
        .payload(Payload.UNSIGNED).body(data));
    assertEquals(200, r.status(), r.toString());
    assertEquals("\"" + Hex.encode(ChecksumAlgorithm.MD5.digest(data)) + "\"", r.header("ETag"));
    return r.header("ETag");
  }

  private static String completion(String... etags) {
    StringBuilder sb = new StringBuilder("<CompleteMultipartUpload>");
    for (int i = 0; i < etags.length; i++) {
      sb.append("<Part><PartNumber>").append(i + 1).append("</PartNumber><ETag>").append(etags[i]).append("</ETag></Part>");
    }
    return sb.append("</CompleteMultipartUpload>").toString();
  }

  private TestResponse complete(String key, String uploadId, String xml) {
    return run(TestRequest.post("/" + bkt + "/" + key + "?uploadId=" + uploadId).body(xml));
  }

  @Test
  void partsAreCompletedIntoOneObject() {
    String id = create("k");
    String e1 = uploadPart("k", id, 1, PART1);
    String e2 = uploadPart("k", id, 2, PART2);
    TestResponse r = complete("k", id, completion(e1, e2));
    assertEquals(200, r.status(), r.toString());
    assertTrue(r.xml("ETag").endsWith("-2&quot;"), r.xml("ETag"));
    assertEquals(bkt, r.xml("Bucket"));
    assertEquals("http://tarn.test/" + bkt + "/k", r.xml("Location"));

    TestResponse get = run(TestRequest.get("/" + bkt + "/k"));
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    whole.writeBytes(PART1);
    whole.writeBytes(PART2);
    assertArrayEquals(whole.toByteArray(), get.body());
    assertEquals("text/plain", get.header("Content-Type"));
    assertEquals("NoSuchUpload", run(TestRequest.get("/" + bkt + "/k?uploadId=" + id)).xml("Code"));
  }

  private TestResponse createWith(String key, String algorithm, String type) {
    TestRequest r = TestRequest.post("/" + bkt + "/" + key + "?uploads");
    if (algorithm != null) {
      r.header("x-amz-checksum-algorithm", algorithm);
    }
    if (type != null) {
      r.header("x-amz-checksum-type", type);
    }
    return run(r);
  }

  @Test
  void aFullObjectChecksumIsTheCrcOfTheWholeObject() {
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    whole.writeBytes(PART1);
    whole.writeBytes(PART2);
    for (String[] c : new String[][] {{"CRC64NVME", null}, {"CRC32", "FULL_OBJECT"}, {"CRC32C", "full_object"}}) {
      ChecksumAlgorithm alg = ChecksumAlgorithm.fromS3Name(c[0]);
      TestResponse created = createWith("k", c[0], c[1]);
      assertEquals(200, created.status(), created.toString());
      assertEquals("FULL_OBJECT", created.header("x-amz-checksum-type"), "CRC64NVME has no other type");
      String id = created.xml("UploadId");
      // Parts without a checksum header get one computed in the upload's algorithm.
      String e1 = uploadPart("k", id, 1, PART1);
      String e2 = uploadPart("k", id, 2, PART2);
      TestResponse parts = run(TestRequest.get("/" + bkt + "/k?uploadId=" + id));
      assertEquals("FULL_OBJECT", parts.xml("ChecksumType"));
      String expected = java.util.Base64.getEncoder().encodeToString(alg.digest(whole.toByteArray()));
      // A checksum header on the completion is the whole object's: a wrong one changes nothing.
      String wrong = java.util.Base64.getEncoder().encodeToString(alg.digest(PART1));
      TestResponse refused = run(TestRequest.post("/" + bkt + "/k?uploadId=" + id).header(alg.headerName(), wrong)
          .body(completion(e1, e2)));
      assertEquals(400, refused.status(), refused.toString());
      assertEquals("BadDigest", refused.xml("Code"));
      assertEquals(200, run(TestRequest.get("/" + bkt + "/k?uploadId=" + id)).status(), "the upload is still there");
      TestResponse done = run(TestRequest.post("/" + bkt + "/k?uploadId=" + id).header(alg.headerName(), expected)
          .body(completion(e1, e2)));
      assertEquals(200, done.status(), done.toString());
      assertEquals(expected, done.header(alg.headerName()), c[0]);
      assertEquals("FULL_OBJECT", done.header("x-amz-checksum-type"));
      TestResponse head = run(TestRequest.head("/" + bkt + "/k").header("x-amz-checksum-mode", "ENABLED"));
      assertEquals(expected, head.header(alg.headerName()));
      assertEquals("FULL_OBJECT", head.header("x-amz-checksum-type"));
    }
    TestResponse composite = createWith("c", "CRC32", null);
    assertEquals("COMPOSITE", composite.header("x-amz-checksum-type"), "the CRC32 default");
    for (String[] bad : new String[][] {{"SHA256", "FULL_OBJECT"}, {"CRC64NVME", "COMPOSITE"}, {null, "FULL_OBJECT"},
        {"CRC32", "WHOLE"}}) {
      TestResponse r = createWith("bad", bad[0], bad[1]);
      assertEquals(400, r.status(), r.toString());
      assertEquals("InvalidRequest", r.xml("Code"), r.toString());
    }
  }

  @Test
  void aWrongPartETagIsInvalidPart() {
    String id = create("k");
    String e1 = uploadPart("k", id, 1, PART1);
    uploadPart("k", id, 2, PART2);
    TestResponse r = complete("k", id, completion(e1, "\"0123456789abcdef0123456789abcdef\""));
    assertEquals(400, r.status(), r.toString());
    assertEquals("InvalidPart", r.xml("Code"));
    assertFalse(fixture.store().head(bkt, "k").isPresent());
    // The upload is still there to be completed correctly.
    assertEquals(2, run(TestRequest.get("/" + bkt + "/k?uploadId=" + id)).xmlAll("PartNumber").size());
  }

  @Test
  void aSmallPartBeforeTheLastIsEntityTooSmall() {
    String id = create("k");
    String e1 = uploadPart("k", id, 1, PART2);
    String e2 = uploadPart("k", id, 2, PART2);
    TestResponse r = complete("k", id, completion(e1, e2));
    assertEquals(400, r.status());
    assertEquals("EntityTooSmall", r.xml("Code"));
  }

  @Test
  void partsOutOfOrderAreInvalidPartOrder() {
    String id = create("k");
    String e1 = uploadPart("k", id, 1, PART1);
    String e2 = uploadPart("k", id, 2, PART2);
    String xml = "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>" + e2 + "</ETag></Part>"
        + "<Part><PartNumber>1</PartNumber><ETag>" + e1 + "</ETag></Part></CompleteMultipartUpload>";
    assertEquals("InvalidPartOrder", complete("k", id, xml).xml("Code"));
  }

  @Test
  void aPartForAnUnknownUploadIsRefusedBeforeItsBody() {
    TestResponse r = run(TestRequest.put("/" + bkt + "/k?partNumber=1&uploadId=nosuchupload").body("x"));
    assertEquals(404, r.status());
    assertEquals("NoSuchUpload", r.xml("Code"));
  }

  /** A retry after a lost response (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html). */
  @Test
  void aRetriedCompletionGetsTheSameResult() {
    String id = create("k");
    String e1 = uploadPart("k", id, 1, PART1);
    String e2 = uploadPart("k", id, 2, PART2);
    TestResponse first = complete("k", id, completion(e1, e2));
    assertEquals(200, first.status(), first.toString());
    TestResponse again = complete("k", id, completion(e1, e2));
    assertEquals(200, again.status(), again.toString());
    assertEquals(first.text(), again.text());
    TestResponse other = complete("k", id, completion(e1));
    assertEquals(400, other.status());
    assertEquals("InvalidPart", other.xml("Code"));
  }

  @Test
  void abortRemovesTheUpload() {
    String id = create("k");
    uploadPart("k", id, 1, PART2);
    assertEquals(204, run(TestRequest.delete("/" + bkt + "/k?uploadId=" + id)).status());
    assertEquals("NoSuchUpload", complete("k", id, completion("\"x\"")).xml("Code"));
    assertEquals(List.of(), run(TestRequest.get("/" + bkt + "?uploads")).xmlAll("UploadId"));
  }

  @Test
  void uploadPartCopyTakesARangeOfAnObject() {
    fixture.putObject(bkt, "src", "0123456789".getBytes(), io.tarn.storage.ObjectMetadata.of(null, java.util.Map.of()));
    String id = create("k");
    TestResponse r = run(TestRequest.put("/" + bkt + "/k?partNumber=1&uploadId=" + id)
        .header("x-amz-copy-source", "/" + bkt + "/src").header("x-amz-copy-source-range", "bytes=2-5"));
    assertEquals(200, r.status(), r.toString());
    String etag = r.xml("ETag").replace("&quot;", "\"");
    assertEquals("\"" + Hex.encode(ChecksumAlgorithm.MD5.digest("2345".getBytes())) + "\"", etag);
    assertEquals(200, complete("k", id, completion(etag)).status());
    assertEquals("2345", run(TestRequest.get("/" + bkt + "/k")).text());
  }
}
