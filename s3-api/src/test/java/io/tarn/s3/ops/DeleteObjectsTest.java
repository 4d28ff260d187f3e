package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.ObjectMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DeleteObject and DeleteObjects (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html). */
class DeleteObjectsTest extends S3FixtureTest {
  private String bkt;

  @BeforeEach
  void setUp() {
    bkt = fixture.newBucket();
    for (String key : List.of("a", "b", "c")) {
      fixture.putObject(bkt, key, key.getBytes(StandardCharsets.UTF_8), ObjectMetadata.of(null, Map.of()));
    }
  }

  private TestResponse deleteObjects(String xml) {
    String md5 = Base64.getEncoder().encodeToString(ChecksumAlgorithm.MD5.digest(xml.getBytes(StandardCharsets.UTF_8)));
    return DirectExchange.run(fixture.api(), TestRequest.post("/" + bkt + "?delete").header("Content-MD5", md5).body(xml));
  }

  private static String document(boolean quiet, String... keys) {
    StringBuilder sb = new StringBuilder("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    if (quiet) {
      sb.append("<Quiet>true</Quiet>");
    }
    for (String k : keys) {
      sb.append("<Object><Key>").append(k).append("</Key></Object>");
    }
    return sb.append("</Delete>").toString();
  }

  private boolean exists(String key) {
    return fixture.store().head(bkt, key).isPresent();
  }

  @Test
  void verboseModeReportsEveryKeyAndAPerKeyError() {
    TestResponse r = deleteObjects(document(false, "a", "", "missing", "b"));
    assertEquals(200, r.status(), r.toString());
    List<String> deleted = r.xmlAll("Deleted");
    assertEquals(3, deleted.size(), r.text());
    assertEquals(List.of("a", "missing", "b"), deleted.stream().map(d -> TestResponse.elements(d, "Key").get(0)).toList());
    List<String> errors = r.xmlAll("Error");
    assertEquals(1, errors.size());
    assertEquals(List.of(""), TestResponse.elements(errors.get(0), "Key"));
    assertEquals(List.of("InvalidArgument"), TestResponse.elements(errors.get(0), "Code"));
    assertFalse(exists("a"));
    assertFalse(exists("b"));
    assertTrue(exists("c"));
  }

  @Test
  void quietModeReportsOnlyErrors() {
    TestResponse r = deleteObjects(document(true, "a", "", "c"));
    assertEquals(200, r.status(), r.toString());
    assertEquals(List.of(), r.xmlAll("Deleted"));
    assertEquals(1, r.xmlAll("Error").size());
    assertFalse(exists("a"));
    assertFalse(exists("c"));
    assertTrue(exists("b"));
  }

  @Test
  void aVersionIdOtherThanNullIsNoSuchVersionForThatKeyOnly() {
    String xml = "<Delete><Object><Key>a</Key><VersionId>3HL4kqtJlcpXroDTDmJ</VersionId></Object>"
        + "<Object><Key>b</Key><VersionId>null</VersionId></Object></Delete>";
    TestResponse r = deleteObjects(xml);
    assertEquals(List.of("NoSuchVersion"), r.xmlAll("Code"));
    assertTrue(exists("a"));
    assertFalse(exists("b"));
  }

  @Test
  void aMalformedDocumentIsMalformedXml() {
    TestResponse r = deleteObjects("<Delete><Object></Object></Delete>");
    assertEquals(400, r.status());
    assertEquals("MalformedXML", r.xml("Code"));
    assertTrue(exists("a"));
  }

  @Test
  void aMissingBucketIsNoSuchBucket() {
    String xml = document(false, "a");
    TestResponse r = DirectExchange.run(fixture.api(), TestRequest.post("/nobucket?delete").body(xml));
    assertEquals(404, r.status());
    assertEquals("NoSuchBucket", r.xml("Code"));
  }

  @Test
  void deleteObjectIs204WhetherOrNotTheKeyExisted() {
    assertEquals(204, DirectExchange.run(fixture.api(), TestRequest.delete("/" + bkt + "/a")).status());
    assertEquals(204, DirectExchange.run(fixture.api(), TestRequest.delete("/" + bkt + "/a")).status());
    assertFalse(exists("a"));
  }

  private String etag(String key) {
    return fixture.store().head(bkt, key).orElseThrow().etag();
  }

  private TestResponse delete(String key, String... headers) {
    TestRequest r = TestRequest.delete("/" + bkt + "/" + key);
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return DirectExchange.run(fixture.api(), r);
  }

  /** https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html */
  @Test
  void deleteObjectConditions() {
    String lastModified = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        fixture.store().head(bkt, "a").orElseThrow().lastModified().atZone(java.time.ZoneOffset.UTC));
    for (String[] failing : List.of(
        new String[] {"If-Match", "\"0123456789abcdef0123456789abcdef\""},
        new String[] {"x-amz-if-match-size", "2"},
        new String[] {"x-amz-if-match-last-modified-time", "Wed, 01 Jan 2020 00:00:00 GMT"},
        new String[] {"If-Match", "\"" + etag("a") + "\"", "x-amz-if-match-size", "7"})) {
      TestResponse r = delete("a", failing);
      assertEquals(412, r.status(), List.of(failing) + " " + r);
      assertEquals("PreconditionFailed", r.xml("Code"));
      assertTrue(exists("a"));
    }
    assertEquals("InvalidArgument", delete("a", "x-amz-if-match-size", "many").xml("Code"));
    assertEquals("InvalidArgument", delete("a", "x-amz-if-match-last-modified-time", "yesterday").xml("Code"));
    assertTrue(exists("a"));

    assertEquals(204, delete("a", "If-Match", "\"" + etag("a") + "\"", "x-amz-if-match-size", "1",
        "x-amz-if-match-last-modified-time", lastModified).status());
    assertFalse(exists("a"));
    TestResponse missing = delete("a", "If-Match", "*");
    assertEquals(404, missing.status(), missing.toString());
    assertEquals("NoSuchKey", missing.xml("Code"));
    assertEquals(204, delete("a", "x-amz-if-match-size", "1").status(), "size alone holds for a missing key");
    assertEquals(204, delete("b", "If-Match", "*").status());
    assertFalse(exists("b"));
  }

  @Test
  void deleteObjectsConditionsFailOnlyTheirOwnObject() {
    String xml = "<Delete><Object><Key>a</Key><ETag>\"" + etag("a") + "\"</ETag></Object>"
        + "<Object><Key>b</Key><ETag>\"0123456789abcdef0123456789abcdef\"</ETag></Object>"
        + "<Object><Key>c</Key><Size>1</Size><LastModifiedTime>Wed, 01 Jan 2020 00:00:00 GMT</LastModifiedTime></Object>"
        + "<Object><Key>missing</Key><ETag>*</ETag></Object>"
        + "<Object><Key>gone</Key><Size>5</Size></Object></Delete>";
    TestResponse r = deleteObjects(xml);
    assertEquals(200, r.status(), r.toString());
    assertEquals(List.of("a", "gone"),
        r.xmlAll("Deleted").stream().map(d -> TestResponse.elements(d, "Key").get(0)).toList());
    List<String> errors = r.xmlAll("Error");
    assertEquals(List.of("b", "c", "missing"), errors.stream().map(e -> TestResponse.elements(e, "Key").get(0)).toList());
    assertEquals(List.of("PreconditionFailed", "PreconditionFailed", "NoSuchKey"),
        errors.stream().map(e -> TestResponse.elements(e, "Code").get(0)).toList());
    assertFalse(exists("a"));
    assertTrue(exists("b"));
    assertTrue(exists("c"));
  }
}
