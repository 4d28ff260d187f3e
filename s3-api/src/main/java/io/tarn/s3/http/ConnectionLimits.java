package io.tarn.s3.http;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps on open connections, in total and per remote address, checked when a connection is
 * accepted and before it gets any handler: a connection over a cap costs no TLS handshake, no
 * codec and no exchange state, only its accept and close. Without a cap, a stranger holding
 * thousands of idle sockets takes every file descriptor, and the store then cannot open a blob.
 * One instance per listener, shared by its event loops.
 */
final class ConnectionLimits {
  private final int max;
  private final int perAddress;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

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
   * Counts the connection in, to be counted out when it closes, or returns false (and counts
   * nothing) when it is over a cap.
   */
  boolean admit(Channel ch) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      return false;
    }
    InetAddress address = perAddress > 0 ? remoteAddress(ch) : null;
    if (address != null && byAddress.merge(address, 1, Integer::sum) > perAddress) {
      release(address);
      return false;
    }
    ch.closeFuture().addListener(f -> release(address));
    return true;
  }

  private void release(InetAddress address) {
    if (address != null) {
      byAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }
    open.decrementAndGet();
  }

  /** Connections open now. */
  int open() {
    return open.get();
  }

  /** Connections open now from one address (counted only while a per-address cap is set). */
  int open(InetAddress address) {
    return byAddress.getOrDefault(address, 0);
  }

  private static InetAddress remoteAddress(Channel ch) {
    return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
  }
}
