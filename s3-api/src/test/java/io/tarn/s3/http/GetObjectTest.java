package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestResponse;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GetObject and HeadObject through the handler
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html): bodies from memory and from
 * files, ranges, conditional requests, response-* overrides and partNumber.
 */
class GetObjectTest extends S3FixtureTest {
  /** IMF-fixdate (RFC 9110 section 5.6.7): two-digit days, unlike the JDK's RFC_1123_DATE_TIME. */
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ROOT).withZone(ZoneOffset.UTC);
  /** Above the store's inline threshold, so the object is a blob file. */
  private static final int LARGE = 300 << 10;

  private ChannelHarness h;
  private String bkt;

  @BeforeEach
  void setUp() {
    bkt = fixture.newBucket();
    h = new ChannelHarness(fixture.api());
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private String path(String key) {
    return "/" + bkt + "/" + key;
  }

  private ObjectInfo put(String key, byte[] data) {
    return fixture.putObject(bkt, key, data, ObjectMetadata.of(null, Map.of()));
  }

  @Test
  void putThenGetASmallObject() {
    TestResponse put = h.exchange(TestRequest.put(path("k")).header("Content-Type", "text/plain")
        .header("x-amz-meta-colour", "blue").body("hello world"));
    assertEquals(200, put.status(), put.toString());

    TestResponse r = h.exchange(TestRequest.get(path("k")));
    assertEquals(200, r.status());
    assertEquals("hello world", r.text());
    // A small body is a blob file too (no inline threshold by default); a one-block blob is read whole
    // with its trailer, verified, and sent from memory.
    assertEquals(0, r.fileRegions());
    assertEquals("11", r.header("Content-Length"));
    assertEquals("text/plain", r.header("Content-Type"));
    assertEquals("blue", r.header("x-amz-meta-colour"));
    assertEquals(put.header("ETag"), r.header("ETag"));
    assertEquals(HTTP_DATE.format(S3Fixture.NOW), r.header("Last-Modified"));
    assertEquals("bytes", r.header("Accept-Ranges"));
  }

  @Test
  void aLargeObjectIsSentInVerifiedChunks() {
    byte[] data = S3Fixture.bytes(LARGE);
    assertEquals(200, h.exchange(TestRequest.put(path("big")).payload(TestRequest.Payload.UNSIGNED).body(data)).status());
    TestResponse r = h.exchange(TestRequest.get(path("big")));
    assertEquals(200, r.status());
    // Verified on a worker, then sent zero-copy: copying the bytes through the JVM to send them cost
    // about half the throughput of large GETs (bench/verify-bench.sh).
    assertEquals(1, r.fileRegions(), "one verified span, sent as a file region");
    assertEquals(Integer.toString(LARGE), r.header("Content-Length"));
    assertArrayEquals(data, r.body());
    assertEquals("binary/octet-stream", r.header("Content-Type"));
  }

  @Test
  void anObjectOfManySpansIsSentAsOneVerifiedFileRegionPerSpan() {
    int size = 2 * OffLoopChunkedFile.SPAN + 3 * (64 << 10) + 17;
    byte[] data = S3Fixture.bytes(size);
    assertEquals(200, h.exchange(TestRequest.put(path("big")).payload(TestRequest.Payload.UNSIGNED).body(data)).status());
    TestResponse r = h.exchange(TestRequest.get(path("big")));
    assertEquals(200, r.status());
    assertEquals(3, r.fileRegions());
    assertArrayEquals(data, r.body());
    // A range starting and ending inside blocks: whole blocks verified, exactly the range sent.
    int from = OffLoopChunkedFile.SPAN - 1000;
    int to = 2 * OffLoopChunkedFile.SPAN + 5000;
    TestResponse part = h.exchange(TestRequest.get(path("big")).header("Range", "bytes=" + from + "-" + to));
    assertEquals(206, part.status(), part.toString());
    assertArrayEquals(Arrays.copyOfRange(data, from, to + 1), part.body());
    assertEquals(2, part.fileRegions());
  }

  @Test
  void verificationRunsAtMostAFewSpansAheadOfTheSocket() {
    byte[] data = S3Fixture.bytes(5 * OffLoopChunkedFile.SPAN);
    put("big", data);
    h.send(TestRequest.get(path("big")));
    h.settle(); // the client takes nothing yet
    long queued = h.channel.outboundMessages().stream().filter(m -> m instanceof io.netty.channel.FileRegion).count();
    assertEquals(OffLoopChunkedFile.REGIONS_AHEAD, queued, "a slow client must not let the whole blob be verified ahead");
    TestResponse r = h.next(); // as the regions go out, the rest is verified and follows
    assertEquals(5, r.fileRegions());
    assertArrayEquals(data, r.body());
  }

  @Test
  void headHasTheHeadersOfGetButNoBody() {
    put("k", S3Fixture.bytes(LARGE));
    TestResponse r = h.exchange(TestRequest.head(path("k")));
    assertEquals(200, r.status());
    assertEquals(Integer.toString(LARGE), r.header("Content-Length"));
    assertEquals(0, r.body().length);
    assertEquals(0, r.fileRegions());
  }

  // ---- Range (RFC 9110 section 14)

  @Test
  void aRangeIsPartialContent() {
    byte[] data = S3Fixture.bytes(LARGE);
    put("k", data);
    TestResponse r = h.exchange(TestRequest.get(path("k")).header("Range", "bytes=100000-100099"));
    assertEquals(206, r.status());
    assertEquals("bytes 100000-100099/" + LARGE, r.header("Content-Range"));
    assertEquals("100", r.header("Content-Length"));
    assertArrayEquals(Arrays.copyOfRange(data, 100000, 100100), r.body());
  }

  @Test
  void suffixAndOpenEndedRangesOfAnInlineObject() {
    put("k", "0123456789".getBytes());
    TestResponse suffix = h.exchange(TestRequest.get(path("k")).header("Range", "bytes=-3"));
    assertEquals(206, suffix.status());
    assertEquals("789", suffix.text());
    assertEquals("bytes 7-9/10", suffix.header("Content-Range"));
    TestResponse open = h.exchange(TestRequest.get(path("k")).header("Range", "bytes=4-"));
    assertEquals("456789", open.text());
    TestResponse past = h.exchange(TestRequest.get(path("k")).header("Range", "bytes=8-100"));
    assertEquals("89", past.text());
    assertEquals("bytes 8-9/10", past.header("Content-Range"));
  }

  @Test
  void anUnsatisfiableRangeIs416() {
    put("k", "0123456789".getBytes());
    TestResponse r = h.exchange(TestRequest.get(path("k")).header("Range", "bytes=10-20"));
    assertEquals(416, r.status());
    assertEquals("InvalidRange", r.xml("Code"));
    assertEquals("10", r.xml("ActualObjectSize"));
    h.assertOpen();
  }

  @Test
  void aMalformedRangeIsIgnored() {
    put("k", "0123456789".getBytes());
    TestResponse r = h.exchange(TestRequest.get(path("k")).header("Range", "bytes=5-2"));
    assertEquals(200, r.status());
    assertEquals("0123456789", r.text());
  }

  // ---- conditional requests

  @Test
  void ifNoneMatchOnTheCurrentETagIsNotModified() {
    ObjectInfo info = put("k", "v".getBytes());
    TestResponse r = h.exchange(TestRequest.get(path("k")).header("If-None-Match", "\"" + info.etag() + "\""));
    assertEquals(304, r.status());
    assertEquals(0, r.body().length);
    // RFC 9110 15.4.5: a 304 carries the validators a 200 would, and no Content-Length but the real one.
    assertEquals("\"" + info.etag() + "\"", r.header("ETag"));
    assertEquals(HTTP_DATE.format(S3Fixture.NOW), r.header("Last-Modified"));
    assertNull(r.header("Content-Length"));
    h.assertOpen();
    assertEquals("v", h.exchange(TestRequest.get(path("k")).header("If-None-Match", "\"other\"")).text());
  }

  @Test
  void ifModifiedSinceTheLastWriteIsNotModified() {
    put("k", "v".getBytes());
    assertEquals(304, h.exchange(TestRequest.get(path("k")).header("If-Modified-Since", HTTP_DATE.format(S3Fixture.NOW))).status());
    String before = HTTP_DATE.format(S3Fixture.NOW.minus(Duration.ofHours(1)));
    assertEquals(200, h.exchange(TestRequest.get(path("k")).header("If-Modified-Since", before)).status());
  }

  @Test
  void failedIfMatchOrIfUnmodifiedSinceIsPreconditionFailed() {
    ObjectInfo info = put("k", "v".getBytes());
    TestResponse r = h.exchange(TestRequest.get(path("k")).header("If-Match", "\"0123\""));
    assertEquals(412, r.status());
    assertEquals("PreconditionFailed", r.xml("Code"));
    assertEquals("If-Match", r.xml("Condition"));
    String before = HTTP_DATE.format(S3Fixture.NOW.minus(Duration.ofDays(1)));
    TestResponse unmodified = h.exchange(TestRequest.head(path("k")).header("If-Unmodified-Since", before));
    assertEquals(412, unmodified.status());
    assertEquals(0, unmodified.body().length);
    // S3: when If-Match holds, If-Unmodified-Since is not checked.
    TestResponse both = h.exchange(TestRequest.get(path("k")).header("If-Match", "\"" + info.etag() + "\"")
        .header("If-Unmodified-Since", before));
    assertEquals(200, both.status());
  }

  // ---- response-* overrides

  @Test
  void responseParametersOverrideTheStoredHeaders() {
    put("k", "v".getBytes());
    TestResponse r = h.exchange(TestRequest.get(path("k") + "?response-content-type=text%2Fcsv"
        + "&response-content-disposition=attachment%3B%20filename%3D%22a.csv%22&response-cache-control=no-cache"
        + "&response-content-language=fr&response-expires=Thu%2C%2001%20Dec%202094%2016%3A00%3A00%20GMT"
        + "&response-content-encoding=identity"));
    assertEquals(200, r.status(), r.toString());
    assertEquals("text/csv", r.header("Content-Type"));
    assertEquals("attachment; filename=\"a.csv\"", r.header("Content-Disposition"));
    assertEquals("no-cache", r.header("Cache-Control"));
    assertEquals("fr", r.header("Content-Language"));
    assertEquals("Thu, 01 Dec 2094 16:00:00 GMT", r.header("Expires"));
    assertEquals("identity", r.header("Content-Encoding"));
    assertEquals("v", r.text());
  }

  // ---- partNumber

  @Test
  void partNumberOfAMultipartObjectIsThatPart() {
    byte[] p1 = S3Fixture.bytes(5 << 20);
    byte[] p2 = "the second and last part".getBytes();
    fixture.putMultipart(bkt, "mp", p1, p2);
    TestResponse r = h.exchange(TestRequest.get(path("mp") + "?partNumber=2"));
    assertEquals(206, r.status(), r.toString());
    assertEquals("2", r.header("x-amz-mp-parts-count"));
    int total = p1.length + p2.length;
    assertEquals("bytes " + p1.length + "-" + (total - 1) + "/" + total, r.header("Content-Range"));
    assertArrayEquals(p2, r.body());
    assertTrue(r.header("ETag").endsWith("-2\""), r.header("ETag"));

    TestResponse head = h.exchange(TestRequest.head(path("mp") + "?partNumber=1"));
    assertEquals(206, head.status());
    assertEquals(Integer.toString(p1.length), head.header("Content-Length"));

    TestResponse beyond = h.exchange(TestRequest.get(path("mp") + "?partNumber=3"));
    assertEquals("InvalidPartNumber", beyond.xml("Code"));
  }

  // ---- checksum headers (x-amz-checksum-mode: ENABLED) describe exactly the bytes sent

  @Test
  void aWholeObjectReadCarriesTheObjectsChecksumOnlyWhenAsked() {
    byte[] data = S3Fixture.bytes(LARGE);
    TestResponse put = h.exchange(TestRequest.put(path("k")).header("x-amz-checksum-crc32",
        java.util.Base64.getEncoder().encodeToString(ChecksumAlgorithm.CRC32.digest(data))).body(data));
    assertEquals(200, put.status(), put.toString());
    String crc = java.util.Base64.getEncoder().encodeToString(ChecksumAlgorithm.CRC32.digest(data));

    TestResponse plain = h.exchange(TestRequest.get(path("k")));
    assertNull(plain.header("x-amz-checksum-crc32"), "only with x-amz-checksum-mode: ENABLED");
    TestResponse full = h.exchange(TestRequest.get(path("k")).header("x-amz-checksum-mode", "ENABLED"));
    assertEquals(crc, full.header("x-amz-checksum-crc32"));
    assertEquals("FULL_OBJECT", full.header("x-amz-checksum-type"));
    TestResponse head = h.exchange(TestRequest.head(path("k")).header("x-amz-checksum-mode", "ENABLED"));
    assertEquals(crc, head.header("x-amz-checksum-crc32"));
  }

  @Test
  void aRangedReadCarriesNoChecksum() {
    byte[] data = S3Fixture.bytes(LARGE);
    h.exchange(TestRequest.put(path("k")).header("x-amz-checksum-crc32",
        java.util.Base64.getEncoder().encodeToString(ChecksumAlgorithm.CRC32.digest(data))).body(data));
    for (String range : new String[] {"bytes=0-99", "bytes=100-", "bytes=-5", "bytes=0-" + (LARGE - 1)}) {
      TestResponse r = h.exchange(TestRequest.get(path("k")).header("Range", range).header("x-amz-checksum-mode", "ENABLED"));
      assertEquals(206, r.status(), range);
      assertNull(r.header("x-amz-checksum-crc32"), range + ": the object's checksum does not describe a range");
      assertNull(r.header("x-amz-checksum-type"), range);
      TestResponse head = h.exchange(TestRequest.head(path("k")).header("Range", range).header("x-amz-checksum-mode", "ENABLED"));
      assertNull(head.header("x-amz-checksum-crc32"), range);
    }
  }

  @Test
  void aPartReadCarriesThatPartsChecksumAndTheWholeReadTheCompositeOne() {
    byte[] p1 = S3Fixture.bytes(5 << 20);
    byte[] p2 = "the second and last part".getBytes();
    ObjectInfo info = fixture.putMultipart(bkt, "mp", ChecksumAlgorithm.CRC32C, p1, p2);
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();

    TestResponse part2 = h.exchange(TestRequest.get(path("mp") + "?partNumber=2").header("x-amz-checksum-mode", "ENABLED"));
    assertEquals(206, part2.status(), part2.toString());
    assertEquals(b64.encodeToString(ChecksumAlgorithm.CRC32C.digest(p2)), part2.header("x-amz-checksum-crc32c"));
    TestResponse part1 = h.exchange(TestRequest.head(path("mp") + "?partNumber=1").header("x-amz-checksum-mode", "ENABLED"));
    assertEquals(b64.encodeToString(ChecksumAlgorithm.CRC32C.digest(p1)), part1.header("x-amz-checksum-crc32c"));

    TestResponse whole = h.exchange(TestRequest.get(path("mp")).header("x-amz-checksum-mode", "ENABLED"));
    assertEquals(info.checksum().wireValue(), whole.header("x-amz-checksum-crc32c"));
    assertTrue(whole.header("x-amz-checksum-crc32c").endsWith("-2"), whole.header("x-amz-checksum-crc32c"));
    assertEquals("COMPOSITE", whole.header("x-amz-checksum-type"));

    TestResponse range = h.exchange(TestRequest.get(path("mp")).header("Range", "bytes=0-9").header("x-amz-checksum-mode", "ENABLED"));
    assertNull(range.header("x-amz-checksum-crc32c"));
  }

  @Test
  void aPartReadOfAFullObjectChecksumUploadCarriesThePartsChecksum() {
    byte[] p1 = S3Fixture.bytes(5 << 20);
    byte[] p2 = "tail".getBytes();
    ObjectInfo info = fixture.putMultipart(bkt, "mp", ChecksumAlgorithm.CRC64NVME, p1, p2);
    assertEquals("FULL_OBJECT", info.checksum().type());
    TestResponse part1 = h.exchange(TestRequest.get(path("mp") + "?partNumber=1").header("x-amz-checksum-mode", "ENABLED"));
    assertEquals(java.util.Base64.getEncoder().encodeToString(ChecksumAlgorithm.CRC64NVME.digest(p1)),
        part1.header("x-amz-checksum-crc64nvme"));
    TestResponse whole = h.exchange(TestRequest.head(path("mp")).header("x-amz-checksum-mode", "ENABLED"));
    byte[] all = new byte[p1.length + p2.length];
    System.arraycopy(p1, 0, all, 0, p1.length);
    System.arraycopy(p2, 0, all, p1.length, p2.length);
    assertEquals(java.util.Base64.getEncoder().encodeToString(ChecksumAlgorithm.CRC64NVME.digest(all)),
        whole.header("x-amz-checksum-crc64nvme"));
  }

  @Test
  void contentEncodingIsKeptAsSentWithoutAwsChunked() {
    String[][] cases = {{"deflate, gzip", "deflate, gzip"}, {"gzip", "gzip"}, {"gzip,br", "gzip,br"},
        {"aws-chunked, gzip", "gzip"}, {"gzip, aws-chunked", "gzip"}, {"deflate, aws-chunked, gzip", "deflate, gzip"}};
    for (String[] c : cases) {
      TestResponse put = h.exchange(TestRequest.put(path("enc")).header("Content-Encoding", c[0]).body("x"));
      assertEquals(200, put.status(), put.toString());
      assertEquals(c[1], h.exchange(TestRequest.head(path("enc"))).header("Content-Encoding"), c[0]);
    }
  }

  @Test
  void aRangeAcrossPartsIsSentFromBothFiles() {
    byte[] p1 = S3Fixture.bytes(5 << 20);
    byte[] p2 = "0123456789".getBytes();
    fixture.putMultipart(bkt, "mp", p1, p2);
    int from = p1.length - 10;
    TestResponse r = h.exchange(TestRequest.get(path("mp")).header("Range", "bytes=" + from + "-" + (from + 14)));
    assertEquals(206, r.status());
    byte[] expected = new byte[15];
    System.arraycopy(p1, from, expected, 0, 10);
    System.arraycopy(p2, 0, expected, 10, 5);
    assertArrayEquals(expected, r.body());
  }

  @Test
  void anEmptyObjectHasAnEmptyBody() {
    put("empty", new byte[0]);
    TestResponse r = h.exchange(TestRequest.get(path("empty")));
    assertEquals(200, r.status());
    assertEquals("0", r.header("Content-Length"));
    assertEquals(0, r.body().length);
    // S3 refuses any first-byte position of an empty object, but serves it for a suffix range.
    assertEquals(416, h.exchange(TestRequest.get(path("empty")).header("Range", "bytes=0-")).status());
    TestResponse suffix = h.exchange(TestRequest.get(path("empty")).header("Range", "bytes=-100"));
    assertEquals(200, suffix.status());
    assertEquals("0", suffix.header("Content-Length"));
  }

  @Test
  void partNumberOneOfASinglePartObjectIsTheWholeObject() {
    put("k", "whole".getBytes());
    TestResponse r = h.exchange(TestRequest.get(path("k") + "?partNumber=1"));
    assertEquals(200, r.status());
    assertEquals("whole", r.text());
    assertNull(r.header("x-amz-mp-parts-count"));
    assertEquals("InvalidPartNumber", h.exchange(TestRequest.get(path("k") + "?partNumber=2")).xml("Code"));
  }

  @Test
  void partNumberWithARangeIsInvalid() {
    put("k", "whole".getBytes());
    TestResponse r = h.exchange(TestRequest.get(path("k") + "?partNumber=1").header("Range", "bytes=0-1"));
    assertEquals(400, r.status());
    assertEquals("InvalidRequest", r.xml("Code"));
  }

  @Test
  void aMissingKeyIsNoSuchKey() {
    TestResponse r = h.exchange(TestRequest.get(path("no/such%20key")));
    assertEquals(404, r.status());
    assertEquals("NoSuchKey", r.xml("Code"));
    assertEquals("no/such key", r.xml("Key"));
    TestResponse bucket = h.exchange(TestRequest.get("/nobucket/k"));
    assertEquals("NoSuchBucket", bucket.xml("Code"));
  }
}
