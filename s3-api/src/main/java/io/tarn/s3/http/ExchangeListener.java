package io.tarn.s3.http;

import java.util.List;

/**
 * Told of every HTTP exchange the S3 listener serves (S3 and Tarn's own APIs under {@code /_tarn/}):
 * the access log and the request metrics are listeners. Both calls run on the connection's event
 * loop, so an implementation must not block (hand the record to a queue, bump a counter). Every
 * {@link #started} is followed by exactly one {@link #ended} for the same request id; a connection
 * that never completed a request head produces neither.
 */
public interface ExchangeListener {
  /** Listens to nothing: the HTTP layer then builds no records at all. */
  ExchangeListener NONE = r -> {};

  /** A request head arrived (before routing). Event loop; must not block. */
  default void started(RequestHead head) {}

  /** The exchange ended: its response was written (or the connection was cut). Event loop; must not block. */
  void ended(ExchangeRecord r);

  /** One listener telling all of {@code listeners}, in order; {@link #NONE} when there are none. */
  static ExchangeListener of(List<ExchangeListener> listeners) {
    List<ExchangeListener> all = listeners.stream().filter(l -> l != NONE).toList();
    if (all.isEmpty()) {
      return NONE;
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    ExchangeListener[] array = all.toArray(new ExchangeListener[0]);
    return new ExchangeListener() {
      @Override
      public void started(RequestHead head) {
        for (ExchangeListener l : array) {
          l.started(head);
        }
      }

      @Override
      public void ended(ExchangeRecord r) {
        for (ExchangeListener l : array) {
          l.ended(r);
        }
      }
    };
  }
}
