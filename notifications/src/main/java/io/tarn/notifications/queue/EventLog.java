package io.tarn.notifications.queue;

import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The event logs and the rules' cursors in them. An event is staged as ONE record, its
 * {@link EventPayload} in its bucket's log ({@code EVENT_PAYLOADS}), however many rules it matched:
 * each rule follows the log with a {@link LogCursor} of its own and sends the first attempts of the
 * events that list it, so an upload that matches ten rules writes one entry, not ten. A rule that
 * keeps up reads the log's in-memory {@link LogTail}. An event's record is deleted in the batch that
 * records the last of its rules being done with it ({@link #advanceCursors}).
 */
final class EventLog {
  /** Most log entries one look at a rule's log reads (entries of other rules included). */
  private static final int LOG_READ = 256;
  /** Events the in-memory tails of the logs hold, per bucket and over all ({@link LogTail}). */
  private static final int TAIL_PER_BUCKET = 1024;
  private static final int TAIL_TOTAL = 8192;
  /** A tail no rule read for this long holds nothing until one comes near its head again. */
  private static final long TAIL_IDLE_NANOS = 1_000_000_000L;

  private final QueueState state;
  private final ConcurrentHashMap<String, LogTail> tails = new ConcurrentHashMap<>();
  private final AtomicInteger tailEvents = new AtomicInteger();

  EventLog(QueueState state) {
    this.state = state;
  }

  /**
   * Counts every rule's events after its cursor as pending, and deletes the events no existing rule
   * still needs: one pass over the log.
   */
  void load() {
    List<byte[]> unneeded = new ArrayList<>();
    state.walk(RecordTable.EVENT_PAYLOADS, new byte[0], null, e -> {
      EventPayload p = EventPayload.decode(e.value());
      boolean needed = false;
      for (UUID rule : p.rules()) {
        if (!state.ruleExists.test(rule)) {
          continue;
        }
        LogCursor c = state.cursors.computeIfAbsent(rule, r -> new LogCursor(r, p.bucket()));
        if (p.full().contains(rule)) {
          needed = true; // its queue_full letter
          c.letters.incrementAndGet();
        } else if (!c.isDone(p.sequence())) {
          needed = true;
          RuleCounters rc = state.counters(rule);
          rc.pending.incrementAndGet();
          rc.freshPending.incrementAndGet();
        }
      }
      if (!needed) {
        unneeded.add(e.key());
      }
      return true;
    });
    for (int i = 0; i < unneeded.size(); i += QueueState.PAGE) {
      List<byte[]> chunk = unneeded.subList(i, Math.min(unneeded.size(), i + QueueState.PAGE));
      state.records().write(b -> chunk.forEach(k -> b.delete(RecordTable.EVENT_PAYLOADS, k)));
    }
  }

  // ---- staging (EventSink, under an object key's lock: no I/O)

  /**
   * Stages an event for the rules of {@code payload}: ONE log entry, whatever the number of rules.
   * Each rule reads its first attempt there; for a rule whose backlog is at the cap the event is a
   * {@code queue_full} dead letter instead, kept in the same entry ({@link EventPayload#full}), so a
   * receiver that is down for days costs an upload nothing per rule either.
   */
  void stage(StagedEvents s, EventPayload payload) {
    Set<UUID> full = new HashSet<>();
    for (UUID rule : payload.rules()) {
      RuleCounters c = state.counters(rule);
      LogCursor lc = state.cursors.computeIfAbsent(rule, r -> new LogCursor(r, payload.bucket()));
      if (c.pending.incrementAndGet() > state.options.backlogCap()) {
        c.pending.decrementAndGet();
        full.add(rule);
        s.onCommit.add(() -> {
          c.queueFull();
          lc.letters.incrementAndGet();
        });
      } else {
        c.freshPending.incrementAndGet();
        s.reserved.add(c);
      }
    }
    EventPayload logged = payload.withFull(full);
    s.batch.put(RecordTable.EVENT_PAYLOADS, QueueKeys.payload(payload.bucket(), payload.sequencer()), logged.encode());
    if (full.size() < payload.rules().size()) {
      s.onCommit.add(() -> { // before its sequencer settles (EventSink.committed), as LogTail needs
        LogTail t = tails.get(payload.bucket());
        if (t != null) {
          t.add(logged);
        }
      });
    }
  }

  /**
   * The batch {@code s} staged into has committed.
   *
   * @return whether the dispatcher has anything new to do: false only when every first attempt this
   *     batch staged is for a rule whose receiver has no free send slot (behind a slow or dead
   *     receiver, waking it at every upload cost a pass per upload and a futex call in the uploader)
   */
  boolean committed(StagedEvents s) {
    if (!s.end()) {
      throw new IllegalStateException("this batch's outcome was already reported");
    }
    s.onCommit.forEach(Runnable::run);
    for (RuleCounters c : s.reserved) {
      if (!c.atCapacity) {
        return true;
      }
    }
    return false;
  }

  // ---- first attempts

  /**
   * Hands out up to {@code limit} first attempts of {@code rule} from its bucket's event log that were
   * not handed out before; they are outstanding until {@link Outcomes#completedAll} records them.
   *
   * <p>Sequencers are taken in order but committed in any order, so an event may appear in the log
   * after one with a higher sequencer. An event is handed out as soon as it is visible, but the read
   * position only moves past events below {@link RecordStore#eventsSettledBelow()} (nothing can
   * commit there any more): what lies after it is read again by the next call, skipping what is
   * outstanding or done.
   */
  Fresh fresh(UUID rule, String bucket, int limit) {
    LogCursor c = state.cursors.computeIfAbsent(rule, r -> new LogCursor(r, bucket));
    LogTail tail = tail(bucket);
    List<DeliveryRecord> out = new ArrayList<>();
    synchronized (c) {
      while (out.size() < limit && !c.resend.isEmpty()) {
        EventPayload p = c.outstanding.get(c.resend.poll());
        if (p != null) {
          out.add(p.firstAttempt(rule));
        }
      }
      if (out.size() >= limit) {
        return new Fresh(out, true);
      }
      LogRead read = new LogRead(c, state.records().eventsSettledBelow(), out, limit);
      // A rule that keeps up finds what comes next in memory; the log is read when it is further behind.
      List<EventPayload> recent = tail.after(Math.max(c.readPos, c.logReadTo - 1), LOG_READ);
      if (recent != null) {
        for (EventPayload p : recent) {
          if (read.take(p.sequence(), () -> p)) {
            return new Fresh(out, true);
          }
        }
        return recent.size() < LOG_READ ? read.end() : new Fresh(out, read.settling);
      }
      return readLog(c, read, out, limit);
    }
  }

  /** The part of {@link #fresh} that reads RocksDB; under the cursor's monitor. */
  private Fresh readLog(LogCursor c, LogRead read, List<DeliveryRecord> out, int limit) {
    byte[] after = c.readPos < 0 ? null : QueueKeys.payload(c.bucket, c.readPos);
    int examined = 0;
    while (examined < LOG_READ) {
      // Pages sized to what is wanted: a lane behind a slow receiver asks for one or two at a time,
      // and every entry read is a ~1 KiB value copied out of RocksDB.
      int want = Math.min(LOG_READ - examined, limit - out.size() + 8);
      List<RecordStore.Entry> page = state.records().scan(RecordTable.EVENT_PAYLOADS, QueueKeys.logPrefix(c.bucket),
          after, want);
      for (RecordStore.Entry e : page) {
        if (read.take(QueueKeys.sequenceOfPayload(e.key()), () -> EventPayload.decode(e.value()))) {
          return new Fresh(out, true);
        }
      }
      examined += page.size();
      if (page.size() < want) {
        return read.end();
      }
      after = page.get(page.size() - 1).key();
    }
    return new Fresh(out, read.settling);
  }

  /** One look at a rule's log, entry by entry in sequence order; under the cursor's monitor. */
  private static final class LogRead {
    private final LogCursor c;
    private final long settled;
    private final List<DeliveryRecord> out;
    private final int limit;
    /** Every entry so far is below {@link #settled}: the read position follows. */
    boolean settling = true;

    LogRead(LogCursor c, long settled, List<DeliveryRecord> out, int limit) {
      this.c = c;
      this.settled = settled;
      this.out = out;
      this.limit = limit;
    }

    /** Looks at the event {@code s}; whether the limit is reached. */
    boolean take(long s, Supplier<EventPayload> payload) {
      settling &= Long.compareUnsigned(s, settled) < 0;
      if (settling) {
        c.readPos = s;
      }
      if (c.isDone(s) || c.outstanding.containsKey(s)) {
        return false;
      }
      EventPayload p = payload.get();
      DeliveryRecord d = p.firstAttempt(c.rule);
      if (d == null) {
        return false;
      }
      c.outstanding.put(s, p);
      out.add(d);
      return out.size() >= limit;
    }

    /** The read reached the end of the log: nothing more is there now. */
    Fresh end() {
      if (settling && settled != Long.MAX_VALUE) {
        c.logReadTo = Math.max(c.logReadTo, settled); // every entry below it was looked at
      }
      return new Fresh(out, false);
    }
  }

  /**
   * The in-memory tail of {@code bucket}'s log, made on first use: visible to committing threads
   * before it is told where it starts ({@link LogTail#start}).
   */
  private LogTail tail(String bucket) {
    LogTail t = tails.get(bucket);
    if (t == null) {
      LogTail made = new LogTail(TAIL_PER_BUCKET, tailEvents, TAIL_TOTAL, TAIL_IDLE_NANOS);
      t = tails.putIfAbsent(bucket, made);
      if (t == null) {
        t = made;
        t.start(state.records().nextEventSequencer());
      }
    }
    return t;
  }

  /**
   * Adds to {@code out}, up to {@code limit} in all, the first attempts of {@code rule} still to be
   * made, in log order (diagnostics, tests).
   */
  void pendingFirstAttempts(UUID rule, List<DeliveryRecord> out, int limit) {
    LogCursor c = state.cursors.get(rule);
    if (c == null || out.size() >= limit) {
      return;
    }
    long from;
    synchronized (c) {
      from = c.cursor;
    }
    state.walkLog(c.bucket, from, p -> {
      DeliveryRecord d = p.firstAttempt(rule);
      boolean done;
      synchronized (c) {
        done = c.isDone(p.sequence());
      }
      if (d != null && !done) {
        out.add(d);
      }
      return out.size() < limit;
    });
  }

  // ---- outcomes of first attempts (the recorder, under the queue's lock)

  /** Whether {@code s} is outstanding for {@code c}, a cursor of {@code state.cursors} or null. */
  boolean isOutstanding(LogCursor c, long s) {
    synchronized (c == null ? state.lock : c) {
      return c != null && c.outstanding.containsKey(s);
    }
  }

  /** The outcomes of {@code completing} could not be recorded: hand those first attempts out again. */
  void resend(Map<LogCursor, Set<Long>> completing) {
    completing.forEach((c, seqs) -> {
      synchronized (c) {
        c.resend.addAll(seqs);
      }
    });
  }

  /**
   * Moves the cursors of the rules whose first attempts completed in this batch: past every event they
   * are now done with up to the first still outstanding; done events after that get a mark. An event
   * whose rules are all done with it is deleted.
   */
  void advanceCursors(RecordStore.Batch b, Map<LogCursor, Set<Long>> completing, List<Runnable> after) {
    Set<Long> deleted = new HashSet<>();
    for (Map.Entry<LogCursor, Set<Long>> e : completing.entrySet()) {
      LogCursor c = e.getKey();
      Set<Long> seqs = e.getValue();
      long next;
      List<Long> unmark = new ArrayList<>();
      Map<Long, EventPayload> events = new HashMap<>();
      synchronized (c) {
        next = c.cursorAfter(seqs);
        unmark.addAll(c.done.headSet(next, true));
        seqs.forEach(s -> events.put(s, c.outstanding.get(s)));
      }
      b.put(RecordTable.RULE_STATS, QueueKeys.cursor(c.rule), c.encode(next)); // also before the first mark
      unmark.forEach(s -> b.delete(RecordTable.RULE_STATS, QueueKeys.doneMark(c.rule, s)));
      for (long s : seqs) {
        if (s > next) {
          b.put(RecordTable.RULE_STATS, QueueKeys.doneMark(c.rule, s), QueueState.MARK);
        }
        deleteIfDone(b, c, s, events.get(s), completing, deleted, after);
      }
      after.add(() -> {
        synchronized (c) {
          seqs.forEach(s -> {
            c.outstanding.remove(s);
            if (s > next) {
              c.done.add(s);
            }
          });
          c.done.headSet(next, true).clear();
          c.cursor = Math.max(c.cursor, next);
        }
      });
    }
  }

  /** Deletes the event {@code s} (read as {@code p}) if no rule needs it once {@code completing} is recorded. */
  private void deleteIfDone(RecordStore.Batch b, LogCursor c, long s, EventPayload p,
      Map<LogCursor, Set<Long>> completing, Set<Long> deleted, List<Runnable> after) {
    if (!p.full().isEmpty()) {
      // Its letters may have been purged or redelivered since it was read: look at it as it is now.
      byte[] raw = state.records().get(RecordTable.EVENT_PAYLOADS, QueueKeys.payload(c.bucket, s));
      p = raw == null ? null : EventPayload.decode(raw);
    }
    if (p != null && !deleted.contains(s) && unneeded(p, completing)) {
      deleted.add(s);
      b.delete(RecordTable.EVENT_PAYLOADS, QueueKeys.payload(c.bucket, s));
      LogTail t = tails.get(c.bucket);
      if (t != null) {
        after.add(() -> t.remove(s));
      }
    }
  }

  /**
   * Whether no existing rule needs {@code p} any more: each is done with its first attempt (counting
   * what {@code completing} records now) and none has its {@code queue_full} letter there.
   */
  boolean unneeded(EventPayload p, Map<LogCursor, Set<Long>> completing) {
    long s = p.sequence();
    for (UUID other : p.rules()) {
      LogCursor oc = state.cursors.get(other);
      if (!state.ruleExists.test(other)) {
        continue;
      }
      if (oc == null || p.full().contains(other)) {
        return false;
      }
      boolean done;
      synchronized (oc) {
        done = oc.isDone(s);
      }
      Set<Long> now = completing.get(oc);
      if (!done && (now == null || !now.contains(s))) {
        return false;
      }
    }
    return true;
  }

  // ---- a rule's deletion

  /**
   * Deletes the events of the log of {@code c} (a deleted rule's cursor) that only that rule still
   * needed. From the start: its queue_full letters are before its cursor too. The rule is gone
   * already, so {@link #unneeded} no longer counts it.
   */
  void dropEventsOf(UUID rule, LogCursor c) {
    List<EventPayload> listing = new ArrayList<>();
    Runnable release = () -> {
      synchronized (state.lock) {
        List<EventPayload> free = listing.stream().filter(p -> unneeded(p, Map.of())).toList();
        if (!free.isEmpty()) {
          state.write(b -> free.forEach(p -> b.delete(RecordTable.EVENT_PAYLOADS, QueueKeys.payload(p.bucket(),
              p.sequencer()))));
        }
      }
      listing.clear();
    };
    state.walkLog(c.bucket, -1, p -> {
      if (p.rules().contains(rule)) {
        listing.add(p);
        if (listing.size() >= QueueState.PAGE) {
          release.run();
        }
      }
      return true;
    });
    release.run();
  }

  /** Retires the tail of {@code bucket}: its events may be a deleted rule's only (made again on use). */
  void retireTail(String bucket) {
    LogTail t = tails.remove(bucket);
    if (t != null) {
      t.retire();
    }
  }
}
