package io.tarn.notifications.queue;

import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.Page;
import io.tarn.notifications.RuleStats;
import io.tarn.notifications.WebhookException;
import io.tarn.notifications.delivery.SendResult;
import io.tarn.notifications.rules.Format;
import io.tarn.storage.EventSink;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The durable delivery queue. An event is staged as ONE record, its {@link EventPayload} in its
 * bucket's event log ({@code EVENT_PAYLOADS}), however many rules it matched: each rule follows the log
 * with a {@link LogCursor} of its own and sends the first attempts of the events that list it, so an
 * upload that matches ten rules writes one entry, not ten. Deliveries that need a record of their own
 * (retries, redeliveries, test events) are in {@code DELIVERIES} with an entry in the per-rule due
 * index {@code DUE}. Besides: the attempt log ({@code ATTEMPTS}), dead letters ({@code DEAD_LETTERS})
 * and per-rule figures, cursors and done marks ({@code RULE_STATS}); key layouts in {@link QueueKeys}.
 * An event's record is deleted in the batch that records the last of its rules being done with it.
 *
 * <p>New events are staged into a mutation's batch ({@link #stage}); everything else is written in
 * this class's own batches. Operations that read a record and then rewrite it run under one lock, so
 * an attempt's outcome, a redelivery and a rule's deletion never interleave on one record.
 */
public final class DeliveryQueue {
  private static final System.Logger LOG = System.getLogger(DeliveryQueue.class.getName());
  private static final int PAGE = 1000;
  private static final byte[] MARK = {1};
  /** Due-entry values of builds before the event log: a first attempt whose body was the payload's. */
  private static final byte LEGACY_FRESH_S3 = 2;
  private static final byte LEGACY_FRESH_COMPACT = 3;
  private static final int MAX_ERROR_CHARS = 300;
  /** Most log entries one look at a rule's log reads (entries of other rules included). */
  private static final int LOG_READ = 256;
  /** Events the in-memory tails of the logs hold, per bucket and over all ({@link LogTail}). */
  private static final int TAIL_PER_BUCKET = 1024;
  private static final int TAIL_TOTAL = 8192;
  /** A tail no rule read for this long holds nothing until one comes near its head again. */
  private static final long TAIL_IDLE_NANOS = 1_000_000_000L;

  private final Clock clock;
  private final DeliveryOptions options;
  private final Predicate<UUID> ruleExists;
  private final ConcurrentHashMap<UUID, RuleCounters> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<UUID, LogCursor> cursors = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LogTail> tails = new ConcurrentHashMap<>();
  private final AtomicInteger tailEvents = new AtomicInteger();
  /**
   * What the current thread staged into the batch it is building: pending counts are reserved at
   * stage time (so the cap holds under concurrent writers) and released if that batch never commits;
   * figures are counted when it does ({@link #committed}).
   */
  private final ThreadLocal<Staged> staged = new ThreadLocal<>();
  private final Object lock = new Object();
  private volatile RecordStore records;

  /**
   * @param ruleExists whether a rule still exists: outcomes of attempts of deleted rules are dropped
   */
  public DeliveryQueue(Clock clock, DeliveryOptions options, Predicate<UUID> ruleExists) {
    this.clock = clock;
    this.options = options;
    this.ruleExists = ruleExists;
  }

  private static final class Staged {
    final Object batch;
    final List<RuleCounters> reserved = new ArrayList<>();
    final List<Runnable> onCommit = new ArrayList<>();

    Staged(Object batch) {
      this.batch = batch;
    }

    void release() {
      reserved.forEach(c -> {
        c.pending.decrementAndGet();
        c.freshPending.decrementAndGet();
      });
    }
  }

  // ---- start

  /**
   * Upgrades a queue of an older build, rebuilds pending counts from the due index and the event log,
   * restores figures and cursors, and deletes what belongs to rules that no longer exist (left behind
   * by a rule deleted while an event for it was being committed).
   */
  public void load(RecordStore store) {
    this.records = store;
    Set<UUID> orphans = new HashSet<>();
    walk(RecordTable.DUE, new byte[0], null, e -> {
      UUID rule = QueueKeys.ruleOf(e.key());
      if (rule != null) {
        counters(rule).pending.incrementAndGet();
        orphans.add(rule);
      }
      return true;
    });
    walk(RecordTable.RULE_STATS, new byte[0], null, e -> {
      UUID rule = QueueKeys.ruleOf(e.key());
      if (rule == null) {
        return true;
      }
      orphans.add(rule);
      try {
        switch (QueueKeys.statsKind(e.key())) {
          case 's' -> counters(rule).restore(e.value());
          case 'c' -> cursors.put(rule, LogCursor.decode(rule, e.value())); // sorts before its marks
          case 'm' -> {
            LogCursor c = cursors.get(rule); // marks are only written with a cursor
            if (c != null) {
              c.done.add(QueueKeys.sequenceOfDoneMark(e.key()));
            }
          }
          default -> { }
        }
      } catch (RuntimeException ex) {
        LOG.log(System.Logger.Level.WARNING, "ignoring unreadable record of rule " + rule + ": " + ex.getMessage());
      }
      return true;
    });
    upgradeLegacy(loadLog());
    orphans.addAll(rulesIn(RecordTable.DEAD_LETTERS));
    orphans.addAll(rulesIn(RecordTable.ATTEMPTS));
    orphans.removeIf(ruleExists);
    for (UUID rule : orphans) {
      LOG.log(System.Logger.Level.INFO, "deleting queued records of deleted webhook rule " + rule);
      dropRule(rule);
    }
  }

