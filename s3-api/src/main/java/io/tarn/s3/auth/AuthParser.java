package io.tarn.s3.auth;

import io.tarn.core.Hex;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.auth.SigV4.QueryParam;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the two SigV4 forms into {@link ParsedAuth}, with the error codes and wording S3 uses:
 * {@code AuthorizationHeaderMalformed} for the header
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html),
 * {@code AuthorizationQueryParametersError} for presigned URLs
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
 */
final class AuthParser {
  static final long MAX_EXPIRES_SECONDS = 604_800;
  static final String NO_DATE = "AWS authentication requires a valid Date or x-amz-date header";
  private static final String HEADER_PREFIX = "The authorization header is malformed; ";
  private static final String CREDENTIAL_PREFIX = "Error parsing the X-Amz-Credential parameter; ";
  private static final String QUERY_PARAMS_REQUIRED = "Query-string authentication version 4 requires"
      + " the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders,"
      + " and X-Amz-Expires parameters.";

  private final String region;

  AuthParser(String region) {
    this.region = region;
  }

  /** Parses {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}. */
  ParsedAuth fromHeader(String authorization, SignedRequest request) {
    String value = authorization.strip();
    int space = value.indexOf(' ');
    String scheme = space < 0 ? value : value.substring(0, space);
    if (!scheme.equals(SigV4.ALGORITHM)) {
      throw unsupportedScheme();
    }
    Map<String, String> fields = new HashMap<>();
    for (String part : value.substring(space + 1).split(",", -1)) {
      String p = part.strip();
      int eq = p.indexOf('=');
      if (eq <= 0 || fields.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip()) != null) {
        throw headerMalformed("the authorization header requires three components: Credential,"
            + " SignedHeaders, and Signature, each once.");
      }
    }
    String credential = fields.get("Credential");
    String signedHeaders = fields.get("SignedHeaders");
    String signature = fields.get("Signature");
    if (fields.size() != 3 || credential == null || signedHeaders == null || signature == null) {
      throw headerMalformed("the authorization header requires three components: Credential,"
          + " SignedHeaders, and Signature.");
    }
    String[] scope = credential(credential, false);
    Timestamp ts = headerTimestamp(request);
    checkCredentialDate(scope[1], ts.amzDate(), false);
    return new ParsedAuth(scope[0], scope[1], signedHeaders(signedHeaders, false),
        signature(signature, false), ts.amzDate(), ts.raw(), ts.time(), -1,
        request.first("x-amz-security-token"));
  }

  /** Parses the X-Amz-* parameters of a presigned URL. */
  ParsedAuth fromQuery(List<QueryParam> query) {
    Map<String, String> p = new HashMap<>();
    for (QueryParam q : query) {
      p.putIfAbsent(q.name(), q.value());
    }
    String algorithm = p.get("X-Amz-Algorithm");
    String credential = p.get("X-Amz-Credential");
    String amzDate = p.get("X-Amz-Date");
    String expires = p.get("X-Amz-Expires");
    String signedHeaders = p.get("X-Amz-SignedHeaders");
    String signature = p.get("X-Amz-Signature");
    if (algorithm == null || credential == null || amzDate == null || expires == null
        || signedHeaders == null || signature == null) {
      throw queryError(QUERY_PARAMS_REQUIRED);
    }
    if (!algorithm.equals(SigV4.ALGORITHM)) {
      throw queryError("X-Amz-Algorithm only supports \"" + SigV4.ALGORITHM + "\"");
    }
    String[] scope = credential(credential, true);
    Instant time;
    try {
      time = SigV4.parseAmzDate(amzDate);
    } catch (DateTimeParseException e) {
      throw queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    }
    checkCredentialDate(scope[1], amzDate, true);
    return new ParsedAuth(scope[0], scope[1], signedHeaders(signedHeaders, true),
        signature(signature, true), amzDate, amzDate, time, expires(expires),
        p.get("X-Amz-Security-Token"));
  }

  /**
   * The {@code x-amz-credential} field of a POST form -> {akid, date}: the same scope rules as the
   * header and the query, its errors InvalidArgument naming the field (the form has no header or
   * query parameter to name).
   */
  String[] formCredential(String credential) {
    try {
      return credential(credential, true);
    } catch (S3Exception e) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, e.getMessage().replace(CREDENTIAL_PREFIX,
          "Error parsing the x-amz-credential field; "), Map.of("ArgumentName", "x-amz-credential"));
    }
  }

  /** {@code AKID/yyyyMMdd/region/s3/aws4_request} -> {akid, date}. */
  private String[] credential(String credential, boolean query) {
    String[] parts = credential.split("/", -1);
    if (parts.length < 5 || parts[0].isEmpty()) {
      throw malformed(query, "the Credential is mal-formed; expecting"
          + " \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
    }
    int n = parts.length;
    // The last four components are fixed; whatever precedes them is the key id.
    String akid = String.join("/", Arrays.copyOf(parts, n - 4));
    String date = parts[n - 4];
    String credRegion = parts[n - 3];
    String service = parts[n - 2];
    String terminal = parts[n - 1];
    if (date.length() != 8 || SigV4.digits(date, 0, 8) < 0) {
      throw malformed(query, "incorrect date format \"" + date + "\". This date in the credential must"
          + " be in the format \"yyyyMMdd\".");
    }
    if (!credRegion.equals(region)) {
      S3Error code = query ? S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR
          : S3Error.AUTHORIZATION_HEADER_MALFORMED;
      String prefix = query ? CREDENTIAL_PREFIX : HEADER_PREFIX;
      throw new S3Exception(code, prefix + "the region '" + credRegion + "' is wrong; expecting '"
          + region + "'", Map.of("Region", region));
    }
    if (!service.equals(SigV4.SERVICE)) {
      throw malformed(query, "incorrect service \"" + service + "\". This endpoint belongs to \""
          + SigV4.SERVICE + "\".");
    }
    if (!terminal.equals(SigV4.TERMINATOR)) {
      throw malformed(query, "incorrect terminal \"" + terminal + "\". This endpoint uses \""
          + SigV4.TERMINATOR + "\".");
    }
    return new String[] {akid, date};
  }

  private void checkCredentialDate(String credentialDate, String amzDate, boolean query) {
    if (!amzDate.startsWith(credentialDate)) {
      throw malformed(query, "Invalid credential date \"" + credentialDate + "\". This date is not the"
          + " same as X-Amz-Date: \"" + amzDate.substring(0, Math.min(8, amzDate.length())) + "\".");
    }
  }

  private static List<String> signedHeaders(String value, boolean query) {
    List<String> names = new ArrayList<>();
    for (String n : value.split(";", -1)) {
      String name = n.strip().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        if (query) {
          throw queryError("X-Amz-SignedHeaders is malformed: empty header name.");
        }
        throw headerMalformed("SignedHeaders has an empty header name.");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  private static String signature(String value, boolean query) {
    if (!Hex.isHex(value, 64)) {
      if (query) {
        throw queryError("X-Amz-Signature must be 64 hexadecimal characters.");
      }
      throw headerMalformed("the Signature must be 64 hexadecimal characters.");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static long expires(String value) {
    long seconds;
    try {
      seconds = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw queryError("X-Amz-Expires should be a number");
    }
    if (seconds < 1) {
      throw queryError("X-Amz-Expires must be a positive number of seconds");
    }
    if (seconds > MAX_EXPIRES_SECONDS) {
      throw queryError("X-Amz-Expires must be less than a week (in seconds) that is 604800");
    }
    return seconds;
  }

  private record Timestamp(String amzDate, String raw, Instant time) {}

  /** {@code x-amz-date}, else {@code Date} (RFC 1123), which is then signed in the basic format. */
  private static Timestamp headerTimestamp(SignedRequest request) {
    String amz = request.first("x-amz-date");
    if (amz != null) {
      amz = amz.strip();
      try {
        return new Timestamp(amz, amz, SigV4.parseAmzDate(amz));
      } catch (DateTimeParseException e) {
        throw new S3Exception(S3Error.ACCESS_DENIED, NO_DATE);
      }
    }
    String date = request.first("date");
    if (date == null) {
      throw new S3Exception(S3Error.ACCESS_DENIED, NO_DATE);
    }
    try {
      Instant t = ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return new Timestamp(SigV4.formatAmzDate(t), date, t);
    } catch (DateTimeParseException e) {
      throw new S3Exception(S3Error.ACCESS_DENIED, NO_DATE);
    }
  }

  /**
   * An Authorization scheme S3 does not know (a Bearer token...). S3 echoes the header in
   * {@code ArgumentValue}; Tarn does not: the value is a credential, and an error body ends up in
   * logs, proxies and bug reports. The name of the argument is enough to see what is wrong.
   */
  static S3Exception unsupportedScheme() {
    return new S3Exception(S3Error.INVALID_ARGUMENT, "Unsupported Authorization Type",
        Map.of("ArgumentName", "Authorization"));
  }

  private static S3Exception malformed(boolean query, String detail) {
    return query ? queryError(CREDENTIAL_PREFIX + detail) : headerMalformed(detail);
  }

  private static S3Exception headerMalformed(String detail) {
    return new S3Exception(S3Error.AUTHORIZATION_HEADER_MALFORMED, HEADER_PREFIX + detail);
  }

  static S3Exception queryError(String message) {
    return new S3Exception(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR, message);
  }
}
