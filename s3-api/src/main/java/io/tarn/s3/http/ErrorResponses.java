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
    if (isConsolePath(resource)) {
      return json(e, requestId).cause(e);
    }
    byte[] xml = ErrorResponse.of(e, resource, requestId, HOST_ID).toXml();
    S3Response r = S3Response.xml(e.error().httpStatus(), xml).cause(e);
    if (e.error() == S3Error.METHOD_NOT_ALLOWED) {
      r.header("Allow", "GET, PUT, POST, DELETE, HEAD");
    }
    return r;
  }

  /** Tarn's own APIs under {@code /_tarn/} speak JSON, their failures included. */
  static boolean isConsolePath(String resource) {
    String prefix = io.tarn.s3.route.Router.CONSOLE_PREFIX;
    return resource != null && (resource.equals(prefix) || resource.startsWith(prefix + "/"));
  }

  private static S3Response json(S3Exception e, String requestId) {
    String body = "{\"error\":{\"code\":" + quote(e.error().code()) + ",\"message\":" + quote(e.getMessage())
        + ",\"requestId\":" + quote(requestId) + "}}";
    S3Response r = S3Response.status(e.error().httpStatus());
    r.header("Content-Type", "application/json");
    return r.body(new S3Response.Bytes(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static String quote(String s) {
    String body = s == null ? "" : new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s));
    return "\"" + body + "\"";
  }

}
