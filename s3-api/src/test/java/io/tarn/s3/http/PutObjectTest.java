package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.auth.SigV4;
import io.tarn.s3.testing.S3Fixture;
import io.tarn.s3.testing.S3FixtureTest;
import io.tarn.s3.testing.TestRequest;
import io.tarn.s3.testing.TestRequest.Payload;
import io.tarn.s3.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PutObject bodies through the handler: aws-chunked framing with chunk signatures or a trailing
 * checksum (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html), and every integrity
 * check refusing the body before anything is committed.
 */
class PutObjectTest extends S3FixtureTest {
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

  /** Sends the body in slices of an odd size, so that chunk headers are split across reads. */
  private TestResponse sendSliced(TestRequest request) {
    TestRequest.Built b = request.build();
    h.send(b.headBytes());
    h.settle();
    for (byte[] slice : b.bodySlices(7001)) {
      h.send(slice);
      h.settle();
    }
    return h.next();
  }

  private byte[] stored(String key) {
    TestResponse r = h.exchange(TestRequest.get(path(key)));
    assertEquals(200, r.status(), r.toString());
    return r.body();
  }

  private void assertNothingStored(String key) {
    assertFalse(fixture.store().head(bkt, key).isPresent(), key + " was stored");
  }

  @Test
  void signedChunksAreDecodedAndVerified() {
    byte[] data = S3Fixture.bytes(200_000);
    TestResponse r = sendSliced(TestRequest.put(path("k")).payload(Payload.STREAMING_SIGNED).chunkSize(64 << 10)
        .header("Content-Type", "text/plain").body(data));
    assertEquals(200, r.status(), r.toString());
    assertEquals("\"" + io.tarn.core.Hex.encode(ChecksumAlgorithm.MD5.digest(data)) + "\"", r.header("ETag"));
    assertArrayEquals(data, stored("k"));
    TestResponse head = h.exchange(TestRequest.head(path("k")));
    assertNull(head.header("Content-Encoding"), "aws-chunked describes the transfer, not the object");
    assertEquals("text/plain", head.header("Content-Type"));
  }

  @Test
  void aTamperedSignedChunkIsRefused() {
    TestRequest.Built b = TestRequest.put(path("k")).payload(Payload.STREAMING_SIGNED).chunkSize(8192)
        .body(S3Fixture.bytes(20_000)).build();
    byte[] wire = b.wire();
    wire[wire.length - 200] ^= 1; // a data byte of the last data chunk
    h.send(wire);
    h.settle();
    TestResponse r = h.next();
    assertEquals(403, r.status(), r.toString());
    assertEquals("SignatureDoesNotMatch", r.xml("Code"));
    assertNothingStored("k");
  }

  @Test
  void unsignedChunksWithATrailingCrc32AreStoredWithTheirChecksum() {
    byte[] data = "checksummed by trailer".getBytes(StandardCharsets.UTF_8);
    String crc = Base64.getEncoder().encodeToString(ChecksumAlgorithm.CRC32.digest(data));
    TestResponse r = sendSliced(TestRequest.put(path("k")).payload(Payload.STREAMING_UNSIGNED_TRAILER).chunkSize(10)
        .trailer(ChecksumAlgorithm.CRC32).body(data));
    assertEquals(200, r.status(), r.toString());
    assertEquals(crc, r.header("x-amz-checksum-crc32"));
    assertArrayEquals(data, stored("k"));
    TestResponse head = h.exchange(TestRequest.head(path("k")).header("x-amz-checksum-mode", "ENABLED"));
    assertEquals(crc, head.header("x-amz-checksum-crc32"));
    assertEquals("FULL_OBJECT", head.header("x-amz-checksum-type"));
  }

  @Test
  void aWrongTrailingChecksumIsBadDigestAndNothingIsStored() {
    TestResponse r = h.exchange(TestRequest.put(path("k")).payload(Payload.STREAMING_UNSIGNED_TRAILER)
        .trailer(ChecksumAlgorithm.CRC32).corruptTrailer().body(S3Fixture.bytes(300 << 10)));
    assertEquals(400, r.status(), r.toString());
    assertEquals("BadDigest", r.xml("Code"));
    assertNothingStored("k");
    h.assertOpen(); // the whole request was read: the connection can carry the next one
    assertEquals(404, h.exchange(TestRequest.get(path("k"))).status());
  }

