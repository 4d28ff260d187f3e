package io.tarn.s3.auth;

/**
 * What verifying aws-chunked chunk and trailer signatures needs, from the authenticated request.
 *
 * @param signingKey the derived key (shared with the key cache: never modify it)
 * @param amzDate the request timestamp, {@code yyyyMMdd'T'HHmmss'Z'}
 * @param scope {@code date/region/s3/aws4_request}
 * @param seedSignature the request's own signature, which the first chunk's signature chains from
 */
public record ChunkSigning(byte[] signingKey, String amzDate, String scope, String seedSignature) {
  @Override
  public String toString() {
    return "ChunkSigning[" + amzDate + ' ' + scope + ']'; // never print the key
  }
}
