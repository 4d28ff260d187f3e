package io.tarn.server.bench;

import io.tarn.s3.auth.SigV4;

/**
 * Signs one benchmark request. The driver always signs the same three headers ({@code host},
 * {@code x-amz-content-sha256}, {@code x-amz-date}) with an UNSIGNED-PAYLOAD body, so a body is
 * never hashed, and it builds its paths and queries in canonical form, so what is signed is what
 * is sent. The whole interface is this one method so the signing itself stays in one place
 * ({@link SigV4Signer}, over s3-api's {@code SigV4}). Implementations are thread-safe.
 */
interface RequestSigner {
  /** The {@code x-amz-content-sha256} value the driver sends, so the body need not be hashed. */
  String UNSIGNED_PAYLOAD = SigV4.UNSIGNED_PAYLOAD;

  /**
   * @param canonicalPath the URI-encoded path, exactly as on the request line
   * @param canonicalQuery the encoded, sorted query as on the request line, or ""
   * @param host the Host header value
   * @param amzDate the x-amz-date value, {@code yyyyMMdd'T'HHmmss'Z'}
   * @return the Authorization header value
   */
  String authorization(
      String method, String canonicalPath, String canonicalQuery, String host, String amzDate);
}
