package io.tarn.console.webhooks;

import io.tarn.storage.BucketRef;
import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.notifications.AttemptView;
import io.tarn.notifications.DeliveryDetail;
import io.tarn.notifications.DeliveryFilter;
import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.Page;
import io.tarn.notifications.RuleSpec;
import io.tarn.notifications.RuleStats;
import io.tarn.notifications.RuleView;
import io.tarn.notifications.TestResult;
import io.tarn.notifications.WebhookException;
import io.tarn.notifications.WebhookException.Kind;
import io.tarn.notifications.WebhookService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link WebhookService} following the interface's documented behaviour closely
 * enough for the API: it validates like the real one (errors name the field), refuses private
 * targets to non-admins, keeps canned delivery logs and dead letters, and records every call.
 */
public final class FakeWebhookService implements WebhookService {
  private final Clock clock;
  /** bucket -> rule id -> rule */
  private final Map<String, Map<String, RuleView>> rules = new LinkedHashMap<>();
  private final Map<String, List<DeliveryView>> log = new LinkedHashMap<>();
  private final List<DeliveryView> dead = new ArrayList<>();
  private final AtomicInteger serial = new AtomicInteger();
  final List<String> calls = new ArrayList<>();
  RequestContext lastTest;

  public FakeWebhookService(Clock clock) {
    this.clock = clock;
  }

  private static WebhookException invalid(String field, String message) {
    return new WebhookException(Kind.INVALID, field, message);
  }

  private Map<String, RuleView> of(String bucket) {
    return rules.computeIfAbsent(bucket, b -> new LinkedHashMap<>());
  }

  private RuleView existing(String bucket, String id) {
    RuleView r = of(bucket).get(id);
    if (r == null) {
      throw new WebhookException(Kind.NOT_FOUND, null, "no webhook " + id + " in bucket " + bucket);
    }
    return r;
  }

  private static void check(RuleSpec s, Principal caller) {
    if (s.url() != null) {
      if (!s.url().startsWith("http://") && !s.url().startsWith("https://")) {
        throw invalid("url", "\"url\" must be an http or https URL");
      }
      if (s.url().contains("://10.") && !caller.isAdmin()) {
        throw new WebhookException(Kind.FORBIDDEN, "url", "\"url\" resolves to a private address: only admins may"
            + " target private, loopback or link-local addresses");
      }
    }
    if (s.events() != null) {
      if (s.events().isEmpty()) {
        throw invalid("events", "\"events\" must name at least one event");
      }
      for (String e : s.events()) {
        if (!e.contains(":")) {
          throw invalid("events", "\"events\": unknown event name \"" + e + "\"");
        }
      }
    }
    if (s.format() != null && !List.of("s3", "compact").contains(s.format())) {
      throw invalid("format", "\"format\" must be \"s3\" or \"compact\"");
    }
  }

  private static List<String> s3(List<String> events) {
    return events.stream().map(e -> e.startsWith("s3:") || e.startsWith("object:") || e.startsWith("multipart:")
        ? e : "s3:" + e).toList();
  }

  @Override
  public synchronized List<RuleView> rules(String bucket) {
    calls.add("rules " + bucket);
    return List.copyOf(of(bucket).values());
  }

  @Override
  public synchronized RuleView rule(String bucket, String ruleId) {
    calls.add("rule " + bucket + " " + ruleId);
    return existing(bucket, ruleId);
  }

  @Override
  public synchronized RuleView createRule(BucketRef ref, RuleSpec spec, Principal caller) {
    String bucket = ref.name();
    calls.add("create " + bucket + " by " + caller.displayName());
    if (spec.url() == null) {
      throw invalid("url", "\"url\" is required");
    }
    if (spec.events() == null) {
      throw invalid("events", "\"events\" is required");
    }
    check(spec, caller);
    if (of(bucket).size() >= MAX_RULES_PER_BUCKET) {
      throw new WebhookException(Kind.CONFLICT, null, "bucket " + bucket + " has " + MAX_RULES_PER_BUCKET
          + " webhooks already");
    }
    String id = String.format("00000000-0000-4000-8000-%012d", serial.incrementAndGet());
    Instant now = clock.instant();
    RuleView r = new RuleView(id, bucket, spec.url(), s3(spec.events()), s3(spec.events()), spec.prefix(),
        spec.suffix(), spec.secret() == null || spec.secret().isEmpty() ? null : "****",
        spec.enabled() == null || spec.enabled(), spec.format() == null ? "s3" : spec.format(),
        spec.signature() == null ? "tarn" : spec.signature(), spec.description(), now, now, caller.userId());
    of(bucket).put(id, r);
    return r;
  }

