package io.tarn.notifications.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Bounds sends in flight overall and per host without blocking anyone: a send that finds no
 * permit waits in its host's queue and is started by whoever releases one. Hosts with work and a
 * free host permit take turns (round robin), so one slow receiver with a long backlog cannot starve
 * the others of the shared permits.
 */
final class SendLimiter {
  /** A queued send: {@code start} gets the release to call exactly once; {@code abort} on close. */
  record Waiter(Consumer<Runnable> start, Runnable abort) {}

  private static final class HostQueue {
    final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    int active;
  }

  private static final System.Logger LOG = System.getLogger(SendLimiter.class.getName());

  private record Start(String host, Waiter waiter) {}

  private final int maxTotal;
  private final int maxPerHost;
  private final Map<String, HostQueue> hosts = new HashMap<>();
  /** Hosts with a waiter and a free host permit, in turn order. */
  private final LinkedHashSet<String> ready = new LinkedHashSet<>();
  private int active;
  private boolean closed;

  SendLimiter(int maxTotal, int maxPerHost) {
    this.maxTotal = maxTotal;
    this.maxPerHost = maxPerHost;
  }

  /** Starts {@code waiter} now (on this thread) if permits allow, else later on a releasing thread. */
  void submit(String host, Waiter waiter) {
    List<Start> starts;
    boolean refused;
    synchronized (this) {
      refused = closed;
      if (refused) {
        starts = List.of();
      } else {
        HostQueue queue = hosts.computeIfAbsent(host, h -> new HostQueue());
        queue.waiting.add(waiter);
        if (queue.active < maxPerHost) {
          ready.add(host);
        }
        starts = drain();
      }
    }
    if (refused) {
      waiter.abort().run();
      return;
    }
    run(starts);
  }

  /** Sends in flight now. */
  synchronized int active() {
    return active;
  }

  /** Sends waiting for a permit now. */
  synchronized int waiting() {
    return hosts.values().stream().mapToInt(q -> q.waiting.size()).sum();
  }

  /** Refuses new sends and aborts the waiting ones (on this thread). */
  void close() {
    List<Waiter> aborted = new ArrayList<>();
    synchronized (this) {
      closed = true;
      hosts.values().forEach(q -> aborted.addAll(q.waiting));
      hosts.values().forEach(q -> q.waiting.clear());
      ready.clear();
    }
    aborted.forEach(w -> w.abort().run());
  }

  private void release(String host) {
    List<Start> starts;
    synchronized (this) {
      active--;
      HostQueue queue = hosts.get(host);
      queue.active--;
      if (!queue.waiting.isEmpty()) {
        ready.add(host);
      } else if (queue.active == 0) {
        hosts.remove(host);
      }
      starts = drain();
    }
    run(starts);
  }

  /** Takes permits for as many ready waiters as allowed; the caller starts them outside the lock. */
  private List<Start> drain() {
    List<Start> starts = new ArrayList<>();
    while (active < maxTotal && !ready.isEmpty()) {
      Iterator<String> it = ready.iterator();
      String host = it.next();
      it.remove();
      HostQueue queue = hosts.get(host);
      Waiter waiter = queue.waiting.poll();
      queue.active++;
      active++;
      if (!queue.waiting.isEmpty() && queue.active < maxPerHost) {
        ready.add(host); // back of the line: the next permit goes to another host first
      }
      starts.add(new Start(host, waiter));
    }
    return starts;
  }

  private void run(List<Start> starts) {
    for (Start s : starts) {
      AtomicBoolean released = new AtomicBoolean();
      Runnable release = () -> {
        if (released.compareAndSet(false, true)) {
          release(s.host());
        }
      };
      try {
        s.waiter().start().accept(release);
      } catch (RuntimeException e) {
        // A start that throws must not keep its permit forever, nor stop the others starting.
        LOG.log(System.Logger.Level.WARNING, "webhook send failed to start", e);
        release.run();
      }
    }
  }
}
