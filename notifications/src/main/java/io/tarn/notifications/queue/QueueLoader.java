package io.tarn.notifications.queue;

import io.tarn.notifications.rules.Format;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** The queue's start: its in-memory state rebuilt from the records, and the upgrade of older builds' queues. */
final class QueueLoader {
  private static final System.Logger LOG = System.getLogger(DeliveryQueue.class.getName());
  /** Due-entry values of builds before the event log: a first attempt whose body was the payload's. */
  private static final byte LEGACY_FRESH_S3 = 2;
  private static final byte LEGACY_FRESH_COMPACT = 3;

  private final QueueState state;
  private final EventLog log;

  QueueLoader(QueueState state, EventLog log) {
    this.state = state;
    this.log = log;
  }

  /**
   * Upgrades a queue of an older build, rebuilds pending counts from the due index and the event log,
   * restores figures and cursors, and hands {@code dropRule} the rules that no longer exist but have
   * records (left behind by a rule deleted while an event for it was being committed).
   */
  void load(RecordStore store, Consumer<UUID> dropRule) {
    state.attach(store);
    Set<UUID> orphans = new HashSet<>();
    state.walk(RecordTable.DUE, new byte[0], null, e -> {
      UUID rule = QueueKeys.ruleOf(e.key());
      if (rule != null) {
        state.counters(rule).pending.incrementAndGet();
        orphans.add(rule);
      }
      return true;
    });
    state.walk(RecordTable.RULE_STATS, new byte[0], null, e -> {
      UUID rule = QueueKeys.ruleOf(e.key());
      if (rule != null) {
        orphans.add(rule);
        restore(rule, e);
      }
      return true;
    });
    upgradeLegacy(log.load());
    orphans.addAll(rulesIn(RecordTable.DEAD_LETTERS));
    orphans.addAll(rulesIn(RecordTable.ATTEMPTS));
    orphans.removeIf(state.ruleExists);
    for (UUID rule : orphans) {
      LOG.log(System.Logger.Level.INFO, "deleting queued records of deleted webhook rule " + rule);
      dropRule.accept(rule);
    }
  }

  /** Restores a rule's figures, cursor or done mark from its entry in {@code RULE_STATS}. */
  private void restore(UUID rule, RecordStore.Entry e) {
    try {
      switch (QueueKeys.statsKind(e.key())) {
        case 's' -> state.counters(rule).restore(e.value());
        case 'c' -> state.cursors.put(rule, LogCursor.decode(rule, e.value())); // sorts before its marks
        case 'm' -> {
          LogCursor c = state.cursors.get(rule); // marks are only written with a cursor
          if (c != null) {
            c.done.add(QueueKeys.sequenceOfDoneMark(e.key()));
          }
        }
        default -> { }
      }
    } catch (RuntimeException ex) {
      LOG.log(System.Logger.Level.WARNING, "ignoring unreadable record of rule " + rule + ": " + ex.getMessage());
    }
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
    state.records().write(b -> {
      state.walk(RecordTable.DUE, new byte[0], null, e -> {
        upgradeDue(b, e, legacy);
        return true;
      });
      state.walk(RecordTable.DEAD_LETTERS, new byte[0], null, e -> {
        upgradeDead(b, e, legacy);
        return true;
      });
      legacy.keySet().forEach(seq -> b.delete(RecordTable.EVENT_PAYLOADS, QueueKeys.legacyPayload(seq)));
    });
  }

  private void upgradeDue(RecordStore.Batch b, RecordStore.Entry e, Map<String, EventPayload> legacy) {
    byte v = e.value().length == 1 ? e.value()[0] : 0;
    if (v != LEGACY_FRESH_S3 && v != LEGACY_FRESH_COMPACT) {
      return;
    }
    UUID rule = QueueKeys.ruleOf(e.key());
    String id = QueueKeys.deliveryIdOfDue(e.key());
    EventPayload p = legacy.get(QueueKeys.sequencerOf(id));
    DeliveryRecord d = p == null || rule == null ? null
        : p.delivery(rule, v == LEGACY_FRESH_S3 ? Format.S3 : Format.COMPACT);
    if (d == null) {
      b.delete(RecordTable.DUE, e.key()); // counted as pending by load: uncount it
      if (rule != null) {
        state.counters(rule).pending.decrementAndGet();
      }
    } else {
      b.put(RecordTable.DELIVERIES, QueueKeys.delivery(id), d.encode());
      b.put(RecordTable.DUE, e.key(), QueueState.MARK);
    }
  }

  private static void upgradeDead(RecordStore.Batch b, RecordStore.Entry e, Map<String, EventPayload> legacy) {
    UUID rule = QueueKeys.ruleOf(e.key());
    if (rule == null || !QueueKeys.startsWith(e.key(), QueueKeys.deadPrefix(rule))) {
      return;
    }
    DeadLetter dl = DeadLetter.decode(e.value());
    if (dl.bodyIn() != null) {
      EventPayload p = legacy.get(dl.delivery().sequencer());
      byte[] body = p == null ? null : p.body(rule, dl.bodyIn());
      if (body == null) {
        DeadLetters.delete(b, dl);
      } else {
        DeadLetters.put(b, new DeadLetter(dl.delivery().withBody(body), dl.outcome(), dl.reason(), dl.deadMillis(),
            dl.lastStatus(), dl.lastLatencyMillis()));
      }
    }
  }

  /** The rule ids that have entries in {@code table}, by jumping from one rule's prefix to the next. */
  private List<UUID> rulesIn(RecordTable table) {
    List<UUID> out = new ArrayList<>();
    byte[] after = null;
    while (true) {
      List<RecordStore.Entry> e = state.records().scan(table, new byte[0], after, 1);
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
}
