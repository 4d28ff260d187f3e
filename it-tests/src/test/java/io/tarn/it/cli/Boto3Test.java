package io.tarn.it.cli;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Boto3;
import io.tarn.it.support.Boto3.Generation;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** boto3, both Debian 12's (1.26) and a current one (1.37): both generations must work. */
class Boto3Test {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();

  @ParameterizedTest
  @EnumSource(Generation.class)
  void roundTrip(Generation generation, @TempDir Path work) {
    Map<String, String> seen = run(generation, "boto3_round_trip.py", work);
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("buckets_contain", "True");
    expected.put("put_etag", TestData.etag("hello boto3".getBytes(StandardCharsets.UTF_8)));
    expected.put("head_length", "11");
    expected.put("head_type", "text/plain");
    expected.put("head_meta", "python");
    expected.put("get_body", "hello boto3");
    expected.put("range_body", "boto3");
    expected.put("range_status", "206");
    expected.put("list_keys", "top.txt");
    expected.put("list_prefixes", "docs/");
    expected.put("nested_keys", "docs/copy.txt,docs/hello.txt");
    expected.put("multipart_etag", seen.get("multipart_etag"));
    expected.put("multipart_same", "True");
    expected.put("missing_error", "NoSuchKey");
    expected.put("deleted", "big/file.bin,docs/copy.txt,docs/hello.txt,top.txt");
    expected.put("bucket_gone", "True");
    assertEquals(expected, seen);
    assertTrue(seen.get("multipart_etag").matches("\"[0-9a-f]{32}-3\""), "multipart ETag " + seen.get("multipart_etag"));
  }

  /**
   * A new user's script, no client configuration at all: with today's boto3 every GET checks the
   * response checksum, download_file reads in parallel ranges, upload_file sends CRC32 trailers.
   */
  @ParameterizedTest
  @EnumSource(Generation.class)
  void defaultSettings(Generation generation, @TempDir Path work) {
    Map<String, String> seen = run(generation, "boto3_defaults.py", work);
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("small_same", "True");
    expected.put("small_range", "from");
    expected.put("big_etag_parts", "3");
    expected.put("big_length", Long.toString((20L << 20) + 3));
    expected.put("big_download_same", "True");
    expected.put("big_range_same", "True");
    expected.put("big_range_status", "206");
    expected.put("big_part2_same", "True");
    expected.put("big_parts_count", "3");
    expected.put("big_get_same", "True");
    expected.put("single_download_same", "True");
    expected.put("copy_same", "True");
    expected.put("big_copy_same", "True");
    expected.put("paged_keys", "page/0,page/1,page/2,page/3,page/4");
    expected.put("deleted_count", "9");
    expected.put("bucket_gone", "True");
    assertEquals(expected, seen);
  }

  /**
   * Conditional deletes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html)
   * from today's boto3 (Debian 12's predates DeleteObject's IfMatch).
   */
  @Test
  void conditionalDeleteObject(@TempDir Path work) {
    Map<String, String> seen = run(Generation.CURRENT, "boto3_conditional_delete.py", work);
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("botocore", seen.get("botocore"));
    expected.put("stale_if_match", "412 PreconditionFailed");
    expected.put("still_there", "True");
    expected.put("matching_if_match", "204");
    expected.put("missing_if_match", "404 NoSuchKey");
    assertEquals(expected, seen);
  }

  /**
   * An empty-bodied PUT and the next PUT on the same connection (issue 11's acknowledged-but-lost write:
   * botocore misread the second response after the first was answered without a 100 Continue).
   */
  @ParameterizedTest
  @EnumSource(Generation.class)
  void anEmptyPutDoesNotConfuseTheNextOnItsConnection(Generation generation, @TempDir Path work) {
    Map<String, String> seen = run(generation, "boto3_expect_continue.py", work);
    Map<String, String> expected = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      expected.put("put_" + i, "200 200 True");
    }
    expected.put("stored", "empty-0,empty-1,empty-2,full-0,full-1,full-2");
    assertEquals(expected, seen);
  }

  private static Map<String, String> run(Generation generation, String script, Path work) {
    return Boto3.run(generation, script, work, Boto3.serverEnvironment(TARN, bucketName("boto3"), work),
        Duration.ofMinutes(4));
  }
}
