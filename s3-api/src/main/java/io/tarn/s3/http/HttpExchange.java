package io.tarn.s3.http;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.tarn.core.S3Exception;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request and its response on a connection, as {@link S3HttpHandler} runs it. Fields are touched
 * on the connection's event loop unless noted.
 */
final class HttpExchange {
  final RequestHead head;
  final boolean keepAlive;
  final boolean hasBody;
  final boolean expectContinue;
  boolean continued; // 100 Continue was sent
  /** The request's tasks on the workers, one at a time and in order. */
  final SerialExecutor serial;
  final AtomicLong pendingBytes = new AtomicLong();
  String resource;
  volatile BodyConsumer consumer; // set and used on the worker
  boolean requestComplete;
  boolean responding;
  boolean failed; // the body is being discarded; the connection closes after the response
  boolean paused;
  boolean broken; // the HTTP decoder failed: it cannot find the next request, so the connection closes
  boolean written; // the response went out before the request ended; the exchange ends with the request
  boolean bodyFailed; // a blob failed after the head was sent: logged, the connection closes
  S3Dispatcher.Plan plan; // null until routed (or when routing failed)
  final long startNanos;
  final long startMillis;
  long bytesIn; // request body bytes received
  long blobBytesOut; // bytes of blob segments written (what a cut response is known to have sent)
  boolean ended; // the listener was told (exactly once)
  boolean counted; // counted in flight by the drain, until the exchange ends
  boolean probe; // a health probe: its 503 is an answer, not a fault to log

  /** @param timed whether to note when it started (someone listens to exchanges) */
  HttpExchange(RequestHead head, boolean timed, Executor workers) {
    this.head = head;
    this.serial = new SerialExecutor(workers);
    this.startNanos = timed ? System.nanoTime() : 0;
    this.startMillis = timed ? System.currentTimeMillis() : 0;
    HttpRequest req = head.request();
    this.keepAlive = HttpUtil.isKeepAlive(req);
    this.hasBody = S3HttpHandler.declaresBody(req);
    this.expectContinue = HttpUtil.is100ContinueExpected(req);
    this.resource = head.rawPath();
  }

  /** What an {@link ExchangeListener} is told of this exchange once it is over. */
  ExchangeRecord record(int status, Throwable cause, long bytesOut, boolean cut) {
    S3Dispatcher.Plan p = plan;
    String code = cause instanceof S3Exception ? ((S3Exception) cause).error().code() : null;
    return p == null
        ? new ExchangeRecord(head.requestId(), startNanos, System.nanoTime(), startMillis, head.sourceIp(),
            null, null, probe ? "Health" : "Unknown", null, null, status, code, bytesIn, bytesOut, cut)
        : new ExchangeRecord(head.requestId(), startNanos, System.nanoTime(), startMillis, head.sourceIp(),
            p.accessKeyId(), p.userId(), p.operation(), p.bucket(), p.key(), status, code, bytesIn, bytesOut, cut);
  }
}
