package io.tarn.notifications.queue;

import io.tarn.notifications.AttemptView;
import io.tarn.notifications.DeliveryDetail;
import io.tarn.notifications.DeliveryFilter;
import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.Page;
import io.tarn.notifications.WebhookException;
import io.tarn.notifications.rules.Wire;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The delivery log as the console and {@code tarn webhooks} read it: filtered pages of a rule's
 * attempt log, one delivery in full (the attempt inspector), the deliveries of one object key, any
 * delivery queued again (redeliver), and the count of a rule's dead letters.
 *
 * <p>Filters other than the time range are applied while scanning, so a scan is bounded: at most
 * {@link #MAX_SCAN} entries are read for one page. A page that stopped at that bound has fewer entries
 * than asked for and a {@code next} cursor to go on from. The per-key lookup is a bounded scan of each
 * rule's log rather than an index: the log is capped per rule ({@code attemptLogPerRule}, 1000 by
 * default) and trimmed, so the scan reads at most that many small entries per rule, whereas an index
 * by key would add a write to every attempt on the delivery path, the one that must keep up with uploads.
 */
final class DeliveryLog {
  /** Most log entries read per rule for one request. */
  static final int MAX_SCAN = 5000;

  private final QueueState state;
  private final Outcomes outcomes;
  private final EventLog log;
  private final DeadLetters deadLetters;

  DeliveryLog(QueueState state, EventLog log, Outcomes outcomes, DeadLetters deadLetters) {
    this.state = state;
    this.log = log;
    this.outcomes = outcomes;
    this.deadLetters = deadLetters;
  }

  /** A rule's attempt log, newest first, filtered; {@code pending}: the deliveries queued now (one page). */
  Page<DeliveryView> attempts(UUID rule, DeliveryFilter f, String after, int limit) {
    if ("pending".equals(f.status())) {
      return new Page<>(pending(rule, f, limit), null);
    }
    byte[] prefix = QueueKeys.rulePrefix(rule);
    byte[] start = cursor(after, prefix);
    if (start == null && f.to() != null) {
      // After every entry at or after "to" (a delivery id's bytes are below 0xFF): its time is exclusive.
      start = Wire.concat(QueueKeys.attemptsAtOrBefore(rule, f.to().toEpochMilli()), new byte[] {(byte) 0xFF});
    }
    List<DeliveryView> items = new ArrayList<>();
    byte[] lastItem = null;
    byte[] lastSeen = null;
    int examined = 0;
    while (true) {
      List<RecordStore.Entry> page = state.records().scan(RecordTable.ATTEMPTS, prefix, start, QueueState.PAGE);
      for (RecordStore.Entry e : page) {
        if (QueueKeys.isAttemptBody(e.key())
            || f.from() != null && QueueKeys.attemptTimeOf(e.key()) < f.from().toEpochMilli()) {
          return new Page<>(items, null); // past the attempts, or past the time range
        }
        DeliveryView v = AttemptCodec.decode(e.value());
        if (f.matches(v)) {
          if (items.size() == limit) {
            return new Page<>(items, cursor(lastItem)); // there is one more
          }
          items.add(v);
          lastItem = e.key();
        }
        lastSeen = e.key();
        if (++examined >= MAX_SCAN) {
          return new Page<>(items, cursor(items.size() == limit ? lastItem : lastSeen));
        }
      }
      if (page.size() < QueueState.PAGE) {
        return new Page<>(items, null);
      }
      start = page.get(page.size() - 1).key();
    }
  }

  /** The deliveries of a rule queued now, as log rows with outcome {@code pending}. */
  private List<DeliveryView> pending(UUID rule, DeliveryFilter f, int limit) {
    List<DeliveryRecord> queued = new ArrayList<>();
    for (Due due : outcomes.head(rule, null, MAX_SCAN)) {
      DeliveryRecord d = outcomes.delivery(due.deliveryId());
      if (d != null) {
        queued.add(d);
      }
    }
    log.pendingFirstAttempts(rule, queued, MAX_SCAN);
    // Newest event first, like the log; each row's time is when its next attempt is due.
    queued.sort(Comparator.comparingLong(DeliveryRecord::eventMillis)
        .thenComparing(DeliveryRecord::id, Comparator.naturalOrder()).reversed());
    List<DeliveryView> out = new ArrayList<>();
    for (DeliveryRecord d : queued) {
      DeliveryView v = pendingView(d);
      if (f.matches(v) && (f.from() == null || !v.time().isBefore(f.from()))
          && (f.to() == null || v.time().isBefore(f.to()))) {
        out.add(v);
      }
    }
    return List.copyOf(out.subList(0, Math.min(limit, out.size())));
  }

  /** A queued delivery as a row: its time is when its next attempt is due. */
  private static DeliveryView pendingView(DeliveryRecord d) {
    return new DeliveryView(d.id(), d.ruleId().toString(), d.eventName(), d.key(), d.sequencer(),
        Instant.ofEpochMilli(d.dueMillis()), d.attempts(), "pending", null, null, null);
  }

  /** The attempts and queued deliveries of one object key over {@code rules}, newest first. */
  List<DeliveryView> ofKey(List<UUID> rules, String key, int limit) {
    List<DeliveryView> out = new ArrayList<>();
    Predicate<DeliveryView> same = v -> key.equals(v.key());
    for (UUID rule : rules) {
      scanRule(rule, (k, v) -> same.test(v), out, limit);
      for (DeliveryView v : pending(rule, new DeliveryFilter(null, key, null, null), limit)) {
        if (same.test(v)) {
          out.add(v);
        }
      }
    }
    out.sort(Comparator.comparing(DeliveryView::time).reversed());
    return List.copyOf(out.subList(0, Math.min(limit, out.size())));
  }

