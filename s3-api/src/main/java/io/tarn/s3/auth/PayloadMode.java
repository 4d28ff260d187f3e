package io.tarn.s3.auth;

/**
 * How the body of a request is protected, from its {@code x-amz-content-sha256} header
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html).
 */
public enum PayloadMode {
  /** A hex SHA-256 of the body: the caller must hash the body and compare (XAmzContentSHA256Mismatch). */
  SHA256(null, false, false, false),
  /** {@code UNSIGNED-PAYLOAD}: the body is not covered by the signature. */
  UNSIGNED("UNSIGNED-PAYLOAD", false, false, false),
  /** aws-chunked body, every chunk signed. */
  STREAMING_SIGNED("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", true, true, false),
  /** aws-chunked body, chunks unsigned, trailing checksum. */
  STREAMING_UNSIGNED_TRAILER("STREAMING-UNSIGNED-PAYLOAD-TRAILER", true, false, true),
  /** aws-chunked body, chunks and trailer signed. */
  STREAMING_SIGNED_TRAILER("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", true, true, true);

  private final String headerValue;
  private final boolean streaming;
  private final boolean signedChunks;
  private final boolean trailer;

  PayloadMode(String headerValue, boolean streaming, boolean signedChunks, boolean trailer) {
    this.headerValue = headerValue;
    this.streaming = streaming;
    this.signedChunks = signedChunks;
    this.trailer = trailer;
  }

  /** The literal header value, or null for {@link #SHA256} (whose value is the hash itself). */
  public String headerValue() {
    return headerValue;
  }

  /** Whether the body is aws-chunked and must go through {@link AwsChunkedDecoder}. */
  public boolean streaming() {
    return streaming;
  }

  public boolean signedChunks() {
    return signedChunks;
  }

  /** Whether trailing headers follow the last chunk. */
  public boolean trailer() {
    return trailer;
  }

  /** The mode for a literal header value, or null (a hex hash is {@link #SHA256}, tested apart). */
  static PayloadMode ofLiteral(String value) {
    for (PayloadMode m : values()) {
      if (m.headerValue != null && m.headerValue.equals(value)) {
        return m;
      }
    }
    return null;
  }
}
