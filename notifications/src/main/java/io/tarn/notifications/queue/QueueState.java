package io.tarn.notifications.queue;

import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the parts of the delivery queue ({@link EventLog}, {@link Outcomes}, {@link DeadLetters},
 * {@link QueueQueries}) share: the record store, the queue's one lock, each rule's figures and log
 * cursor, and the writes and scans they all make.
 *
 * <p>{@link #lock}: operations that read a record and then rewrite it run under it, so an attempt's
 * outcome, a redelivery and a rule's deletion never interleave on one record. It is ONE lock for all
 * the parts because their records overlap: an event's log entry holds the {@code queue_full} marks
 * that {@link DeadLetters} rewrites on redelivery and purge, and the entry that {@link Outcomes}
 * deletes when the last rule is done with it ({@link EventLog#advanceCursors} re-reads it under this
 * lock for that reason). Cursors have their own monitors, taken inside this lock, never around it.
 */
final class QueueState {
  static final int PAGE = 1000;
  static final byte[] MARK = {1};

  final Clock clock;
  final DeliveryOptions options;
  /** Whether a rule still exists: outcomes of attempts of deleted rules are dropped. */
  final Predicate<UUID> ruleExists;
  final ConcurrentHashMap<UUID, RuleCounters> counters = new ConcurrentHashMap<>();
  final ConcurrentHashMap<UUID, LogCursor> cursors = new ConcurrentHashMap<>();
  final Object lock = new Object();
  /** Told of each recorded outcome (the live tail). */
  volatile AttemptListener attempts = AttemptListener.NONE;
  private volatile RecordStore records;

  QueueState(Clock clock, DeliveryOptions options, Predicate<UUID> ruleExists) {
    this.clock = clock;
    this.options = options;
    this.ruleExists = ruleExists;
  }

  void attach(RecordStore store) {
    this.records = store;
  }

  RecordStore records() {
    RecordStore r = records;
    if (r == null) {
      throw new IllegalStateException("delivery queue not loaded");
    }
    return r;
  }

  RuleCounters counters(UUID rule) {
    return counters.computeIfAbsent(rule, r -> new RuleCounters(options.latencyWindow()));
  }

  void write(Consumer<RecordStore.Batch> writes) {
    records().write(writes);
  }

  /** Like {@link #write} without waiting for the WAL sync (see RecordStore.writeLazily). */
  void writeLazily(Consumer<RecordStore.Batch> writes) {
    records().writeLazily(writes);
  }

  /** Queues a delivery with a record of its own: the record and its entry in its rule's due lane. */
  static void putPending(RecordStore.Batch b, DeliveryRecord d) {
    b.put(RecordTable.DELIVERIES, QueueKeys.delivery(d.id()), d.encode());
    b.put(RecordTable.DUE, QueueKeys.due(d.ruleId(), d.dueMillis(), d.id()), MARK);
  }

  /** Deletes the entries of {@code table} under {@code prefix}; with {@code dueEntries}, their deliveries too. */
  void deleteAll(RecordTable table, byte[] prefix, boolean dueEntries) {
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

  /**
   * Hands the entries of {@code table} under {@code prefix} after {@code after} (null: from the start),
   * in key order and a page at a time from RocksDB, to {@code visit} until it returns false.
   */
  void walk(RecordTable table, byte[] prefix, byte[] after, Predicate<RecordStore.Entry> visit) {
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
  void walkLog(String bucket, long afterSeq, Predicate<EventPayload> visit) {
    walk(RecordTable.EVENT_PAYLOADS, QueueKeys.logPrefix(bucket), afterSeq < 0 ? null : QueueKeys.payload(bucket, afterSeq),
        e -> visit.test(EventPayload.decode(e.value())));
  }
}