  /**
   * Counts every rule's events after its cursor as pending, and deletes the events no existing rule
   * still needs: one pass over the log.
   *
   * @return the entries of a build before the event log, by sequencer (see {@link #upgradeLegacy})
   */
  private Map<String, EventPayload> loadLog() {
    Map<String, EventPayload> legacy = new HashMap<>();
    List<byte[]> unneeded = new ArrayList<>();
    walk(RecordTable.EVENT_PAYLOADS, new byte[0], null, e -> {
      EventPayload p = EventPayload.decode(e.value());
      if (QueueKeys.isLegacyPayload(e.key())) {
        legacy.put(p.sequencer(), p);
        return true;
      }
      boolean needed = false;
      for (UUID rule : p.rules()) {
        if (!ruleExists.test(rule)) {
          continue;
        }
        LogCursor c = cursors.computeIfAbsent(rule, r -> new LogCursor(r, p.bucket()));
        if (p.full().contains(rule)) {
          needed = true; // its queue_full letter
          c.letters.incrementAndGet();
        } else if (!c.isDone(p.sequence())) {
          needed = true;
          RuleCounters rc = counters(rule);
          rc.pending.incrementAndGet();
          rc.freshPending.incrementAndGet();
        }
      }
      if (!needed) {
        unneeded.add(e.key());
      }
      return true;
    });
    for (int i = 0; i < unneeded.size(); i += PAGE) {
      List<byte[]> chunk = unneeded.subList(i, Math.min(unneeded.size(), i + PAGE));
      records.write(b -> chunk.forEach(k -> b.delete(RecordTable.EVENT_PAYLOADS, k)));
    }
    return legacy;
  }

  /**
   * Builds before the event log queued each rule's first attempt as a due entry pointing to a payload
   * keyed by the sequencer alone, and let {@code queue_full} dead letters point there too. Gives each
   * such delivery and letter a copy of its body, then deletes those payloads.
   */
  private void upgradeLegacy(Map<String, EventPayload> legacy) {
    if (legacy.isEmpty()) {
      return;
    }
    LOG.log(System.Logger.Level.INFO, "upgrading " + legacy.size() + " queued webhook events to the event log");
    records.write(b -> {
      walk(RecordTable.DUE, new byte[0], null, e -> {
        byte v = e.value().length == 1 ? e.value()[0] : 0;
        if (v != LEGACY_FRESH_S3 && v != LEGACY_FRESH_COMPACT) {
          return true;
        }
        UUID rule = QueueKeys.ruleOf(e.key());
        String id = QueueKeys.deliveryIdOfDue(e.key());
        EventPayload p = legacy.get(QueueKeys.sequencerOf(id));
        DeliveryRecord d = p == null || rule == null ? null
            : p.delivery(rule, v == LEGACY_FRESH_S3 ? Format.S3 : Format.COMPACT);
        if (d == null) {
          b.delete(RecordTable.DUE, e.key()); // counted as pending by load: uncount it
          if (rule != null) {
            counters(rule).pending.decrementAndGet();
          }
        } else {
          b.put(RecordTable.DELIVERIES, QueueKeys.delivery(id), d.encode());
          b.put(RecordTable.DUE, e.key(), MARK);
        }
        return true;
      });
      walk(RecordTable.DEAD_LETTERS, new byte[0], null, e -> {
        UUID rule = QueueKeys.ruleOf(e.key());
        if (rule == null || !QueueKeys.startsWith(e.key(), QueueKeys.deadPrefix(rule))) {
          return true;
        }
        DeadLetter dl = DeadLetter.decode(e.value());
        if (dl.bodyIn() != null) {
          EventPayload p = legacy.get(dl.delivery().sequencer());
          byte[] body = p == null ? null : p.body(rule, dl.bodyIn());
          if (body == null) {
            deleteDead(b, dl);
          } else {
            putDead(b, new DeadLetter(dl.delivery().withBody(body), dl.outcome(), dl.reason(), dl.deadMillis(),
                dl.lastStatus(), dl.lastLatencyMillis()));
          }
        }
        return true;
      });
      legacy.keySet().forEach(seq -> b.delete(RecordTable.EVENT_PAYLOADS, QueueKeys.legacyPayload(seq)));
    });
  }

  /** The rule ids that have entries in {@code table}, by jumping from one rule's prefix to the next. */
  private List<UUID> rulesIn(RecordTable table) {
    List<UUID> out = new ArrayList<>();
    byte[] after = null;
    while (true) {
      List<RecordStore.Entry> e = records.scan(table, new byte[0], after, 1);
      if (e.isEmpty()) {
        return out;
      }
      UUID rule = QueueKeys.ruleOf(e.get(0).key());
      if (rule == null) {
        after = e.get(0).key();
      } else {
        out.add(rule);
        after = QueueKeys.afterRule(rule);
      }
    }
  }

  // ---- staging (EventSink, under an object key's lock: no I/O)

