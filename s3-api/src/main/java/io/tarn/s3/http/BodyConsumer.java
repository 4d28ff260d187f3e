package io.tarn.s3.http;

import io.netty.buffer.ByteBuf;

/**
 * Consumes one request's body and produces its response. All calls come from a worker thread, one
 * at a time and in order: never on the event loop, so implementations may block on disk.
 */
public interface BodyConsumer {
  /** A slice of the raw request body. The buffer is released by the caller after this returns. */
  void onContent(ByteBuf content);

  /** The body ended; returns the response. */
  S3Response onEnd();

  /** The exchange failed or the connection dropped; release resources. Idempotent. */
  void onAbort();

  /** A consumer for requests without a meaningful body: ignores content, then runs {@code action}. */
  static BodyConsumer noBody(java.util.function.Supplier<S3Response> action) {
    return new BodyConsumer() {
      @Override
      public void onContent(ByteBuf content) {}

      @Override
      public S3Response onEnd() {
        return action.get();
      }

      @Override
      public void onAbort() {}
    };
  }
}
