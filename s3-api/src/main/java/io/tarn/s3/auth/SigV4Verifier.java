package io.tarn.s3.auth;

import io.tarn.core.AccessKey;
import io.tarn.core.AccessKeyLookup;
import io.tarn.core.Hex;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.auth.SigV4.QueryParam;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies AWS Signature Version 4, in the Authorization header
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html) or
 * in a presigned URL (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
 * {@link Authenticator} picks it for a request. Thread-safe.
 *
 * <p>The body is not read here: {@link AuthResult#payloadMode()} says what the caller must check
 * (the SHA-256 of the body, or the aws-chunked signatures through {@link AwsChunkedDecoder}).
 */
final class SigV4Verifier {
  private static final String NOT_SIGNED =
      "There were headers present in the request which were not signed";

  private final AccessKeyLookup keys;
  private final Clock clock;
  private final String region;
  private final AuthParser parser;

  SigV4Verifier(AccessKeyLookup keys, Clock clock, String region) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.region = Objects.requireNonNull(region, "region");
    this.parser = new AuthParser(region);
  }

  /** A request with an {@code AWS4-HMAC-SHA256} Authorization header. */
  AuthResult header(SignedRequest request, String authorization) {
    return verify(request, parser.fromHeader(authorization, request));
  }

  /** A presigned request, with its decoded query. */
  AuthResult query(SignedRequest request, List<QueryParam> query) {
    return verify(request, parser.fromQuery(query));
  }

  private AuthResult verify(SignedRequest request, ParsedAuth auth) {
    Authenticator.refuseToken(auth.securityToken());
    Authenticator.refuseToken(request.first("x-amz-security-token"));
    AccessKey key = Authenticator.key(keys, auth.accessKeyId());
    checkTime(auth);
    String payloadHash = request.first("x-amz-content-sha256");
    if (payloadHash == null) {
      if (!auth.presigned()) {
        throw new S3Exception(S3Error.INVALID_REQUEST,
            "Missing required header for this request: x-amz-content-sha256");
      }
      payloadHash = SigV4.UNSIGNED_PAYLOAD;
    }
    payloadHash = payloadHash.strip();
    PayloadMode mode = payloadMode(payloadHash);
    checkSignedHeaders(request, auth);

    String canonical = SigV4.canonicalRequest(request.method(), SigV4.canonicalUri(request.rawPath()),
        SigV4.canonicalQuery(request.rawQuery(), auth.presigned()),
        SigV4.canonicalHeaders(auth.signedHeaders(), request), auth.signedHeadersLine(), payloadHash);
    String scope = SigV4.scope(auth.date(), region);
    String stringToSign = SigV4.stringToSign(auth.amzDate(), scope, canonical);
    byte[] signingKey = SigV4.signingKey(key.secretKey(), auth.date(), region, SigV4.SERVICE);
    String expected = SigV4.signature(signingKey, stringToSign);
    if (!SigV4.signaturesEqual(expected, auth.signature())) {
      // S3 returns what it signed, so a client can see where its canonical form differs.
      throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH,
          S3Error.SIGNATURE_DOES_NOT_MATCH.defaultMessage(),
          Map.of("AWSAccessKeyId", auth.accessKeyId(), "StringToSign", stringToSign,
              "SignatureProvided", auth.signature(), "CanonicalRequest", canonical));
    }
    String sha256 = mode == PayloadMode.SHA256 ? payloadHash.toLowerCase(Locale.ROOT) : null;
    return new AuthResult(key, mode, sha256,
        new ChunkSigning(signingKey, auth.amzDate(), scope, expected), auth.time(), auth.presigned());
  }

  private void checkTime(ParsedAuth auth) {
    Instant now = clock.instant();
    if (!auth.presigned()) {
      Authenticator.checkSkew(auth.time(), auth.rawTime(), now);
      return;
    }
    // A presigned URL is used long after it is made, so only its validity window counts; a URL
    // dated in the future (beyond clock skew) is not valid yet.
    if (auth.time().isAfter(now.plus(Authenticator.MAX_SKEW))) {
      throw new S3Exception(S3Error.ACCESS_DENIED, "Request is not yet valid",
          Map.of("X-Amz-Date", auth.rawTime(), "ServerTime", Authenticator.iso(now)));
    }
    Instant expires = auth.time().plusSeconds(auth.expiresSeconds());
    if (now.isAfter(expires)) {
      throw new S3Exception(S3Error.ACCESS_DENIED, "Request has expired",
          Map.of("X-Amz-Expires", Long.toString(auth.expiresSeconds()), "Expires", Authenticator.iso(expires),
              "ServerTime", Authenticator.iso(now)));
    }
  }

  private static PayloadMode payloadMode(String value) {
    if (Hex.isHex(value, 64)) {
      return PayloadMode.SHA256;
    }
    PayloadMode mode = PayloadMode.ofLiteral(value);
    if (mode == null) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD,"
          + " STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD,"
          + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
          Map.of("ArgumentName", "x-amz-content-sha256", "ArgumentValue", value));
    }
    return mode;
  }

  /**
   * {@code host} must be signed, and so must every {@code x-amz-*} header present, so that headers
   * which change what an operation does (x-amz-copy-source, x-amz-metadata-directive, x-amz-acl...)
   * cannot be added to a captured request. {@code x-amz-content-sha256} is exempt: its value is the
   * payload line of the canonical request, so it is bound by the signature anyway.
   */
  private static void checkSignedHeaders(SignedRequest request, ParsedAuth auth) {
    // Runs for every request: the signed list is short, so a list scan beats building sets.
    List<String> signed = auth.signedHeaders();
    Set<String> notSigned = null;
    if (!signed.contains("host")) {
      notSigned = new TreeSet<>();
      notSigned.add("host");
    }
    for (String name : request.headerNames()) {
      if (!name.regionMatches(true, 0, "x-amz-", 0, 6)) {
        continue;
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (!lower.equals("x-amz-content-sha256") && !signed.contains(lower)) {
        if (notSigned == null) {
          notSigned = new TreeSet<>();
        }
        notSigned.add(lower);
      }
    }
    if (notSigned != null) {
      throw new S3Exception(S3Error.ACCESS_DENIED, NOT_SIGNED,
          Map.of("HeadersNotSigned", String.join(", ", notSigned)));
    }
  }
}
