package io.tarn.notifications.queue;

import io.tarn.notifications.delivery.SendRequest;
import io.tarn.notifications.delivery.SendResult;
import io.tarn.notifications.delivery.Sender;
import io.tarn.notifications.payload.Signatures;
import io.tarn.notifications.rules.Rule;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sends due deliveries. One thread looks at the queue when woken (a commit that staged deliveries,
 * an attempt's end, an operator action) or when the next known due time comes, at least every
 * {@link DeliveryOptions#idleWait()}. Each pass looks at every rule's lane: the head of its due
 * deliveries with a record of their own (retries, redeliveries, test events), then the first attempts
 * its bucket's event log holds for it ({@link DeliveryQueue#fresh}); it starts them through the
 * {@link Sender} (which answers on its own threads), within the overall and per-host bounds, never two
 * attempts of one delivery at once.
 *
 * <p>Outcomes are written by a second thread, the recorder, many to a batch: the dispatcher never
 * waits for RocksDB, so a write that waits behind the uploads' synced group commit does not hold up
 * the next sends. An attempt frees its concurrency slot when it ends; its delivery is picked again
 * only after its outcome is recorded. The recorder also runs the periodic upkeep (figures, sweep).
 */
public final class Dispatcher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

  private final Clock clock;
  private final DeliveryOptions options;
  private final Sender sender;
  private final DeliveryQueue queue;
  private final Function<UUID, Rule> rules;
  private final Supplier<Collection<UUID>> allRules;
  private final Thread thread;
  private final AtomicBoolean woken = new AtomicBoolean();
  private volatile boolean running = true;
  private final Recorder recorder;
  /** Futures of {@link #watch}, by delivery id: completed once that delivery's next attempt is recorded. */
  private final Map<String, CompletableFuture<SendResult>> watched = new ConcurrentHashMap<>();

  // Owned by the dispatcher thread.
  /** Attempts started whose outcome is not recorded yet: their deliveries are not picked again. */
  private final Map<String, InFlight> inFlight = new HashMap<>();
  /** Attempts sending now, per host and overall: the concurrency bounds. */
  private final Map<String, Integer> perHost = new HashMap<>();
  private int sending;
  /** Deliveries with a record in {@link #inFlight}, per rule: a pass from the lane's start skips that many at most. */
  private final Map<UUID, Integer> perLane = new HashMap<>();
  /** Attempts that ended, from the sender's threads. */
  private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
  /** Attempts whose outcome the recorder wrote (or failed to write). */
  private final ConcurrentLinkedQueue<InFlight> recorded = new ConcurrentLinkedQueue<>();
  private int rotation;
  private final RepeatedFailureLog passFailures =
      new RepeatedFailureLog(LOG, "the webhook dispatcher's pass", REPEATED_FAILURE_LINE_NANOS, System::nanoTime);
  /** Least time between two log lines about the same failure repeating in a loop. */
  static final long REPEATED_FAILURE_LINE_NANOS = 60_000_000_000L;

  private record InFlight(DeliveryRecord record, boolean fresh, UUID rule, String host, long startMillis,
      Map<String, String> headers) {}

  private record Done(InFlight attempt, SendResult result) {}

  /**
   * @param rules the rule with an id, or null when it was deleted
   * @param allRules ids of every rule (for the sweep)
   */
  public Dispatcher(Clock clock, DeliveryOptions options, Sender sender, DeliveryQueue queue,
      Function<UUID, Rule> rules, Supplier<Collection<UUID>> allRules) {
    this.clock = clock;
    this.options = options;
    this.sender = sender;
    this.queue = queue;
    this.rules = rules;
    this.allRules = allRules;
    this.thread = new Thread(this::loop, "tarn-webhook-dispatcher");
    thread.setDaemon(true);
    this.recorder = new Recorder();
  }

  public void start() {
    recorder.start();
    thread.start();
  }

  /** Asks for a pass now. Never blocks: callable from a committing thread that holds an object's lock. */
  public void wake() {
    if (!woken.getAndSet(true)) {
      LockSupport.unpark(thread); // only the first waker since the last pass pays for it
    }
  }

  /**
   * Deletes, on the recorder's thread, everything queued or logged for a rule whose record is already
   * gone (deleted with its bucket). Never blocks: callable from a committing thread that holds a
   * bucket's lock, which must not wait for these writes (they are synced, and page through RocksDB).
   * If the process stops first, the next start drops them ({@link DeliveryQueue#load}).
   */
  public void dropLater(UUID rule) {
    recorder.drop(rule);
  }

  /**
   * The outcome of the next attempt of delivery {@code deliveryId}, once it is recorded (so the delivery
   * log already shows it): for a synchronous test. Call before queueing the delivery. The caller bounds
   * its wait and then calls {@link #unwatch}.
   */
  public CompletableFuture<SendResult> watch(String deliveryId) {
    CompletableFuture<SendResult> f = new CompletableFuture<>();
    watched.put(deliveryId, f);
    return f;
  }

  /** Stops watching a delivery (the waiter gave up, or got its outcome). */
  public void unwatch(String deliveryId) {
    watched.remove(deliveryId);
  }

  /** Asks for a pass and for the recorder's upkeep (figures, sweep) now: after the clock moved, say. */
  public void wakeAll() {
    recorder.wake();
    wake();
  }

  /**
   * Stops dispatching and waits up to {@link DeliveryOptions#closeTimeout()} for attempts in flight to
   * be recorded; later outcomes are dropped (those deliveries are sent again after a restart).
   */
  @Override
  public void close() {
    running = false;
    wake();
    try {
      thread.join(options.closeTimeout().toMillis() + 5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    recorder.close();
  }

  /**
   * Shortest time between two passes. Every committed upload wakes the dispatcher; at thousands of
   * uploads a second, a pass per wake-up would spend the CPU the uploads need. Wake-ups that come
   * during this pause are not lost: the next park returns at once.
   */
  private static final long MIN_PASS_NANOS = 2_000_000;

  private void loop() {
    long lastPass = System.nanoTime() - MIN_PASS_NANOS;
    while (running) {
      long since = System.nanoTime() - lastPass;
      if (since < MIN_PASS_NANOS) {
        LockSupport.parkNanos(this, MIN_PASS_NANOS - since);
      }
      lastPass = System.nanoTime();
      long waitMillis = options.idleWait().toMillis();
      try {
        collect();
        long now = clock.millis();
        long next = pass(now);
        if (next != Long.MAX_VALUE) {
          waitMillis = Math.max(1, Math.min(waitMillis, next - now));
        }
        passFailures.succeeded();
      } catch (RuntimeException e) {
        passFailures.failed(e);
      }
      park(waitMillis);
    }
    long deadline = System.nanoTime() + options.closeTimeout().toNanos();
    while (sending > 0 && System.nanoTime() < deadline) {
      park(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      collect();
    }
    if (sending > 0) {
      LOG.log(System.Logger.Level.WARNING, sending + " webhook attempts still in flight at close: "
          + "they will be sent again after restart");
    }
  }

  private void park(long millis) {
    if (!woken.getAndSet(false)) {
      LockSupport.parkNanos(this, millis * 1_000_000);
      woken.set(false);
    }
  }

  /** Frees the slots of attempts that ended (their outcomes go to the recorder) and forgets recorded ones. */
  private void collect() {
    Done d;
    while ((d = done.poll()) != null) {
      InFlight f = d.attempt();
      sending--;
      perHost.computeIfPresent(f.host(), (h, n) -> n > 1 ? n - 1 : null);
      recorder.add(d);
    }
    InFlight f;
    while ((f = recorded.poll()) != null) {
      // Released only now, so a delivery is never picked again before its outcome is recorded.
      inFlight.remove(f.record().id());
      if (!f.fresh()) {
        perLane.computeIfPresent(f.rule(), (r, n) -> n > 1 ? n - 1 : null);
      }
    }
  }

  /**
   * Starts the due attempts that the bounds allow.
   *
   * @return the earliest due time seen that is still in the future, or {@code Long.MAX_VALUE}
   */
  private long pass(long now) {
    long next = Long.MAX_VALUE;
    List<UUID> lanes = queue.lanes();
    Collections.sort(lanes);
    if (!lanes.isEmpty()) {
      Collections.rotate(lanes, -(rotation++ % lanes.size())); // who goes first changes, so no rule starves
    }
    for (UUID ruleId : lanes) {
      if (sending >= options.maxConcurrency()) {
        break;
      }
      try {
        next = Math.min(next, passLane(ruleId, now));
      } catch (RuntimeException e) {
        // One rule's unreadable record must not stop the others' deliveries.
        LOG.log(System.Logger.Level.ERROR, "webhook dispatch for rule " + ruleId + " failed", e);
      }
    }
    return next;
  }

  /**
   * Starts the due attempts of one rule's lane that the bounds allow: its deliveries with a record of
   * their own (retries, redeliveries, test events) first, then first attempts from its bucket's event
   * log.
   *
   * @return when the lane wants its next pass, or {@code Long.MAX_VALUE} when a wake-up will say
   */
  private long passLane(UUID ruleId, long now) {
    Rule rule = rules.apply(ruleId);
    if (rule == null) {
      queue.dropRule(ruleId); // deleted while an event for it was committing
      lanes.remove(ruleId);
      return Long.MAX_VALUE;
    }
    if (!rule.enabled()) {
      return Long.MAX_VALUE; // a disabled rule's queue waits until it is enabled again
    }
    String host = rule.hostKey();
    int free = Math.min(options.maxPerHost() - perHost.getOrDefault(host, 0),
        options.maxConcurrency() - sending);
    queue.atCapacity(ruleId, free <= 0); // new events for it need no wake-up until a slot frees
    if (free <= 0) {
      return Long.MAX_VALUE;
    }
    Lane lane = lanes.computeIfAbsent(ruleId, r -> new Lane());
    long next = Long.MAX_VALUE;
    if (queue.explicitPending(ruleId) > 0 || lane.unseen) {
      next = passDue(rule, lane, free, host, now);
      free = Math.min(options.maxPerHost() - perHost.getOrDefault(host, 0), options.maxConcurrency() - sending);
    }
    if (free > 0) {
      Fresh fresh = queue.fresh(ruleId, rule.bucket(), free);
      for (DeliveryRecord record : fresh.deliveries()) {
        send(rule, record, true, host, now);
      }
      if (fresh.more() && fresh.deliveries().size() < free) {
        next = now; // the read stopped at its bound: go on at the next pass
      }
    }
    return next;
  }

  /**
   * Starts the due deliveries with a record of their own that {@code free} allows.
   *
   * @return the lane's next due time if it is in the future, else {@code Long.MAX_VALUE}
   */
  private long passDue(Rule rule, Lane lane, int free, String host, long now) {
    UUID ruleId = rule.id();
    // A scan from the lane's start walks the tombstone of every delivery completed since the last
    // compaction (perf: that seek was most of this thread's time at a few thousand deliveries a
    // second). So a pass resumes after the last entry it started. Entries commit out of due order by
    // the time between staging and commit, so every RECHECK_MILLIS the pass looks again from a
    // WINDOW_MILLIS before that entry; what falls before even that (a very slow commit, a clock
    // step) is found by a scan from the start, at most once a second and only when the lane's count
    // says that something pending is out of sight.
    int inLane = perLane.getOrDefault(ruleId, 0);
    Due after;
    int limit;
    long real = System.nanoTime() / 1_000_000; // the look-back timers run on real time, not the (injectable) clock
    boolean wide = lane.lookedBackMillis == NEVER || real - lane.lookedBackMillis >= RECHECK_MILLIS;
    if (!wide) {
      after = lane.lastStarted;
      limit = free;
    } else {
      boolean fromStart = lane.lookedBackMillis == NEVER
          || lane.unseen && real - lane.fromStartMillis >= FROM_START_MILLIS;
      lane.lookedBackMillis = real;
      if (fromStart || lane.lastStarted == null) {
        lane.fromStartMillis = real;
        after = null;
      } else {
        after = new Due(Math.max(0, lane.lastStarted.dueMillis() - WINDOW_MILLIS), "");
      }
      limit = inLane + free;
    }
    List<Due> head = queue.head(ruleId, after, limit);
    if (wide) {
      lane.unseen = head.size() < limit && queue.explicitPending(ruleId) > head.size() + inLane;
    }
    for (Due due : head) {
      if (due.dueMillis() > now) {
        return due.dueMillis();
      }
      if (free == 0) {
        return Long.MAX_VALUE;
      }
      if (inFlight.containsKey(due.deliveryId())) {
        continue;
      }
      DeliveryRecord record = queue.delivery(due.deliveryId());
      if (record == null) {
        queue.dropDue(ruleId, due);
        continue;
      }
      send(rule, record, false, host, now);
      if (lane.lastStarted == null || compare(due, lane.lastStarted) > 0) {
        lane.lastStarted = due;
      }
      free--;
    }
    return lane.unseen ? now + RECHECK_MILLIS : Long.MAX_VALUE;
  }

  private static int compare(Due a, Due b) {
    int c = Long.compare(a.dueMillis(), b.dueMillis());
    return c != 0 ? c : a.deliveryId().compareTo(b.deliveryId());
  }

  /** Where a lane's passes look. */
  private static final class Lane {
    /** The latest (in key order) entry started; null before the first. */
    Due lastStarted;
    long lookedBackMillis = NEVER; // real time
    long fromStartMillis; // real time
    /** The last wide look counted pending entries it did not see. */
    boolean unseen;
  }

  private static final long NEVER = Long.MIN_VALUE;

  /** How often a lane's pass looks back over the window, and how far. */
  private static final long RECHECK_MILLIS = 50;
  private static final long WINDOW_MILLIS = 250;
  /** Least time between two scans of a lane from its start. */
  private static final long FROM_START_MILLIS = 1000;
  private final Map<UUID, Lane> lanes = new HashMap<>();

  private void send(Rule rule, DeliveryRecord record, boolean fresh, String host, long now) {
    Map<String, String> headers = Signatures.headers(rule.signature(), rule.secret(), record.id(),
        record.eventName(), record.body(), Instant.ofEpochMilli(now));
    InFlight f = new InFlight(record, fresh, rule.id(), host, now, asSent(rule, headers, record.body().length));
    inFlight.put(record.id(), f);
    sending++;
    perHost.merge(host, 1, Integer::sum);
    if (!fresh) {
      perLane.merge(rule.id(), 1, Integer::sum);
    }
    CompletableFuture<SendResult> result;
    try {
      result = sender.send(new SendRequest(rule.url(), headers, record.body(), rule.allowPrivate()));
    } catch (RuntimeException e) {
      result = CompletableFuture.completedFuture(new SendResult.Failure("could not send: " + e, 0));
    }
    result.whenComplete((r, error) -> {
      done.add(new Done(f, r != null ? r : new SendResult.Failure("could not send: " + error, 0)));
      wake();
    });
  }

  /**
   * The request headers as the transport sends them (for the attempt inspector): the signed headers
   * plus the Host and Content-Length the transport sets.
   */
  private static Map<String, String> asSent(Rule rule, Map<String, String> headers, int length) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    String authority = rule.url().getRawAuthority();
    out.put("Host", authority == null ? "" : authority.substring(authority.lastIndexOf('@') + 1));
    out.put("Content-Length", Integer.toString(length));
    headers.forEach(out::put);
    return out;
  }

  /**
   * Writes outcomes, as many as have arrived to one batch, and runs the periodic upkeep. Everything
   * the dispatcher's work writes, except staging, goes through this thread.
   */
  private final class Recorder {
    private final Thread thread = new Thread(this::loop, "tarn-webhook-recorder");
    private final ConcurrentLinkedQueue<Done> outcomes = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<UUID> drops = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile boolean running = true;
    private long nextSweep = Long.MIN_VALUE;
    private long nextFlush = Long.MIN_VALUE;
    private final RepeatedFailureLog failures =
        new RepeatedFailureLog(LOG, "the webhook recorder", REPEATED_FAILURE_LINE_NANOS, System::nanoTime);

    Recorder() {
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void add(Done d) {
      outcomes.add(d);
      wake();
    }

    void drop(UUID rule) {
      drops.add(rule);
      wake();
    }

    void wake() {
      if (!woken.getAndSet(true)) {
        LockSupport.unpark(thread);
      }
    }

    /** Drops the queues of the rules handed to {@link #dropLater}; one that fails is tried again later. */
    private void dropRules() {
      for (UUID rule; (rule = drops.peek()) != null; ) {
        queue.dropRule(rule);
        drops.remove(rule);
      }
    }

    /** Records what is left, persists the figures and stops. */
    void close() {
      running = false;
      LockSupport.unpark(thread);
      try {
        thread.join(options.closeTimeout().toMillis() + 5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void loop() {
      while (running) {
        try {
          dropRules();
          record();
          maintain(clock.millis());
          failures.succeeded();
        } catch (RuntimeException e) {
          failures.failed(e);
        }
        if (!woken.getAndSet(false) && running) {
          LockSupport.parkNanos(this, options.idleWait().toNanos());
        }
      }
      try {
        dropRules();
        record();
        queue.flushStats();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "could not record webhook outcomes and figures at close: " + e);
      }
    }

    private void record() {
      List<Outcome> batch = new ArrayList<>();
      List<InFlight> attempts = new ArrayList<>();
      Done d;
      while ((d = outcomes.poll()) != null) {
        batch.add(new Outcome(d.attempt().record(), d.attempt().fresh(), d.attempt().startMillis(),
            d.result(), d.attempt().headers()));
        attempts.add(d.attempt());
      }
      if (batch.isEmpty()) {
        return;
      }
      try {
        queue.completedAll(batch);
      } catch (RuntimeException e) {
        // The deliveries stay queued as they were: they are attempted again (at-least-once).
        throw new IllegalStateException("could not record the outcome of " + batch.size()
            + " webhook deliveries (they stay queued and will be sent again)", e);
      } finally {
        recorded.addAll(attempts);
        wake();
      }
      if (!watched.isEmpty()) {
        for (Outcome o : batch) {
          CompletableFuture<SendResult> f = watched.remove(o.sent().id());
          if (f != null) {
            f.complete(o.result());
          }
        }
      }
    }

    private void maintain(long now) {
      if (now >= nextFlush) {
        nextFlush = now + options.statsFlushInterval().toMillis();
        queue.flushStats();
      }
      if (now >= nextSweep) {
        nextSweep = now + options.sweepInterval().toMillis();
        queue.sweep(allRules.get());
      }
    }
  }
}
