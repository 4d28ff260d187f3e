package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tarn.s3.testing.DirectExchange;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.ObjectMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ListObjects and ListObjectsV2 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html). */
class ListOpsTest {
  @TempDir static Path dir;
  private static S3Fixture fixture;
  private static String bkt;

  @BeforeAll
  static void openStore() {
    fixture = S3Fixture.open(dir);
    bkt = fixture.newBucket();
    for (String key : List.of("a/1", "a/2", "b", "c d", "e")) {
      fixture.putObject(bkt, key, key.getBytes(), ObjectMetadata.of(null, Map.of()));
    }
  }

  @AfterAll
  static void closeStore() {
    fixture.close();
  }

  private static TestResponse list(String query) {
    TestResponse r = DirectExchange.run(fixture.api(), TestRequest.get("/" + bkt + "?" + query));
    assertEquals(200, r.status(), r.toString());
    return r;
  }

  @Test
  void v2GroupsByDelimiter() {
    TestResponse r = list("list-type=2&delimiter=%2F");
    assertEquals(List.of("b", "c d", "e"), r.xmlAll("Key"));
    assertEquals(List.of("a/"), TestResponse.elements(r.xml("CommonPrefixes"), "Prefix"));
    assertEquals("4", r.xml("KeyCount"));
    assertEquals("false", r.xml("IsTruncated"));
    assertNull(r.xml("Owner"), "V2 lists owners only with fetch-owner");
  }

  @Test
  void v2PagesWithContinuationTokens() {
    TestResponse first = list("list-type=2&max-keys=2");
    assertEquals(List.of("a/1", "a/2"), first.xmlAll("Key"));
    assertEquals("true", first.xml("IsTruncated"));
    String token = first.xml("NextContinuationToken");
    TestResponse second = list("list-type=2&max-keys=2&continuation-token=" + token);
    assertEquals(List.of("b", "c d"), second.xmlAll("Key"));
    assertEquals(token, second.xml("ContinuationToken"));
    TestResponse last = list("list-type=2&max-keys=2&continuation-token=" + second.xml("NextContinuationToken"));
    assertEquals(List.of("e"), last.xmlAll("Key"));
    assertNull(last.xml("NextContinuationToken"));
  }

  @Test
  void v2StartAfterAndUrlEncoding() {
    TestResponse r = list("list-type=2&start-after=b&encoding-type=url&fetch-owner=true");
    assertEquals(List.of("c%20d", "e"), r.xmlAll("Key"));
    assertEquals("alice", r.xml("DisplayName"));
  }

  @Test
  void aForgedContinuationTokenIsInvalidArgument() {
    TestResponse r = DirectExchange.run(fixture.api(), TestRequest.get("/" + bkt + "?list-type=2&continuation-token=bm9wZQ"));
    assertEquals(400, r.status());
    assertEquals("InvalidArgument", r.xml("Code"));
  }

  @Test
  void v1PagesWithMarkers() {
    TestResponse r = list("max-keys=2&delimiter=%2F");
    assertEquals(List.of("b"), r.xmlAll("Key"));
    assertEquals("true", r.xml("IsTruncated"));
    assertEquals("b", r.xml("NextMarker"));
    TestResponse next = list("max-keys=2&delimiter=%2F&marker=b");
    assertEquals(List.of("c d", "e"), next.xmlAll("Key"));
    assertEquals("false", next.xml("IsTruncated"));
    assertEquals("alice", next.xml("DisplayName"), "V1 always lists owners");
  }

  @Test
  void listingAMissingBucketIsNoSuchBucket() {
    TestResponse r = DirectExchange.run(fixture.api(), TestRequest.get("/nobucket?list-type=2"));
    assertEquals(404, r.status());
    assertEquals("NoSuchBucket", r.xml("Code"));
  }
}
