package io.tarn.notifications.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The newest events of one bucket's log, in memory as they commit, so that a rule that keeps up takes
 * its next events from here instead of reading the log (a RocksDB iterator, a value copy and a decode
 * per event). It holds every event of the bucket that committed with a sequence from {@link #from} on,
 * except those deleted from the log since; a rule whose read position is before that reads the log.
 *
 * <p>Made before it is {@link #start}ed: committing threads add to it once it is visible to them, and
 * start sets {@link #from} to the next sequencer not yet taken ({@code RecordStore.nextEventSequencer}),
 * so every event from there on is staged, and told as committed, after the tail was visible. Committing
 * threads add an event before its sequencer settles ({@code EventSink.committed}), so a reader that
 * passed the settled bound finds every event from {@link #from} up to it here.
 *
 * <p>Bounded: past {@code perBucket} events, or when all tails together hold {@code total}, the oldest
 * is dropped and {@link #from} moves past it (a rule that far behind reads the log again). When no
 * rule has read here for {@code idleNanos} (all of the bucket's rules are far behind, say behind a
 * receiver that is down) it holds nothing: the uploads then only move {@link #from}, until a rule
 * that has read the log as far as where the tail stopped holding asks again.
 * Guarded by its own monitor.
 */
final class LogTail {
  private final TreeMap<Long, EventPayload> events = new TreeMap<>();
  private final int perBucket;
  private final AtomicInteger total;
  private final int totalCap;
  private long from = Long.MIN_VALUE;
  private boolean started;
  private boolean retired;
  /** When a reader last found its events here, or was past where the tail stopped holding them. */
  private long lastRead;
  /** While idle: {@link #from} when it stopped holding events; else {@code Long.MAX_VALUE}. */
  private long idleFrom = Long.MAX_VALUE;

  private final long idleNanos;

  /** @param total the number of events all tails hold, shared */
  LogTail(int perBucket, AtomicInteger total, int totalCap, long idleNanos) {
    this.idleNanos = idleNanos;
    this.perBucket = perBucket;
    this.total = total;
    this.totalCap = totalCap;
  }

  /**
   * From now on complete from {@code next} on, the next event sequencer not yet taken. A store that
   * does not say ({@code Long.MAX_VALUE}) leaves the tail unused.
   */
  synchronized void start(long next) {
    from = Math.max(from, next);
    started = next != Long.MAX_VALUE && !retired;
    lastRead = System.nanoTime();
    Map<Long, EventPayload> below = events.headMap(from, false);
    total.addAndGet(-below.size());
    below.clear();
  }

  /** A committed event (sequences below {@link #from} are ignored: the log has them). */
  synchronized void add(EventPayload p) {
    long s = p.sequence();
    if (retired || s < from) {
      return;
    }
    if (started && System.nanoTime() - lastRead > idleNanos) {
      if (idleFrom == Long.MAX_VALUE) {
        idleFrom = from;
      }
      drop();
      from = s + 1;
      return;
    }
    while (!events.isEmpty() && (events.size() >= perBucket || total.get() >= totalCap)) {
      Map.Entry<Long, EventPayload> oldest = events.pollFirstEntry();
      total.decrementAndGet();
      from = Math.max(from, oldest.getKey() + 1);
    }
    if (s >= from && events.put(s, p) == null) {
      total.incrementAndGet();
    }
  }

  /** An event deleted from the log. */
  synchronized void remove(long sequence) {
    if (events.remove(sequence) != null) {
      total.decrementAndGet();
    }
  }

  /**
   * Up to {@code max} events after {@code after} in sequence order, or null when this tail may not
   * hold all of them (some are older than {@link #from}: read the log).
   */
  synchronized List<EventPayload> after(long after, int max) {
    if (!started) {
      return null;
    }
    if (after + 1 >= Math.min(from, idleFrom)) {
      lastRead = System.nanoTime(); // a reader near the head: hold events (again)
      idleFrom = Long.MAX_VALUE;
    }
    if (after + 1 < from) {
      return null;
    }
    List<EventPayload> out = new ArrayList<>(Math.min(max, events.size()));
    for (EventPayload p : events.tailMap(after, false).values()) {
      if (out.size() >= max) {
        break;
      }
      out.add(p);
    }
    return out;
  }

  /**
   * Drops the events and is never used again (no longer in the map of tails, it would miss events
   * that commit from now on: a reader holding it must read the log).
   */
  synchronized void retire() {
    retired = true;
    started = false;
    drop();
  }

  private void drop() {
    total.addAndGet(-events.size());
    events.clear();
  }
}