  /**
   * Stages an event for the rules of {@code payload}: ONE log entry, whatever the number of rules.
   * Each rule reads its first attempt there; for a rule whose backlog is at the cap the event is a
   * {@code queue_full} dead letter instead, kept in the same entry ({@link EventPayload#full}), so a
   * receiver that is down for days costs an upload nothing per rule either.
   */
  public void stage(EventSink.EventBatch batch, EventPayload payload) {
    Staged s = staged.get();
    if (s == null || s.batch != batch) {
      if (s != null) {
        s.release(); // that batch never committed
      }
      s = new Staged(batch);
      staged.set(s);
    }
    Set<UUID> full = new HashSet<>();
    for (UUID rule : payload.rules()) {
      RuleCounters c = counters(rule);
      LogCursor lc = cursors.computeIfAbsent(rule, r -> new LogCursor(r, payload.bucket()));
      if (c.pending.incrementAndGet() > options.backlogCap()) {
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
    batch.put(RecordTable.EVENT_PAYLOADS, QueueKeys.payload(payload.bucket(), payload.sequencer()), logged.encode());
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
   * The batch this thread staged into has committed.
   *
   * @return whether the dispatcher has anything new to do: false only when every first attempt this
   *     batch staged is for a rule whose receiver has no free send slot (behind a slow or dead
   *     receiver, waking it at every upload cost a pass per upload and a futex call in the uploader)
   */
  public boolean committed() {
    Staged s = staged.get();
    if (s == null) {
      return true;
    }
    staged.remove();
    s.onCommit.forEach(Runnable::run);
    for (RuleCounters c : s.reserved) {
      if (!c.atCapacity) {
        return true;
      }
    }
    return false;
  }

  /**
   * Call before any batch of the notifications module's own: what this thread staged and that was
   * not committed belongs to a mutation that failed, and must not be counted when this batch commits.
   */
  public void discardStale() {
    Staged s = staged.get();
    if (s != null) {
      staged.remove();
      s.release();
    }
  }

  private void write(Consumer<RecordStore.Batch> writes) {
    discardStale();
    records().write(writes);
  }

  /** Like {@link #write} without waiting for the WAL sync (see RecordStore.writeLazily). */
  private void writeLazily(Consumer<RecordStore.Batch> writes) {
    discardStale();
    records().writeLazily(writes);
  }

  // ---- the dispatcher's side

  /** Rules with pending deliveries. */
  public List<UUID> lanes() {
    List<UUID> out = new ArrayList<>();
    counters.forEach((rule, c) -> {
      if (c.pending.get() > 0) {
        out.add(rule);
      }
    });
    return out;
  }

  /** The first {@code limit} entries of a rule's lane, earliest due first. */
  public List<Due> head(UUID rule, int limit) {
    return head(rule, null, limit);
  }

  /** Up to {@code limit} entries of a rule's lane after {@code after} (exclusive; null: from the start). */
  public List<Due> head(UUID rule, Due after, int limit) {
    List<Due> out = new ArrayList<>();
    byte[] start = after == null ? null : QueueKeys.due(rule, after.dueMillis(), after.deliveryId());
    for (RecordStore.Entry e : records().scan(RecordTable.DUE, QueueKeys.rulePrefix(rule), start, limit)) {
      out.add(new Due(QueueKeys.dueMillisOf(e.key()), QueueKeys.deliveryIdOfDue(e.key())));
    }
    return out;
  }

  /**
   * Up to {@code limit} pending deliveries of {@code rule}: those with a record, earliest due first,
   * then the first attempts still to be made in log order (diagnostics, tests).
   */
  public List<DeliveryRecord> pending(UUID rule, int limit) {
    List<DeliveryRecord> out = new ArrayList<>();
    for (Due due : head(rule, limit)) {
      DeliveryRecord d = delivery(due.deliveryId());
      if (d != null) {
        out.add(d);
      }
    }
    LogCursor c = cursors.get(rule);
    if (c == null || out.size() >= limit) {
      return out;
    }
    long from;
    synchronized (c) {
      from = c.cursor;
    }
    walkLog(c.bucket, from, p -> {
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
    return out;
  }

  /** The pending delivery with a record of its own, or null. */
  public DeliveryRecord delivery(String id) {
    byte[] raw = records().get(RecordTable.DELIVERIES, QueueKeys.delivery(id));
    return raw == null ? null : DeliveryRecord.decode(raw);
  }

  /** Removes a due entry whose delivery is missing (cannot normally happen; keeps a lane from sticking). */
  public void dropDue(UUID rule, Due due) {
    synchronized (lock) {
      if (delivery(due.deliveryId()) == null) {
        write(b -> b.delete(RecordTable.DUE, QueueKeys.due(rule, due.dueMillis(), due.deliveryId())));
        counters(rule).pending.decrementAndGet();
      }
    }
  }

  /**
   * Hands out up to {@code limit} first attempts of {@code rule} from its bucket's event log that were
   * not handed out before; they are outstanding until {@link #completedAll} records them.
   *
   * <p>Sequencers are taken in order but committed in any order, so an event may appear in the log
   * after one with a higher sequencer. An event is handed out as soon as it is visible, but the read
   * position only moves past events below {@link RecordStore#eventsSettledBelow()} (nothing can
   * commit there any more): what lies after it is read again by the next call, skipping what is
   * outstanding or done.
   */
  public Fresh fresh(UUID rule, String bucket, int limit) {
    LogCursor c = cursors.computeIfAbsent(rule, r -> new LogCursor(r, bucket));
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
      LogRead read = new LogRead(c, records().eventsSettledBelow(), out, limit);
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
      byte[] after = c.readPos < 0 ? null : QueueKeys.payload(c.bucket, c.readPos);
      int examined = 0;
      while (examined < LOG_READ) {
        // Pages sized to what is wanted: a lane behind a slow receiver asks for one or two at a time,
        // and every entry read is a ~1 KiB value copied out of RocksDB.
        int want = Math.min(LOG_READ - examined, limit - out.size() + 8);
        List<RecordStore.Entry> page = records().scan(RecordTable.EVENT_PAYLOADS, QueueKeys.logPrefix(c.bucket),
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
        t.start(records().nextEventSequencer());
      }
    }
    return t;
  }

  /**
   * Records attempts' outcomes: a 2xx removes the delivery; a failure reschedules it with backoff, or
   * dead-letters it after the last attempt. Either way the attempt is logged. A first attempt's outcome
   * also moves its rule's log cursor. An outcome is dropped if its rule or delivery is gone meanwhile.
   * All of them go into ONE batch: at thousands of deliveries a second, a write per delivery would make
   * the disk the delivery rate (and compete with uploads'). The in-memory state changes only once the
   * batch is committed; if it fails, the first attempts are handed out again.
   */
  public void completedAll(List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return;
    }
    synchronized (lock) {
      List<Runnable> after = new ArrayList<>();
      Map<LogCursor, Set<Long>> completing = new HashMap<>();
      // Not synced: a power loss may lose the last outcomes, and then those deliveries are sent again
      // (the duplicate window at-least-once allows); waiting for the sync made the disk's sync latency
      // part of every delivery cycle.
      try {
        writeLazily(b -> {
          for (Outcome o : outcomes) {
            stageOutcome(b, o, after, completing);
          }
          advanceCursors(b, completing, after);
        });
      } catch (RuntimeException e) {
        completing.forEach((c, seqs) -> {
          synchronized (c) {
            c.resend.addAll(seqs);
          }
        });
        throw e;
      }
      after.forEach(Runnable::run);
    }
  }

  private void stageOutcome(RecordStore.Batch b, Outcome o, List<Runnable> after,
      Map<LogCursor, Set<Long>> completing) {
    DeliveryRecord sent = o.sent();
    long startMillis = o.startMillis();
    SendResult result = o.result();
    if (!ruleExists.test(sent.ruleId())) {
      return;
    }
    DeliveryRecord cur;
    if (o.fresh()) {
      LogCursor c = cursors.get(sent.ruleId());
      long s = Long.parseUnsignedLong(sent.sequencer(), 16);
      boolean current;
      synchronized (c == null ? lock : c) {
        current = c != null && c.outstanding.containsKey(s);
      }
      if (!current || !completing.computeIfAbsent(c, k -> new HashSet<>()).add(s)) {
        return;
      }
      cur = sent;
    } else {
      cur = delivery(sent.id());
      if (cur == null || cur.attempts() != sent.attempts() || cur.dueMillis() != sent.dueMillis()) {
        return;
      }
      b.delete(RecordTable.DUE, QueueKeys.due(sent.ruleId(), sent.dueMillis(), sent.id()));
      b.delete(RecordTable.DELIVERIES, QueueKeys.delivery(cur.id()));
    }
    int attempt = cur.attempts() + 1;
    long now = clock.millis();
    Integer status = result instanceof SendResult.Response r ? r.status() : null;
    long latency = result.latencyMillis();
    RuleCounters c = counters(cur.ruleId());
    if (result.delivered()) {
      putAttempt(b, cur, startMillis, attempt, "delivered", status, latency, null);
      after.add(() -> {
        c.pending.decrementAndGet();
        c.success(now, now - cur.eventMillis());
      });
    } else if (attempt >= options.maxAttempts()) {
      String error = errorOf(result);
      DeadLetter dl = new DeadLetter(cur.withAttempt(attempt, cur.dueMillis()), DeadLetter.DEAD, error, now, status,
          latency);
      putDead(b, dl);
      putAttempt(b, cur, startMillis, attempt, DeadLetter.DEAD, status, latency, error);
      after.add(() -> {
        c.pending.decrementAndGet();
        c.failure(now);
        c.dead();
      });
    } else {
      long due = now + options.backoffMillis(attempt, ThreadLocalRandom.current().nextDouble(-1.0, 1.0));
      putPending(b, cur.withAttempt(attempt, due)); // from now on with a copy of the body of its own
      putAttempt(b, cur, startMillis, attempt, "failed", status, latency, errorOf(result));
      after.add(() -> c.failure(now));
    }
    if (o.fresh()) {
      after.add(c.freshPending::decrementAndGet); // whatever the outcome: no longer read from the log
    }
    after.add(() -> {
      c.attemptsSinceTrim.incrementAndGet();
      c.oldestAttempt = Math.min(c.oldestAttempt, startMillis);
    });
  }

  /**
   * Moves the cursors of the rules whose first attempts completed in this batch: past every event they
   * are now done with up to the first still outstanding; done events after that get a mark. An event
   * whose rules are all done with it is deleted.
   */
  private void advanceCursors(RecordStore.Batch b, Map<LogCursor, Set<Long>> completing, List<Runnable> after) {
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
          b.put(RecordTable.RULE_STATS, QueueKeys.doneMark(c.rule, s), MARK);
        }
        EventPayload p = events.get(s);
        if (!p.full().isEmpty()) {
          // Its letters may have been purged or redelivered since it was read: look at it as it is now.
          byte[] raw = records().get(RecordTable.EVENT_PAYLOADS, QueueKeys.payload(c.bucket, s));
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

  /**
   * Whether no existing rule needs {@code p} any more: each is done with its first attempt (counting
   * what {@code completing} records now) and none has its {@code queue_full} letter there.
   */
  private boolean unneeded(EventPayload p, Map<LogCursor, Set<Long>> completing) {
    long s = p.sequence();
    for (UUID other : p.rules()) {
      LogCursor oc = cursors.get(other);
      if (!ruleExists.test(other)) {
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

  static String errorOf(SendResult result) {
    String e;
    if (result instanceof SendResult.Response r) {
      String snippet = r.bodySnippet() == null ? "" : r.bodySnippet().strip().replaceAll("\\s+", " ");
      e = "HTTP " + r.status() + (r.status() / 100 == 3 ? " (redirects are not followed)" : "")
          + (snippet.isEmpty() ? "" : ": " + snippet);
    } else {
      e = ((SendResult.Failure) result).error();
    }
    return e == null ? null : e.length() > MAX_ERROR_CHARS ? e.substring(0, MAX_ERROR_CHARS) + "…" : e;
  }

  // ---- operator actions

  /** Queues a delivery now (a test event), outside any mutation. */
  public void enqueue(DeliveryRecord d) {
    synchronized (lock) {
      RuleCounters c = counters(d.ruleId());
      c.pending.incrementAndGet(); // before the write: the commit wakes the dispatcher, which must see the lane
      try {
        write(b -> putPending(b, d));
      } catch (RuntimeException e) {
        c.pending.decrementAndGet();
        throw e;
      }
    }
  }

  /**
   * A dead letter as stored: a record of its own in {@code DEAD_LETTERS} ({@code logged} null), or a
   * {@code queue_full} letter kept in its event's log entry.
   */
  private record Letter(DeadLetter dead, EventPayload logged) {}

  private Letter logLetter(EventPayload p, UUID rule) {
    DeadLetter dl = new DeadLetter(p.delivery(rule, p.format(rule)), DeadLetter.QUEUE_FULL,
        "queue_full: the rule's backlog was at its cap of " + options.backlogCap() + " pending deliveries",
        p.eventMillis(), null, null);
    return new Letter(dl, p);
  }

  /** Deletes a letter: its record, or its rule's mark in the log entry (and the entry if no rule needs it now). */
  private void remove(RecordStore.Batch b, Letter l) {
    if (l.logged() == null) {
      deleteDead(b, l.dead());
      return;
    }
    EventPayload rest = l.logged().without(l.dead().delivery().ruleId());
    byte[] key = QueueKeys.payload(rest.bucket(), rest.sequencer());
    if (unneeded(rest, Map.of())) {
      b.delete(RecordTable.EVENT_PAYLOADS, key);
    } else {
      b.put(RecordTable.EVENT_PAYLOADS, key, rest.encode());
    }
  }

  /** Moves one dead letter back to the queue, due now, attempts reset. @return false if there is none */
  public boolean redeliver(UUID rule, String deliveryId) {
    synchronized (lock) {
      byte[] raw = records().get(RecordTable.DEAD_LETTERS, QueueKeys.dead(rule, deliveryId));
      if (raw != null) {
        removeLetters(List.of(new Letter(DeadLetter.decode(raw), null)), true);
        return true;
      }
      LogCursor c = cursors.get(rule);
      String sequencer = QueueKeys.sequencerOf(deliveryId);
      if (c == null || sequencer == null || !deliveryId.equals(DeliveryRecord.id(sequencer, rule))) {
        return false;
      }
      raw = records().get(RecordTable.EVENT_PAYLOADS, QueueKeys.payload(c.bucket, sequencer));
      EventPayload p = raw == null ? null : EventPayload.decode(raw);
      if (p == null || !p.full().contains(rule)) {
        return false;
      }
      removeLetters(List.of(logLetter(p, rule)), true);
      return true;
    }
  }

  /** Moves all dead letters of a rule back to the queue. @return how many */
  public int redeliverAll(UUID rule) {
    return drainDead(rule, Long.MAX_VALUE, page -> removeLetters(page, true));
  }

  /** Deletes all dead letters of a rule. @return how many */
  public int purge(UUID rule) {
    return drainDead(rule, Long.MAX_VALUE, page -> removeLetters(page, false));
  }

  /**
   * Hands letters of a rule, a page at a time, to {@code action}, which removes them: the
   * {@code queue_full} letters in the log of events before {@code before}, and, when that is
   * {@code Long.MAX_VALUE} (all of them), first those with a record of their own.
   */
  private int drainDead(UUID rule, long before, Consumer<List<Letter>> action) {
    int n = 0;
    while (before == Long.MAX_VALUE) {
      synchronized (lock) {
        List<RecordStore.Entry> page = records().scan(RecordTable.DEAD_LETTERS, QueueKeys.deadPrefix(rule), null, PAGE);
        if (page.isEmpty()) {
          break;
        }
        action.accept(page.stream().map(e -> new Letter(DeadLetter.decode(e.value()), null)).toList());
        n += page.size();
      }
    }
    long after = -1;
    while (true) {
      synchronized (lock) {
        List<Letter> page = logLetters(rule, after, before, PAGE);
        if (page.isEmpty()) {
          return n;
        }
        action.accept(page);
        n += page.size();
        after = page.get(page.size() - 1).logged().sequence();
      }
    }
  }

  /**
   * Up to {@code limit} {@code queue_full} letters of {@code rule} in its bucket's log, after the event
   * {@code afterSeq} (-1: from the start), stopping at the first event at or after {@code before}
   * millis (the log is in commit order, and times grow with it).
   */
  private List<Letter> logLetters(UUID rule, long afterSeq, long before, int limit) {
    LogCursor c = cursors.get(rule);
    List<Letter> out = new ArrayList<>();
    if (c == null || c.letters.get() <= 0) {
      return out; // no need to read a log of many events for letters that are not there
    }
    walkLog(c.bucket, afterSeq, p -> {
      if (p.eventMillis() >= before) {
        return false;
      }
      if (p.full().contains(rule)) {
        out.add(logLetter(p, rule));
      }
      return out.size() < limit;
    });
    return out;
  }

  /** Deletes letters, and with {@code requeue} queues each again as a delivery due now, attempts reset. */
  private void removeLetters(List<Letter> letters, boolean requeue) {
    long now = clock.millis();
    Map<UUID, Integer> perRule = new HashMap<>();
    if (requeue) {
      letters.forEach(l -> perRule.merge(l.dead().delivery().ruleId(), 1, Integer::sum));
    }
    perRule.forEach((r, k) -> counters(r).pending.addAndGet(k));
    try {
      write(b -> {
        for (Letter l : letters) {
          remove(b, l);
          if (requeue) {
            putPending(b, l.dead().delivery().withAttempt(0, now));
          }
        }
      });
    } catch (RuntimeException e) {
      perRule.forEach((r, k) -> counters(r).pending.addAndGet(-k));
      throw e;
    }
    for (Letter l : letters) {
      LogCursor c = l.logged() == null ? null : cursors.get(l.dead().delivery().ruleId());
      if (c != null) {
        c.letters.decrementAndGet();
      }
    }
  }


  /**
   * Deletes everything queued or logged for a rule (the rule is being deleted), including the events
   * of its log that only it still needed.
   */
  public void dropRule(UUID rule) {
    byte[] prefix = QueueKeys.rulePrefix(rule);
    deleteAll(RecordTable.DUE, prefix, true);
    LogCursor c = cursors.get(rule);
    if (c != null) {
      // From the start: its queue_full letters are before its cursor too. The rule is gone already, so
      // unneeded() no longer counts it.
      List<EventPayload> listing = new ArrayList<>();
      Runnable release = () -> {
        synchronized (lock) {
          List<EventPayload> free = listing.stream().filter(p -> unneeded(p, Map.of())).toList();
          if (!free.isEmpty()) {
            write(b -> free.forEach(p -> b.delete(RecordTable.EVENT_PAYLOADS, QueueKeys.payload(p.bucket(),
                p.sequencer()))));
          }
        }
        listing.clear();
      };
      walkLog(c.bucket, -1, p -> {
        if (p.rules().contains(rule)) {
          listing.add(p);
          if (listing.size() >= PAGE) {
            release.run();
          }
        }
        return true;
      });
      release.run();
    }
    deleteAll(RecordTable.DEAD_LETTERS, prefix, false);
    deleteAll(RecordTable.ATTEMPTS, prefix, false);
    deleteAll(RecordTable.RULE_STATS, prefix, false); // figures, cursor, marks
    counters.remove(rule);
    cursors.remove(rule);
    if (c != null) {
      LogTail t = tails.remove(c.bucket); // its events may be the deleted rule's only (made again on use)
      if (t != null) {
        t.retire();
      }
    }
  }

  /** Deletes the entries of {@code table} under {@code prefix}; with {@code dueEntries}, their deliveries too. */
  private void deleteAll(RecordTable table, byte[] prefix, boolean dueEntries) {
    while (true) {
      synchronized (lock) {
        List<RecordStore.Entry> page = records().scan(table, prefix, null, PAGE);
        if (page.isEmpty()) {
          return;
        }
        write(b -> page.forEach(e -> {
          b.delete(table, e.key());
          if (dueEntries) {
            b.delete(RecordTable.DELIVERIES, QueueKeys.delivery(QueueKeys.deliveryIdOfDue(e.key())));
          }
        }));
      }
    }
  }

  // ---- listings

  /** A rule's attempt log, newest first. */
  public Page<DeliveryView> attempts(UUID rule, String after, int limit) {
    byte[] prefix = QueueKeys.rulePrefix(rule);
    byte[] start = cursor(after, prefix);
    List<RecordStore.Entry> page = records().scan(RecordTable.ATTEMPTS, prefix, start, limit + 1);
    List<DeliveryView> items = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, page.size()); i++) {
      items.add(AttemptCodec.decode(page.get(i).value()));
    }
    return new Page<>(items, page.size() > limit ? cursor(page.get(limit - 1).key()) : null);
  }

  /**
   * Dead letters of the given rules (in that order); each rule's with a record of their own by delivery
   * id (event order), then its {@code queue_full} letters kept in the event log, in event order.
   */
  public Page<DeliveryView> deadLetters(List<UUID> rules, String after, int limit) {
    byte[] start = cursor(after, new byte[0]);
    UUID startRule = start == null ? null : QueueKeys.ruleOf(start);
    if (start != null && (startRule == null || !rules.contains(startRule)
        || !QueueKeys.startsWith(start, QueueKeys.deadPrefix(startRule)) && !QueueKeys.isLogLetter(start))) {
      throw new WebhookException(WebhookException.Kind.INVALID, "after", "after is not a cursor of this listing");
    }
    List<byte[]> keys = new ArrayList<>();
    List<DeliveryView> found = new ArrayList<>();
    boolean started = start == null;
    for (UUID rule : rules) {
      if (!started && !rule.equals(startRule)) {
        continue;
      }
      byte[] from = started ? null : start;
      started = true;
      if (from == null || !QueueKeys.isLogLetter(from)) {
        for (RecordStore.Entry e : records().scan(RecordTable.DEAD_LETTERS, QueueKeys.deadPrefix(rule), from,
            limit + 1 - found.size())) {
          keys.add(e.key());
          found.add(DeadLetter.decode(e.value()).view());
        }
        from = null;
      }
      if (found.size() <= limit) {
        long afterSeq = from == null ? -1 : QueueKeys.sequenceOfLogLetter(from);
        for (Letter l : logLetters(rule, afterSeq, Long.MAX_VALUE, limit + 1 - found.size())) {
          keys.add(QueueKeys.logLetter(rule, l.logged().sequence()));
          found.add(l.dead().view());
        }
      }
      if (found.size() > limit) {
        break;
      }
    }
    List<DeliveryView> items = found.subList(0, Math.min(limit, found.size()));
    return new Page<>(List.copyOf(items), found.size() > limit ? cursor(keys.get(limit - 1)) : null);
  }

  private static String cursor(byte[] key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }

  private static byte[] cursor(String after, byte[] prefix) {
    if (after == null || after.isEmpty()) {
      return null;
    }
    byte[] key;
    try {
      key = Base64.getUrlDecoder().decode(after);
    } catch (IllegalArgumentException e) {
      key = null;
    }
    if (key == null || !QueueKeys.startsWith(key, prefix)) {
      throw new WebhookException(WebhookException.Kind.INVALID, "after", "after is not a cursor of this listing");
    }
    return key;
  }

  // ---- figures and maintenance

  public RuleStats stats(UUID rule) {
    RuleCounters c = counters.get(rule);
    return (c == null ? new RuleCounters(1) : c).snapshot(rule);
  }

  /** Pending deliveries of a rule (including those of batches still committing). */
  public long pending(UUID rule) {
    RuleCounters c = counters.get(rule);
    return c == null ? 0 : c.pending.get();
  }

  /** The dispatcher found the rule's receiver with no free send slot ({@code full}), or not. */
  public void atCapacity(UUID rule, boolean full) {
    RuleCounters c = counters.get(rule);
    if (c != null && c.atCapacity != full) {
      c.atCapacity = full;
    }
  }

  /** Pending deliveries of a rule that have a record of their own (not first attempts read from the log). */
  public long explicitPending(UUID rule) {
    RuleCounters c = counters.get(rule);
    return c == null ? 0 : c.pending.get() - c.freshPending.get();
  }

  /** Pending deliveries over all rules. */
  public long backlog() {
    return counters.values().stream().mapToLong(c -> c.pending.get()).sum();
  }

  /** Persists the figures that changed since the last flush. */
  public void flushStats() {
    Map<UUID, byte[]> changed = new HashMap<>();
    counters.forEach((rule, c) -> {
      if (c.takeDirty() && ruleExists.test(rule)) {
        changed.put(rule, c.encode());
      }
    });
    if (!changed.isEmpty()) {
      write(b -> changed.forEach((rule, v) -> b.put(RecordTable.RULE_STATS, QueueKeys.stats(rule), v)));
    }
  }

  /**
   * Purges dead letters older than the retention, and trims the attempt logs that grew or hold
   * entries past their age to their bounds.
   */
  public void sweep(Collection<UUID> rules) {
    long now = clock.millis();
    long deadCutoff = now - options.deadLetterRetention().toMillis();
    long attemptCutoff = now - options.attemptLogRetention().toMillis();
    for (UUID rule : rules) {
      purgeExpired(rule, deadCutoff);
      RuleCounters c = counters(rule);
      if (c.attemptsSinceTrim.getAndSet(0) > 0 || c.oldestAttempt < attemptCutoff) {
        c.oldestAttempt = trimAttempts(rule, attemptCutoff);
      }
    }
  }

  private void purgeExpired(UUID rule, long cutoff) {
    while (true) {
      synchronized (lock) {
        List<RecordStore.Entry> page = records().scan(RecordTable.DEAD_LETTERS, QueueKeys.deadByTimePrefix(rule), null,
            PAGE);
        List<byte[]> expired = page.stream().map(RecordStore.Entry::key).filter(k -> QueueKeys.deadTimeOf(k) < cutoff)
            .collect(Collectors.toList());
        if (expired.isEmpty()) {
          break;
        }
        write(b -> {
          for (byte[] k : expired) {
            byte[] raw = records().get(RecordTable.DEAD_LETTERS, QueueKeys.dead(rule, QueueKeys.deliveryIdOfDeadByTime(k)));
            if (raw != null) {
              deleteDead(b, DeadLetter.decode(raw));
            }
            b.delete(RecordTable.DEAD_LETTERS, k);
          }
        });
        if (expired.size() < page.size()) {
          break;
        }
      }
    }
    drainDead(rule, cutoff, page -> removeLetters(page, false));
  }

  /** @return the time of the oldest entry kept, or {@code Long.MAX_VALUE} if none is */
  private long trimAttempts(UUID rule, long cutoff) {
    byte[] prefix = QueueKeys.rulePrefix(rule);
    byte[] after = null;
    int seen = 0;
    long oldestKept = Long.MAX_VALUE;
    while (true) {
      List<RecordStore.Entry> page = records().scan(RecordTable.ATTEMPTS, prefix, after, PAGE);
      List<byte[]> old = new ArrayList<>();
      for (RecordStore.Entry e : page) {
        long time = QueueKeys.attemptTimeOf(e.key());
        if (seen++ >= options.attemptLogPerRule() || time < cutoff) {
          old.add(e.key());
        } else {
          oldestKept = Math.min(oldestKept, time);
        }
      }
      if (!old.isEmpty()) {
        write(b -> old.forEach(k -> b.delete(RecordTable.ATTEMPTS, k)));
      }
      if (page.size() < PAGE) {
        return oldestKept;
      }
      after = page.get(page.size() - 1).key();
    }
  }

  // ---- records

  private RuleCounters counters(UUID rule) {
    return counters.computeIfAbsent(rule, r -> new RuleCounters(options.latencyWindow()));
  }

  private static void putPending(RecordStore.Batch b, DeliveryRecord d) {
    b.put(RecordTable.DELIVERIES, QueueKeys.delivery(d.id()), d.encode());
    b.put(RecordTable.DUE, QueueKeys.due(d.ruleId(), d.dueMillis(), d.id()), MARK);
  }

  private static void putDead(RecordStore.Batch b, DeadLetter dl) {
    UUID rule = dl.delivery().ruleId();
    b.put(RecordTable.DEAD_LETTERS, QueueKeys.dead(rule, dl.delivery().id()), dl.encode());
    b.put(RecordTable.DEAD_LETTERS, QueueKeys.deadByTime(rule, dl.deadMillis(), dl.delivery().id()), MARK);
  }

  private static void deleteDead(RecordStore.Batch b, DeadLetter dl) {
    UUID rule = dl.delivery().ruleId();
    b.delete(RecordTable.DEAD_LETTERS, QueueKeys.dead(rule, dl.delivery().id()));
    b.delete(RecordTable.DEAD_LETTERS, QueueKeys.deadByTime(rule, dl.deadMillis(), dl.delivery().id()));
  }

  private static void putAttempt(RecordStore.Batch b, DeliveryRecord d, long startMillis, int attempt, String outcome,
      Integer status, long latency, String error) {
    DeliveryView v = new DeliveryView(d.id(), d.ruleId().toString(), d.eventName(), d.key(), d.sequencer(),
        Instant.ofEpochMilli(startMillis), attempt, outcome, status, latency, error);
    b.put(RecordTable.ATTEMPTS, QueueKeys.attempt(d.ruleId(), startMillis, d.id(), attempt), AttemptCodec.encode(v));
  }

  /**
   * Hands the entries of {@code table} under {@code prefix} after {@code after} (null: from the start),
   * in key order and a page at a time from RocksDB, to {@code visit} until it returns false.
   */
  private void walk(RecordTable table, byte[] prefix, byte[] after, Predicate<RecordStore.Entry> visit) {
    while (true) {
      List<RecordStore.Entry> page = records().scan(table, prefix, after, PAGE);
      for (RecordStore.Entry e : page) {
        if (!visit.test(e)) {
          return;
        }
      }
      if (page.size() < PAGE) {
        return;
      }
      after = page.get(page.size() - 1).key();
    }
  }

  /** Like {@link #walk} over a bucket's event log after the event {@code afterSeq} (-1: from its start). */
  private void walkLog(String bucket, long afterSeq, Predicate<EventPayload> visit) {
    walk(RecordTable.EVENT_PAYLOADS, QueueKeys.logPrefix(bucket), afterSeq < 0 ? null : QueueKeys.payload(bucket, afterSeq),
        e -> visit.test(EventPayload.decode(e.value())));
  }

  private RecordStore records() {
    RecordStore r = records;
    if (r == null) {
      throw new IllegalStateException("delivery queue not loaded");
    }
    return r;
  }
}
