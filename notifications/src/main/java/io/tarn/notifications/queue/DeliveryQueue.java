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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The durable delivery queue: pending deliveries (the per-rule due index {@code DUE}, whose entries
 * point either to a {@link DeliveryRecord} in {@code DELIVERIES} or, for an event's first attempts, to
 * the {@link EventPayload} in {@code EVENT_PAYLOADS} that all of that event's rules share), the
 * attempt log ({@code ATTEMPTS}), dead letters ({@code DEAD_LETTERS}) and per-rule figures
 * ({@code RULE_STATS}); key layouts in {@link QueueKeys}. An event payload is deleted in the batch that
 * removes the last due entry pointing to it.
 *
 * <p>New deliveries are staged into a mutation's batch ({@link #stage}); everything else is written in
 * this class's own synced batches. Operations that read a record and then rewrite it run under one
 * lock, so an attempt's outcome, a redelivery and a rule's deletion never interleave on one record.
 */
public final class DeliveryQueue {
  private static final System.Logger LOG = System.getLogger(DeliveryQueue.class.getName());
  private static final int PAGE = 1000;
  private static final byte[] MARK = {1};
  /** Due-entry values: the delivery's record is in DELIVERIES, or its body is the event payload's. */
  private static final byte EXPLICIT = 1;
  private static final byte FRESH_S3 = 2;
  private static final byte FRESH_COMPACT = 3;
  private static final int MAX_ERROR_CHARS = 300;

  private final Clock clock;
  private final DeliveryOptions options;
  private final Predicate<UUID> ruleExists;
  private final ConcurrentHashMap<UUID, RuleCounters> counters = new ConcurrentHashMap<>();
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
      reserved.forEach(c -> c.pending.decrementAndGet());
    }
  }

  // ---- start

  /**
   * Rebuilds pending counts from the due index, restores figures, and deletes what belongs to rules
   * that no longer exist (left behind by a rule deleted while an event for it was being committed).
   */
  public void load(RecordStore store) {
    this.records = store;
    Map<UUID, Long> pending = new HashMap<>();
    byte[] after = null;
    while (true) {
      List<RecordStore.Entry> page = store.scan(RecordTable.DUE, new byte[0], after, PAGE * 10);
      for (RecordStore.Entry e : page) {
        UUID rule = QueueKeys.ruleOf(e.key());
        if (rule != null) {
          pending.merge(rule, 1L, Long::sum);
        }
      }
      if (page.size() < PAGE * 10) {
        break;
      }
      after = page.get(page.size() - 1).key();
    }
    for (Map.Entry<UUID, Long> p : pending.entrySet()) {
      counters(p.getKey()).pending.set(p.getValue());
    }
    for (RecordStore.Entry e : scanAll(RecordTable.RULE_STATS, new byte[0])) {
      UUID rule = QueueKeys.ruleOf(e.key());
      if (rule != null && ruleExists.test(rule)) {
        try {
          counters(rule).restore(e.value());
        } catch (RuntimeException ex) {
          LOG.log(System.Logger.Level.WARNING, "ignoring unreadable figures of rule " + rule + ": " + ex.getMessage());
        }
      }
    }
    Set<UUID> orphans = new HashSet<>();
    orphans.addAll(pending.keySet());
    orphans.addAll(rulesIn(RecordTable.DEAD_LETTERS));
    orphans.addAll(rulesIn(RecordTable.ATTEMPTS));
    orphans.addAll(rulesIn(RecordTable.RULE_STATS));
    orphans.removeIf(ruleExists);
    for (UUID rule : orphans) {
      LOG.log(System.Logger.Level.INFO, "deleting queued records of deleted webhook rule " + rule);
      dropRule(rule);
    }
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
   * Stages an event for the rules of {@code payload} ({@code formats[i]} is the format of rule i): the
   * payload, written once, and per rule a due entry pointing to it, or, for a rule whose backlog is at
   * the cap, a {@code queue_full} dead letter pointing to it.
   */
  public void stage(EventSink.EventBatch batch, EventPayload payload, List<Format> formats) {
    Staged s = staged.get();
    if (s == null || s.batch != batch) {
      if (s != null) {
        s.release(); // that batch never committed
      }
      s = new Staged(batch);
      staged.set(s);
    }
    for (int i = 0; i < payload.rules().size(); i++) {
      UUID rule = payload.rules().get(i);
      Format format = formats.get(i);
      RuleCounters c = counters(rule);
      if (c.pending.incrementAndGet() > options.backlogCap()) {
        // Full: a dead letter that points to the payload too, so a receiver that is down for days
        // costs each upload a small record per rule, not a copy of the body.
        c.pending.decrementAndGet();
        DeliveryRecord d = payload.delivery(rule, new byte[0]);
        putDead(batch, new DeadLetter(d, DeadLetter.QUEUE_FULL, "queue_full: the rule's backlog is at its cap of "
            + options.backlogCap() + " pending deliveries", d.eventMillis(), null, null, format));
        s.onCommit.add(c::queueFull);
      } else {
        s.reserved.add(c);
        batch.put(RecordTable.DUE, QueueKeys.due(rule, payload.dueMillis(), payload.deliveryId(rule)),
            new byte[] {format == Format.S3 ? FRESH_S3 : FRESH_COMPACT});
      }
    }
    batch.put(RecordTable.EVENT_PAYLOADS, QueueKeys.payload(payload.sequencer()), payload.encode());
  }

  /** The batch this thread staged into has committed. */
  public void committed() {
    Staged s = staged.get();
    if (s != null) {
      staged.remove();
      s.onCommit.forEach(Runnable::run);
    }
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

  /**
   * A due-index entry.
   *
   * @param fresh the format of an event's first attempt, whose body is in the event payload; null when
   *     the delivery has its own record
   */
  public record Due(long dueMillis, String deliveryId, Format fresh) {}

  /** Rules with pending deliveries. */
  public Set<UUID> lanes() {
    return counters.entrySet().stream().filter(e -> e.getValue().pending.get() > 0).map(Map.Entry::getKey)
        .collect(Collectors.toSet());
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
      out.add(new Due(QueueKeys.dueMillisOf(e.key()), QueueKeys.deliveryIdOfDue(e.key()), freshFormat(e.value())));
    }
    return out;
  }

  private static Format freshFormat(byte[] dueValue) {
    if (dueValue == null || dueValue.length != 1) {
      return null;
    }
    return switch (dueValue[0]) {
      case FRESH_S3 -> Format.S3;
      case FRESH_COMPACT -> Format.COMPACT;
      default -> null;
    };
  }

  /** Up to {@code limit} pending deliveries of {@code rule}, earliest due first (diagnostics, tests). */
  public List<DeliveryRecord> pending(UUID rule, int limit) {
    List<DeliveryRecord> out = new ArrayList<>();
    for (Due due : head(rule, limit)) {
      DeliveryRecord d = delivery(rule, due);
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  /** The delivery a due entry of {@code rule} stands for, or null if it is missing. */
  public DeliveryRecord delivery(UUID rule, Due due) {
    if (due.fresh() == null) {
      return delivery(due.deliveryId());
    }
    EventPayload p = payload(QueueKeys.sequencerOf(due.deliveryId()));
    return p == null ? null : p.delivery(rule, due.fresh());
  }

  private EventPayload payload(String sequencer) {
    if (sequencer == null) {
      return null;
    }
    byte[] raw = records().get(RecordTable.EVENT_PAYLOADS, QueueKeys.payload(sequencer));
    return raw == null ? null : EventPayload.decode(raw);
  }

  /** The pending delivery, or null. */
  public DeliveryRecord delivery(String id) {
    byte[] raw = records().get(RecordTable.DELIVERIES, QueueKeys.delivery(id));
    return raw == null ? null : DeliveryRecord.decode(raw);
  }

  /** Removes a due entry whose delivery is missing (cannot normally happen; keeps a lane from sticking). */
  public void dropDue(UUID rule, Due due) {
    synchronized (lock) {
      if (delivery(rule, due) == null) {
        write(b -> b.delete(RecordTable.DUE, QueueKeys.due(rule, due.dueMillis(), due.deliveryId())));
        counters(rule).pending.decrementAndGet();
      }
    }
  }

  /**
   * One attempt's result, as {@link #completedAll} takes them.
   *
   * @param fresh whether {@code sent} was an event's first attempt read from its payload
   */
  public record Outcome(DeliveryRecord sent, boolean fresh, long startMillis, SendResult result) {}

  /**
   * Records attempts' outcomes: a 2xx removes the delivery; a failure reschedules it with backoff, or
   * dead-letters it after the last attempt. Either way the attempt is logged. An outcome is dropped if
   * its rule or delivery is gone meanwhile. All of them go into ONE batch: at thousands of deliveries
   * a second, a write per delivery would make the disk the delivery rate (and compete with uploads').
   * The in-memory counters change only once the batch is committed.
   */
  public void completedAll(List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return;
    }
    synchronized (lock) {
      List<Runnable> after = new ArrayList<>();
      // Not synced: a power loss may lose the last outcomes, and then those deliveries are sent again
      // (the duplicate window at-least-once allows); waiting for the sync made the disk's sync latency
      // part of every delivery cycle.
      writeLazily(b -> {
        Releases releases = new Releases();
        for (Outcome o : outcomes) {
          stageOutcome(b, o, after, releases);
        }
      });
      after.forEach(Runnable::run);
    }
  }

  /**
   * Deliveries whose pointer to their event payload (a fresh due entry, a queue_full dead letter) is
   * deleted in the batch being built, and the payloads read for it.
   */
  private static final class Releases {
    final Set<String> released = new HashSet<>();
    final Map<String, Optional<EventPayload>> payloads = new HashMap<>();
  }

  private void stageOutcome(RecordStore.Batch b, Outcome o, List<Runnable> after, Releases releases) {
    DeliveryRecord sent = o.sent();
    long startMillis = o.startMillis();
    SendResult result = o.result();
    if (!ruleExists.test(sent.ruleId())) {
      return;
    }
    byte[] dueKey = QueueKeys.due(sent.ruleId(), sent.dueMillis(), sent.id());
    DeliveryRecord cur;
    if (o.fresh()) {
      // A first attempt never changes: it is current as long as its due entry is there.
      cur = releases.released.contains(sent.id()) || records().get(RecordTable.DUE, dueKey) == null ? null : sent;
    } else {
      cur = delivery(sent.id());
    }
    if (cur == null || cur.attempts() != sent.attempts() || cur.dueMillis() != sent.dueMillis()) {
      return;
    }
    int attempt = cur.attempts() + 1;
    long now = clock.millis();
    Integer status = result instanceof SendResult.Response r ? r.status() : null;
    long latency = result.latencyMillis();
    RuleCounters c = counters(cur.ruleId());
    b.delete(RecordTable.DUE, dueKey);
    if (o.fresh()) {
      release(b, cur.id(), cur.ruleId(), releases);
    } else {
      b.delete(RecordTable.DELIVERIES, QueueKeys.delivery(cur.id()));
    }
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
    after.add(() -> {
      c.attemptsSinceTrim.incrementAndGet();
      c.oldestAttempt = Math.min(c.oldestAttempt, startMillis);
    });
  }

  /**
   * Notes that {@code deliveryId}'s pointer to its event payload is deleted in {@code b}, and deletes
   * the payload too if nothing of another rule still points to it: no fresh due entry, no queue_full
   * dead letter (or they are deleted earlier in this batch).
   */
  private void release(RecordStore.Batch b, String deliveryId, UUID rule, Releases releases) {
    releases.released.add(deliveryId);
    String sequencer = QueueKeys.sequencerOf(deliveryId);
    EventPayload p = releases.payloads.computeIfAbsent(sequencer, seq -> Optional.ofNullable(payload(seq)))
        .orElse(null);
    if (p == null) {
      return;
    }
    for (UUID other : p.rules()) {
      String id = p.deliveryId(other);
      if (other.equals(rule) || releases.released.contains(id)) {
        continue;
      }
      if (records().get(RecordTable.DUE, QueueKeys.due(other, p.dueMillis(), id)) != null) {
        return;
      }
      byte[] dead = records().get(RecordTable.DEAD_LETTERS, QueueKeys.dead(other, id));
      if (dead != null && DeadLetter.decode(dead).bodyIn() != null) {
        return;
      }
    }
    b.delete(RecordTable.EVENT_PAYLOADS, QueueKeys.payload(sequencer));
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

  /** Moves one dead letter back to the queue, due now, attempts reset. @return false if there is none */
  public boolean redeliver(UUID rule, String deliveryId) {
    synchronized (lock) {
      byte[] raw = records().get(RecordTable.DEAD_LETTERS, QueueKeys.dead(rule, deliveryId));
      if (raw == null) {
        return false;
      }
      requeue(List.of(DeadLetter.decode(raw)));
      return true;
    }
  }

  /** Moves all dead letters of a rule back to the queue. @return how many */
  public int redeliverAll(UUID rule) {
    return drainDead(rule, this::requeue);
  }

  /** Deletes all dead letters of a rule. @return how many */
  public int purge(UUID rule) {
    return drainDead(rule, page -> write(b -> {
      Releases releases = new Releases();
      page.forEach(dl -> deleteDead(b, dl, releases));
    }));
  }

  private int drainDead(UUID rule, Consumer<List<DeadLetter>> action) {
    int n = 0;
    while (true) {
      synchronized (lock) {
        List<RecordStore.Entry> page = records().scan(RecordTable.DEAD_LETTERS, QueueKeys.deadPrefix(rule), null, PAGE);
        if (page.isEmpty()) {
          return n;
        }
        action.accept(page.stream().map(e -> DeadLetter.decode(e.value())).collect(Collectors.toList()));
        n += page.size();
      }
    }
  }

  private void requeue(List<DeadLetter> dead) {
    long now = clock.millis();
    Map<UUID, Integer> perRule = new HashMap<>();
    dead.forEach(dl -> perRule.merge(dl.delivery().ruleId(), 1, Integer::sum));
    perRule.forEach((r, k) -> counters(r).pending.addAndGet(k));
    try {
      write(b -> {
        Releases releases = new Releases();
        for (DeadLetter dl : dead) {
          DeliveryRecord d = withBody(dl);
          deleteDead(b, dl, releases);
          if (d != null) {
            putPending(b, d.withAttempt(0, now));
          } else {
            LOG.log(System.Logger.Level.WARNING, "dropping dead letter " + dl.delivery().id() + ": its event's body is gone");
            counters(dl.delivery().ruleId()).pending.decrementAndGet();
          }
        }
      });
    } catch (RuntimeException e) {
      perRule.forEach((r, k) -> counters(r).pending.addAndGet(-k));
      throw e;
    }
  }

  /** The letter's delivery with its body (copied from the event payload if it points there), or null. */
  private DeliveryRecord withBody(DeadLetter dl) {
    if (dl.bodyIn() == null) {
      return dl.delivery();
    }
    DeliveryRecord d = dl.delivery();
    EventPayload p = payload(d.sequencer());
    byte[] body = p == null ? null : p.body(d.ruleId(), dl.bodyIn());
    return body == null ? null : d.withBody(body);
  }

  /** Deletes everything queued or logged for a rule (the rule is being deleted). */
  public void dropRule(UUID rule) {
    byte[] prefix = QueueKeys.rulePrefix(rule);
    while (true) {
      synchronized (lock) {
        List<RecordStore.Entry> due = records().scan(RecordTable.DUE, prefix, null, PAGE);
        if (due.isEmpty()) {
          break;
        }
        write(b -> {
          Releases releases = new Releases();
          for (RecordStore.Entry e : due) {
            String id = QueueKeys.deliveryIdOfDue(e.key());
            b.delete(RecordTable.DUE, e.key());
            if (freshFormat(e.value()) == null) {
              b.delete(RecordTable.DELIVERIES, QueueKeys.delivery(id));
            } else {
              release(b, id, rule, releases);
            }
          }
        });
      }
    }
    purge(rule); // releases the payloads its queue_full letters point to
    deleteAll(RecordTable.DEAD_LETTERS, prefix);
    deleteAll(RecordTable.ATTEMPTS, prefix);
    write(b -> b.delete(RecordTable.RULE_STATS, QueueKeys.stats(rule)));
    counters.remove(rule);
  }

  private void deleteAll(RecordTable table, byte[] prefix) {
    while (true) {
      synchronized (lock) {
        List<RecordStore.Entry> page = records().scan(table, prefix, null, PAGE);
        if (page.isEmpty()) {
          return;
        }
        write(b -> page.forEach(e -> b.delete(table, e.key())));
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

  /** Dead letters of the given rules (in that order), each rule's by delivery id (event order). */
  public Page<DeliveryView> deadLetters(List<UUID> rules, String after, int limit) {
    byte[] start = cursor(after, new byte[0]);
    UUID startRule = start == null ? null : QueueKeys.ruleOf(start);
    if (start != null && (startRule == null || !rules.contains(startRule))) {
      throw new WebhookException(WebhookException.Kind.INVALID, "after", "after is not a cursor of this listing");
    }
    List<RecordStore.Entry> found = new ArrayList<>();
    boolean started = start == null;
    for (UUID rule : rules) {
      if (!started && !rule.equals(startRule)) {
        continue;
      }
      byte[] from = started ? null : start;
      started = true;
      found.addAll(records().scan(RecordTable.DEAD_LETTERS, QueueKeys.deadPrefix(rule), from, limit + 1 - found.size()));
      if (found.size() > limit) {
        break;
      }
    }
    List<DeliveryView> items = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, found.size()); i++) {
      items.add(DeadLetter.decode(found.get(i).value()).view());
    }
    return new Page<>(items, found.size() > limit ? cursor(found.get(limit - 1).key()) : null);
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
          return;
        }
        write(b -> {
          Releases releases = new Releases();
          for (byte[] k : expired) {
            byte[] raw = records().get(RecordTable.DEAD_LETTERS, QueueKeys.dead(rule, QueueKeys.deliveryIdOfDeadByTime(k)));
            if (raw != null) {
              deleteDead(b, DeadLetter.decode(raw), releases);
            }
            b.delete(RecordTable.DEAD_LETTERS, k);
          }
        });
        if (expired.size() < page.size()) {
          return;
        }
      }
    }
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

  private void deleteDead(RecordStore.Batch b, DeadLetter dl, Releases releases) {
    UUID rule = dl.delivery().ruleId();
    b.delete(RecordTable.DEAD_LETTERS, QueueKeys.dead(rule, dl.delivery().id()));
    b.delete(RecordTable.DEAD_LETTERS, QueueKeys.deadByTime(rule, dl.deadMillis(), dl.delivery().id()));
    if (dl.bodyIn() != null) {
      release(b, dl.delivery().id(), rule, releases);
    }
  }

  private static void putAttempt(RecordStore.Batch b, DeliveryRecord d, long startMillis, int attempt, String outcome,
      Integer status, long latency, String error) {
    DeliveryView v = new DeliveryView(d.id(), d.ruleId().toString(), d.eventName(), d.key(), d.sequencer(),
        Instant.ofEpochMilli(startMillis), attempt, outcome, status, latency, error);
    b.put(RecordTable.ATTEMPTS, QueueKeys.attempt(d.ruleId(), startMillis, d.id(), attempt), AttemptCodec.encode(v));
  }

  private List<RecordStore.Entry> scanAll(RecordTable table, byte[] prefix) {
    List<RecordStore.Entry> out = new ArrayList<>();
    byte[] after = null;
    while (true) {
      List<RecordStore.Entry> page = records().scan(table, prefix, after, PAGE);
      out.addAll(page);
      if (page.size() < PAGE) {
        return out;
      }
      after = page.get(page.size() - 1).key();
    }
  }

  private RecordStore records() {
    RecordStore r = records;
    if (r == null) {
      throw new IllegalStateException("delivery queue not loaded");
    }
    return r;
  }
}