  @Test
  void aContentMd5MismatchIsBadDigestAndKeepsTheOldObject() {
    assertEquals(200, h.exchange(TestRequest.put(path("k")).body("old")).status());
    String md5OfOther = Base64.getEncoder().encodeToString(ChecksumAlgorithm.MD5.digest("other".getBytes()));
    TestResponse r = h.exchange(TestRequest.put(path("k")).header("Content-MD5", md5OfOther).body("new"));
    assertEquals(400, r.status());
    assertEquals("BadDigest", r.xml("Code"));
    assertEquals("old", new String(stored("k"), StandardCharsets.UTF_8));

    String md5 = Base64.getEncoder().encodeToString(ChecksumAlgorithm.MD5.digest("new".getBytes()));
    assertEquals(200, h.exchange(TestRequest.put(path("k")).header("Content-MD5", md5).body("new")).status());
    assertEquals("new", new String(stored("k"), StandardCharsets.UTF_8));
  }

  @Test
  void aMalformedContentMd5IsInvalidDigestBeforeTheBodyIsRead() {
    h.send(TestRequest.put(path("k")).expectContinue().header("Content-MD5", "not base64!").body("v").build().headBytes());
    h.settle();
    TestResponse r = h.next();
    assertEquals("InvalidDigest", r.xml("Code"));
    h.assertClosed();
  }

  @Test
  void aPayloadHashMismatchIsXAmzContentSha256Mismatch() {
    String declared = SigV4.sha256Hex("what was signed");
    TestResponse r = h.exchange(TestRequest.put(path("k")).contentSha256(declared).body("what was sent"));
    assertEquals(400, r.status());
    assertEquals("XAmzContentSHA256Mismatch", r.xml("Code"));
    assertEquals(declared, r.xml("ClientComputedContentSHA256"));
    assertEquals(SigV4.sha256Hex("what was sent"), r.xml("S3ComputedContentSHA256"));
    assertNothingStored("k");
  }

  @Test
  void aHeaderChecksumIsVerified() {
    byte[] data = "body".getBytes();
    String good = Base64.getEncoder().encodeToString(ChecksumAlgorithm.SHA256.digest(data));
    String bad = Base64.getEncoder().encodeToString(ChecksumAlgorithm.SHA256.digest("else".getBytes()));
    TestResponse refused = h.exchange(TestRequest.put(path("k")).header("x-amz-checksum-sha256", bad).body(data));
    assertEquals("BadDigest", refused.xml("Code"));
    assertNothingStored("k");
    TestResponse ok = h.exchange(TestRequest.put(path("k")).header("x-amz-checksum-sha256", good).body(data));
    assertEquals(200, ok.status());
    assertEquals(good, ok.header("x-amz-checksum-sha256"));
  }

  @Test
  void aShortStreamingBodyIsIncomplete() {
    TestResponse r = h.exchange(TestRequest.put(path("k")).payload(Payload.STREAMING_UNSIGNED_TRAILER)
        .header("x-amz-decoded-content-length", "100").body("only 13 bytes"));
    assertEquals(400, r.status());
    assertEquals("IncompleteBody", r.xml("Code"));
    assertNothingStored("k");
  }

  @Test
  void aDroppedUploadLeavesNoTemporaryFile() throws IOException {
    TestRequest.Built put = TestRequest.put(path("k")).payload(Payload.UNSIGNED).body(S3Fixture.bytes(1 << 20)).build();
    h.send(put.headBytes());
    h.settle();
    h.send(Arrays.copyOf(put.wireBody(), 600 << 10));
    h.settle();
    assertEquals(1, temporaryFiles(), "the body goes to a temporary file");
    h.channel.close();
    h.settle();
    assertEquals(0, temporaryFiles());
    assertNothingStored("k");
  }

  private static long temporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("tmp"))) {
      return files.count();
    }
  }

  @Test
  void aPutWithoutContentLengthIsMissingContentLength() {
    TestResponse r = h.exchange(TestRequest.put(path("k")).header("Transfer-Encoding", "chunked")
        .payload(Payload.UNSIGNED));
    assertEquals(411, r.status());
    assertEquals("MissingContentLength", r.xml("Code"));
  }
}
