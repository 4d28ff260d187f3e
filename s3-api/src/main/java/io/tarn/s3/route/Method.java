package io.tarn.s3.route;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;

/** The HTTP methods of the S3 REST operations Tarn serves. */
enum Method {
  GET,
  HEAD,
  PUT,
  POST,
  DELETE;

  /** Whether the method only reads (GET, HEAD). */
  boolean isRead() {
    return this == GET || this == HEAD;
  }

  /**
   * Parses a method name (case-sensitive, RFC 9110 9.1). OPTIONS is S3's CORS preflight, which Tarn
   * does not implement; any other method is not allowed.
   */
  static Method of(String name) {
    if (name != null) {
      for (Method m : values()) {
        if (m.name().equals(name)) {
          return m;
        }
      }
      if (name.equals("OPTIONS")) {
        throw new S3Exception(S3Error.NOT_IMPLEMENTED, "CORS (OPTIONS requests) is not implemented.");
      }
    }
    throw new S3Exception(S3Error.METHOD_NOT_ALLOWED);
  }
}