  @Override
  public synchronized RuleView updateRule(BucketRef ref, String ruleId, RuleSpec p, Principal caller) {
    String bucket = ref.name();
    calls.add("update " + bucket + " " + ruleId + " " + p);
    RuleView r = existing(bucket, ruleId);
    check(p, caller);
    String secret = p.secret() == null ? r.secret() : p.secret().isEmpty() ? null : "****";
    RuleView changed = new RuleView(r.id(), bucket, p.url() == null ? r.url() : p.url(),
        p.events() == null ? r.events() : s3(p.events()), p.events() == null ? r.s3Events() : s3(p.events()),
        p.prefix() == null ? r.prefix() : p.prefix(), p.suffix() == null ? r.suffix() : p.suffix(), secret,
        p.enabled() == null ? r.enabled() : p.enabled(), p.format() == null ? r.format() : p.format(),
        p.signature() == null ? r.signature() : p.signature(),
        p.description() == null ? r.description() : p.description(), r.created(), clock.instant(), r.createdBy());
    of(bucket).put(ruleId, changed);
    return changed;
  }

  @Override
  public synchronized void deleteRule(String bucket, String ruleId) {
    calls.add("delete " + bucket + " " + ruleId);
    existing(bucket, ruleId);
    of(bucket).remove(ruleId);
  }

  @Override
  public synchronized void deleteRules(String bucket) {
    calls.add("deleteRules " + bucket);
    rules.remove(bucket);
  }

  /** The outcome {@link #sendTestAndWait} returns, for the test at hand. */
  TestResult testResult;

  @Override
  public synchronized TestResult sendTestAndWait(String bucket, String ruleId, RequestContext ctx,
      java.time.Duration wait) {
    calls.add("testAndWait " + bucket + " " + ruleId + " " + wait.toMillis());
    existing(bucket, ruleId);
    lastTest = ctx;
    return testResult;
  }

  @Override
  public synchronized String sendTest(String bucket, String ruleId, RequestContext ctx) {
    calls.add("test " + bucket + " " + ruleId);
    existing(bucket, ruleId);
    lastTest = ctx;
    return "test-" + ruleId;
  }

  /** Adds an attempt to a rule's log (shown newest first). */
  synchronized void logAttempt(DeliveryView d) {
    log.computeIfAbsent(d.ruleId(), r -> new ArrayList<>()).add(0, d);
  }

  synchronized void addDeadLetter(DeliveryView d) {
    dead.add(d);
  }

  /** Pages by position: the cursor is the index of the last entry given. */
  private static Page<DeliveryView> page(List<DeliveryView> all, String after, int limit) {
    int from = after == null ? 0 : Integer.parseInt(after) + 1;
    List<DeliveryView> items = all.subList(Math.min(from, all.size()), Math.min(from + limit, all.size()));
    String next = from + limit < all.size() ? Integer.toString(from + limit - 1) : null;
    return new Page<>(List.copyOf(items), next);
  }

  @Override
  public synchronized Page<DeliveryView> deliveries(String bucket, String ruleId, String after, int limit) {
    calls.add("deliveries " + bucket + " " + ruleId + " after=" + after + " limit=" + limit);
    existing(bucket, ruleId);
    return page(log.getOrDefault(ruleId, List.of()), after, limit);
  }

  private List<DeliveryView> deadOf(String bucket, String ruleId) {
    return dead.stream().filter(d -> of(bucket).containsKey(d.ruleId()))
        .filter(d -> ruleId == null || d.ruleId().equals(ruleId)).toList();
  }

  @Override
  public synchronized Page<DeliveryView> deadLetters(String bucket, String ruleId, String after, int limit) {
    calls.add("deadLetters " + bucket + " rule=" + ruleId + " after=" + after + " limit=" + limit);
    if (ruleId != null) {
      existing(bucket, ruleId);
    }
    return page(deadOf(bucket, ruleId), after, limit);
  }

