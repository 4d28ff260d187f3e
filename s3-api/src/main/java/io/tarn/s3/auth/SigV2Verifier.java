package io.tarn.s3.auth;

import io.tarn.core.AccessKey;
import io.tarn.core.AccessKeyLookup;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.auth.SigV4.QueryParam;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies AWS Signature Version 2 (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html):
 * {@code Authorization: AWS AKID:signature} with a Date or x-amz-date within 15 minutes, or the
 * query form {@code AWSAccessKeyId}, {@code Expires} (epoch seconds), {@code Signature}. SigV2 does
 * not sign the body: the result's payload mode is {@link PayloadMode#UNSIGNED}, so the body is
 * checked by Content-MD5 when the client sends one, as S3 does.
 */
final class SigV2Verifier {
  private static final String QUERY_PARAMS_REQUIRED =
      "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters";

  private final AccessKeyLookup keys;
  private final Clock clock;

  SigV2Verifier(AccessKeyLookup keys, Clock clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@code credentials} is what follows {@code "AWS "}: {@code AKID:signature}. */
  AuthResult header(SignedRequest request, List<QueryParam> query, String credentials, String hostBucket) {
    int colon = credentials.lastIndexOf(':');
    if (colon <= 0 || colon == credentials.length() - 1) {
      // S3's wording; the header itself is not echoed: it is a credential.
      throw new S3Exception(S3Error.INVALID_ARGUMENT,
          "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature",
          Map.of("ArgumentName", "Authorization"));
    }
    String accessKeyId = credentials.substring(0, colon);
    String signature = credentials.substring(colon + 1);
    Authenticator.refuseToken(request.first("x-amz-security-token"));
    AccessKey key = Authenticator.key(keys, accessKeyId);
    // "When an x-amz-date header is present in a request, the system will ignore any Date header
    // when computing the request signature": the Date line is then empty and x-amz-date is signed
    // among the x-amz-* headers (the page's own Delete example contradicts this; its text, AWS's
    // SDKs and s3cmd agree).
    String amzDate = request.first("x-amz-date");
    String date = amzDate != null ? amzDate : request.first("date");
    Instant time = parseDate(date);
    Authenticator.checkSkew(time, date.strip(), clock.instant());
    byte[] stringToSign = SigV2.stringToSign(request, query, amzDate != null ? "" : date.strip(),
        hostBucket, false);
    check(key, signature, stringToSign);
    return new AuthResult(key, PayloadMode.UNSIGNED, null, null, time, false);
  }

  AuthResult query(SignedRequest request, List<QueryParam> query, String hostBucket) {
    String accessKeyId = param(query, "AWSAccessKeyId");
    String expires = param(query, "Expires");
    String signature = param(query, "Signature");
    if (accessKeyId == null || expires == null || signature == null || accessKeyId.isEmpty()) {
      throw new S3Exception(S3Error.ACCESS_DENIED, QUERY_PARAMS_REQUIRED);
    }
    Authenticator.refuseToken(request.first("x-amz-security-token"));
    Authenticator.refuseToken(param(query, "x-amz-security-token"));
    long expiresAt;
    try {
      expiresAt = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw new S3Exception(S3Error.ACCESS_DENIED, "Invalid date (should be seconds since epoch): " + expires);
    }
    AccessKey key = Authenticator.key(keys, accessKeyId);
    Instant now = clock.instant();
    if (now.getEpochSecond() > expiresAt) {
      throw new S3Exception(S3Error.ACCESS_DENIED, "Request has expired",
          Map.of("Expires", Authenticator.iso(Instant.ofEpochSecond(expiresAt)),
              "ServerTime", Authenticator.iso(now)));
    }
    check(key, signature, SigV2.stringToSign(request, query, expires, hostBucket, true));
    return new AuthResult(key, PayloadMode.UNSIGNED, null, null, now, true);
  }

  private static void check(AccessKey key, String provided, byte[] stringToSign) {
    String expected = SigV2.signature(key.secretKey(), stringToSign);
    if (!SigV2.signaturesEqual(expected, provided)) {
      // S3 returns what it signed, as text and as bytes, so a client can see where it differs.
      throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH,
          S3Error.SIGNATURE_DOES_NOT_MATCH.defaultMessage(),
          Map.of("AWSAccessKeyId", key.accessKeyId(), "StringToSign",
              new String(stringToSign, StandardCharsets.UTF_8), "SignatureProvided", provided,
              "StringToSignBytes", SigV2.hexBytes(stringToSign)));
    }
  }

  /** An HTTP date (RFC 1123, as the page asks), or the ISO 8601 basic form some clients send. */
  private static Instant parseDate(String value) {
    if (value != null) {
      String v = value.strip();
      try {
        return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        try {
          return SigV4.parseAmzDate(v);
        } catch (DateTimeParseException e2) {
          // refused below
        }
      }
    }
    throw new S3Exception(S3Error.ACCESS_DENIED, AuthParser.NO_DATE);
  }

  private static String param(List<QueryParam> query, String name) {
    for (QueryParam q : query) {
      if (q.name().equals(name)) {
        return q.value();
      }
    }
    return null;
  }
}
