package io.tarn.notifications;

import io.tarn.core.EventName;
import io.tarn.core.Ids;
import io.tarn.core.MutationEvent;
import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.notifications.delivery.SendResult;
import io.tarn.notifications.delivery.Sender;
import io.tarn.notifications.delivery.UrlGuard;
import io.tarn.notifications.live.LiveEvents;
import io.tarn.notifications.live.LiveMessages;
import io.tarn.notifications.live.LiveViewer;
import io.tarn.notifications.payload.Payloads;
import io.tarn.notifications.queue.DeliveryOptions;
import io.tarn.notifications.queue.DeliveryQueue;
import io.tarn.notifications.queue.DeliveryRecord;
import io.tarn.notifications.queue.Dispatcher;
import io.tarn.notifications.queue.EventPayload;
import io.tarn.notifications.queue.StagedEvents;
import io.tarn.notifications.rules.Format;
import io.tarn.notifications.rules.Rule;
import io.tarn.notifications.rules.RuleStore;
import io.tarn.notifications.rules.RuleValidator;
import io.tarn.storage.BucketRef;
import io.tarn.storage.EventSink;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import io.tarn.storage.SecretSealer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bucket notifications: the {@link EventSink} that stages a delivery per matching rule into each
 * mutation's batch, the {@link WebhookService} the APIs use, and the dispatcher that sends.
 *
 * <p>Lifecycle: construct, open the store with this as its sink, {@link #start} with the store's
 * records, and {@link #close} before closing the store. This object takes ownership of the
 * {@link Sender} and closes it.
 */
public final class Notifications implements EventSink, WebhookService, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Notifications.class.getName());
  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;
  static final String TEST_EVENT = EventName.TEST_EVENT.qualifiedName();

  private final Clock clock;
  private final Payloads payloads;
  private final Simulator simulator;
  private final Sender sender;
  private final UrlGuard guard;
  private final RuleStore rules = new RuleStore();
  private final DeliveryQueue queue;
  private final Dispatcher dispatcher;
  private final LiveEvents live;
  private volatile boolean started;
  private volatile AttemptObserver observer = AttemptObserver.NONE;
  /** Synchronous tests waiting at once: each holds an API thread for up to its wait. */
  static final int MAX_TEST_WAITERS = 8;
  private final Semaphore testWaiters = new Semaphore(MAX_TEST_WAITERS);

  /**
   * @param region the region written into S3 event records
   * @param hostId the {@code x-amz-id-2} / {@code HostId} of this server
   */
  public Notifications(Clock clock, String region, String hostId, DeliveryOptions options, Sender sender,
      UrlGuard guard) {
    this(clock, region, hostId, options, sender, guard, LiveEvents.Limits.defaults());
  }

  /** @param liveLimits the caps on live tails (viewers per bucket, user and server; each one's queue) */
  public Notifications(Clock clock, String region, String hostId, DeliveryOptions options, Sender sender,
      UrlGuard guard, LiveEvents.Limits liveLimits) {
    this.live = new LiveEvents(liveLimits);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.payloads = new Payloads(region, hostId);
    this.simulator = new Simulator(payloads);
    this.sender = Objects.requireNonNull(sender, "sender");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.queue = new DeliveryQueue(clock, Objects.requireNonNull(options, "options"), id -> rules.byId(id) != null);
    this.dispatcher = new Dispatcher(clock, options, sender, queue, rules::byId,
        () -> rules.all().stream().map(Rule::id).toList());
    queue.onAttempt((d, attempt, outcome, status, latency, error) -> {
      observer.attempted(d.bucket(), d.ruleId().toString(), outcome, latency, clock.millis() - d.eventMillis());
      if (live.watching(d.bucket())) {
        live.publish(d.bucket(), LiveMessages.delivery(d.sequencer(), d.key(), d.ruleId(), attempt, outcome, status,
            latency, error));
      }
    });
  }

  /** Tells {@code o} of every delivery attempt's outcome from now on (the server's metrics). */
  public void observeAttempts(AttemptObserver o) {
    observer = Objects.requireNonNull(o, "observer");
  }

  /**
   * Loads rules and the queue's state from {@code records} and starts sending; rules are sealed with
   * {@code sealer} (the store's master key, {@code TarnStore.sealer()}).
   */
  public synchronized void start(RecordStore records, SecretSealer sealer) {
    if (started) {
      throw new IllegalStateException("already started");
    }
    rules.load(records, sealer);
    queue.load(records);
    started = true;
    dispatcher.start();
  }

  /** Stops sending (waiting a few seconds for attempts in flight), persists figures, closes the sender. */
  @Override
  public synchronized void close() {
    live.close();
    if (started) {
      dispatcher.close();
    }
    sender.close();
  }

  /** Every pending delivery of every rule, rule by rule, each rule's earliest due first (tests). */
  List<DeliveryRecord> pending() {
    List<DeliveryRecord> out = new ArrayList<>();
    for (Rule rule : rules.all()) {
      out.addAll(queue.pending(rule.id(), Integer.MAX_VALUE));
    }
    return out;
  }

  /** Asks the dispatcher to look at the queue now (e.g. after the clock was moved in a test). */
  public void wake() {
    dispatcher.wakeAll();
  }

  // ---- EventSink

  /** The notifications' part of one metadata batch: its deliveries and the rules it deletes. */
  @Override
  public Staging open(EventBatch batch) {
    return new BatchStaging(batch);
  }

  /**
   * What one batch staged. Everything is tied to this object, never to a thread or to whichever
   * commit comes next: only this batch's own commit forgets the rules it deleted.
   */
  private final class BatchStaging implements Staging {
    private final EventBatch batch;
    private StagedEvents events;
    /** Rules whose records this batch deletes with their bucket. */
    private List<Rule> deletedRules;
    /** The live tail's messages of this batch's events, published only if it commits. */
    private List<MutationEvent> liveEvents;
    private List<byte[]> liveMessages;

    BatchStaging(EventBatch batch) {
      this.batch = batch;
    }

    @Override
    public void stage(MutationEvent event) {
      if (events == null) {
        events = queue.open(batch);
      }
      if (!live.watching(event.bucket()) || event.eventName() == EventName.TEST_EVENT) {
        stageEvent(event, events, null);
        return;
      }
      List<LiveMessages.Match> matched = new ArrayList<>();
      stageEvent(event, events, matched);
      if (liveMessages == null) {
        liveEvents = new ArrayList<>(1);
        liveMessages = new ArrayList<>(1);
      }
      liveEvents.add(event);
      liveMessages.add(LiveMessages.event(event, matched));
    }

    @Override
    public void bucketDeleted(String bucket) {
      if (!started) {
        return;
      }
      for (Rule rule : rules.forBucket(bucket)) {
        batch.delete(RecordTable.NOTIFICATION_RULES, RuleStore.key(bucket, rule.id()));
        if (deletedRules == null) {
          deletedRules = new ArrayList<>();
        }
        deletedRules.add(rule);
      }
    }

    @Override
    public void committed() {
      if (deletedRules != null) {
        for (Rule rule : deletedRules) {
          rules.forget(rule); // in memory: the bucket's lock is still held, so a new bucket starts clean
          dispatcher.dropLater(rule.id()); // synced, paged writes: off the commit path
        }
      }
      if (liveMessages != null) {
        // Now durable: a viewer never sees an event whose write did not commit. Never blocks. Before the
        // queue hands the events to the dispatcher, so a viewer sees an event before its first outcome.
        for (int i = 0; i < liveMessages.size(); i++) {
          live.publish(liveEvents.get(i).bucket(), liveMessages.get(i));
        }
      }
      if (events != null && queue.committed(events)) {
        dispatcher.wake();
      }
    }

    @Override
    public void aborted() {
      if (events != null) {
        events.release(); // gives back the backlog slots; a failed bucket delete keeps its rules
      }
    }
  }

  /**
   * Stages {@code event}'s deliveries, one per matching rule, into {@code events}' batch; adds the
   * rules it matched to {@code matches} unless null.
   */
  private void stageEvent(MutationEvent event, StagedEvents events, List<LiveMessages.Match> matches) {
    if (!started) {
      // Staging nothing would silently lose the event's deliveries: refuse the mutation instead.
      throw new IllegalStateException("notifications are not started");
    }
    if (event.eventName() == EventName.TEST_EVENT) {
      return; // test events are queued by sendTest, never by mutations
    }
    List<Rule> candidates = rules.forBucket(event.bucket());
    if (candidates.isEmpty()) {
      return;
    }
    List<UUID> matched = null;
    List<Format> formats = null;
    List<Integer> nameOf = null;
    List<String> names = null;
    List<byte[]> compacts = null;
    Payloads.S3Body s3 = null;
    for (Rule rule : candidates) {
      String name = rule.deliveredName(event);
      if (name == null) {
        continue;
      }
      if (matched == null) {
        matched = new ArrayList<>();
        formats = new ArrayList<>();
        nameOf = new ArrayList<>();
        names = new ArrayList<>(2);
        compacts = new ArrayList<>(2);
      }
      int n = names.indexOf(name);
      if (n < 0) {
        n = names.size();
        names.add(name);
        compacts.add(null);
      }
      // Each distinct body is rendered once per event and stored once for every rule that sends it:
      // the S3 body does not depend on the rule's name for the event (rules differ only in their
      // configurationId, filled in at send time); the compact body does, through its "event".
      if (rule.format() == Format.S3 && s3 == null) {
        s3 = payloads.s3(event, event.bucketOwnerId() == null ? "" : event.bucketOwnerId());
      } else if (rule.format() == Format.COMPACT && compacts.get(n) == null) {
        compacts.set(n, payloads.compact(event, name));
      }
      matched.add(rule.id());
      if (matches != null) {
        matches.add(new LiveMessages.Match(rule.id(), name));
      }
      formats.add(rule.format());
      nameOf.add(n);
    }
    if (matched == null) {
      return;
    }
    queue.stage(events, new EventPayload(event.sequencer(), event.bucket(), event.eventName().wireName(), event.key(),
        event.time().toEpochMilli(), clock.millis(), s3, names, compacts, matched, formats, nameOf, Set.of()));
  }

  // ---- live tail

  /**
   * Opens a live tail of {@code bucket}'s committed events and their deliveries' outcomes for user
   * {@code userId}; the caller has checked that the user may read the bucket.
   */
  @Override
  public LiveViewer watch(String bucket, String userId) {
    requireStarted();
    return live.open(bucket, userId);
  }

  /** The live tails (tests). */
  LiveEvents live() {
    return live;
  }

  // ---- rules

  @Override
  public List<RuleView> rules(String bucket) {
    requireStarted();
    return rules.forBucket(bucket).stream().map(Rule::view).toList();
  }

  @Override
  public RuleView rule(String bucket, String ruleId) {
    return require(bucket, ruleId).view();
  }

  @Override
  public RuleView createRule(BucketRef bucket, RuleSpec spec, Principal caller) {
    requireStarted();
    Objects.requireNonNull(bucket, "bucket");
    boolean admin = caller != null && caller.isAdmin();
    Instant now = Instant.ofEpochMilli(clock.millis());
    Rule rule = RuleValidator.create(bucket.name(), spec, UUID.randomUUID(), now,
        caller == null ? null : caller.userId(), admin);
    rules.requireRoom(bucket.name()); // before resolving the URL; add checks again under the store's lock
    guard.check(rule.url(), admin);
    rules.add(bucket, rule);
    return rule.view();
  }

  @Override
  public RuleView updateRule(BucketRef bucket, String ruleId, RuleSpec patch, Principal caller) {
    Rule existing = require(bucket.name(), ruleId);
    boolean admin = caller != null && caller.isAdmin();
    Rule updated = RuleValidator.update(existing, patch, Instant.ofEpochMilli(clock.millis()), admin);
    if (!updated.url().equals(existing.url())) {
      guard.check(updated.url(), admin);
    }
    rules.replace(bucket, updated);
    dispatcher.wake(); // it may have been enabled again, with deliveries waiting
    return updated.view();
  }

  @Override
  public void deleteRule(String bucket, String ruleId) {
    Rule rule = require(bucket, ruleId);
    rules.remove(rule);
    queue.dropRule(rule.id());
  }

  @Override
  public void deleteRules(String bucket) {
    requireStarted();
    for (Rule rule : rules.forBucket(bucket)) {
      rules.remove(rule);
      queue.dropRule(rule.id());
    }
  }

  // ---- deliveries

  @Override
  public String sendTest(String bucket, String ruleId, RequestContext ctx) {
    return queueTest(bucket, ruleId, ctx, null);
  }

  @Override
  public TestResult sendTestAndWait(String bucket, String ruleId, RequestContext ctx, Duration wait) {
    if (!testWaiters.tryAcquire()) {
      throw new WebhookException(WebhookException.Kind.CONFLICT, null,
          "too many tests are waiting for their answer: try again, or send the test without waiting");
    }
    String id = null;
    try {
      CompletableFuture<SendResult> outcome = new CompletableFuture<>();
      id = queueTest(bucket, ruleId, ctx, outcome);
      SendResult r = outcome.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (r instanceof SendResult.Response response) {
        return new TestResult(id, response.delivered() ? "delivered" : "failed", response.status(),
            response.latencyMillis(), response.headers().entrySet().stream()
                .map(h -> new TestResult.Header(h.getKey(), h.getValue())).toList(),
            firstKib(response.bodySnippet()), null);
      }
      SendResult.Failure failure = (SendResult.Failure) r;
      return new TestResult(id, "failed", null, failure.latencyMillis(), List.of(), null, failure.error());
    } catch (TimeoutException e) {
      return new TestResult(id, "pending", null, null, List.of(), null,
          "no attempt ended within " + wait.toMillis() + " ms: see the rule's delivery log");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a test delivery", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("test delivery failed", e.getCause()); // never: only complete() is called
    } finally {
      if (id != null) {
        dispatcher.unwatch(id);
      }
      testWaiters.release();
    }
  }

  /** Queues the rule's test delivery; {@code outcome}, if given, gets its first attempt's result. */
  private String queueTest(String bucket, String ruleId, RequestContext ctx, CompletableFuture<SendResult> outcome) {
    Rule rule = require(bucket, ruleId);
    if (!rule.enabled()) {
      throw new WebhookException(WebhookException.Kind.CONFLICT, "enabled",
          "rule " + ruleId + " is disabled: enable it to send a test");
    }
    long now = clock.millis();
    String id = "test-" + Ids.random128().substring(0, 16) + "-" + rule.id();
    byte[] body = payloads.testEvent(bucket, ctx == null ? null : ctx.requestId(), Instant.ofEpochMilli(now));
    if (outcome != null) {
      dispatcher.watch(id).whenComplete((r, e) -> outcome.complete(r)); // before the dispatcher can see it
    }
    try {
      queue.enqueue(new DeliveryRecord(id, rule.id(), bucket, TEST_EVENT, null, null, now, 0, now, body));
    } catch (RuntimeException e) {
      dispatcher.unwatch(id);
      throw e;
    }
    dispatcher.wake();
    return id;
  }

  @Override
  public Page<DeliveryView> deliveries(String bucket, String ruleId, String after, int limit) {
    Rule rule = require(bucket, ruleId);
    return queue.attempts(rule.id(), after, pageSize(limit));
  }

  @Override
  public Page<DeliveryView> deadLetters(String bucket, String ruleId, String after, int limit) {
    return queue.deadLetters(rulesOf(bucket, ruleId), after, pageSize(limit));
  }

  @Override
  public void redeliver(String bucket, String deliveryId) {
    requireStarted();
    UUID ruleId = DeliveryRecord.ruleIdOf(deliveryId);
    if (ruleId == null || rules.get(bucket, ruleId) == null || !queue.redeliver(ruleId, deliveryId)) {
      throw new WebhookException(WebhookException.Kind.NOT_FOUND, null,
          "no dead letter " + deliveryId + " in bucket " + bucket);
    }
    dispatcher.wake();
  }

  @Override
  public int redeliverAll(String bucket, String ruleId) {
    Rule rule = require(bucket, ruleId);
    int n = queue.redeliverAll(rule.id());
    dispatcher.wake();
    return n;
  }

  @Override
  public int purgeDeadLetters(String bucket, String ruleId) {
    int n = 0;
    for (UUID id : rulesOf(bucket, ruleId)) {
      n += queue.purge(id);
    }
    return n;
  }

  @Override
  public Page<DeliveryView> deliveries(String bucket, String ruleId, DeliveryFilter filter, String after,
      int limit) {
    Rule rule = require(bucket, ruleId);
    return queue.attempts(rule.id(), filter == null ? DeliveryFilter.NONE : filter, after, pageSize(limit));
  }

  @Override
  public DeliveryDetail delivery(String bucket, String deliveryId) {
    UUID ruleId = ruleOfDelivery(bucket, deliveryId);
    DeliveryDetail d = queue.detail(ruleId, deliveryId);
    if (d == null) {
      throw noDelivery(bucket, deliveryId);
    }
    return d;
  }

  @Override
  public void redeliverDelivery(String bucket, String deliveryId) {
    queue.redeliverAny(ruleOfDelivery(bucket, deliveryId), deliveryId);
    dispatcher.wake();
  }

  @Override
  public int countDeadLetters(String bucket, String ruleId) {
    return queue.countDead(require(bucket, ruleId).id());
  }

  @Override
  public List<DeliveryView> objectDeliveries(String bucket, String key, int limit) {
    return queue.ofKey(rulesOf(bucket, null), Objects.requireNonNull(key, "key"), pageSize(limit));
  }

  /** The rule a delivery id names, if it is one of the bucket's. */
  private UUID ruleOfDelivery(String bucket, String deliveryId) {
    requireStarted();
    UUID ruleId = DeliveryRecord.ruleIdOf(deliveryId);
    if (ruleId == null || rules.get(bucket, ruleId) == null) {
      throw noDelivery(bucket, deliveryId);
    }
    return ruleId;
  }

  private static WebhookException noDelivery(String bucket, String deliveryId) {
    return new WebhookException(WebhookException.Kind.NOT_FOUND, null,
        "no delivery " + deliveryId + " in bucket " + bucket);
  }

  @Override
  public RuleStats stats(String bucket, String ruleId) {
    return queue.stats(require(bucket, ruleId).id());
  }

  @Override
  public List<SimulatedRule> simulate(String bucket, String ownerId, Simulation simulation, RequestContext ctx) {
    requireStarted();
    // In the order the rules are listed (GET /buckets/{b}/webhooks), so a reader can line them up.
    return simulator.simulate(rules.forBucket(bucket), bucket, ownerId, simulation, ctx, Instant.ofEpochMilli(clock.millis()));
  }

  @Override
  public List<RuleFigures> figures() {
    requireStarted();
    List<RuleFigures> out = new ArrayList<>();
    for (Rule rule : rules.all()) {
      out.add(new RuleFigures(rule.bucket(), rule.idString(), rule.url().toString(), rule.enabled(),
          queue.stats(rule.id())));
    }
    out.sort(Comparator.comparing(RuleFigures::bucket).thenComparing(RuleFigures::ruleId));
    return out;
  }

  @Override
  public long backlog() {
    requireStarted();
    return queue.backlog();
  }

  // ---- helpers

  /** One rule (when {@code ruleId} is given) or all of the bucket's, ordered by id (a stable paging order). */
  private List<UUID> rulesOf(String bucket, String ruleId) {
    if (ruleId != null) {
      return List.of(require(bucket, ruleId).id());
    }
    requireStarted();
    List<UUID> ids = new ArrayList<>(rules.forBucket(bucket).stream().map(Rule::id).toList());
    ids.sort(Comparator.comparing(UUID::toString));
    return ids;
  }

  private Rule require(String bucket, String ruleId) {
    requireStarted();
    Rule rule = null;
    try {
      rule = ruleId == null ? null : rules.get(bucket, UUID.fromString(ruleId));
    } catch (IllegalArgumentException e) {
      // not a UUID: no such rule
    }
    if (rule == null) {
      throw new WebhookException(WebhookException.Kind.NOT_FOUND, null,
          "no webhook rule " + ruleId + " in bucket " + bucket);
    }
    return rule;
  }

  private static int pageSize(int limit) {
    return limit <= 0 ? DEFAULT_PAGE : Math.min(limit, MAX_PAGE);
  }

  private void requireStarted() {
    if (!started) {
      throw new IllegalStateException("notifications are not started");
    }
  }

  /** A test's report shows the first KiB of the answer; the delivery log keeps more (TransportOptions). */
  private static String firstKib(String body) {
    return body == null || body.length() <= 1024 ? body : body.substring(0, 1024);
  }
}
