package io.tarn.s3.auth;

import static io.tarn.s3.auth.ChunkedBodies.repeat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.AccessKey;
import io.tarn.core.Principal;
import io.tarn.core.Role;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.checksum.ChecksumAlgorithm;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * aws-chunked decoding, against the examples of
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html, and round trips.
 */
class AwsChunkedDecoderTest {
  static final String SECRET = SigV4Test.SECRET;
  static final byte[] DOC_DATA = repeat('a', 66560);
  static final String SCOPE = "20130524/us-east-1/s3/aws4_request";

  static ChunkSigning signing(String seed) {
    return new ChunkSigning(SigV4.signingKey(SECRET, "20130524", "us-east-1", "s3"),
        "20130524T000000Z", SCOPE, seed);
  }

  static final ChunkSigning SIGNING = signing("4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");

  /** The documented request of the streaming example, signed headers and all. */
  static SignedRequest.Builder docRequest(String contentSha256, String signedHeaders, String seed) {
    return SignedRequest.builder("PUT", "/examplebucket/chunkObject.txt", null)
        .header("Host", "s3.amazonaws.com")
        .header("x-amz-date", "20130524T000000Z")
        .header("x-amz-storage-class", "REDUCED_REDUNDANCY")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/"
            + "s3/aws4_request,SignedHeaders=" + signedHeaders + ",Signature=" + seed)
        .header("x-amz-content-sha256", contentSha256)
        .header("Content-Encoding", "aws-chunked")
        .header("x-amz-decoded-content-length", "66560");
  }

  static Authenticator docVerifier() {
    AccessKey key = new AccessKey(SigV4Test.AKID, SECRET, new Principal("b".repeat(64), "doc",
        SigV4Test.AKID, Role.ADMIN));
    return new Authenticator(id -> Optional.of(key),
        Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC), "us-east-1");
  }

  static byte[] docBody() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChunkedBodies.ascii(out, "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n");
    out.writeBytes(repeat('a', 65536));
    ChunkedBodies.ascii(out, "\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n");
    out.writeBytes(repeat('a', 1024));
    ChunkedBodies.ascii(out, "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n");
    return out.toByteArray();
  }

  @Test
  void documentedSignedUploadVerifiesFromItsHeaders() {
    SignedRequest request = docRequest("STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
            + "x-amz-decoded-content-length;x-amz-storage-class",
        "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
        .header("Content-Length", "66824").build();
    AuthResult auth = docVerifier().authenticate(request);
    assertEquals(PayloadMode.STREAMING_SIGNED, auth.payloadMode());
    byte[] body = docBody();
    assertEquals(66824, body.length, "the documented Content-Length");
    AwsChunkedDecoder d = AwsChunkedDecoder.forRequest(auth, request);
    assertArrayEquals(DOC_DATA, decode(d, body, 1000));
    assertSame(Trailer.NONE, d.finish());
  }

  @Test
  void documentedSignedUploadDecodesOneByteAtATime() {
    AwsChunkedDecoder d = new AwsChunkedDecoder(PayloadMode.STREAMING_SIGNED, SIGNING, 66560, null);
    assertArrayEquals(DOC_DATA, decode(d, docBody(), 1));
    assertSame(Trailer.NONE, d.finish());
  }

  @Test
  void documentedSignedUploadWithTrailerVerifies() {
    String seed = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
    SignedRequest request = docRequest("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
        "content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;"
            + "x-amz-storage-class;x-amz-trailer", seed)
        .header("x-amz-trailer", "x-amz-checksum-crc32c").build();
    AuthResult auth = docVerifier().authenticate(request);
    assertEquals(PayloadMode.STREAMING_SIGNED_TRAILER, auth.payloadMode());
    assertEquals(seed, auth.chunkSigning().seedSignature());

    byte[] body = trailerDocBody("", "sOO8/Q==");
    AwsChunkedDecoder d = AwsChunkedDecoder.forRequest(auth, request);
    assertArrayEquals(DOC_DATA, decode(d, body, 777));
    Trailer t = d.finish();
    assertEquals(ChecksumAlgorithm.CRC32C, t.checksumAlgorithm());
    assertEquals("sOO8/Q==", t.checksumBase64());

    // The documentation's own rendering has an empty line before the trailers: accepted too.
    AwsChunkedDecoder d2 = AwsChunkedDecoder.forRequest(auth, request);
    decode(d2, trailerDocBody("\r\n", "sOO8/Q=="), 4096);
    assertEquals("sOO8/Q==", d2.finish().checksumBase64());

    // A changed trailer value breaks the trailer signature before the checksum is compared.
    AwsChunkedDecoder d3 = AwsChunkedDecoder.forRequest(auth, request);
    S3Exception e = assertThrows(S3Exception.class, () -> decode(d3, trailerDocBody("", "sOO8/A=="), 4096));
    assertEquals(S3Error.SIGNATURE_DOES_NOT_MATCH, e.error());
  }

  private static byte[] trailerDocBody(String blank, String crc) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ChunkedBodies.ascii(out, "10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n");
    out.writeBytes(repeat('a', 65536));
    ChunkedBodies.ascii(out, "\r\n400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n");
    out.writeBytes(repeat('a', 1024));
    ChunkedBodies.ascii(out, "\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n"
        + blank + "x-amz-checksum-crc32c:" + crc + "\r\n"
        + "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n");
    return out.toByteArray();
  }

  // ---- round trips

  static final byte[] DATA = pattern(8192 + 8192 + 100);
  static final int[] SIZES = {8192, 8192, 100};

  static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + (i >> 8));
    }
    return b;
  }

  static ChecksumAlgorithm trailerFor(PayloadMode mode) {
    return mode.trailer() ? ChecksumAlgorithm.CRC32 : null;
  }

  static AwsChunkedDecoder decoder(PayloadMode mode) {
    return new AwsChunkedDecoder(mode, SIGNING, DATA.length, trailerFor(mode));
  }

  static byte[] body(PayloadMode mode) {
    return ChunkedBodies.encode(mode, SIGNING, DATA, SIZES, trailerFor(mode));
  }

  @ParameterizedTest
  @EnumSource(value = PayloadMode.class, names = {"STREAMING_SIGNED", "STREAMING_UNSIGNED_TRAILER",
      "STREAMING_SIGNED_TRAILER"})
  void splitAtEveryOffsetAroundTheFraming(PayloadMode mode) {
    byte[] body = body(mode);
    for (int cut : framingCuts(body)) {
      AwsChunkedDecoder d = decoder(mode);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      d.feed(ByteBuffer.wrap(body, 0, cut), b -> append(out, b));
      d.feed(ByteBuffer.wrap(body, cut, body.length - cut), b -> append(out, b));
      Trailer t = d.finish();
      assertArrayEquals(DATA, out.toByteArray(), "cut at " + cut);
      if (mode.trailer()) {
        assertArrayEquals(ChecksumAlgorithm.CRC32.digest(DATA), t.checksum());
      }
    }
  }

  /**
   * Every offset within reach of a chunk header or the trailers (cutting in the middle of 8 KiB
   * of data tests nothing more, and would make the test slow).
   */
  static SortedSet<Integer> framingCuts(byte[] body) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    SortedSet<Integer> cuts = new TreeSet<>();
    for (String marker : List.of("chunk-signature=", "\r\n0", "x-amz-")) {
      for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) {
        for (int c = Math.max(0, i - 120); c <= Math.min(body.length, i + 200); c++) {
          cuts.add(c);
        }
      }
    }
    for (int c = 0; c <= 200; c++) {
      cuts.add(c);
    }
    for (int c = body.length - 200; c <= body.length; c++) {
      cuts.add(c);
    }
    return cuts;
  }

  @Test
  void smallUnsignedChunksInEverySplit() {
    // Unsigned chunks may be small: three header lines inside 40 bytes, cut at every pair of offsets.
    byte[] data = "hello, aws-chunked world".getBytes(StandardCharsets.US_ASCII);
    byte[] body = ChunkedBodies.encode(PayloadMode.STREAMING_UNSIGNED_TRAILER, null, data,
        new int[] {5, 1, 18}, ChecksumAlgorithm.SHA256);
    for (int a = 0; a <= body.length; a++) {
      for (int b = a; b <= body.length; b++) {
        AwsChunkedDecoder d = new AwsChunkedDecoder(PayloadMode.STREAMING_UNSIGNED_TRAILER, null,
            data.length, ChecksumAlgorithm.SHA256);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.feed(ByteBuffer.wrap(body, 0, a), x -> append(out, x));
        d.feed(ByteBuffer.wrap(body, a, b - a), x -> append(out, x));
        d.feed(ByteBuffer.wrap(body, b, body.length - b), x -> append(out, x));
        assertEquals(ChecksumAlgorithm.SHA256, d.finish().checksumAlgorithm());
        assertArrayEquals(data, out.toByteArray());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ChecksumAlgorithm.class)
  void everyTrailingChecksumIsVerified(ChecksumAlgorithm algorithm) {
    if (!algorithm.isS3Checksum()) {
      assertThrows(IllegalArgumentException.class, () -> new AwsChunkedDecoder(
          PayloadMode.STREAMING_UNSIGNED_TRAILER, null, -1, algorithm));
      return;
    }
    for (PayloadMode mode : new PayloadMode[] {PayloadMode.STREAMING_UNSIGNED_TRAILER,
        PayloadMode.STREAMING_SIGNED_TRAILER}) {
      byte[] body = ChunkedBodies.encode(mode, SIGNING, DATA, SIZES, algorithm);
      AwsChunkedDecoder d = new AwsChunkedDecoder(mode, SIGNING, -1, algorithm);
      assertArrayEquals(DATA, decode(d, body, 3000));
      assertArrayEquals(algorithm.digest(DATA), d.finish().checksum());
    }
  }

  @Test
  void slicesShareTheInputWithoutCopying() {
    byte[] body = body(PayloadMode.STREAMING_UNSIGNED_TRAILER);
    ByteBuffer in = ByteBuffer.wrap(body);
    decoder(PayloadMode.STREAMING_UNSIGNED_TRAILER).feed(in, slice -> {
      assertTrue(slice.hasArray());
      assertSame(body, slice.array());
    });
  }

  // ---- refusals

  @Test
  void badChunkSignatureIsRefused() {
    byte[] body = body(PayloadMode.STREAMING_SIGNED);
    body[200] ^= 1; // a data byte of the first chunk
    assertFails(PayloadMode.STREAMING_SIGNED, body, S3Error.SIGNATURE_DOES_NOT_MATCH);

    byte[] tamperedSignature = body(PayloadMode.STREAMING_SIGNED);
    String text = new String(tamperedSignature, StandardCharsets.ISO_8859_1);
    int sig = text.indexOf("chunk-signature=") + 16;
    tamperedSignature[sig] = (byte) (tamperedSignature[sig] == 'a' ? 'b' : 'a');
    assertFails(PayloadMode.STREAMING_SIGNED, tamperedSignature, S3Error.SIGNATURE_DOES_NOT_MATCH);

    AwsChunkedDecoder otherSeed = new AwsChunkedDecoder(PayloadMode.STREAMING_SIGNED,
        signing("0".repeat(64)), -1, null);
    S3Exception e = assertThrows(S3Exception.class,
        () -> decode(otherSeed, body(PayloadMode.STREAMING_SIGNED), 5000));
    assertEquals(S3Error.SIGNATURE_DOES_NOT_MATCH, e.error());
  }

  @Test
  void missingChunkSignatureIsRefused() {
    byte[] unsigned = ChunkedBodies.encode(PayloadMode.STREAMING_UNSIGNED_TRAILER, null, DATA, SIZES, null);
    assertFails(PayloadMode.STREAMING_SIGNED, unsigned, S3Error.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void badTrailingChecksumIsBadDigest() {
    for (PayloadMode mode : new PayloadMode[] {PayloadMode.STREAMING_UNSIGNED_TRAILER,
        PayloadMode.STREAMING_SIGNED_TRAILER}) {
      byte[] other = DATA.clone();
      other[0] ^= 1;
      // A body whose trailer is computed (and signed) over other data.
      byte[] good = body(mode);
      byte[] lying = ChunkedBodies.encode(mode, SIGNING, other, SIZES, ChecksumAlgorithm.CRC32);
      byte[] spliced = splice(good, lying);
      S3Exception e = assertFails(mode, spliced, mode.signedChunks()
          ? S3Error.SIGNATURE_DOES_NOT_MATCH : S3Error.BAD_DIGEST);
      if (!mode.signedChunks()) {
        assertEquals("The CRC32 you specified did not match the calculated checksum.", e.getMessage());
      }
    }
  }

  @Test
  void signedTrailerWithRightSignatureButWrongChecksumIsBadDigest() {
    // Sign a trailer carrying a wrong CRC32 correctly: the signature passes, the checksum does not.
    byte[] body = body(PayloadMode.STREAMING_SIGNED_TRAILER);
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("x-amz-checksum-crc32:");
    String lastSig = text.substring(text.lastIndexOf("chunk-signature=") + 16, text.lastIndexOf("chunk-signature=") + 80);
    String line = "x-amz-checksum-crc32:AAAAAA==";
    String sig = SigV4.signature(SIGNING.signingKey(), SigV4.trailerStringToSign(SIGNING.amzDate(),
        SIGNING.scope(), lastSig, SigV4.sha256Hex(line + "\n")));
    byte[] forged = (text.substring(0, at) + line + "\r\nx-amz-trailer-signature:" + sig + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    S3Exception e = assertFails(PayloadMode.STREAMING_SIGNED_TRAILER, forged, S3Error.BAD_DIGEST);
    assertEquals("The CRC32 you specified did not match the calculated checksum.", e.getMessage());
  }

  @Test
  void invalidChecksumValueIsInvalidRequest() {
    byte[] body = replace(body(PayloadMode.STREAMING_UNSIGNED_TRAILER), "x-amz-checksum-crc32:",
        "x-amz-checksum-crc32:AAAA");
    assertFails(PayloadMode.STREAMING_UNSIGNED_TRAILER, body, S3Error.INVALID_REQUEST);
  }

  @Test
  void trailerProblemsAreMalformedTrailer() {
    PayloadMode m = PayloadMode.STREAMING_UNSIGNED_TRAILER;
    byte[] undeclared = replace(body(m), "x-amz-checksum-crc32:", "x-amz-checksum-sha1:");
    assertFails(m, undeclared, S3Error.MALFORMED_TRAILER_ERROR);
    byte[] noColon = replace(body(m), "x-amz-checksum-crc32:", "x-amz-checksum-crc32=");
    assertFails(m, noColon, S3Error.MALFORMED_TRAILER_ERROR);
    byte[] missing = ChunkedBodies.encode(m, null, DATA, SIZES, null);
    assertFails(m, missing, S3Error.INCOMPLETE_BODY); // its one empty line is taken as a separator
    byte[] missingThenEnd = (new String(missing, StandardCharsets.ISO_8859_1) + "\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    assertFails(m, missingThenEnd, S3Error.MALFORMED_TRAILER_ERROR);
    byte[] huge = replace(body(m), "x-amz-checksum-crc32:", "x-amz-checksum-crc32:" + " ".repeat(5000));
    assertFails(m, huge, S3Error.INVALID_REQUEST);
  }

  @Test
  void trailerSectionIsBounded() {
    // Each line is under the line limit; together they pass the section limit.
    AwsChunkedDecoder d = new AwsChunkedDecoder(PayloadMode.STREAMING_UNSIGNED_TRAILER, null, -1,
        ChecksumAlgorithm.CRC32);
    String section = "0\r\nx-amz-checksum-crc32:AAAAAA==\r\n" + "x".repeat(4090) + "\r\n";
    S3Exception e = assertThrows(S3Exception.class, () -> d.feed(
        ByteBuffer.wrap(section.getBytes(StandardCharsets.US_ASCII)), b -> { }));
    assertEquals(S3Error.MALFORMED_TRAILER_ERROR, e.error());
    assertTrue(e.getMessage().contains("4096"), e.getMessage());
  }

  @Test
  void trailerLinesAreNotAllowedWithoutTrailerMode() {
    byte[] good = body(PayloadMode.STREAMING_SIGNED);
    byte[] body = (new String(good, 0, good.length - 2, StandardCharsets.ISO_8859_1)
        + "x-amz-checksum-crc32:AAAAAA==\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    assertFails(PayloadMode.STREAMING_SIGNED, body, S3Error.INVALID_REQUEST);
  }

  @Test
  void truncatedStreamIsIncompleteAtEveryLength() {
    byte[] body = ChunkedBodies.encode(PayloadMode.STREAMING_UNSIGNED_TRAILER, null,
        "truncated body".getBytes(StandardCharsets.US_ASCII), new int[] {7, 7}, ChecksumAlgorithm.CRC32C);
    for (int n = 0; n < body.length - 2; n++) {
      AwsChunkedDecoder d = new AwsChunkedDecoder(PayloadMode.STREAMING_UNSIGNED_TRAILER, null, 14,
          ChecksumAlgorithm.CRC32C);
      d.feed(ByteBuffer.wrap(body, 0, n), b -> { });
      S3Exception e = assertThrows(S3Exception.class, d::finish, "length " + n);
      assertEquals(S3Error.INCOMPLETE_BODY, e.error(), "length " + n);
    }
    // Only the final empty line may be missing (or its LF): the body itself is complete.
    for (int n = body.length - 2; n <= body.length; n++) {
      AwsChunkedDecoder d = new AwsChunkedDecoder(PayloadMode.STREAMING_UNSIGNED_TRAILER, null, 14,
          ChecksumAlgorithm.CRC32C);
      d.feed(ByteBuffer.wrap(body, 0, n), b -> { });
      if (n == body.length - 1) {
        assertThrows(S3Exception.class, d::finish); // a lone CR is a torn line
      } else {
        assertEquals(ChecksumAlgorithm.CRC32C, d.finish().checksumAlgorithm());
      }
    }
  }

  @Test
  void truncatedSignedStreamIsIncomplete() {
    byte[] body = body(PayloadMode.STREAMING_SIGNED);
    AwsChunkedDecoder d = decoder(PayloadMode.STREAMING_SIGNED);
    d.feed(ByteBuffer.wrap(body, 0, 9000), b -> { });
    assertEquals(S3Error.INCOMPLETE_BODY, assertThrows(S3Exception.class, d::finish).error());
    assertThrows(IllegalStateException.class, d::finish, "a failed decoder stays failed");
  }

  @Test
  void decodedLengthMustMatch() {
    byte[] body = body(PayloadMode.STREAMING_SIGNED);
    AwsChunkedDecoder shorter = new AwsChunkedDecoder(PayloadMode.STREAMING_SIGNED, SIGNING, DATA.length - 1, null);
    S3Exception e = assertThrows(S3Exception.class, () -> decode(shorter, body, 100_000));
    assertEquals(S3Error.INCOMPLETE_BODY, e.error());
    assertEquals(16384, shorter.decodedLength(), "refused at the last chunk's header, before its bytes");

    // Too short shows at the body's last empty line, which completes it.
    AwsChunkedDecoder longer = new AwsChunkedDecoder(PayloadMode.STREAMING_SIGNED, SIGNING, DATA.length + 1, null);
    assertEquals(S3Error.INCOMPLETE_BODY,
        assertThrows(S3Exception.class, () -> decode(longer, body, 100_000)).error());
  }

  @Test
  void framingErrorsAreClear() {
    PayloadMode m = PayloadMode.STREAMING_UNSIGNED_TRAILER;
    for (String bad : new String[] {"zz\r\n", "\r\n", "-1\r\n", "1234567890abcdef0\r\n",
        "3\r\nabcX\r\n", "0\r\n\r\nmore"}) {
      AwsChunkedDecoder d = new AwsChunkedDecoder(m, null, -1, null);
      S3Exception e = assertThrows(S3Exception.class,
          () -> d.feed(ByteBuffer.wrap(bad.getBytes(StandardCharsets.US_ASCII)), b -> { }), bad);
      assertEquals(S3Error.INVALID_REQUEST, e.error(), bad);
      assertTrue(e.getMessage().startsWith("Malformed aws-chunked body: "), e.getMessage());
      assertThrows(IllegalStateException.class, () -> d.feed(ByteBuffer.allocate(1), b -> { }));
    }
  }

  @Test
  void chunkHeaderLineIsBounded() {
    AwsChunkedDecoder d = new AwsChunkedDecoder(PayloadMode.STREAMING_UNSIGNED_TRAILER, null, -1, null);
    S3Exception e = assertThrows(S3Exception.class, () -> {
      for (int i = 0; i < 100; i++) {
        d.feed(ByteBuffer.wrap(repeat('1', 100)), b -> { });
      }
    });
    assertEquals(S3Error.INVALID_REQUEST, e.error());
    assertTrue(e.getMessage().contains("4096"), e.getMessage());
  }

  @Test
  void shortSignedChunkMustBeTheLast() {
    byte[] body = ChunkedBodies.encode(PayloadMode.STREAMING_SIGNED, SIGNING, DATA, new int[] {100, 16384},
        null);
    AwsChunkedDecoder d = new AwsChunkedDecoder(PayloadMode.STREAMING_SIGNED, SIGNING, -1, null);
    S3Exception e = assertThrows(S3Exception.class, () -> decode(d, body, 100_000));
    assertEquals(S3Error.INVALID_CHUNK_SIZE_ERROR, e.error());
  }

  @Test
  void toleratesBareLineFeeds() {
    byte[] body = "5\nhello\n0\n\n".getBytes(StandardCharsets.US_ASCII);
    AwsChunkedDecoder d = new AwsChunkedDecoder(PayloadMode.STREAMING_UNSIGNED_TRAILER, null, 5, null);
    assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), decode(d, body, 1));
    assertSame(Trailer.NONE, d.finish());
  }

  @Test
  void forRequestReadsTheHeaders() {
    AuthResult auth = new AuthResult(null, PayloadMode.STREAMING_UNSIGNED_TRAILER, null, SIGNING,
        Instant.EPOCH, false);
    SignedRequest.Builder base = SignedRequest.builder("PUT", "/b/k", null);
    assertEquals(S3Error.INVALID_ARGUMENT, assertThrows(S3Exception.class, () -> AwsChunkedDecoder.forRequest(
        auth, SignedRequest.builder("PUT", "/", null).header("x-amz-decoded-content-length", "-5").build()))
        .error());
    assertEquals(S3Error.INVALID_REQUEST, assertThrows(S3Exception.class, () -> AwsChunkedDecoder.forRequest(
        auth, SignedRequest.builder("PUT", "/", null).header("x-amz-trailer", "x-amz-meta-a").build()))
        .error());
    assertEquals(S3Error.INVALID_REQUEST, assertThrows(S3Exception.class, () -> AwsChunkedDecoder.forRequest(
        auth, SignedRequest.builder("PUT", "/", null)
            .header("x-amz-trailer", "x-amz-checksum-crc32,x-amz-checksum-sha1").build())).error());
    AuthResult signedNoTrailer = new AuthResult(null, PayloadMode.STREAMING_SIGNED, null, SIGNING,
        Instant.EPOCH, false);
    assertEquals(S3Error.INVALID_REQUEST, assertThrows(S3Exception.class, () -> AwsChunkedDecoder.forRequest(
        signedNoTrailer, SignedRequest.builder("PUT", "/", null)
            .header("x-amz-trailer", "x-amz-checksum-crc32").build())).error());
    assertThrows(IllegalArgumentException.class, () -> AwsChunkedDecoder.forRequest(
        new AuthResult(null, PayloadMode.UNSIGNED, null, SIGNING, Instant.EPOCH, false), base.build()));

    AwsChunkedDecoder d = AwsChunkedDecoder.forRequest(auth, base
        .header("x-amz-decoded-content-length", Integer.toString(DATA.length))
        .header("x-amz-trailer", "x-amz-checksum-crc32").build());
    decode(d, body(PayloadMode.STREAMING_UNSIGNED_TRAILER), 4000);
    assertEquals(ChecksumAlgorithm.CRC32, d.finish().checksumAlgorithm());
  }

  // ---- helpers

  static byte[] decode(AwsChunkedDecoder d, byte[] body, int step) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < body.length; i += step) {
      d.feed(ByteBuffer.wrap(body, i, Math.min(step, body.length - i)), b -> append(out, b));
    }
    return out.toByteArray();
  }

  static void append(ByteArrayOutputStream out, ByteBuffer b) {
    byte[] copy = new byte[b.remaining()];
    b.get(copy);
    out.writeBytes(copy);
  }

  static S3Exception assertFails(PayloadMode mode, byte[] body, S3Error expected) {
    AwsChunkedDecoder d = decoder(mode);
    S3Exception e = assertThrows(S3Exception.class, () -> {
      decode(d, body, 1500);
      d.finish();
    });
    assertEquals(expected, e.error(), e.getMessage());
    return e;
  }

  /** The chunks of {@code good} followed by the trailer section of {@code lying}. */
  static byte[] splice(byte[] good, byte[] lying) {
    String g = new String(good, StandardCharsets.ISO_8859_1);
    String l = new String(lying, StandardCharsets.ISO_8859_1);
    int gt = g.indexOf("x-amz-checksum-");
    int lt = l.indexOf("x-amz-checksum-");
    return (g.substring(0, gt) + l.substring(lt)).getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] replace(byte[] body, String from, String to) {
    String s = new String(body, StandardCharsets.ISO_8859_1);
    assertTrue(s.contains(from), from);
    return s.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))
        .getBytes(StandardCharsets.ISO_8859_1);
  }
}
