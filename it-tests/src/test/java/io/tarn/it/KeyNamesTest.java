package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.it.support.TarnServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Keys are opaque strings stored literally: no path normalization, no decoding beyond the URL's own
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
 */
class KeyNamesTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();

  static final List<String> KEYS = List.of(
      "../escape",
      "a/../b",
      "./dot",
      "dir/./here",
      "double//slash",
      "/leading-slash",
      "trailing-slash/",
      "percent%20literal",
      "100%",
      "%2F",
      "with space",
      " leading and trailing ",
      "plus+sign",
      "query?x=1&y=2#frag",
      "semi;colon,comma=equals",
      "back\\slash",
      "tilde~star*",
      "xml<&>\"'",
      "emoji-\uD83E\uDD80-crab",
      "\u00fcn\u00efc\u00f8d\u00e9/\u043a\u043b\u044e\u0447/\u4e2d\u6587",
      "a".repeat(1024));

  @Test
  void oddKeysRoundTripLiterallyAndListInUtf8Order() {
    S3Client s3 = TARN.s3();
    String bucket = bucketName("keys");
    s3.createBucket(r -> r.bucket(bucket));

    for (String key : KEYS) {
      s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("body of " + key));
    }
    for (String key : KEYS) {
      assertEquals("body of " + key, s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String(), key);
      assertEquals(("body of " + key).getBytes(StandardCharsets.UTF_8).length,
          s3.headObject(r -> r.bucket(bucket).key(key)).contentLength(), key);
    }

    // S3 lists keys in UTF-8 binary order.
    List<String> expected = KEYS.stream().sorted(Comparator.comparing(
        (String k) -> k.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned)).toList();
    List<String> listed = s3.listObjectsV2Paginator(r -> r.bucket(bucket).maxKeys(7)).contents().stream()
        .map(S3Object::key).toList();
    assertEquals(expected, listed);

    for (String key : KEYS) {
      s3.deleteObject(r -> r.bucket(bucket).key(key));
      assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(bucket).key(key)), key);
    }
    assertEquals(0, s3.listObjectsV2(r -> r.bucket(bucket)).keyCount());
  }

  @Test
  void keysLongerThan1024BytesAreRejected() {
    S3Client s3 = TARN.s3();
    String bucket = bucketName("longkey");
    s3.createBucket(r -> r.bucket(bucket));
    // 513 two-byte characters: 1026 bytes of UTF-8.
    String key = "\u00e9".repeat(513);
    S3Exception e = assertThrows(S3Exception.class,
        () -> s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("x")));
    assertEquals(400, e.statusCode());
    assertEquals("KeyTooLongError", e.awsErrorDetails().errorCode());
  }
}
