package io.tarn.notifications.delivery;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Idle kept-alive connections, by where they go. The key holds the checked address, not the name,
 * so a connection is only reused for an address that passed this attempt's check; and the Host
 * header, so two names on one address never share a connection (nor a TLS session).
 */
final class ConnectionPool {
  /** Where a connection goes. */
  record Key(boolean https, InetAddress address, int port, String hostHeader) {}

  private final int maxIdlePerKey;
  private final Map<Key, ArrayDeque<Channel>> idle = new HashMap<>();
  private boolean closed;

  ConnectionPool(int maxIdlePerKey) {
    this.maxIdlePerKey = maxIdlePerKey;
  }

  /** An open idle connection for {@code key}, the most recently used first; null if none. */
  synchronized Channel poll(Key key) {
    ArrayDeque<Channel> channels = idle.get(key);
    while (channels != null && !channels.isEmpty()) {
      Channel ch = channels.pollLast();
      if (ch.isActive()) {
        return ch;
      }
    }
    idle.remove(key);
    return null;
  }

  /** Keeps {@code ch} for reuse, or closes it when the pool is closed or full. */
  void offer(Key key, Channel ch) {
    boolean kept;
    synchronized (this) {
      ArrayDeque<Channel> channels = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
      kept = !closed && ch.isActive() && channels.size() < maxIdlePerKey;
      if (kept) {
        channels.addLast(ch);
      }
    }
    if (!kept) {
      ch.close();
    }
  }

  /** Forgets {@code ch} (it closed). */
  synchronized void remove(Key key, Channel ch) {
    ArrayDeque<Channel> channels = idle.get(key);
    if (channels != null && channels.remove(ch) && channels.isEmpty()) {
      idle.remove(key);
    }
  }

  synchronized int idleCount() {
    return idle.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  /** Closes every idle connection; later offers close theirs. */
  void close() {
    List<Channel> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(all::addAll);
      idle.clear();
    }
    all.forEach(Channel::close);
  }
}
