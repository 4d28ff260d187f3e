package io.tarn.s3.http;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.util.Map;

/**
 * The one renderer of S3 error documents
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses): every
 * failure, from HTTP decoding to unexpected exceptions, ends up here.
 */
public final class ErrorResponses {
  private ErrorResponses() {}

  public static S3Response of(S3Exception e, String resource, String requestId) {
    if (e.error() == S3Error.NOT_MODIFIED) {
      return S3Response.status(304); // a 304 has no body (RFC 9110 section 15.4.5)
    }
    StringBuilder xml = new StringBuilder(256);
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>")
        .append(e.error().code())
        .append("</Code><Message>");
    escape(xml, e.getMessage());
    xml.append("</Message>");
    for (Map.Entry<String, String> x : e.extra().entrySet()) {
      xml.append('<').append(x.getKey()).append('>');
      escape(xml, x.getValue());
      xml.append("</").append(x.getKey()).append('>');
    }
    xml.append("<Resource>");
    escape(xml, resource == null ? "" : resource);
    xml.append("</Resource><RequestId>").append(requestId).append("</RequestId></Error>");
    S3Response r = S3Response.xml(e.error().httpStatus(), xml.toString());
    if (e.error() == S3Error.METHOD_NOT_ALLOWED) {
      r.header("Allow", "GET, PUT, POST, DELETE, HEAD");
    }
    return r;
  }

  /** Escapes text for XML element content; drops characters XML 1.0 cannot carry. */
  public static void escape(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<':
          out.append("&lt;");
          break;
        case '>':
          out.append("&gt;");
          break;
        case '&':
          out.append("&amp;");
          break;
        case '"':
          out.append("&quot;");
          break;
        case '\'':
          out.append("&apos;");
          break;
        default:
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          } else {
            out.append("&#").append((int) c).append(';');
          }
      }
    }
  }
}
