package io.tarn.notifications.queue;

import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.Page;
import io.tarn.notifications.RuleStats;
import io.tarn.notifications.WebhookException;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the webhooks API and the dispatcher read of the queue: pages of a rule's attempt log and of
 * dead letters (their {@code after} cursors are base64url record keys), the pending deliveries, and
 * the per-rule figures, which are persisted here too ({@link #flushStats}).
 */
final class QueueQueries {
  private final QueueState state;
  private final EventLog log;
  private final Outcomes outcomes;
  private final DeadLetters deadLetters;

  QueueQueries(QueueState state, EventLog log, Outcomes outcomes, DeadLetters deadLetters) {
    this.state = state;
    this.log = log;
    this.outcomes = outcomes;
    this.deadLetters = deadLetters;
  }

  /**
   * Up to {@code limit} pending deliveries of {@code rule}: those with a record, earliest due first,
   * then the first attempts still to be made in log order (diagnostics, tests).
   */
  List<DeliveryRecord> pending(UUID rule, int limit) {
    List<DeliveryRecord> out = new ArrayList<>();
    for (Due due : outcomes.head(rule, null, limit)) {
      DeliveryRecord d = outcomes.delivery(due.deliveryId());
      if (d != null) {
        out.add(d);
      }
    }
    log.pendingFirstAttempts(rule, out, limit);
    return out;
  }

  /**
   * Dead letters of the given rules (in that order); each rule's with a record of their own by delivery
   * id (event order), then its {@code queue_full} letters kept in the event log, in event order.
   */
  Page<DeliveryView> deadLetters(List<UUID> rules, String after, int limit) {
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
        for (RecordStore.Entry e : state.records().scan(RecordTable.DEAD_LETTERS, QueueKeys.deadPrefix(rule), from,
            limit + 1 - found.size())) {
          keys.add(e.key());
          found.add(DeadLetter.decode(e.value()).view());
        }
        from = null;
      }
      if (found.size() <= limit) {
        long afterSeq = from == null ? -1 : QueueKeys.sequenceOfLogLetter(from);
        for (DeadLetters.Letter l : deadLetters.logLetters(rule, afterSeq, Long.MAX_VALUE, limit + 1 - found.size())) {
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

  // ---- figures

  RuleStats stats(UUID rule) {
    RuleCounters c = state.counters.get(rule);
    return (c == null ? new RuleCounters(1) : c).snapshot(rule);
  }

  /** Pending deliveries of a rule (including those of batches still committing). */
  long pending(UUID rule) {
    RuleCounters c = state.counters.get(rule);
    return c == null ? 0 : c.pending.get();
  }

  /** Pending deliveries of a rule that have a record of their own (not first attempts read from the log). */
  long explicitPending(UUID rule) {
    RuleCounters c = state.counters.get(rule);
    return c == null ? 0 : c.pending.get() - c.freshPending.get();
  }

  /** Pending deliveries over all rules. */
  long backlog() {
    return state.counters.values().stream().mapToLong(c -> c.pending.get()).sum();
  }

  /** Persists the figures that changed since the last flush. */
  void flushStats() {
    Map<UUID, byte[]> changed = new HashMap<>();
    state.counters.forEach((rule, c) -> {
      if (c.takeDirty() && state.ruleExists.test(rule)) {
        changed.put(rule, c.encode());
      }
    });
    if (!changed.isEmpty()) {
      state.write(b -> changed.forEach((rule, v) -> b.put(RecordTable.RULE_STATS, QueueKeys.stats(rule), v)));
    }
  }
}
