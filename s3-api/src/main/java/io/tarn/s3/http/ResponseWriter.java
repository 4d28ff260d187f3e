package io.tarn.s3.http;

import static io.tarn.s3.http.Exchanges.discard;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.tarn.storage.Segment;
import java.util.concurrent.Executor;

/**
 * Writes a response's head and body (not an event stream) on the event loop: bytes in one message,
 * an object's segments as file regions (zero-copy on plain HTTP without verification) or chunks read
 * on the workers, or the head alone (HEAD, 204, 304, and bodiless answers).
 */
final class ResponseWriter {
  /**
   * Bytes per chunk of a blob read off the event loop (TLS, verified reads: two 64 KiB checksum
   * blocks); a download holds at most two. 512 KiB chunks made no measurable difference to a 64 MiB
   * GET (bench/verify-bench.sh), so memory per download stays small.
   */
  static final int CHUNK = 128 << 10;

  /** Told when each blob segment's write ended, successfully or not. */
  interface BlobWritten {
    void ended(ChannelFuture write, long length);
  }

  /**
   * @param done completes when the last byte is written (or the write failed)
   * @param bodyBytes the body's length as sent in Content-Length (0 without a body)
   */
  record Written(ChannelFuture done, long bodyBytes) {}

  private ResponseWriter() {}

  /**
   * Writes {@code r} (its common headers set) and flushes.
   *
   * @param head whether it answers a HEAD request (the head alone, with the body's length)
   * @param tls whether the connection is encrypted (no zero-copy file regions then)
   */
  static Written write(ChannelHandlerContext ctx, S3Response r, boolean head, boolean tls, Executor workers,
      BlobWritten onBlob) {
    ChannelFuture done;
    S3Response.Body body = r.body();
    long bodyBytes = 0;
    if (body instanceof S3Response.Bytes && !head) {
      byte[] data = ((S3Response.Bytes) body).data();
      bodyBytes = data.length;
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, data.length);
      done = ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), Unpooled.wrappedBuffer(data), r.headers(),
          EmptyHttpHeaders.INSTANCE));
    } else if (body instanceof S3Response.Stream && !head) {
      S3Response.Stream s = (S3Response.Stream) body;
      bodyBytes = s.length();
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, s.length());
      ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, r.status(), r.headers()));
      ChunkedWriteHandler chunked = ctx.pipeline().get(ChunkedWriteHandler.class);
      // Netty owns (and closes) each segment's channel from here on.
      for (Segment seg : s.segments()) {
        if (seg instanceof Segment.FileSegment) {
          Segment.FileSegment f = (Segment.FileSegment) seg;
          // TLS needs the bytes in the JVM, verified reads need to check them first; both read on a
          // worker, never on the event loop. Verified plain HTTP then sends each verified span
          // zero-copy (OffLoopChunkedFile); unverified plain HTTP sends the file zero-copy at once.
          Object region = tls || f.check() != null
              ? new OffLoopChunkedFile(f.channel(), f.position(), f.length(), CHUNK, f.check(), !tls && f.check() != null,
                  workers, chunked::resumeTransfer)
              : new BlobRegion(f.channel(), f.position(), f.length());
          ctx.write(region).addListener((ChannelFutureListener) w -> onBlob.ended(w, f.length()));
        } else {
          Segment.BytesSegment b = (Segment.BytesSegment) seg;
          ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(b.data(), b.offset(), b.count())));
        }
      }
      done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      done.addListener(f -> s.content().close());
    } else {
      // RFC 9110 sections 8.6 and 15.4.5: no Content-Length on a 204, nor a made-up one on a 304.
      int code = r.status().code();
      if (!r.headers().contains(HttpHeaderNames.CONTENT_LENGTH) && code != 204 && code != 304) {
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body instanceof S3Response.Bytes ? ((S3Response.Bytes) body).data().length : 0);
      }
      if (body instanceof S3Response.Stream) {
        discard((S3Response.Stream) body, 0);
      }
      ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, r.status(), r.headers()));
      done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    return new Written(done, bodyBytes);
  }
}