  @Override
  public synchronized void redeliver(String bucket, String deliveryId) {
    calls.add("redeliver " + bucket + " " + deliveryId);
    if (!dead.removeIf(d -> d.deliveryId().equals(deliveryId) && of(bucket).containsKey(d.ruleId()))) {
      throw new WebhookException(Kind.NOT_FOUND, null, "no dead letter " + deliveryId + " in bucket " + bucket);
    }
  }

  @Override
  public synchronized int redeliverAll(String bucket, String ruleId) {
    calls.add("redeliverAll " + bucket + " " + ruleId);
    existing(bucket, ruleId);
    List<DeliveryView> mine = deadOf(bucket, ruleId);
    dead.removeAll(mine);
    return mine.size();
  }

  @Override
  public synchronized int purgeDeadLetters(String bucket, String ruleId) {
    calls.add("purge " + bucket + " rule=" + ruleId);
    if (ruleId != null) {
      existing(bucket, ruleId);
    }
    List<DeliveryView> mine = deadOf(bucket, ruleId);
    dead.removeAll(mine);
    return mine.size();
  }

  @Override
  public synchronized Page<DeliveryView> deliveries(String bucket, String ruleId, DeliveryFilter filter, String after,
      int limit) {
    calls.add("deliveries " + bucket + " " + ruleId + " " + filter + " after=" + after + " limit=" + limit);
    existing(bucket, ruleId);
    return page(log.getOrDefault(ruleId, List.of()).stream().filter(filter::matches).toList(), after, limit);
  }

  @Override
  public synchronized DeliveryDetail delivery(String bucket, String deliveryId) {
    calls.add("delivery " + bucket + " " + deliveryId);
    List<List<DeliveryView>> all = new ArrayList<>(log.values());
    all.add(dead);
    for (List<DeliveryView> l : all) {
      for (DeliveryView v : l) {
        if (v.deliveryId().equals(deliveryId) && of(bucket).containsKey(v.ruleId())) {
          return new DeliveryDetail(deliveryId, v.ruleId(), "done", null, "{}".getBytes(),
              List.of(new AttemptView(v, Map.of("Content-Type", "application/json"), Map.of(), "", null, true)));
        }
      }
    }
    throw new WebhookException(Kind.NOT_FOUND, null, "no delivery " + deliveryId + " in bucket " + bucket);
  }

  @Override
  public synchronized void redeliverDelivery(String bucket, String deliveryId) {
    calls.add("redeliverDelivery " + bucket + " " + deliveryId);
    delivery(bucket, deliveryId);
  }

  @Override
  public synchronized int countDeadLetters(String bucket, String ruleId) {
    calls.add("countDead " + bucket + " " + ruleId);
    existing(bucket, ruleId);
    return deadOf(bucket, ruleId).size();
  }

  @Override
  public synchronized List<DeliveryView> objectDeliveries(String bucket, String key, int limit) {
    calls.add("objectDeliveries " + bucket + " " + key + " limit=" + limit);
    return log.values().stream().flatMap(List::stream)
        .filter(v -> of(bucket).containsKey(v.ruleId()) && key.equals(v.key())).limit(limit).toList();
  }

  @Override
  public synchronized RuleStats stats(String bucket, String ruleId) {
    calls.add("stats " + bucket + " " + ruleId);
    existing(bucket, ruleId);
    return new RuleStats(ruleId, 3, 120, 7, 2, 1, Instant.parse("2026-11-29T17:59:58.250Z"),
        Instant.parse("2026-11-29T17:00:00Z"), null, 12L, 230L);
  }

  @Override
  public synchronized long backlog() {
    return 0;
  }

  @Override
  public synchronized List<io.tarn.notifications.RuleFigures> figures() {
    return List.of();
  }

  /** Says nothing matches: the real simulator is tested against real deliveries (it-tests). */
  @Override
  public synchronized List<io.tarn.notifications.SimulatedRule> simulate(String bucket, String ownerId,
      io.tarn.notifications.Simulation simulation, RequestContext ctx) {
    calls.add("simulate " + bucket + " " + simulation.key());
    return List.of();
  }

  /** The live tails, real: small caps so a test reaches them. */
  final io.tarn.notifications.live.LiveEvents live =
      new io.tarn.notifications.live.LiveEvents(new io.tarn.notifications.live.LiveEvents.Limits(3, 2, 5, 10));

  @Override
  public io.tarn.notifications.live.LiveViewer watch(String bucket, String userId) {
    return live.open(bucket, userId);
  }
}
