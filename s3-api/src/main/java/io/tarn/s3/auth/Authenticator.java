package io.tarn.s3.auth;

import io.tarn.core.AccessKey;
import io.tarn.core.AccessKeyLookup;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.auth.SigV4.QueryParam;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one entry point of S3 authentication: finds which mechanism a request uses and hands it to
 * the verifier of that signature version, {@link SigV4Verifier}
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html) or
 * {@link SigV2Verifier} (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html),
 * each in its header and its presigned-URL form. A request with no signature at all is anonymous: it
 * authenticates as {@link io.tarn.core.Principal#anonymous()}, and what it may do is the
 * authorizer's to decide (what the ACLs grant AllUsers). A request that carries a signature that does not
 * verify fails here, as before. Thread-safe.
 *
 * <p>The body is not read here: {@link AuthResult#payloadMode()} says what the caller must check.
 */
public final class Authenticator {
  /** S3 refuses requests whose time is further than this from its own. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(15);

  private final String region;
  private final SigV4Verifier v4;
  private final SigV2Verifier v2;

  public Authenticator(AccessKeyLookup keys, Clock clock, String region) {
    this.region = Objects.requireNonNull(region, "region");
    this.v4 = new SigV4Verifier(keys, clock, region);
    this.v2 = new SigV2Verifier(keys, clock);
  }

  public String region() {
    return region;
  }

  /** Authenticates a path-style request (no bucket in the Host). */
  public AuthResult authenticate(SignedRequest request) {
    return authenticate(request, null);
  }

  /**
   * Authenticates a request.
   *
   * @param hostBucket the bucket a virtual-hosted Host names, or null: Signature Version 2 signs
   *     it as part of the resource
   * @throws S3Exception with the error S3 gives: AccessDenied, InvalidAccessKeyId,
   *     SignatureDoesNotMatch, AuthorizationHeaderMalformed, AuthorizationQueryParametersError,
   *     RequestTimeTooSkewed, InvalidRequest, InvalidArgument, InvalidToken, InvalidURI
   */
  public AuthResult authenticate(SignedRequest request, String hostBucket) {
    List<QueryParam> query = SigV4.decodeQuery(request.rawQuery());
    String authorization = request.first("authorization");
    boolean v4Query = false;
    boolean v2Query = false;
    for (QueryParam q : query) {
      v4Query |= q.name().equals("X-Amz-Algorithm") || q.name().equals("X-Amz-Credential")
          || q.name().equals("X-Amz-Signature");
      v2Query |= q.name().equals("AWSAccessKeyId") || q.name().equals("Signature");
    }
    if ((authorization != null && (v4Query || v2Query)) || (v4Query && v2Query)) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Only one auth mechanism allowed; only the"
          + " X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization"
          + " header should be specified", Map.of("ArgumentName", "Authorization"));
    }
    if (authorization != null) {
      String value = authorization.strip();
      int space = value.indexOf(' ');
      String scheme = space < 0 ? value : value.substring(0, space);
      if (scheme.equals(SigV4.ALGORITHM)) {
        return v4.header(request, value);
      }
      if (scheme.equals(SigV2.SCHEME)) {
        return v2.header(request, query, value.substring(space + 1).strip(), hostBucket);
      }
      throw AuthParser.unsupportedScheme();
    }
    if (v4Query) {
      return v4.query(request, query);
    }
    if (v2Query) {
      return v2.query(request, query, hostBucket);
    }
    return anonymous(request);
  }

  /**
   * An unsigned request (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html, "an
   * anonymous request"). Its body is checked against an {@code x-amz-content-sha256} it declares; a
   * signed-chunk encoding cannot be verified without a key, so it is refused.
   */
  private static AuthResult anonymous(SignedRequest request) {
    String declared = request.first("x-amz-content-sha256");
    PayloadMode mode = PayloadMode.UNSIGNED;
    String sha256 = null;
    if (declared != null) {
      PayloadMode literal = PayloadMode.ofLiteral(declared.strip());
      if (literal != null && literal.signedChunks()) {
        throw new S3Exception(S3Error.ACCESS_DENIED, "Access Denied");
      }
      if (literal != null) {
        mode = literal;
      } else if (declared.strip().matches("[0-9a-fA-F]{64}")) {
        mode = PayloadMode.SHA256;
        sha256 = declared.strip().toLowerCase(java.util.Locale.ROOT);
      }
    }
    return new AuthResult(null, mode, sha256, null, null, false);
  }

  // ---- shared by the verifiers

  /** The key, or InvalidAccessKeyId (disabled and expired keys are refused by the lookup). */
  static AccessKey key(AccessKeyLookup keys, String accessKeyId) {
    return keys.find(accessKeyId).orElseThrow(() -> new S3Exception(S3Error.INVALID_ACCESS_KEY_ID,
        S3Error.INVALID_ACCESS_KEY_ID.defaultMessage(), Map.of("AWSAccessKeyId", accessKeyId)));
  }

  /** Tarn issues no session credentials, so no token can be valid. */
  static void refuseToken(String token) {
    if (token != null) {
      throw new S3Exception(S3Error.INVALID_TOKEN);
    }
  }

  /** RequestTimeTooSkewed when a header-signed request is more than 15 minutes off. */
  static void checkSkew(Instant time, String rawTime, Instant now) {
    if (Duration.between(time, now).abs().compareTo(MAX_SKEW) > 0) {
      throw new S3Exception(S3Error.REQUEST_TIME_TOO_SKEWED,
          "The difference between the request time and the current time is too large.",
          Map.of("RequestTime", rawTime, "ServerTime", iso(now),
              "MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis())));
    }
  }

  static String iso(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }
}
