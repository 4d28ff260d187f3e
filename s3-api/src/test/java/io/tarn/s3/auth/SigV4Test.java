package io.tarn.s3.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Hex;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The primitives, against the examples of "Signature Calculations for the Authorization Header:
 * Transferring Payload in a Single Chunk"
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html) and of
 * "Authenticating Requests: Using Query Parameters"
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
 */
class SigV4Test {
  static final String AKID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String HOST = "examplebucket.s3.amazonaws.com";
  static final String DATE = "20130524T000000Z";

  @Test
  void uriEncodingKeepsOnlyUnreservedCharacters() {
    assertEquals("AZaz09-_.~", SigV4.uriEncode("AZaz09-_.~", false));
    assertEquals("a%20b%2Bc%2Fd%3D%C3%A9%25%2A", SigV4.uriEncode("a b+c/d=é%*", false));
    assertEquals("a/b%20c/", SigV4.uriEncode("a/b c/", true));
    assertEquals("%F0%9F%98%80", SigV4.uriEncode("\uD83D\uDE00", false));
  }

  @Test
  void canonicalUriDecodesOnceAndDoesNotNormalise() {
    assertEquals("/", SigV4.canonicalUri(""));
    assertEquals("/test%24file.text", SigV4.canonicalUri("/test$file.text"));
    assertEquals("/test%24file.text", SigV4.canonicalUri("/test%24file.text"));
    assertEquals("/a/../b/./c//d/", SigV4.canonicalUri("/a/../b/./c//d/"));
    assertEquals("/a%20b/c%2Bd", SigV4.canonicalUri("/a%20b/c+d"));
    assertEquals("/k/%25", SigV4.canonicalUri("/k/%25"));
    assertEquals("/%E2%82%AC", SigV4.canonicalUri("/%e2%82%ac"));
    // An escaped slash inside a key decodes to '/', as S3 signs it.
    assertEquals("/b/a/b", SigV4.canonicalUri("/b/a%2Fb"));
    // Bytes that are not UTF-8 are signed as bytes.
    assertEquals("/%FF", SigV4.canonicalUri("/%ff"));
  }

  @Test
  void rawCharsAreWireBytesAsTheRouterReadsThem() {
    // Netty hands over one char per wire byte: unescaped UTF-8 "café" arrives as "cafÃ©".
    assertEquals("/caf%C3%A9", SigV4.canonicalUri("/caf\u00c3\u00a9"));
    assertEquals("/caf%E9", SigV4.canonicalUri("/caf\u00e9"));
    // A char above 0xFF cannot come from the wire: a Java string is signed as UTF-8.
    assertEquals("/%E2%82%AC%F0%9F%98%80", SigV4.canonicalUri("/\u20ac\uD83D\uDE00"));
    assertEquals("k=%E2%82%AC", SigV4.canonicalQuery("k=\u20ac", false));
  }

  @Test
  void badEscapesAreInvalidUri() {
    for (String bad : List.of("/a%", "/a%2", "/a%zz", "/a%\u0663\u0663")) {
      S3Exception e = assertThrows(S3Exception.class, () -> SigV4.canonicalUri(bad), bad);
      assertEquals(S3Error.INVALID_URI, e.error());
    }
  }

  @Test
  void canonicalQuerySortsAndReencodes() {
    assertEquals("", SigV4.canonicalQuery(null, false));
    assertEquals("", SigV4.canonicalQuery("", false));
    assertEquals("lifecycle=", SigV4.canonicalQuery("lifecycle", false));
    assertEquals("max-keys=2&prefix=J", SigV4.canonicalQuery("prefix=J&max-keys=2", false));
    assertEquals("a=1&a=2&b=", SigV4.canonicalQuery("b=&a=2&a=1", false));
    assertEquals("prefix=a%20b%2Bc%2Fd", SigV4.canonicalQuery("prefix=a%20b+c/d", false));
    assertEquals("k=~~", SigV4.canonicalQuery("k=%7E~", false));
    assertEquals("x=1", SigV4.canonicalQuery("X-Amz-Signature=abc&x=1", true));
    assertEquals("X-Amz-Signature=abc&x=1", SigV4.canonicalQuery("X-Amz-Signature=abc&x=1", false));
    assertEquals("a=%3D", SigV4.canonicalQuery("a==", false));
  }

