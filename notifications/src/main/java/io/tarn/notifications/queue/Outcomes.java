package io.tarn.notifications.queue;

import io.tarn.notifications.AttemptView;
import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.delivery.SendResult;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Attempts' outcomes and what follows from them: the due lanes of deliveries with a record of their
 * own ({@code DELIVERIES}, indexed per rule by due time in {@code DUE}: retries, redeliveries, test
 * events), retries with exponential backoff and jitter, dead letters after the last attempt, and the
 * attempt log ({@code ATTEMPTS}). The dispatcher's recorder thread writes the outcomes, many to a batch.
 */
final class Outcomes {
  private static final System.Logger LOG = System.getLogger(Outcomes.class.getName());

  private static final int MAX_ERROR_CHARS = 300;

  private final QueueState state;
  private final EventLog log;

  Outcomes(QueueState state, EventLog log) {
    this.state = state;
    this.log = log;
  }

  // ---- the due lanes

  /** Rules with pending deliveries. */
  List<UUID> lanes() {
    List<UUID> out = new ArrayList<>();
    state.counters.forEach((rule, c) -> {
      if (c.pending.get() > 0) {
        out.add(rule);
      }
    });
    return out;
  }

  /** Up to {@code limit} entries of a rule's lane after {@code after} (exclusive; null: from the start). */
  List<Due> head(UUID rule, Due after, int limit) {
    List<Due> out = new ArrayList<>();
    byte[] start = after == null ? null : QueueKeys.due(rule, after.dueMillis(), after.deliveryId());
    for (RecordStore.Entry e : state.records().scan(RecordTable.DUE, QueueKeys.rulePrefix(rule), start, limit)) {
      out.add(new Due(QueueKeys.dueMillisOf(e.key()), QueueKeys.deliveryIdOfDue(e.key())));
    }
    return out;
  }

  /** The pending delivery with a record of its own, or null. */
  DeliveryRecord delivery(String id) {
    byte[] raw = state.records().get(RecordTable.DELIVERIES, QueueKeys.delivery(id));
    return raw == null ? null : DeliveryRecord.decode(raw);
  }

  /** Removes a due entry whose delivery is missing (cannot normally happen; keeps a lane from sticking). */
  void dropDue(UUID rule, Due due) {
    synchronized (state.lock) {
      if (delivery(due.deliveryId()) == null) {
        state.write(b -> b.delete(RecordTable.DUE, QueueKeys.due(rule, due.dueMillis(), due.deliveryId())));
        state.counters(rule).pending.decrementAndGet();
      }
    }
  }

  /** Queues a delivery now (a test event), outside any mutation. */
  void enqueue(DeliveryRecord d) {
    synchronized (state.lock) {
      RuleCounters c = state.counters(d.ruleId());
      c.pending.incrementAndGet(); // before the write: the commit wakes the dispatcher, which must see the lane
      try {
        state.write(b -> QueueState.putPending(b, d));
      } catch (RuntimeException e) {
        c.pending.decrementAndGet();
        throw e;
      }
    }
  }

  // ---- outcomes

