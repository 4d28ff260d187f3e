package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.Xml;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * ListObjectsV2 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html) and
 * ListObjects v1 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html).
 */
class ListObjectsTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String BUCKET = bucketName("list");
  private static final String ENCODED_BUCKET = bucketName("list-enc");
  static final List<String> KEYS = List.of("alpha/deep/three", "alpha/one", "alpha/two", "beta/four", "gamma",
      "photos/2024/feb.jpg", "photos/2024/jan.jpg", "photos/2025/mar.jpg", "zeta");
  static final List<String> ODD_KEYS = List.of("enc/a b", "enc/ctl\u0001char", "enc/plus+sign", "enc/percent%",
      "enc/\u00fcml\u00e4ut", "enc/tab\there");

  @BeforeAll
  static void fill() {
    S3Client s3 = TARN.s3();
    s3.createBucket(r -> r.bucket(BUCKET));
    for (String key : KEYS) {
      s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(key));
    }
    s3.createBucket(r -> r.bucket(ENCODED_BUCKET));
    for (String key : ODD_KEYS) {
      s3.putObject(r -> r.bucket(ENCODED_BUCKET).key(key), RequestBody.fromString(key));
    }
  }

  @Test
  void v2ListsEverythingInOrderWithSizesAndEtags() {
    ListObjectsV2Response all = TARN.s3().listObjectsV2(r -> r.bucket(BUCKET));
    assertEquals(KEYS, keys(all.contents()));
    assertEquals(KEYS.size(), all.keyCount());
    assertFalse(all.isTruncated());
    assertEquals(1000, all.maxKeys());
    for (S3Object o : all.contents()) {
      assertEquals(o.key().length(), o.size(), o.key());
      assertNotNull(o.eTag(), o.key());
      assertNotNull(o.lastModified(), o.key());
      assertNull(o.owner(), "owner without fetch-owner");
    }
  }

  @Test
  void v2PrefixAndDelimiter() {
    S3Client s3 = TARN.s3();
    assertEquals(List.of("photos/2024/feb.jpg", "photos/2024/jan.jpg", "photos/2025/mar.jpg"),
        keys(s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("photos/")).contents()));

    ListObjectsV2Response top = s3.listObjectsV2(r -> r.bucket(BUCKET).delimiter("/"));
    assertEquals(List.of("gamma", "zeta"), keys(top.contents()));
    assertEquals(List.of("alpha/", "beta/", "photos/"), prefixes(top.commonPrefixes()));
    assertEquals(5, top.keyCount());
    assertEquals("/", top.delimiter());

    ListObjectsV2Response photos = s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("photos/").delimiter("/"));
    assertEquals(List.of(), keys(photos.contents()));
    assertEquals(List.of("photos/2024/", "photos/2025/"), prefixes(photos.commonPrefixes()));
    assertEquals("photos/", photos.prefix());

    assertEquals(0, s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("nothing/")).keyCount());
  }

  @Test
  void v2PaginatesWithContinuationTokens() {
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      ListObjectsV2Response page = TARN.s3().listObjectsV2(r -> r.bucket(BUCKET).maxKeys(2).continuationToken(t));
      pages++;
      assertTrue(page.keyCount() <= 2, "page size " + page.keyCount());
      seen.addAll(keys(page.contents()));
      assertEquals(page.isTruncated(), page.nextContinuationToken() != null, "NextContinuationToken iff truncated");
      token = page.nextContinuationToken();
    } while (token != null && pages < 20);
    assertEquals(KEYS, seen);
    assertEquals(5, pages);
  }

  @Test
  void v2PaginatesOverCommonPrefixesToo() {
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      ListObjectsV2Response page =
          TARN.s3().listObjectsV2(r -> r.bucket(BUCKET).delimiter("/").maxKeys(1).continuationToken(t));
      pages++;
      assertEquals(1, page.keyCount());
      seen.addAll(prefixes(page.commonPrefixes()));
      seen.addAll(keys(page.contents()));
      token = page.nextContinuationToken();
    } while (token != null && pages < 20);
    assertEquals(List.of("alpha/", "beta/", "gamma", "photos/", "zeta"), seen);
  }

  @Test
  void v2StartAfter() {
    S3Client s3 = TARN.s3();
    assertEquals(List.of("gamma", "photos/2024/feb.jpg", "photos/2024/jan.jpg", "photos/2025/mar.jpg", "zeta"),
        keys(s3.listObjectsV2(r -> r.bucket(BUCKET).startAfter("beta/four")).contents()));
    assertEquals(List.of("beta/four", "gamma"),
        keys(s3.listObjectsV2(r -> r.bucket(BUCKET).startAfter("b").maxKeys(2)).contents()));
    ListObjectsV2Response echoed = s3.listObjectsV2(r -> r.bucket(BUCKET).startAfter("zeta"));
    assertEquals(0, echoed.keyCount());
    assertEquals("zeta", echoed.startAfter());
  }

  @Test
  void v2FetchOwner() {
    ListObjectsV2Response withOwner = TARN.s3().listObjectsV2(r -> r.bucket(BUCKET).fetchOwner(true).maxKeys(3));
    for (S3Object o : withOwner.contents()) {
      assertNotNull(o.owner(), o.key());
      assertFalse(o.owner().id() == null || o.owner().id().isBlank(), "Owner/ID of " + o.key());
    }
  }

  /** The SDK decodes url-encoded listings itself, so the keys must come back exactly as stored. */
  @Test
  void encodingTypeUrlRoundTripsKeysThatXmlCannotCarry() {
    S3Client s3 = TARN.s3();
    ListObjectsV2Response v2 = s3.listObjectsV2(r -> r.bucket(ENCODED_BUCKET).encodingType(EncodingType.URL));
    assertEquals(sortedUtf8(ODD_KEYS), keys(v2.contents()));
    ListObjectsResponse v1 = s3.listObjects(r -> r.bucket(ENCODED_BUCKET).encodingType(EncodingType.URL));
    assertEquals(sortedUtf8(ODD_KEYS), keys(v1.contents()));
    ListObjectsV2Response grouped = s3.listObjectsV2(r -> r.bucket(ENCODED_BUCKET).encodingType(EncodingType.URL)
        .prefix("enc/a").delimiter(" "));
    assertEquals(List.of("enc/a "), prefixes(grouped.commonPrefixes()));
  }

  /** On the wire: every Key is percent-encoded, never a raw control character or space. */
  @Test
  void encodingTypeUrlEncodesKeysOnTheWire() {
    RawResponse raw = TARN.raw().signed("GET", "/" + ENCODED_BUCKET, "list-type=2&encoding-type=url", Map.of(), null);
    assertEquals(200, raw.status(), raw::toString);
    Element result = Xml.parse(raw.body());
    assertEquals("ListBucketResult", result.getTagName());
    assertEquals("url", Xml.childText(result, "EncodingType"));
    List<String> wireKeys = Xml.children(result, "Contents").stream().map(c -> Xml.childText(c, "Key")).toList();
    List<String> decoded = new ArrayList<>();
    for (String k : wireKeys) {
      assertTrue(k.matches("[A-Za-z0-9%+._~/*-]*"), "not url-encoded: " + k);
      decoded.add(URLDecoder.decode(k, StandardCharsets.UTF_8));
    }
    assertEquals(sortedUtf8(ODD_KEYS), decoded);
  }

  @Test
  void v1ListsPrefixesAndPaginatesWithMarkers() {
    S3Client s3 = TARN.s3();
    ListObjectsResponse all = s3.listObjects(r -> r.bucket(BUCKET));
    assertEquals(KEYS, keys(all.contents()));
    assertFalse(all.isTruncated());

    ListObjectsResponse alpha = s3.listObjects(r -> r.bucket(BUCKET).prefix("alpha/").delimiter("/"));
    assertEquals(List.of("alpha/one", "alpha/two"), keys(alpha.contents()));
    assertEquals(List.of("alpha/deep/"), prefixes(alpha.commonPrefixes()));

    // Without a delimiter there is no NextMarker: the next marker is the last key of the page.
    List<String> seen = new ArrayList<>();
    String marker = null;
    for (int pages = 0; pages < 20; pages++) {
      String m = marker;
      ListObjectsResponse page = s3.listObjects(r -> r.bucket(BUCKET).maxKeys(4).marker(m));
      seen.addAll(keys(page.contents()));
      if (!page.isTruncated()) {
        break;
      }
      marker = page.contents().get(page.contents().size() - 1).key();
    }
    assertEquals(KEYS, seen);

    // With a delimiter NextMarker is returned and may name a common prefix.
    ListObjectsResponse first = s3.listObjects(r -> r.bucket(BUCKET).delimiter("/").maxKeys(2));
    assertTrue(first.isTruncated());
    assertEquals(List.of("alpha/", "beta/"), prefixes(first.commonPrefixes()));
    assertEquals("beta/", first.nextMarker());
    ListObjectsResponse second = s3.listObjects(r -> r.bucket(BUCKET).delimiter("/").maxKeys(2).marker(first.nextMarker()));
    assertEquals(List.of("gamma"), keys(second.contents()));
    assertEquals(List.of("photos/"), prefixes(second.commonPrefixes()));
    assertEquals(first.nextMarker(), second.marker());
  }

  @Test
  void emptyBucketListsNothing() {
    String empty = bucketName("list-empty");
    TARN.s3().createBucket(r -> r.bucket(empty));
    ListObjectsV2Response v2 = TARN.s3().listObjectsV2(r -> r.bucket(empty));
    assertEquals(0, v2.keyCount());
    assertTrue(v2.contents().isEmpty());
    assertFalse(v2.isTruncated());
    assertTrue(TARN.s3().listObjects(r -> r.bucket(empty)).contents().isEmpty());
  }

  static List<String> keys(List<S3Object> objects) {
    return objects.stream().map(S3Object::key).toList();
  }

  static List<String> prefixes(List<CommonPrefix> prefixes) {
    return prefixes.stream().map(CommonPrefix::prefix).toList();
  }

  static List<String> sortedUtf8(List<String> keys) {
    return keys.stream().sorted(java.util.Comparator.comparing((String k) -> k.getBytes(StandardCharsets.UTF_8),
        java.util.Arrays::compareUnsigned)).toList();
  }
}
