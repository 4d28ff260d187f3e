package io.tarn.s3.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.api.ApiResponse;
import io.tarn.s3.route.Router;
import io.tarn.storage.Segment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;

/**
 * What {@link S3HttpHandler}'s exchanges share that needs no connection: the common response
 * headers, releasing a response that will not be sent, turning a failure into an S3 error, telling a
 * client's failure from the server's. Static helpers, kept out of the handler so that it holds only
 * the exchange's state machine.
 */
final class Exchanges {
  private static final System.Logger LOG = System.getLogger(Exchanges.class.getName());

  private Exchanges() {}

  /** An unexpected exception becomes a 500 that keeps it as its cause, for {@link ServerErrorLog}. */
  static S3Exception toS3(Throwable t) {
    if (t instanceof S3Exception) {
      return (S3Exception) t;
    }
    return new S3Exception(S3Error.INTERNAL_ERROR, S3Error.INTERNAL_ERROR.defaultMessage(), Map.of(), t);
  }

  /**
   * Closes the file channels of a stream's segments from index {@code from} on (those never handed
   * to Netty, which closes the others with their FileRegion), and the content.
   */
  static void discard(S3Response.Stream s, int from) {
    List<Segment> segments = s.segments();
    for (int i = from; i < segments.size(); i++) {
      if (segments.get(i) instanceof Segment.FileSegment) {
        try {
          ((Segment.FileSegment) segments.get(i)).channel().close();
        } catch (IOException e) {
          LOG.log(System.Logger.Level.DEBUG, "closing a blob channel failed", e);
        }
      }
    }
    s.content().close();
  }

  /** Releases what a response that will not be sent holds (blob channels, an event stream). */
  static void release(S3Response r) {
    if (r.body() instanceof S3Response.Stream) {
      discard((S3Response.Stream) r.body(), 0);
    } else if (r.body() instanceof S3Response.Events e) {
      e.stream().close();
    }
  }

  static volatile String[] dateCache = {"", ""}; // {epoch second, formatted}

  /** The Date header value, formatted once per second rather than per response. */
  static String httpDateNow() {
    long now = System.currentTimeMillis() / 1000;
    String[] c = dateCache;
    if (!c[0].equals(Long.toString(now))) {
      c = new String[] {Long.toString(now), HttpDates.format(now)};
      dateCache = c;
    }
    return c[1];
  }

  /** The headers every response carries; {@code rawPath} null for an answer outside any request. */
  static void addCommonHeaders(S3Response r, String requestId, String rawPath) {
    addCommonHeaders(r, requestId);
    String path = rawPath;
    if (path != null && (path.equals(Router.CONSOLE_PREFIX) || path.startsWith(Router.CONSOLE_PREFIX + "/"))) {
      // Every response under /_tarn/, the front end's own errors (a bad signature, 503 SlowDown)
      // included, carries the console's security headers: the browser may render any of them.
      ApiResponse.SECURITY_HEADERS.forEach((name, value) -> r.headers().set(name, value));
    }
  }

  static void addCommonHeaders(S3Response r, String requestId) {
    r.headers().set("x-amz-request-id", requestId);
    r.headers().set("x-amz-id-2", ErrorResponses.HOST_ID);
    r.headers().set(HttpHeaderNames.DATE, httpDateNow());
    r.headers().set(HttpHeaderNames.SERVER, "Tarn");
  }

  static boolean isClientSide(Throwable cause) {
    Throwable root = rootCause(cause);
    return cause instanceof IOException || root instanceof IOException
        || root instanceof io.netty.handler.ssl.NotSslRecordException;
  }

  static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  static String sourceIp(SocketAddress a) {
    if (a instanceof InetSocketAddress) {
      return ((InetSocketAddress) a).getAddress().getHostAddress();
    }
    return String.valueOf(a);
  }
}
