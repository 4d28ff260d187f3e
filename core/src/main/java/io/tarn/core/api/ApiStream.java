package io.tarn.core.api;

import java.util.function.BooleanSupplier;

/**
 * A response body that is an open-ended stream of chunks (a server-sent events tail) rather than
 * bytes known up front. The front end pulls: it calls {@link #poll} only while the connection can
 * take more (Netty's writability), so what waits for a slow client is bounded by the producer's own
 * queue, never by the socket's buffer. It sends a heartbeat on its own while nothing is ready, calls
 * {@link #stillAuthorized} periodically and ends the stream when that fails, and calls
 * {@link #close} exactly once when the stream ends for any reason (client gone, server stopping,
 * {@link #finished}). JDK types only: the S3 front end adapts it to Netty.
 */
public interface ApiStream {
  /** The next chunk to send, or null when none is ready now. Never blocks. */
  byte[] poll();

  /** Whether the stream has ended: nothing more will come once {@link #poll} returns null. */
  boolean finished();

  /**
   * Registers the callback to run (on any thread, possibly the publisher's: it must be cheap) when
   * {@link #poll} may return a chunk or the stream finished. Called once, before the first poll.
   */
  void onReady(Runnable wake);

  /**
   * Whether chunks are waiting in such number that sending them should not wait for more to batch with
   * (the stream would otherwise have to drop some). Cheap and thread-safe: asked on the publisher's
   * thread at each wake-up.
   */
  default boolean backlogged() {
    return false;
  }

  /**
   * Whether the caller still may read this stream (its session, key or token is still valid, its
   * access still granted). May block on storage: the front end calls it off the event loop.
   */
  boolean stillAuthorized();

  /** The stream ended: releases its resources. Idempotent. */
  void close();

  /** This stream, further requiring {@code check} in {@link #stillAuthorized} (e.g. the console's session). */
  default ApiStream alsoRequiring(BooleanSupplier check) {
    ApiStream inner = this;
    return new ApiStream() {
      @Override
      public byte[] poll() {
        return inner.poll();
      }

      @Override
      public boolean finished() {
        return inner.finished();
      }

      @Override
      public void onReady(Runnable wake) {
        inner.onReady(wake);
      }

      @Override
      public boolean backlogged() {
        return inner.backlogged();
      }

      @Override
      public boolean stillAuthorized() {
        return check.getAsBoolean() && inner.stillAuthorized();
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }
}
