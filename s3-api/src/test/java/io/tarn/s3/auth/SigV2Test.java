package io.tarn.s3.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Signature Version 2 against the worked examples of
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html (key AKIAIOSFODNN7EXAMPLE).
 * The page now names its bucket "awsexamplebucket1" but kept the signatures it computed for the
 * bucket "johnsmith" (and host "static.johnsmith.net"): they verify only with the old names, so the
 * examples here use those.
 */
class SigV2Test {
  private static final String AKID = SigV4VerifierTest.AKID;
  private static final String SECRET = SigV4VerifierTest.SECRET;

  private static Authenticator at(String time) {
    return at(Instant.parse(time));
  }

  private static Authenticator at(Instant now) {
    return new Authenticator(id -> id.equals(AKID) ? Optional.of(SigV4VerifierTest.KEY) : Optional.empty(),
        Clock.fixed(now, ZoneOffset.UTC), "us-east-1");
  }

  private static SignedRequest.Builder get(String path, String query, String date) {
    return SignedRequest.builder("GET", path, query).header("Date", date);
  }

  private static String text(byte[] stringToSign) {
    return new String(stringToSign, StandardCharsets.UTF_8);
  }

  // ---- the page's examples

  @Test
  void objectGetVirtualHosted() {
    SignedRequest r = get("/photos/puppy.jpg", null, "Tue, 27 Mar 2007 19:36:42 +0000")
        .header("Host", "johnsmith.s3.amazonaws.com")
        .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=").build();
    AuthResult result = at("2007-03-27T19:40:00Z").authenticate(r, "johnsmith");
    assertSame(SigV4VerifierTest.KEY, result.accessKey());
    assertEquals(PayloadMode.UNSIGNED, result.payloadMode());
    assertNull(result.expectedSha256());
    assertFalse(result.presigned());
    assertEquals(Instant.parse("2007-03-27T19:36:42Z"), result.requestTime());
    // The same request path-style (no bucket from the Host) signs another resource.
    assertError(S3Error.SIGNATURE_DOES_NOT_MATCH, at("2007-03-27T19:40:00Z"), r, null);
  }

  @Test
  void objectPutSignsContentType() {
    SignedRequest r = SignedRequest.builder("PUT", "/photos/puppy.jpg", null)
        .header("Content-Type", "image/jpeg").header("Content-Length", "94328")
        .header("Host", "johnsmith.s3.amazonaws.com").header("Date", "Tue, 27 Mar 2007 21:15:45 +0000")
        .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:MyyxeRY7whkBe+bq8fHCL/2kKUg=").build();
    at("2007-03-27T21:15:00Z").authenticate(r, "johnsmith");
  }

