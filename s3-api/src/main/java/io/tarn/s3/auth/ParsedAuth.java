package io.tarn.s3.auth;

import java.time.Instant;
import java.util.List;

/**
 * The SigV4 fields of a request, from its Authorization header or its presigned query, parsed and
 * checked for shape, scope and region, not yet for truth.
 *
 * @param accessKeyId the credential's key id
 * @param date the credential's date, {@code yyyyMMdd}
 * @param signedHeaders lower-case header names, in the order given
 * @param signature the signature provided, lower-case hex
 * @param amzDate the request timestamp as signed, {@code yyyyMMdd'T'HHmmss'Z'}
 * @param rawTime the timestamp as the client sent it (for error messages)
 * @param time the request timestamp
 * @param expiresSeconds presigned lifetime; -1 for header authentication
 * @param securityToken a session token the client sent, or null
 */
record ParsedAuth(
    String accessKeyId,
    String date,
    List<String> signedHeaders,
    String signature,
    String amzDate,
    String rawTime,
    Instant time,
    long expiresSeconds,
    String securityToken) {

  boolean presigned() {
    return expiresSeconds >= 0;
  }

  String signedHeadersLine() {
    return String.join(";", signedHeaders);
  }
}
