package io.tarn.s3.http;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.xml.ErrorResponse;

/**
 * The one renderer of S3 error documents
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses): every
 * failure, from HTTP decoding to unexpected exceptions, ends up here.
 */
public final class ErrorResponses {
  /** The x-amz-id-2 / HostId of this server process. */
  public static final String HOST_ID = java.util.Base64.getEncoder().encodeToString(io.tarn.core.Ids.randomBytes(24));

  private ErrorResponses() {}

  public static S3Response of(S3Exception e, String resource, String requestId) {
    if (e.error() == S3Error.NOT_MODIFIED) {
      return S3Response.status(304); // a 304 has no body (RFC 9110 section 15.4.5)
    }
    byte[] xml = ErrorResponse.of(e, resource, requestId, HOST_ID).toXml();
    S3Response r = S3Response.xml(e.error().httpStatus(), xml);
    if (e.error() == S3Error.METHOD_NOT_ALLOWED) {
      r.header("Allow", "GET, PUT, POST, DELETE, HEAD");
    }
    return r;
  }
}