  @Test
  void decodeQueryKeepsOrderAndPlus() {
    assertEquals(List.of(new SigV4.QueryParam("uploads", ""), new SigV4.QueryParam("p", "a+b c/")),
        SigV4.decodeQuery("uploads&p=a+b%20c%2F"));
    assertEquals(S3Error.INVALID_URI,
        assertThrows(S3Exception.class, () -> SigV4.decodeQuery("p=%C3")).error());
  }

  @Test
  void canonicalHeadersTrimCollapseAndJoin() {
    SignedRequest r = SignedRequest.builder("GET", "/", null)
        .header("Host", "h")
        .header("X-Amz-Meta-A", "  one   two \t three  ")
        .header("x-amz-meta-a", "four")
        .build();
    assertEquals("host:h\nx-amz-meta-a:one two three,four\nx-amz-meta-b:\n",
        SigV4.canonicalHeaders(List.of("host", "x-amz-meta-a", "x-amz-meta-b"), r));
  }

  @Test
  void derivesTheDocumentedSigningKey() {
    // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
    byte[] key = SigV4.signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
    assertEquals("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9", Hex.encode(key));
    assertSame(key, SigV4.signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam"),
        "derived keys are cached");
  }

  @Test
  void getObjectExample() {
    String canonical = SigV4.canonicalRequest("GET", SigV4.canonicalUri("/test.txt"), "",
        SigV4.canonicalHeaders(List.of("host", "range", "x-amz-content-sha256", "x-amz-date"),
            SignedRequest.builder("GET", "/test.txt", null).header("Host", HOST)
                .header("Range", "bytes=0-9").header("x-amz-content-sha256", SigV4.EMPTY_SHA256)
                .header("x-amz-date", DATE).build()),
        "host;range;x-amz-content-sha256;x-amz-date", SigV4.EMPTY_SHA256);
    assertEquals("GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
        + "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        + "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
        + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", canonical);
    String sts = SigV4.stringToSign(DATE, SigV4.scope("20130524", "us-east-1"), canonical);
    assertEquals("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
        + "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972", sts);
    assertEquals("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
        SigV4.signature(SigV4.signingKey(SECRET, "20130524", "us-east-1", "s3"), sts));
  }

  @Test
  void authorizationHelperReproducesTheFourHeaderExamples() {
    assertEquals("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
        SigV4.authorization(base("GET", "/test.txt", null, SigV4.EMPTY_SHA256)
            .header("Range", "bytes=0-9").build(), AKID, SECRET, "us-east-1"));
    String putHash = SigV4.sha256Hex("Welcome to Amazon S3.");
    assertEquals("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", putHash);
    assertTrue(SigV4.authorization(base("PUT", "/test$file.text", null, putHash)
            .header("Date", "Fri, 24 May 2013 00:00:00 GMT")
            .header("x-amz-storage-class", "REDUCED_REDUNDANCY").build(), AKID, SECRET, "us-east-1")
        .endsWith("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
            + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));
    assertTrue(SigV4.authorization(base("GET", "/", "lifecycle", SigV4.EMPTY_SHA256).build(),
        AKID, SECRET, "us-east-1")
        .endsWith("Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"));
    assertTrue(SigV4.authorization(base("GET", "/", "max-keys=2&prefix=J", SigV4.EMPTY_SHA256).build(),
        AKID, SECRET, "us-east-1")
        .endsWith("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
  }

  @Test
  void presignReproducesTheDocumentedUrl() {
    assertEquals("X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
        SigV4.presignQuery("GET", "/test.txt", null, HOST, AKID, SECRET, "us-east-1",
            Instant.parse("2013-05-24T00:00:00Z"), 86400));
  }

  @Test
  void amzDateRoundTripsAndIsStrict() {
    Instant t = Instant.parse("2013-05-24T00:00:00Z");
    assertEquals(DATE, SigV4.formatAmzDate(t));
    assertEquals(t, SigV4.parseAmzDate(DATE));
    for (String bad : List.of("20130524T000000", "20130532T000000Z", "2013-05-24T00:00:00Z", "")) {
      assertThrows(java.time.format.DateTimeParseException.class, () -> SigV4.parseAmzDate(bad), bad);
    }
  }

  @Test
  void signaturesCompareCaseInsensitively() {
    assertTrue(SigV4.signaturesEqual("abcdef", "ABCDEF"));
    assertTrue(!SigV4.signaturesEqual("abcdef", "abcde0"));
  }

  private static SignedRequest.Builder base(String method, String path, String query, String hash) {
    return SignedRequest.builder(method, path, query).header("Host", HOST)
        .header("x-amz-content-sha256", hash).header("x-amz-date", DATE);
  }
}
