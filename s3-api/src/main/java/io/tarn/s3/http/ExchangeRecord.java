package io.tarn.s3.http;

/**
 * What one HTTP exchange was, told to {@link ExchangeListener#ended} once it is over. Holds no
 * secret: no header, no query string (a presigned URL's signature lives there), no body.
 *
 * @param requestId the {@code x-amz-request-id} the client was (or would have been) sent
 * @param startNanos {@link System#nanoTime()} when the request head arrived
 * @param endNanos {@link System#nanoTime()} when the response was written or the connection cut
 * @param startEpochMillis wall-clock time when the request head arrived
 * @param remoteAddress the client's IP address
 * @param accessKeyId the access key the request was signed with; null when anonymous or not (yet)
 *     authenticated (a request refused by its signature, or a console call made with a session
 *     cookie or bearer token, which Tarn's API layer resolves itself)
 * @param userId the canonical user id of that key's owner, or null with it
 * @param operation the S3 operation as AWS names it ({@code GetObject}, {@code PutObject}, ...); for
 *     requests under {@code /_tarn/}: {@code Health}, {@code Metrics}, {@code Admin} or {@code Console};
 *     {@code Unknown} when routing failed
 * @param bucket the bucket the operation names (decoded), or null
 * @param key the object key the operation names (decoded, untrusted text), or null
 * @param status the HTTP status sent; 0 when the connection was cut before any response
 * @param errorCode the S3 (or Tarn API) error code of an error response, or null
 * @param bytesIn request body bytes received
 * @param bytesOut response body bytes written (when {@code cut}: those known written; an event
 *     stream counts 0)
 * @param cut the connection closed before the response was whole
 */
public record ExchangeRecord(String requestId, long startNanos, long endNanos, long startEpochMillis,
    String remoteAddress, String accessKeyId, String userId, String operation, String bucket, String key,
    int status, String errorCode, long bytesIn, long bytesOut, boolean cut) {

  /** How long the exchange took, in nanoseconds. */
  public long durationNanos() {
    return endNanos - startNanos;
  }
}
