package io.tarn.server.bench;

import io.netty.handler.codec.http.HttpMethod;

/**
 * One request to make.
 *
 * @param path the URI-encoded path as sent (and signed)
 * @param query the encoded, sorted query as sent (and signed), or ""
 * @param body bytes of a body of its own (e.g. CreateBucket's), or null to send
 *     {@code bodyLength} bytes of the shared random payload
 * @param expectedLength the body length a successful response must have, or -1 if unknown
 * @param collect whether the response body is wanted (LIST pages), else it is dropped
 */
record Op(OpType type, HttpMethod method, String path, String query, byte[] body,
    long bodyLength, long expectedLength, boolean collect) {

  static Op put(String path, long length) {
    return new Op(OpType.PUT, HttpMethod.PUT, path, "", null, length, -1, false);
  }

  static Op get(String path, long expectedLength) {
    return new Op(OpType.GET, HttpMethod.GET, path, "", null, 0, expectedLength, false);
  }

  String uri() {
    return query.isEmpty() ? path : path + "?" + query;
  }
}