  @Test
  void listIgnoresOrdinaryQueryParametersAndFetchSignsTheSubresource() {
    at("2007-03-27T19:42:41Z").authenticate(get("/", "prefix=photos&max-keys=50&marker=puppy",
        "Tue, 27 Mar 2007 19:42:41 +0000").header("User-Agent", "Mozilla/5.0")
        .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:htDYFYduRNen8P9ZfE/s9SuKy0U=").build(), "johnsmith");
    at("2007-03-27T19:44:46Z").authenticate(get("/", "acl", "Tue, 27 Mar 2007 19:44:46 +0000")
        .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:c2WLPFtWHVgbEmeEG93a4cG37dM=").build(), "johnsmith");
  }

  @Test
  void uploadWithAmzHeadersToACnameBucket() {
    SignedRequest r = SignedRequest.builder("PUT", "/db-backup.dat.gz", null)
        .header("User-Agent", "curl/7.15.5").header("Host", "static.johnsmith.net:8080")
        .header("Date", "Tue, 27 Mar 2007 21:06:08 +0000").header("x-amz-acl", "public-read")
        .header("content-type", "application/x-download").header("Content-MD5", "4gJE4saaMU4BqNR0kLY+lw==")
        .header("X-Amz-Meta-ReviewedBy", "joe@johnsmith.net").header("X-Amz-Meta-ReviewedBy", "jane@johnsmith.net")
        .header("X-Amz-Meta-FileChecksum", "0x02661779").header("X-Amz-Meta-ChecksumAlgorithm", "crc32")
        .header("Content-Disposition", "attachment; filename=database.dat").header("Content-Encoding", "gzip")
        .header("Content-Length", "5913339")
        .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:ilyl83RwaSoYIEdixDQcA4OnAnc=").build();
    at("2007-03-27T21:06:08Z").authenticate(r, "static.johnsmith.net");
    assertEquals("PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\nTue, 27 Mar 2007 21:06:08 +0000\n"
        + "x-amz-acl:public-read\nx-amz-meta-checksumalgorithm:crc32\nx-amz-meta-filechecksum:0x02661779\n"
        + "x-amz-meta-reviewedby:joe@johnsmith.net,jane@johnsmith.net\n/static.johnsmith.net/db-backup.dat.gz",
        text(SigV2.stringToSign(r, List.of(), "Tue, 27 Mar 2007 21:06:08 +0000", "static.johnsmith.net", false)));
  }

  @Test
  void listAllBucketsAndUnicodeKeysSignThePathAsSent() {
    at("2007-03-28T01:29:59Z").authenticate(get("/", null, "Wed, 28 Mar 2007 01:29:59 +0000")
        .header("Host", "s3.amazonaws.com")
        .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:qGdzdERIC03wnaRNKh6OqZehG9s=").build());
    at("2007-03-28T01:49:49Z").authenticate(get("/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re", null,
        "Wed, 28 Mar 2007 01:49:49 +0000").header("Host", "s3.amazonaws.com")
        .header("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:DNEZGsoieTZ92F3bUfSPQcbGmlM=").build());
  }

  @Test
  void queryStringExampleUntilItExpires() {
    SignedRequest r = SignedRequest.builder("GET", "/photos/puppy.jpg",
        "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620")
        .header("Host", "johnsmith.s3.amazonaws.com").build();
    AuthResult result = at(Instant.ofEpochSecond(1175139620)).authenticate(r, "johnsmith");
    assertTrue(result.presigned());
    assertEquals(PayloadMode.UNSIGNED, result.payloadMode());

    S3Exception e = assertError(S3Error.ACCESS_DENIED, at(Instant.ofEpochSecond(1175139621)), r, "johnsmith");
    assertEquals("Request has expired", e.getMessage());
    assertEquals("2007-03-29T03:40:20Z", e.extra().get("Expires"));
    assertEquals("2007-03-29T03:40:21Z", e.extra().get("ServerTime"));
  }

  // ---- canonicalisation

  @Test
  void subresourcesAreSortedAndDecodedOtherParametersLeftOut() {
    SignedRequest r = get("/b/k%20x", "versionId=a%2Fb&foo=bar&acl&response-content-type=text%2Fplain&uploadId=u+1",
        "d").build();
    assertEquals("GET\n\n\nd\n/b/k%20x?acl&response-content-type=text/plain&uploadId=u+1&versionId=a/b",
        text(SigV2.stringToSign(r, SigV4.decodeQuery(r.rawQuery()), "d", null, false)));
    assertEquals("GET\n\n\nd\n/vh/?delete&tagging",
        text(SigV2.stringToSign(get("/", "tagging&delete&list-type=2", "d").build(),
            SigV4.decodeQuery("tagging&delete&list-type=2"), "d", "vh", false)));
  }

  @Test
  void amzHeadersAreLowerCasedSortedJoinedTrimmedAndUnfolded() {
    SignedRequest r = SignedRequest.builder("POST", "/b", "delete").header("X-Amz-Meta-B", "  two ")
        .header("x-amz-meta-a", "one").header("X-AMZ-META-B", "three").header("x-amz-meta-c", "folded\r\n  line")
        .header("Content-MD5", " md5== ").header("Content-Type", "text/xml").header("x-other", "no").build();
    assertEquals("POST\nmd5==\ntext/xml\n\nx-amz-meta-a:one\nx-amz-meta-b:two,three\nx-amz-meta-c:folded line\n/b?delete",
        text(SigV2.stringToSign(r, SigV4.decodeQuery("delete"), "", null, false)));
  }

  @Test
  void xAmzDateReplacesDateAndIsSignedAsAnAmzHeader() {
    Instant now = Instant.parse("2024-02-29T12:34:56Z");
    SignedRequest.Builder b = SignedRequest.builder("DELETE", "/b/k", null).header("Host", "h")
        .header("Date", "Mon, 01 Jan 2001 00:00:00 GMT").header("x-amz-date", "Thu, 29 Feb 2024 12:30:00 GMT");
    String auth = SigV2.authorization(b.build(), null, AKID, SECRET);
    SignedRequest r = b.header("Authorization", auth).build();
    assertEquals(Instant.parse("2024-02-29T12:30:00Z"), at(now).authenticate(r).requestTime());
    S3Exception e = assertError(S3Error.SIGNATURE_DOES_NOT_MATCH, at(now),
        SignedRequest.builder("DELETE", "/b/k", null).header("Host", "h")
            .header("x-amz-date", "Thu, 29 Feb 2024 12:30:00 GMT")
            .header("Authorization", auth.substring(0, auth.length() - 5) + "AAAA=").build(), null);
    assertEquals("DELETE\n\n\n\nx-amz-date:Thu, 29 Feb 2024 12:30:00 GMT\n/b/k", e.extra().get("StringToSign"));
    assertTrue(e.extra().get("StringToSignBytes").startsWith("44 45 4c 45 54 45 0a 0a"), e.extra().toString());
    assertFalse(e.extra().toString().contains(SECRET));
  }

  @Test
  void rawUtf8HeaderBytesAreSignedAsSent() {
    // A client signs the bytes C3 A9 of "café"; the HTTP decoder hands them over as two chars.
    String wire = new String("café".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    String date = "Thu, 29 Feb 2024 12:30:00 GMT";
    String clientSignature = SigV2.signature(SECRET,
        ("PUT\n\n\n" + date + "\nx-amz-meta-name:café\n/b/k").getBytes(StandardCharsets.UTF_8));
    SignedRequest r = SignedRequest.builder("PUT", "/b/k", null).header("Date", date)
        .header("x-amz-meta-name", wire).header("Authorization", "AWS " + AKID + ":" + clientSignature).build();
    at("2024-02-29T12:30:00Z").authenticate(r);
  }

  // ---- time, keys and errors

  @Test
  void headerFormNeedsADateWithinFifteenMinutes() {
    Instant now = Instant.parse("2024-02-29T12:34:56Z");
    for (String date : List.of("Thu, 29 Feb 2024 12:19:55 GMT", "Thu, 29 Feb 2024 12:49:57 GMT")) {
      SignedRequest.Builder b = SignedRequest.builder("GET", "/b/k", null).header("Date", date);
      SignedRequest r = b.header("Authorization", SigV2.authorization(b.build(), null, AKID, SECRET)).build();
      S3Exception e = assertError(S3Error.REQUEST_TIME_TOO_SKEWED, at(now), r, null);
      assertEquals(date, e.extra().get("RequestTime"));
    }
    SignedRequest ok = SignedRequest.builder("GET", "/b/k", null).header("Date", "Thu, 29 Feb 2024 12:20:00 GMT").build();
    at(now).authenticate(SignedRequest.builder("GET", "/b/k", null).header("Date", "Thu, 29 Feb 2024 12:20:00 GMT")
        .header("Authorization", SigV2.authorization(ok, null, AKID, SECRET)).build());
    S3Exception e = assertError(S3Error.ACCESS_DENIED, at(now), SignedRequest.builder("GET", "/b/k", null)
        .header("Authorization", "AWS " + AKID + ":abc=").build(), null);
    assertEquals(AuthParser.NO_DATE, e.getMessage());
  }

  @Test
  void presignRoundTripWithSubresourceAndVirtualHost() {
    Instant now = Instant.parse("2024-02-29T12:34:56Z");
    long expires = now.getEpochSecond() + 60;
    String query = SigV2.presignQuery("GET", "/k%2Bx", "versionId=v1&x-id=GetObject", "vh", AKID, SECRET, expires);
    SignedRequest r = SignedRequest.builder("GET", "/k%2Bx", query).header("Host", "vh.s3.local").build();
    assertTrue(at(now).authenticate(r, "vh").presigned());
    assertError(S3Error.SIGNATURE_DOES_NOT_MATCH, at(now), r, null);
    SignedRequest tampered = SignedRequest.builder("GET", "/k%2By", query).header("Host", "vh.s3.local").build();
    assertError(S3Error.SIGNATURE_DOES_NOT_MATCH, at(now), tampered, "vh");
  }

  @Test
  void presignedContentTypeMayComeFromTheQueryAsBotocorePutsIt() {
    Instant now = Instant.parse("2024-02-29T12:34:56Z");
    long expires = now.getEpochSecond() + 60;
    String own = "content-type=text%2Fplain&x-amz-acl=private";
    String query = SigV2.presignQuery("PUT", "/b/k", own, null, AKID, SECRET, expires);
    at(now).authenticate(SignedRequest.builder("PUT", "/b/k", query).build());
    // A Content-Type header the URL was not signed with does not match.
    assertError(S3Error.SIGNATURE_DOES_NOT_MATCH, at(now),
        SignedRequest.builder("PUT", "/b/k", query).header("Content-Type", "image/png").build(), null);
  }

  @Test
  void badQueryParametersAndHeaders() {
    Authenticator v = at("2024-02-29T12:34:56Z");
    S3Exception e = assertError(S3Error.ACCESS_DENIED, v,
        SignedRequest.builder("GET", "/b/k", "AWSAccessKeyId=" + AKID + "&Signature=x").build(), null);
    assertTrue(e.getMessage().startsWith("Query-string authentication requires"), e.getMessage());
    e = assertError(S3Error.ACCESS_DENIED, v,
        SignedRequest.builder("GET", "/b/k", "AWSAccessKeyId=" + AKID + "&Expires=soon&Signature=x").build(), null);
    assertEquals("Invalid date (should be seconds since epoch): soon", e.getMessage());
    e = assertError(S3Error.INVALID_ACCESS_KEY_ID, v,
        SignedRequest.builder("GET", "/b/k", "AWSAccessKeyId=NOPE&Expires=9999999999&Signature=x").build(), null);
    assertEquals("NOPE", e.extra().get("AWSAccessKeyId"));
    assertError(S3Error.INVALID_TOKEN, v, SignedRequest.builder("GET", "/b/k",
        "AWSAccessKeyId=" + AKID + "&Expires=9999999999&Signature=x&x-amz-security-token=t").build(), null);
    e = assertError(S3Error.INVALID_ARGUMENT, v, SignedRequest.builder("GET", "/b/k", null)
        .header("Date", "Thu, 29 Feb 2024 12:30:00 GMT").header("Authorization", "AWS secret-looking-value").build(), null);
    assertFalse(e.extra().toString().contains("secret-looking-value"), e.extra().toString());
    assertFalse(e.getMessage().contains("secret-looking-value"));
  }

  @Test
  void onlyOneMechanismAtATime() {
    Authenticator v = at("2024-02-29T12:34:56Z");
    for (SignedRequest r : List.of(
        SignedRequest.builder("GET", "/b/k", "AWSAccessKeyId=" + AKID + "&Expires=1&Signature=x&X-Amz-Algorithm=AWS4-HMAC-SHA256")
            .build(),
        SignedRequest.builder("GET", "/b/k", "AWSAccessKeyId=" + AKID + "&Expires=1&Signature=x")
            .header("Authorization", "AWS " + AKID + ":x").build())) {
      S3Exception e = assertError(S3Error.INVALID_ARGUMENT, v, r, null);
      assertTrue(e.getMessage().startsWith("Only one auth mechanism allowed"), e.getMessage());
    }
  }

  private static S3Exception assertError(S3Error expected, Authenticator v, SignedRequest r, String hostBucket) {
    S3Exception e = assertThrows(S3Exception.class, () -> v.authenticate(r, hostBucket));
    assertEquals(expected, e.error(), e.getMessage() + " " + e.extra());
    return e;
  }
}
