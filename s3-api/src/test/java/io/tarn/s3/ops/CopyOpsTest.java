package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CopyObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html). */
class CopyOpsTest extends S3FixtureTest {
  private String bkt;
  private ObjectInfo source;

  @BeforeEach
  void setUp() {
    bkt = fixture.newBucket();
    source = fixture.putObject(bkt, "src", "source bytes".getBytes(),
        ObjectMetadata.of("text/plain", Map.of("colour", "blue")));
  }

  private TestResponse copy(String key, TestRequest r) {
    return DirectExchange.run(fixture.api(), r.header("x-amz-copy-source", "/" + bkt + "/src"));
  }

  private TestResponse head(String key) {
    return DirectExchange.run(fixture.api(), TestRequest.head("/" + bkt + "/" + key));
  }

  @Test
  void aCopyKeepsTheSourceMetadata() {
    TestResponse r = copy("dst", TestRequest.put("/" + bkt + "/dst"));
    assertEquals(200, r.status(), r.toString());
    assertEquals("&quot;" + source.etag() + "&quot;", r.xml("ETag"));
    TestResponse h = head("dst");
    assertEquals("text/plain", h.header("Content-Type"));
    assertEquals("blue", h.header("x-amz-meta-colour"));
    assertEquals("source bytes", DirectExchange.run(fixture.api(), TestRequest.get("/" + bkt + "/dst")).text());
  }

  @Test
  void copyingAnObjectOntoItselfWithoutReplaceIsInvalidRequest() {
    TestResponse r = copy("src", TestRequest.put("/" + bkt + "/src"));
    assertEquals(400, r.status());
    assertEquals("InvalidRequest", r.xml("Code"));
    assertEquals("blue", head("src").header("x-amz-meta-colour"));
  }

  @Test
  void copyingOntoItselfWithReplaceSetsNewMetadata() {
    TestResponse r = copy("src", TestRequest.put("/" + bkt + "/src").header("x-amz-metadata-directive", "REPLACE")
        .header("Content-Type", "application/json").header("x-amz-meta-shape", "round"));
    assertEquals(200, r.status(), r.toString());
    TestResponse h = head("src");
    assertEquals("application/json", h.header("Content-Type"));
    assertEquals("round", h.header("x-amz-meta-shape"));
    assertNull(h.header("x-amz-meta-colour"));
    assertEquals("\"" + source.etag() + "\"", h.header("ETag"));
    assertEquals("source bytes", DirectExchange.run(fixture.api(), TestRequest.get("/" + bkt + "/src")).text());
  }

  @Test
  void aFailedCopySourceConditionIsPreconditionFailed() {
    TestResponse r = copy("dst", TestRequest.put("/" + bkt + "/dst").header("x-amz-copy-source-if-match", "\"nope\""));
    assertEquals(412, r.status());
    assertEquals("PreconditionFailed", r.xml("Code"));
    assertEquals(404, head("dst").status());
    TestResponse noneMatch = copy("dst", TestRequest.put("/" + bkt + "/dst")
        .header("x-amz-copy-source-if-none-match", "\"" + source.etag() + "\""));
    assertEquals(412, noneMatch.status(), "copy conditions never answer 304");
  }

  @Test
  void aMissingSourceIsNoSuchKeyNamingTheSource() {
    TestResponse r = DirectExchange.run(fixture.api(), TestRequest.put("/" + bkt + "/dst")
        .header("x-amz-copy-source", "/" + bkt + "/nothing"));
    assertEquals(404, r.status());
    assertEquals("NoSuchKey", r.xml("Code"));
    assertEquals("nothing", r.xml("Key"));
  }

  @Test
  void aMissingBucketIsNoSuchBucketNamingTheBucketThatIsMissing() {
    TestResponse fromNowhere = DirectExchange.run(fixture.api(), TestRequest.put("/" + bkt + "/dst")
        .header("x-amz-copy-source", "/nosuchsource/k"));
    assertEquals(404, fromNowhere.status());
    assertEquals("NoSuchBucket", fromNowhere.xml("Code"));
    assertEquals("nosuchsource", fromNowhere.xml("BucketName"));
    TestResponse toNowhere = DirectExchange.run(fixture.api(), TestRequest.put("/nosuchdest/dst")
        .header("x-amz-copy-source", "/" + bkt + "/src"));
    assertEquals("NoSuchBucket", toNowhere.xml("Code"));
    assertEquals("nosuchdest", toNowhere.xml("BucketName"));
  }

  @Test
  void anUnknownDirectiveIsInvalidArgument() {
    TestResponse r = copy("dst", TestRequest.put("/" + bkt + "/dst").header("x-amz-metadata-directive", "MERGE"));
    assertEquals(400, r.status());
    assertEquals("InvalidArgument", r.xml("Code"));
  }
}
