package io.tarn.s3.http;

import io.tarn.core.S3Exception;
import java.lang.System.Logger.Level;

/**
 * The one place where server-side failures are logged: every response with a 5xx status, once, and
 * every response that failed after its head was sent. A line names the request id (the
 * {@code x-amz-request-id} the client saw), the method, the path without its query (a presigned
 * URL's query holds its signature), the status, the S3 error code and the cause. Request headers
 * (Authorization) and query parameters are never logged.
 *
 * <p>Levels: a 500 is a fault of this server and is logged at ERROR, with the stack trace when it
 * has an underlying exception; a 503 (SlowDown, ServiceUnavailable) is load shedding the client is
 * told to retry, and a 501 (NotImplemented) answers a feature this server lacks: both are expected,
 * anyone can provoke them, so they get one line at WARNING and INFO, never a stack trace. A 507
 * (StorageFull) is the disk, not a bug: one line at WARNING with the storage message (free bytes,
 * floor, the file that met ENOSPC), no stack trace. Client mistakes are 4xx and are not logged at all.
 */
final class ServerErrorLog {
  private static final System.Logger LOG = System.getLogger(ServerErrorLog.class.getName());

  private ServerErrorLog() {}

  /** Logs {@code r} if it is a 5xx; called once per response, just before it is written. */
  static void response(RequestHead head, S3Response r) {
    int status = r.status().code();
    if (status < 500) {
      return;
    }
    Throwable cause = r.cause();
    String code = cause instanceof S3Exception ? " " + ((S3Exception) cause).error().code() : "";
    String line = describe(head) + " -> " + status + code + ": " + summary(cause);
    if (status != 501 && status != 503 && status != 507) {
      Throwable trace = hasTrace(cause) ? cause : null;
      LOG.log(Level.ERROR, line, trace);
    } else {
      LOG.log(status == 501 ? Level.INFO : Level.WARNING, line);
    }
  }

  /**
   * Logs a response whose head (status {@code status}) went out but whose body could not be sent
   * completely because of this server (e.g. a blob file shorter than its record says): the client
   * sees the connection close before Content-Length bytes, never a silent short 200.
   */
  static void afterHead(RequestHead head, int status, Throwable cause) {
    LOG.log(Level.ERROR, describe(head) + " -> " + status + " aborted after the response head was sent,"
        + " connection closed: " + summary(cause), cause);
  }

  private static String describe(RequestHead head) {
    // rawPath() excludes the query: X-Amz-Signature / Signature and the credential live there.
    return "request " + head.requestId() + " " + head.method() + " " + head.rawPath();
  }

  private static String summary(Throwable cause) {
    if (cause == null) {
      return "(no cause recorded)";
    }
    Throwable root = cause instanceof S3Exception && cause.getCause() != null ? cause.getCause() : cause;
    String message = root.getMessage();
    return root instanceof S3Exception ? message : root.getClass().getName() + (message == null ? "" : ": " + message);
  }

  /** An S3 error raised on purpose carries no stack (S3Exception); an underlying exception does. */
  private static boolean hasTrace(Throwable cause) {
    return cause != null && (!(cause instanceof S3Exception) || cause.getCause() != null);
  }
}
