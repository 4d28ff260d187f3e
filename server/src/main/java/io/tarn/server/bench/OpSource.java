package io.tarn.server.bench;

/** Makes the requests of one client. Used on that client's event loop only. */
interface OpSource {
  /** The next request, or null when this client has nothing more to do. */
  Op next();

  /** Told every successful response (LIST follows continuation tokens with it). */
  default void completed(Op op, String body) {}
}