  /**
   * Records attempts' outcomes: a 2xx removes the delivery; a failure reschedules it with backoff, or
   * dead-letters it after the last attempt. Either way the attempt is logged. A first attempt's outcome
   * also moves its rule's log cursor. An outcome is dropped if its rule or delivery is gone meanwhile.
   * All of them go into ONE batch: at thousands of deliveries a second, a write per delivery would make
   * the disk the delivery rate (and compete with uploads'). The in-memory state changes only once the
   * batch is committed; if it fails, the first attempts are handed out again.
   */
  void completedAll(List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return;
    }
    synchronized (state.lock) {
      List<Runnable> after = new ArrayList<>();
      Map<LogCursor, Set<Long>> completing = new HashMap<>();
      // Not synced: a power loss may lose the last outcomes, and then those deliveries are sent again
      // (the duplicate window at-least-once allows); waiting for the sync made the disk's sync latency
      // part of every delivery cycle.
      try {
        state.writeLazily(b -> {
          for (Outcome o : outcomes) {
            stageOutcome(b, o, after, completing);
          }
          log.advanceCursors(b, completing, after);
        });
      } catch (RuntimeException e) {
        log.resend(completing);
        throw e;
      }
      after.forEach(Runnable::run);
    }
  }

  private void stageOutcome(RecordStore.Batch b, Outcome o, List<Runnable> after,
      Map<LogCursor, Set<Long>> completing) {
    long startMillis = o.startMillis();
    SendResult result = o.result();
    if (!state.ruleExists.test(o.sent().ruleId())) {
      return;
    }
    DeliveryRecord cur = current(b, o, completing);
    if (cur == null) {
      return;
    }
    int attempt = cur.attempts() + 1;
    long now = state.clock.millis();
    Integer status = result instanceof SendResult.Response r ? r.status() : null;
    long latency = result.latencyMillis();
    RuleCounters c = state.counters(cur.ruleId());
    if (cur.attempts() == 0) {
      // Once per delivery (a redelivery starts again at 0 and writes the same bytes again): every
      // attempt sends this body, so the inspector shows it from here, and a redelivery of a delivery
      // that is no longer queued sends it again.
      b.put(RecordTable.ATTEMPTS, QueueKeys.attemptBody(cur.ruleId(), cur.id()),
          cur.withAttempt(0, cur.dueMillis()).encode());
    }
    if (result.delivered()) {
      putAttempt(b, cur, o, attempt, "delivered", null, null);
      after.add(() -> state.attempts.attempted(cur, attempt, "delivered", status, latency, null));
      after.add(() -> {
        c.pending.decrementAndGet();
        long since = c.success(now, now - cur.eventMillis());
        if (since >= 0) {
          LOG.log(System.Logger.Level.INFO, "webhook rule " + cur.ruleId() + " of bucket " + cur.bucket()
              + " recovered: delivered again after failing since " + Instant.ofEpochMilli(since));
        }
      });
    } else if (attempt >= state.options.maxAttempts()) {
      String error = errorOf(result);
      DeadLetter dl = new DeadLetter(cur.withAttempt(attempt, cur.dueMillis()), DeadLetter.DEAD, error, now, status,
          latency);
      DeadLetters.put(b, dl);
      putAttempt(b, cur, o, attempt, DeadLetter.DEAD, error, null);
      after.add(() -> state.attempts.attempted(cur, attempt, DeadLetter.DEAD, status, latency, error));
      after.add(() -> {
        c.pending.decrementAndGet();
        failed(c, cur, now, error);
        c.dead();
      });
    } else {
      long due = now + state.options.backoffMillis(attempt, ThreadLocalRandom.current().nextDouble(-1.0, 1.0));
      QueueState.putPending(b, cur.withAttempt(attempt, due)); // from now on with a copy of the body of its own
      String error = errorOf(result);
      putAttempt(b, cur, o, attempt, "failed", error, due);
      after.add(() -> failed(c, cur, now, error));
      after.add(() -> state.attempts.attempted(cur, attempt, "failed", status, latency, error));
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
   * The delivery {@code o} is the outcome of, as it is queued now (a delivery with a record of its own
   * has it deleted in {@code b}; a first attempt joins {@code completing}), or null when the outcome is
   * stale: the delivery is gone, was recorded already, or was rescheduled meanwhile.
   */
  private DeliveryRecord current(RecordStore.Batch b, Outcome o, Map<LogCursor, Set<Long>> completing) {
    DeliveryRecord sent = o.sent();
    if (o.fresh()) {
      LogCursor c = state.cursors.get(sent.ruleId());
      long s = Long.parseUnsignedLong(sent.sequencer(), 16);
      boolean current = log.isOutstanding(c, s);
      if (!current || !completing.computeIfAbsent(c, k -> new HashSet<>()).add(s)) {
        return null;
      }
      return sent;
    }
    DeliveryRecord cur = delivery(sent.id());
    if (cur == null || cur.attempts() != sent.attempts() || cur.dueMillis() != sent.dueMillis()) {
      return null;
    }
    b.delete(RecordTable.DUE, QueueKeys.due(sent.ruleId(), sent.dueMillis(), sent.id()));
    b.delete(RecordTable.DELIVERIES, QueueKeys.delivery(cur.id()));
    return cur;
  }

  /**
   * Counts a failed attempt; the first of a run (the rule was healthy) is logged at WARNING, once, as
   * the console shows it ("failing since"); the run's end is logged by the success that ends it.
   * The receiver's own words are cut short: they are its text, not the server's.
   */
  private static void failed(RuleCounters c, DeliveryRecord d, long now, String error) {
    if (c.failure(now)) {
      String why = error == null ? "" : error.length() > 200 ? error.substring(0, 200) + "…" : error;
      LOG.log(System.Logger.Level.WARNING, "webhook rule " + d.ruleId() + " of bucket " + d.bucket()
          + " is failing: " + why + " (retried with backoff; it is logged again when it recovers)");
    }
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

  // ---- the attempt log

  private static void putAttempt(RecordStore.Batch b, DeliveryRecord d, Outcome o, int attempt, String outcome,
      String error, Long nextRetry) {
    SendResult result = o.result();
    SendResult.Response r = result instanceof SendResult.Response x ? x : null;
    DeliveryView v = new DeliveryView(d.id(), d.ruleId().toString(), d.eventName(), d.key(), d.sequencer(),
        Instant.ofEpochMilli(o.startMillis()), attempt, outcome, r == null ? null : r.status(),
        result.latencyMillis(), error, d.redelivery());
    AttemptView a = new AttemptView(v, o.requestHeaders(), r == null ? Map.of() : r.headers(),
        r == null ? null : r.bodySnippet(), nextRetry == null ? null : Instant.ofEpochMilli(nextRetry), true);
    b.put(RecordTable.ATTEMPTS, QueueKeys.attempt(d.ruleId(), o.startMillis(), d.id(), attempt),
        AttemptCodec.encode(a));
  }

  /** Trims the attempt log of a rule that grew or holds entries past their age, if it did. */
  void trimAttemptsIfDue(UUID rule, long cutoff) {
    RuleCounters c = state.counters(rule);
    if (c.attemptsSinceTrim.getAndSet(0) > 0 || c.oldestAttempt < cutoff) {
      c.oldestAttempt = trimAttempts(rule, cutoff);
    }
  }

  /** @return the time of the oldest entry kept, or {@code Long.MAX_VALUE} if none is */
  private long trimAttempts(UUID rule, long cutoff) {
    byte[] prefix = QueueKeys.rulePrefix(rule);
    byte[] after = null;
    int seen = 0;
    long oldestKept = Long.MAX_VALUE;
    Set<String> kept = new HashSet<>(); // deliveries with an attempt kept: their bodies stay
    while (true) {
      List<RecordStore.Entry> page = state.records().scan(RecordTable.ATTEMPTS, prefix, after, QueueState.PAGE);
      List<byte[]> old = new ArrayList<>();
      for (RecordStore.Entry e : page) {
        if (QueueKeys.isAttemptBody(e.key())) {
          // Bodies sort after every attempt of the rule: all attempts kept are known by now.
          if (!kept.contains(QueueKeys.deliveryIdOfAttemptBody(e.key()))) {
            old.add(e.key());
          }
          continue;
        }
        long time = QueueKeys.attemptTimeOf(e.key());
        if (seen++ >= state.options.attemptLogPerRule() || time < cutoff) {
          old.add(e.key());
        } else {
          oldestKept = Math.min(oldestKept, time);
          kept.add(QueueKeys.deliveryIdOfAttempt(e.key()));
        }
      }
      if (!old.isEmpty()) {
        state.write(b -> old.forEach(k -> b.delete(RecordTable.ATTEMPTS, k)));
      }
      if (page.size() < QueueState.PAGE) {
        return oldestKept;
      }
      after = page.get(page.size() - 1).key();
    }
  }
}
