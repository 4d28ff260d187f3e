package io.tarn.notifications.queue;

import io.tarn.notifications.DeliveryDetail;
import io.tarn.notifications.DeliveryFilter;
import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.Page;
import io.tarn.notifications.RuleStats;
import io.tarn.storage.EventSink;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The durable delivery queue, as {@code Notifications} and the {@link Dispatcher} use it; the work is
 * done by its parts, which share a {@link QueueState} (the record store, the queue's one lock, each
 * rule's figures and log cursor):
 *
 * <ul>
 *   <li>{@link EventLog}: events staged as ONE entry in their bucket's log, however many rules they
 *       matched; each rule's {@link LogCursor} and the logs' in-memory {@link LogTail}s; first attempts.
 *   <li>{@link Outcomes}: the due lanes of deliveries with a record of their own (retries,
 *       redeliveries, test events), attempts' outcomes with backoff, the attempt log.
 *   <li>{@link DeadLetters}: letters after the last attempt and {@code queue_full} letters; redelivery
 *       and the retention purge.
 *   <li>{@link QueueQueries}: pages for the API, pending deliveries, figures.
 *   <li>{@link QueueLoader}: the start.
 * </ul>
 *
 * Tables: the event log ({@code EVENT_PAYLOADS}), deliveries ({@code DELIVERIES}) with the per-rule due
 * index ({@code DUE}), the attempt log ({@code ATTEMPTS}), dead letters ({@code DEAD_LETTERS}) and
 * per-rule figures, cursors and done marks ({@code RULE_STATS}); key layouts in {@link QueueKeys}.
 * New events are staged into a mutation's batch ({@link #stage}); everything else is written in the
 * queue's own batches.
 */
public final class DeliveryQueue {
  private final QueueState state;
  private final EventLog log;
  private final Outcomes outcomes;
  private final DeadLetters deadLetters;
  private final QueueQueries queries;
  private final QueueLoader loader;
  private final DeliveryLog deliveryLog;

  /**
   * @param ruleExists whether a rule still exists: outcomes of attempts of deleted rules are dropped
   */
  public DeliveryQueue(Clock clock, DeliveryOptions options, Predicate<UUID> ruleExists) {
    this.state = new QueueState(clock, options, ruleExists);
    this.log = new EventLog(state);
    this.outcomes = new Outcomes(state, log);
    this.deadLetters = new DeadLetters(state, log);
    this.queries = new QueueQueries(state, log, outcomes, deadLetters);
    this.loader = new QueueLoader(state, log);
    this.deliveryLog = new DeliveryLog(state, log, outcomes, deadLetters);
  }
  /** Tells {@code listener} of every outcome recorded from now on (the live tail). */
  public void onAttempt(AttemptListener listener) {
    state.attempts = java.util.Objects.requireNonNull(listener, "listener");
  }


  /** See {@link QueueLoader#load}; the records of rules that no longer exist are dropped. */
  public void load(RecordStore store) {
    loader.load(store, this::dropRule);
  }

  // ---- staging (EventSink, under an object key's lock: no I/O)

  /** What {@code batch} stages into the queue; {@link #committed} or {@link StagedEvents#release} ends it. */
  public StagedEvents open(EventSink.EventBatch batch) {
    return new StagedEvents(batch);
  }

  /** See {@link EventLog#stage}. */
  public void stage(StagedEvents staged, EventPayload payload) {
    log.stage(staged, payload);
  }

  /** See {@link EventLog#committed}. */
  public boolean committed(StagedEvents staged) {
    return log.committed(staged);
  }

  // ---- the dispatcher's side

  /** Rules with pending deliveries. */
  public List<UUID> lanes() {
    return outcomes.lanes();
  }

  /** Up to {@code limit} entries of a rule's lane after {@code after} (exclusive; null: from the start). */
  public List<Due> head(UUID rule, Due after, int limit) {
    return outcomes.head(rule, after, limit);
  }

  /** The pending delivery with a record of its own, or null. */
  public DeliveryRecord delivery(String id) {
    return outcomes.delivery(id);
  }

  /** See {@link Outcomes#dropDue}. */
  public void dropDue(UUID rule, Due due) {
    outcomes.dropDue(rule, due);
  }

  /** See {@link EventLog#fresh}. */
  public Fresh fresh(UUID rule, String bucket, int limit) {
    return log.fresh(rule, bucket, limit);
  }

  /** See {@link Outcomes#completedAll}. */
  public void completedAll(List<Outcome> done) {
    outcomes.completedAll(done);
  }

  /** The dispatcher found the rule's receiver with no free send slot ({@code full}), or not. */
  public void atCapacity(UUID rule, boolean full) {
    RuleCounters c = state.counters.get(rule);
    if (c != null && c.atCapacity != full) {
      c.atCapacity = full;
    }
  }

  /** Pending deliveries of a rule that have a record of their own (not first attempts read from the log). */
  public long explicitPending(UUID rule) {
    return queries.explicitPending(rule);
  }

  // ---- operator actions

  /** Queues a delivery now (a test event), outside any mutation. */
  public void enqueue(DeliveryRecord d) {
    outcomes.enqueue(d);
  }

  /** Moves one dead letter back to the queue, due now, attempts reset. @return false if there is none */
  public boolean redeliver(UUID rule, String deliveryId) {
    return deadLetters.redeliver(rule, deliveryId);
  }

  /** Moves all dead letters of a rule back to the queue. @return how many */
  public int redeliverAll(UUID rule) {
    return deadLetters.redeliverAll(rule);
  }

  /** Deletes all dead letters of a rule. @return how many */
  public int purge(UUID rule) {
    return deadLetters.purge(rule);
  }

  /**
   * Deletes everything queued or logged for a rule (the rule is being deleted), including the events
   * of its log that only it still needed.
   */
  public void dropRule(UUID rule) {
    byte[] prefix = QueueKeys.rulePrefix(rule);
    state.deleteAll(RecordTable.DUE, prefix, true);
    LogCursor c = state.cursors.get(rule);
    if (c != null) {
      log.dropEventsOf(rule, c);
    }
    state.deleteAll(RecordTable.DEAD_LETTERS, prefix, false);
    state.deleteAll(RecordTable.ATTEMPTS, prefix, false);
    state.deleteAll(RecordTable.RULE_STATS, prefix, false); // figures, cursor, marks
    state.counters.remove(rule);
    state.cursors.remove(rule);
    if (c != null) {
      log.retireTail(c.bucket);
    }
  }

  // ---- listings and figures

  /** See {@link QueueQueries#pending(UUID, int)}. */
  public List<DeliveryRecord> pending(UUID rule, int limit) {
    return queries.pending(rule, limit);
  }

  /** A rule's attempt log, newest first. */
  public Page<DeliveryView> attempts(UUID rule, String after, int limit) {
    return deliveryLog.attempts(rule, DeliveryFilter.NONE, after, limit);
  }

  /** See {@link DeliveryLog#attempts}. */
  public Page<DeliveryView> attempts(UUID rule, DeliveryFilter filter, String after, int limit) {
    return deliveryLog.attempts(rule, filter, after, limit);
  }

  /** See {@link DeliveryLog#ofKey}. */
  public List<DeliveryView> ofKey(List<UUID> rules, String key, int limit) {
    return deliveryLog.ofKey(rules, key, limit);
  }

  /** See {@link DeliveryLog#detail}. */
  public DeliveryDetail detail(UUID rule, String deliveryId) {
    return deliveryLog.detail(rule, deliveryId);
  }

  /** See {@link DeliveryLog#redeliver}. */
  public void redeliverAny(UUID rule, String deliveryId) {
    deliveryLog.redeliver(rule, deliveryId);
  }

  /** See {@link DeliveryLog#countDead}. */
  public int countDead(UUID rule) {
    return deliveryLog.countDead(rule);
  }

  /** See {@link QueueQueries#deadLetters}. */
  public Page<DeliveryView> deadLetters(List<UUID> rules, String after, int limit) {
    return queries.deadLetters(rules, after, limit);
  }

  public RuleStats stats(UUID rule) {
    return queries.stats(rule);
  }

  /** Pending deliveries of a rule (including those of batches still committing). */
  public long pending(UUID rule) {
    return queries.pending(rule);
  }

  /** Pending deliveries over all rules. */
  public long backlog() {
    return queries.backlog();
  }

  // ---- upkeep (the recorder thread)

  /** Persists the figures that changed since the last flush. */
  public void flushStats() {
    queries.flushStats();
  }

  /**
   * Purges dead letters older than the retention, and trims the attempt logs that grew or hold
   * entries past their age to their bounds.
   */
  public void sweep(Collection<UUID> rules) {
    long now = state.clock.millis();
    long deadCutoff = now - state.options.deadLetterRetention().toMillis();
    long attemptCutoff = now - state.options.attemptLogRetention().toMillis();
    for (UUID rule : rules) {
      deadLetters.purgeExpired(rule, deadCutoff);
      outcomes.trimAttemptsIfDue(rule, attemptCutoff);
    }
  }
}
