package io.tarn.notifications.queue;

import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** The queue's start: its in-memory state rebuilt from the records. */
final class QueueLoader {
  private static final System.Logger LOG = System.getLogger(DeliveryQueue.class.getName());

  private final QueueState state;
  private final EventLog log;

  QueueLoader(QueueState state, EventLog log) {
    this.state = state;
    this.log = log;
  }

  /**
   * Rebuilds pending counts from the due index and the event log,
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
    log.load();
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
