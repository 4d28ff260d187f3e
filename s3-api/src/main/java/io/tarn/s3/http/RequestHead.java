package io.tarn.s3.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The start of a request: what routing and authentication see before any body byte is read.
 *
 * @param requestId the id returned in {@code x-amz-request-id}
 * @param request the Netty request head
 * @param sourceIp the client's address
 * @param tls whether the connection is TLS (Tarn's own APIs need it: the console cookie's
 *     {@code Secure} flag and the browser origin check)
 */
public record RequestHead(String requestId, HttpRequest request, String sourceIp, boolean tls) {
  /** A request over plain HTTP. */
  public RequestHead(String requestId, HttpRequest request, String sourceIp) {
    this(requestId, request, sourceIp, false);
  }

  public HttpMethod method() {
    return request.method();
  }

  public String uri() {
    return request.uri();
  }

  public HttpHeaders headers() {
    return request.headers();
  }

  /** The path part of the request target, raw (still percent-encoded). */
  public String rawPath() {
    String uri = request.uri();
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** The raw query string, or {@code null}. */
  public String rawQuery() {
    String uri = request.uri();
    int q = uri.indexOf('?');
    return q < 0 ? null : uri.substring(q + 1);
  }
}
