package io.tarn.s3.http;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Caps on open connections, in total and per remote address, checked when a connection is
 * accepted and before it gets any handler: a connection refused costs no TLS handshake, no codec
 * and no exchange state, only its accept and close. Without a cap, a stranger holding thousands of
 * idle sockets takes every file descriptor, and the store then cannot open a blob.
 *
 * <p><b>A full global cap evicts instead of refusing.</b> Refusing alone would let a stranger who
 * holds every place with trickling request heads lock everyone out until the head deadline. So
 * when every place is taken, the newcomer gets the place of the connection that has been waiting
 * longest for a request head: an idle keep-alive connection (waiting since its last response was
 * written) or one still sending a head (since it was accepted or since its last response). That
 * connection is closed without an answer, as a server may close an idle connection at any time
 * (RFC 9112 section 9.5); AWS documents no idle limit for S3, but in practice S3 closes keep-alive
 * connections after about 20 s idle, and SDKs take a new connection. A connection with a request in
 * progress (a body arriving, storage work, a response being written) is never evicted; only when
 * every connection has one is the newcomer refused. A stranger flooding new connections thus only
 * turns over the places that wait, oldest first, and a client whose head arrives gets served. The
 * per-address cap still refuses: one address may not take more places than it, by eviction or
 * otherwise.
 *
 * <p><b>Thread safety.</b> Connections live on different event loops and any loop may evict any
 * connection. Each connection's {@link Place} holds one atomic state: the number of its current
 * wait (from one counter, so numbers order waits by their start) while it waits for a head, or
 * busy, evicted or closed. Only the connection's own loop moves it between waiting and busy; an
 * evictor takes the lowest number from a skip list of waiting places and wins the place only by
 * a compare-and-set from exactly that number, so a place that a request has made busy, or that
 * began a newer wait, in between is never evicted by a stale entry (the evictor tries the next).
 * Adding, removing and taking the oldest are O(log n) in the waiting connections. One instance
 * per listener, shared by its event loops.
 */
final class ConnectionLimits {
  private static final long BUSY = -1;
  private static final long EVICTED = -2;
  private static final long CLOSED = -3;

  private final int max;
  private final int perAddress;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();
  private final AtomicLong waits = new AtomicLong();
  private final ConcurrentSkipListMap<Long, Place> waiting = new ConcurrentSkipListMap<>();
  private final LongAdder evictions = new LongAdder();

  /**
   * @param max connections open at once, at least 1
   * @param perAddress connections open at once from one remote address; 0 for no such cap
   */
  ConnectionLimits(int max, int perAddress) {
    if (max < 1 || perAddress < 0) {
      throw new IllegalArgumentException("connection caps must be positive: " + max + ", " + perAddress);
    }
    this.max = max;
    this.perAddress = perAddress;
  }

  /**
   * Admits a connection, evicting the longest-waiting one if every place is taken, or returns
   * null (and counts nothing) when it is over the per-address cap or no place can be freed. The
   * connection starts waiting for a head; the caller must report its close to
   * {@link Place#closed()}.
   *
   * @param address the remote address, or null if it has none (not counted per address)
   * @param close closes the connection; called from any thread if it is evicted
   */
  Place admit(InetAddress address, Runnable close) {
    InetAddress counted = perAddress > 0 ? address : null;
    // The per-address cap first: a newcomer that it refuses must not have evicted anyone.
    if (counted != null && byAddress.merge(counted, 1, Integer::sum) > perAddress) {
      releaseAddress(counted);
      return null;
    }
    if (!takeFreePlace() && !evictLongestWaiting()) {
      releaseAddress(counted);
      return null;
    }
    Place place = new Place(counted, close);
    place.waitForRequest();
    return place;
  }

  private boolean takeFreePlace() {
    int n;
    do {
      n = open.get();
      if (n >= max) {
        return false;
      }
    } while (!open.compareAndSet(n, n + 1));
    return true;
  }

  /** Closes the connection waiting longest for a head; its place passes to the caller. */
  private boolean evictLongestWaiting() {
    Map.Entry<Long, Place> oldest;
    while ((oldest = waiting.pollFirstEntry()) != null) {
      Place p = oldest.getValue();
      if (p.state.compareAndSet(oldest.getKey(), EVICTED)) {
        evictions.increment();
        p.close.run();
        return true;
      }
      // Stale: the place is busy since, waits under a newer number (also listed), or closed.
    }
    return false;
  }

  private void releaseAddress(InetAddress address) {
    if (address != null) {
      byAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }
  }

  /** Connections open now (an evicted one no longer counts: its place is the newcomer's). */
  int open() {
    return open.get();
  }

  /** Connections open now from one address (counted only while a per-address cap is set). */
  int open(InetAddress address) {
    return byAddress.getOrDefault(address, 0);
  }

  /** Connections that could be evicted now: waiting for a request head. */
  int waiting() {
    return waiting.size();
  }

  /** Connections evicted so far to admit another. */
  long evictions() {
    return evictions.sum();
  }

  /**
   * One admitted connection's place. {@link #requestStarted()} and {@link #waitForRequest()} are
   * called on the connection's event loop only; {@link #closed()} once, when it has closed.
   */
  final class Place {
    private final AtomicLong state = new AtomicLong(BUSY);
    private final InetAddress address;
    private final Runnable close;

    private Place(InetAddress address, Runnable close) {
      this.address = address;
      this.close = close;
    }

    /**
     * A request head arrived: the connection is busy and cannot be evicted until
     * {@link #waitForRequest()}. Returns false if it was evicted first: it is being closed, and
     * the request must be dropped unanswered.
     */
    boolean requestStarted() {
      long s = state.get();
      if (s < 0) {
        return s == BUSY;
      }
      if (!state.compareAndSet(s, BUSY)) {
        return false; // an evictor won the place
      }
      waiting.remove(s, this);
      return true;
    }

    /** The last response is written and nothing is pending: waits for a head, evictable. */
    void waitForRequest() {
      long seq = waits.getAndIncrement();
      // The state first: an evictor that finds the entry can then claim it.
      if (state.compareAndSet(BUSY, seq)) {
        waiting.put(seq, this);
      }
    }

    /** Whether this connection was evicted to admit another. */
    boolean evicted() {
      return state.get() == EVICTED;
    }

    /** The connection has closed: frees its place, unless an eviction already gave it away. */
    void closed() {
      long s = state.getAndSet(CLOSED);
      if (s == CLOSED) {
        return;
      }
      if (s >= 0) {
        waiting.remove(s, this);
      }
      if (s != EVICTED) {
        open.decrementAndGet();
      }
      releaseAddress(address);
    }
  }
}
