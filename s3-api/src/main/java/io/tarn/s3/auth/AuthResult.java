package io.tarn.s3.auth;

import io.tarn.core.AccessKey;
import io.tarn.core.Principal;
import java.time.Instant;

/**
 * An authenticated request.
 *
 * @param accessKey the key the request was signed with (its principal is the caller); null for an
 *     unsigned (anonymous) request
 * @param payloadMode how the body is protected
 * @param expectedSha256 lower-case hex SHA-256 the body must have when {@code payloadMode} is
 *     {@link PayloadMode#SHA256}; null otherwise
 * @param chunkSigning what {@link AwsChunkedDecoder} needs to verify chunk and trailer signatures
 * @param requestTime the signed request time
 * @param presigned whether the signature came from the query string
 */
public record AuthResult(
    AccessKey accessKey,
    PayloadMode payloadMode,
    String expectedSha256,
    ChunkSigning chunkSigning,
    Instant requestTime,
    boolean presigned) {

  /**
   * An unsigned request: its caller is {@link Principal#anonymous()}, which only what is granted to
   * everyone lets through (the Authorizer decides), and its body is protected by nothing.
   */
  public static AuthResult anonymous(Instant requestTime) {
    return new AuthResult(null, PayloadMode.UNSIGNED, null, null, requestTime, false);
  }

  /** The caller: the key's user, or {@link Principal#anonymous()} for an unsigned request (no key). */
  public Principal principal() {
    return accessKey == null ? Principal.anonymous() : accessKey.principal();
  }
}
