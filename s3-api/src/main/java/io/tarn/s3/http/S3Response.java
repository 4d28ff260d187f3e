package io.tarn.s3.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tarn.storage.ObjectContent;
import io.tarn.storage.Segment;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A response ready to be written: status, headers and one of four body kinds. Built on a worker
 * thread, written on the channel's event loop.
 */
public final class S3Response {
  /** The body. */
  public sealed interface Body permits Empty, Bytes, Stream, Events {}

  /** No body (Content-Length 0, or a HEAD response whose Content-Length header is set by the handler). */
  public record Empty() implements Body {}

  /** A small in-memory body (XML documents). */
  public record Bytes(byte[] data) implements Body {}

  /**
   * Object bytes. {@code content} is closed after the segments are written (or on failure); the
   * segments' file channels are owned by the writer.
   */
  public record Stream(ObjectContent content, List<Segment> segments, long length) implements Body {}

  /** An open-ended stream of server-sent events ({@link EventStreamWriter}); the connection ends with it. */
  public record Events(io.tarn.core.api.ApiStream stream) implements Body {}

  private final HttpResponseStatus status;
  private final HttpHeaders headers = new DefaultHttpHeaders();
  private Body body = new Empty();
  private Throwable cause;

  private S3Response(HttpResponseStatus status) {
    this.status = status;
  }

  public static S3Response status(int code) {
    return new S3Response(HttpResponseStatus.valueOf(code));
  }

  public static S3Response ok() {
    return status(200);
  }

  public static S3Response noContent() {
    return status(204);
  }

  public static S3Response xml(int code, String xml) {
    S3Response r = status(code);
    r.headers.set("Content-Type", "application/xml");
    r.body = new Bytes(xml.getBytes(StandardCharsets.UTF_8));
    return r;
  }

  public static S3Response xml(int code, byte[] xml) {
    S3Response r = status(code);
    r.headers.set("Content-Type", "application/xml");
    r.body = new Bytes(xml);
    return r;
  }

  /** 200 with an XML document. */
  public static S3Response xml(io.tarn.s3.xml.XmlResponse doc) {
    return xml(200, doc.toXml());
  }

  public S3Response header(CharSequence name, Object value) {
    if (value != null) {
      headers.set(name, value);
    }
    return this;
  }

  public S3Response body(Body b) {
    this.body = b;
    return this;
  }

  /**
   * Records why this is an error response (the S3Exception rendered, or what a Tarn API caught), for
   * the one log line a 5xx gets ({@link ServerErrorLog}); never sent to the client.
   */
  public S3Response cause(Throwable t) {
    this.cause = t;
    return this;
  }

  public Throwable cause() {
    return cause;
  }

  public HttpResponseStatus status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers;
  }

  public Body body() {
    return body;
  }
}
