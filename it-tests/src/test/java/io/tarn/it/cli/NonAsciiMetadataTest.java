package io.tarn.it.cli;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.it.support.Boto3;
import io.tarn.it.support.Boto3.Generation;
import io.tarn.it.support.Cli;
import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A metadata value sent as raw UTF-8 bytes ({@code x-amz-meta-name: café}, signed over those bytes)
 * is accepted, stored as text and returned RFC 2047-encoded, as S3 does
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html), so that SDKs, which
 * take only ASCII header values, read it and can write it back.
 */
class NonAsciiMetadataTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String ENCODED = "=?UTF-8?B?" + Base64.getEncoder().encodeToString("café".getBytes(StandardCharsets.UTF_8)) + "?=";

  @Test
  void rawUtf8ValueThroughRawHttpJavaSdkAndBoto3(@TempDir Path work) throws IOException {
    String bucket = bucketName("meta");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    RawResponse put = TARN.raw().signedUtf8Headers("PUT", "/" + bucket + "/raw.txt", Map.of("x-amz-meta-name", "café"),
        "raw".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, put.status(), put::toString);
    RawResponse head = TARN.raw().signedUtf8Headers("HEAD", "/" + bucket + "/raw.txt", Map.of(), null);
    assertEquals(200, head.status(), head::toString);
    assertEquals(ENCODED, head.header("x-amz-meta-name"));

    // The Java SDK reads the encoded-word, and writes it back unchanged.
    assertEquals(Map.of("name", ENCODED), TARN.s3().headObject(r -> r.bucket(bucket).key("raw.txt")).metadata());
    TARN.s3().putObject(r -> r.bucket(bucket).key("sdk.txt").metadata(Map.of("name", ENCODED)), RequestBody.fromString("sdk"));
    assertEquals(Map.of("name", ENCODED), TARN.s3().headObject(r -> r.bucket(bucket).key("sdk.txt")).metadata());

    Map<String, String> seen = boto3(work, bucket);
    assertEquals("1.37", seen.get("version").substring(0, 4), seen.toString());
    assertEquals(ENCODED, seen.get("raw_header"), seen.toString());
    assertEquals("café", seen.get("raw_decoded"), seen.toString());
    assertEquals("True", seen.get("roundtrip_same"), seen.toString());
    // botocore itself refuses a non-ASCII value before sending it.
    assertEquals("ParamValidationError", seen.get("non_ascii_put"), seen.toString());
  }

  private static Map<String, String> boto3(Path work, String bucket) {
    return Boto3.run(Generation.CURRENT, "boto3_metadata.py", work, Boto3.serverEnvironment(TARN, bucket, work),
        Duration.ofMinutes(2));
  }
}
