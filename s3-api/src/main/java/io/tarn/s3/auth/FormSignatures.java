package io.tarn.s3.auth;

import io.tarn.core.AccessKey;
import io.tarn.core.AccessKeyLookup;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * The signature of a POST Object form: the signer's HMAC of the form's base64 {@code policy} field,
 * with the same keys and the same signing primitives as every other request.
 * <ul>
 *   <li>Signature Version 4 (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html):
 *       {@code x-amz-algorithm} {@code AWS4-HMAC-SHA256}, {@code x-amz-credential} (the scope, checked
 *       as a header's), {@code x-amz-date}, and {@code x-amz-signature}, the hex HMAC-SHA256 of the
 *       policy with the scope's signing key.</li>
 *   <li>Signature Version 2 (https://docs.aws.amazon.com/AmazonS3/latest/API/HTTPPOSTForms.html):
 *       {@code AWSAccessKeyId} and {@code signature}, the base64 HMAC-SHA1 of the policy with the
 *       secret key. boto3's {@code generate_presigned_post} writes this form by default for
 *       us-east-1.</li>
 * </ul>
 * A form without a policy is anonymous: "Requests without a security policy are considered
 * anonymous" (HTTPPOSTForms.html). Thread-safe.
 */
public final class FormSignatures {
  private final AccessKeyLookup keys;
  private final Clock clock;
  private final AuthParser parser;
  private final String region;

  public FormSignatures(AccessKeyLookup keys, Clock clock, String region) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.region = Objects.requireNonNull(region, "region");
    this.parser = new AuthParser(region);
  }

  /**
   * Authenticates a form.
   *
   * @param fields the form's fields before its file, by lower-case name
   * @return the signer, or the anonymous caller for a form without policy and signature
   * @throws S3Exception InvalidArgument for a missing signature field, InvalidAccessKeyId,
   *     SignatureDoesNotMatch, InvalidToken
   */
  public AuthResult verify(Map<String, String> fields) {
    String policy = fields.get("policy");
    boolean v4 = fields.containsKey("x-amz-signature") || fields.containsKey("x-amz-algorithm")
        || fields.containsKey("x-amz-credential");
    boolean v2 = fields.containsKey("awsaccesskeyid") || fields.containsKey("signature");
    if (v4 && v2) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Only one auth mechanism allowed; the form holds both"
          + " x-amz-signature and signature fields.", Map.of("ArgumentName", "x-amz-signature"));
    }
    Instant now = clock.instant();
    if (policy == null) {
      if (v4 || v2) {
        throw missing("policy");
      }
      return AuthResult.anonymous(now);
    }
    Authenticator.refuseToken(fields.get("x-amz-security-token"));
    return v4 ? v4(fields, policy, now) : v2(fields, policy, now);
  }

  private AuthResult v4(Map<String, String> fields, String policy, Instant now) {
    String algorithm = required(fields, "x-amz-algorithm");
    String credential = required(fields, "x-amz-credential");
    String amzDate = required(fields, "x-amz-date");
    String signature = required(fields, "x-amz-signature");
    if (!algorithm.equals(SigV4.ALGORITHM)) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Only AWS4-HMAC-SHA256 is supported as x-amz-algorithm.",
          Map.of("ArgumentName", "x-amz-algorithm", "ArgumentValue", algorithm));
    }
    String[] scope = parser.formCredential(credential);
    try {
      SigV4.parseAmzDate(amzDate);
    } catch (DateTimeParseException e) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-date must be in the ISO 8601 form yyyyMMdd'T'HHmmss'Z'.",
          Map.of("ArgumentName", "x-amz-date", "ArgumentValue", amzDate));
    }
    if (!amzDate.startsWith(scope[1])) {
      // As for a header or a query: the scope is of the day the form was signed.
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid credential date \"" + scope[1]
          + "\". This date is not the same as x-amz-date: \"" + amzDate.substring(0, 8) + "\".",
          Map.of("ArgumentName", "x-amz-credential"));
    }
    AccessKey key = Authenticator.key(keys, scope[0]);
    byte[] signingKey = SigV4.signingKey(key.secretKey(), scope[1], region, SigV4.SERVICE);
    String expected = SigV4.signature(signingKey, policy);
    if (!SigV4.signaturesEqual(expected, signature)) {
      throw mismatch(scope[0], policy, signature);
    }
    return new AuthResult(key, PayloadMode.UNSIGNED, null, null, now, false);
  }

  private AuthResult v2(Map<String, String> fields, String policy, Instant now) {
    String accessKeyId = required(fields, "awsaccesskeyid");
    String signature = required(fields, "signature");
    AccessKey key = Authenticator.key(keys, accessKeyId);
    String expected = SigV2.signature(key.secretKey(), policy.getBytes(StandardCharsets.UTF_8));
    if (!SigV2.signaturesEqual(expected, signature)) {
      throw mismatch(accessKeyId, policy, signature);
    }
    return new AuthResult(key, PayloadMode.UNSIGNED, null, null, now, false);
  }

  /** What S3 signed is the policy field itself: it is the string to sign. */
  private static S3Exception mismatch(String accessKeyId, String policy, String provided) {
    return new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, S3Error.SIGNATURE_DOES_NOT_MATCH.defaultMessage(),
        Map.of("AWSAccessKeyId", accessKeyId, "StringToSign", policy, "SignatureProvided", provided));
  }

  private static String required(Map<String, String> fields, String name) {
    String v = fields.get(name);
    if (v == null) {
      throw missing(name);
    }
    return v;
  }

  /** S3's wording for a form that lacks a field the form's kind needs. */
  public static S3Exception missing(String name) {
    String shown = name.equals("awsaccesskeyid") ? "AWSAccessKeyId" : name;
    return new S3Exception(S3Error.INVALID_ARGUMENT, "Bucket POST must contain a field named '" + shown
        + "'.  If it is specified, please check the order of the fields.",
        Map.of("ArgumentName", shown, "ArgumentValue", ""));
  }
}