  private interface EntryTest {
    boolean test(byte[] key, DeliveryView v);
  }

  /** Up to {@code limit} matching attempts of a rule, newest first, reading at most {@link #MAX_SCAN}. */
  private void scanRule(UUID rule, EntryTest test, List<DeliveryView> out, int limit) {
    byte[] prefix = QueueKeys.rulePrefix(rule);
    byte[] start = null;
    int examined = 0;
    int found = 0;
    while (examined < MAX_SCAN && found < limit) {
      List<RecordStore.Entry> page = state.records().scan(RecordTable.ATTEMPTS, prefix, start, QueueState.PAGE);
      for (RecordStore.Entry e : page) {
        if (QueueKeys.isAttemptBody(e.key()) || examined++ >= MAX_SCAN) {
          return;
        }
        DeliveryView v = AttemptCodec.decode(e.value());
        if (test.test(e.key(), v)) {
          out.add(v);
          if (++found >= limit) {
            return;
          }
        }
      }
      if (page.size() < QueueState.PAGE) {
        return;
      }
      start = page.get(page.size() - 1).key();
    }
  }

  /** One delivery in full, or null if nothing of it is known. */
  DeliveryDetail detail(UUID rule, String deliveryId) {
    List<AttemptView> attempts = new ArrayList<>();
    byte[] prefix = QueueKeys.rulePrefix(rule);
    byte[] start = null;
    int examined = 0;
    scan:
    while (examined < MAX_SCAN) {
      List<RecordStore.Entry> page = state.records().scan(RecordTable.ATTEMPTS, prefix, start, QueueState.PAGE);
      for (RecordStore.Entry e : page) {
        if (QueueKeys.isAttemptBody(e.key()) || examined++ >= MAX_SCAN) {
          break scan;
        }
        if (deliveryId.equals(QueueKeys.deliveryIdOfAttempt(e.key()))) {
          attempts.add(AttemptCodec.decodeFull(e.value()));
        }
      }
      if (page.size() < QueueState.PAGE) {
        break;
      }
      start = page.get(page.size() - 1).key();
    }
    DeliveryRecord queued = outcomes.delivery(deliveryId);
    byte[] rawDead = state.records().get(RecordTable.DEAD_LETTERS, QueueKeys.dead(rule, deliveryId));
    byte[] rawBody = state.records().get(RecordTable.ATTEMPTS, QueueKeys.attemptBody(rule, deliveryId));
    DeliveryRecord kept = rawBody == null ? null : DeliveryRecord.decode(rawBody);
    if (attempts.isEmpty() && queued == null && rawDead == null && kept == null) {
      return null;
    }
    DeliveryRecord dead = rawDead == null ? null : DeadLetter.decode(rawDead).delivery();
    String stateName = queued != null ? "pending" : dead != null ? "dead" : "done";
    DeliveryRecord any = queued != null ? queued : dead != null ? dead : kept;
    return new DeliveryDetail(deliveryId, rule.toString(), stateName,
        queued == null ? null : Instant.ofEpochMilli(queued.dueMillis()), any == null ? null : any.body(),
        List.copyOf(attempts));
  }

  /**
   * Queues a delivery again, due now, attempts reset: a dead letter as {@link DeadLetters#redeliver}
   * does, or one that was delivered (or otherwise left the queue) from the body its log keeps, sent
   * byte-identical under the same delivery id.
   *
   * @throws WebhookException NOT_FOUND when nothing of it is kept, CONFLICT when it is queued already
   */
  void redeliver(UUID rule, String deliveryId) {
    synchronized (state.lock) {
      if (deadLetters.redeliver(rule, deliveryId)) {
        return;
      }
      if (outcomes.delivery(deliveryId) != null) {
        throw new WebhookException(WebhookException.Kind.CONFLICT, null,
            "delivery " + deliveryId + " is queued already: its next attempt is coming");
      }
      byte[] raw = state.records().get(RecordTable.ATTEMPTS, QueueKeys.attemptBody(rule, deliveryId));
      if (raw == null) {
        throw new WebhookException(WebhookException.Kind.NOT_FOUND, null, "no delivery " + deliveryId
            + " in the delivery log (it may have been trimmed, or not attempted yet)");
      }
      long now = state.clock.millis();
      outcomes.enqueue(DeliveryRecord.decode(raw).redelivered(now));
    }
  }

  /** How many dead letters a rule has (those with a record of their own and its {@code queue_full} ones). */
  int countDead(UUID rule) {
    int n = 0;
    byte[] after = null;
    while (true) {
      List<RecordStore.Entry> page = state.records().scan(RecordTable.DEAD_LETTERS, QueueKeys.deadPrefix(rule), after,
          QueueState.PAGE);
      n += page.size();
      if (page.size() < QueueState.PAGE) {
        break;
      }
      after = page.get(page.size() - 1).key();
    }
    long afterSeq = -1;
    while (true) {
      List<DeadLetters.Letter> page = deadLetters.logLetters(rule, afterSeq, Long.MAX_VALUE, QueueState.PAGE);
      n += page.size();
      if (page.size() < QueueState.PAGE) {
        return n;
      }
      afterSeq = page.get(page.size() - 1).logged().sequence();
    }
  }

  private static String cursor(byte[] key) {
    return key == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(key);
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
    if (key == null || !QueueKeys.startsWith(key, prefix) || QueueKeys.isAttemptBody(key)) {
      throw new WebhookException(WebhookException.Kind.INVALID, "after", "after is not a cursor of this listing");
    }
    return key;
  }
}
