package io.tarn.notifications.queue;

import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Dead letters: those of deliveries whose last attempt failed, a record of their own in
 * {@code DEAD_LETTERS} (by delivery id, and by time for the retention purge), and the {@code queue_full}
 * letters of events staged while their rule's backlog was at its cap, kept as a mark in the event's
 * log entry. Redelivery queues a letter again as a delivery due now; the purge deletes letters past
 * their retention.
 */
final class DeadLetters {
  private final QueueState state;
  private final EventLog log;

  DeadLetters(QueueState state, EventLog log) {
    this.state = state;
    this.log = log;
  }

  /**
   * A dead letter as stored: a record of its own in {@code DEAD_LETTERS} ({@code logged} null), or a
   * {@code queue_full} letter kept in its event's log entry.
   */
  record Letter(DeadLetter dead, EventPayload logged) {}

  static void put(RecordStore.Batch b, DeadLetter dl) {
    UUID rule = dl.delivery().ruleId();
    b.put(RecordTable.DEAD_LETTERS, QueueKeys.dead(rule, dl.delivery().id()), dl.encode());
    b.put(RecordTable.DEAD_LETTERS, QueueKeys.deadByTime(rule, dl.deadMillis(), dl.delivery().id()), QueueState.MARK);
  }

  static void delete(RecordStore.Batch b, DeadLetter dl) {
    UUID rule = dl.delivery().ruleId();
    b.delete(RecordTable.DEAD_LETTERS, QueueKeys.dead(rule, dl.delivery().id()));
    b.delete(RecordTable.DEAD_LETTERS, QueueKeys.deadByTime(rule, dl.deadMillis(), dl.delivery().id()));
  }

  private Letter logLetter(EventPayload p, UUID rule) {
    DeadLetter dl = new DeadLetter(p.delivery(rule, p.format(rule)), DeadLetter.QUEUE_FULL,
        "queue_full: the rule's backlog was at its cap of " + state.options.backlogCap() + " pending deliveries",
        p.eventMillis(), null, null);
    return new Letter(dl, p);
  }

  /** Deletes a letter: its record, or its rule's mark in the log entry (and the entry if no rule needs it now). */
  private void remove(RecordStore.Batch b, Letter l) {
    if (l.logged() == null) {
      delete(b, l.dead());
      return;
    }
    EventPayload rest = l.logged().without(l.dead().delivery().ruleId());
    byte[] key = QueueKeys.payload(rest.bucket(), rest.sequencer());
    if (log.unneeded(rest, Map.of())) {
      b.delete(RecordTable.EVENT_PAYLOADS, key);
    } else {
      b.put(RecordTable.EVENT_PAYLOADS, key, rest.encode());
    }
  }

  /** Moves one dead letter back to the queue, due now, attempts reset. @return false if there is none */
  boolean redeliver(UUID rule, String deliveryId) {
    synchronized (state.lock) {
      byte[] raw = state.records().get(RecordTable.DEAD_LETTERS, QueueKeys.dead(rule, deliveryId));
      if (raw != null) {
        removeLetters(List.of(new Letter(DeadLetter.decode(raw), null)), true);
        return true;
      }
      LogCursor c = state.cursors.get(rule);
      String sequencer = QueueKeys.sequencerOf(deliveryId);
      if (c == null || sequencer == null || !deliveryId.equals(DeliveryRecord.id(sequencer, rule))) {
        return false;
      }
      raw = state.records().get(RecordTable.EVENT_PAYLOADS, QueueKeys.payload(c.bucket, sequencer));
      EventPayload p = raw == null ? null : EventPayload.decode(raw);
      if (p == null || !p.full().contains(rule)) {
        return false;
      }
      removeLetters(List.of(logLetter(p, rule)), true);
      return true;
    }
  }

  /** Moves all dead letters of a rule back to the queue. @return how many */
  int redeliverAll(UUID rule) {
    return drain(rule, Long.MAX_VALUE, page -> removeLetters(page, true));
  }

  /** Deletes all dead letters of a rule. @return how many */
  int purge(UUID rule) {
    return drain(rule, Long.MAX_VALUE, page -> removeLetters(page, false));
  }

  /**
   * Hands letters of a rule, a page at a time, to {@code action}, which removes them: the
   * {@code queue_full} letters in the log of events before {@code before}, and, when that is
   * {@code Long.MAX_VALUE} (all of them), first those with a record of their own.
   */
  private int drain(UUID rule, long before, Consumer<List<Letter>> action) {
    int n = 0;
    while (before == Long.MAX_VALUE) {
      synchronized (state.lock) {
        List<RecordStore.Entry> page = state.records().scan(RecordTable.DEAD_LETTERS, QueueKeys.deadPrefix(rule), null,
            QueueState.PAGE);
        if (page.isEmpty()) {
          break;
        }
        action.accept(page.stream().map(e -> new Letter(DeadLetter.decode(e.value()), null)).toList());
        n += page.size();
      }
    }
    long after = -1;
    while (true) {
      synchronized (state.lock) {
        List<Letter> page = logLetters(rule, after, before, QueueState.PAGE);
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
  List<Letter> logLetters(UUID rule, long afterSeq, long before, int limit) {
    LogCursor c = state.cursors.get(rule);
    List<Letter> out = new ArrayList<>();
    if (c == null || c.letters.get() <= 0) {
      return out; // no need to read a log of many events for letters that are not there
    }
    state.walkLog(c.bucket, afterSeq, p -> {
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
    long now = state.clock.millis();
    Map<UUID, Integer> perRule = new HashMap<>();
    if (requeue) {
      letters.forEach(l -> perRule.merge(l.dead().delivery().ruleId(), 1, Integer::sum));
    }
    perRule.forEach((r, k) -> state.counters(r).pending.addAndGet(k));
    try {
      state.write(b -> {
        for (Letter l : letters) {
          remove(b, l);
          if (requeue) {
            QueueState.putPending(b, l.dead().delivery().redelivered(now));
          }
        }
      });
    } catch (RuntimeException e) {
      perRule.forEach((r, k) -> state.counters(r).pending.addAndGet(-k));
      throw e;
    }
    for (Letter l : letters) {
      LogCursor c = l.logged() == null ? null : state.cursors.get(l.dead().delivery().ruleId());
      if (c != null) {
        c.letters.decrementAndGet();
      }
    }
  }

  /** Purges the dead letters of {@code rule} that died before {@code cutoff}. */
  void purgeExpired(UUID rule, long cutoff) {
    while (true) {
      synchronized (state.lock) {
        List<RecordStore.Entry> page = state.records().scan(RecordTable.DEAD_LETTERS, QueueKeys.deadByTimePrefix(rule),
            null, QueueState.PAGE);
        List<byte[]> expired = page.stream().map(RecordStore.Entry::key).filter(k -> QueueKeys.deadTimeOf(k) < cutoff)
            .collect(Collectors.toList());
        if (expired.isEmpty()) {
          break;
        }
        state.write(b -> {
          for (byte[] k : expired) {
            byte[] raw = state.records().get(RecordTable.DEAD_LETTERS,
                QueueKeys.dead(rule, QueueKeys.deliveryIdOfDeadByTime(k)));
            if (raw != null) {
              delete(b, DeadLetter.decode(raw));
            }
            b.delete(RecordTable.DEAD_LETTERS, k);
          }
        });
        if (expired.size() < page.size()) {
          break;
        }
      }
    }
    drain(rule, cutoff, page -> removeLetters(page, false));
  }
}
