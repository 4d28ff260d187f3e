package io.tarn.console.webhooks;

import io.tarn.notifications.DeliveryDetail;
import io.tarn.notifications.DeliveryView;
import io.tarn.notifications.Page;
import io.tarn.notifications.RuleStats;
import io.tarn.notifications.RuleView;
import io.tarn.notifications.TestResult;
import io.tarn.storage.NewApiToken;
import io.tarn.storage.TokenInfo;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The JSON objects of the webhooks API, as records: Jackson writes their fields in declaration
 * order, and clients rely on the names. Times are ISO-8601 UTC strings to the second, as in the
 * admin API.
 */
final class WebhookViews {
  /** What a rule's secret shows as: the secret is write-only. */
  static final String MASK = "****";

  private WebhookViews() {}

  record Rule(String id, String bucket, String url, List<String> events, List<String> s3Events, String prefix,
      String suffix, String secret, boolean enabled, String format, String signature, String description,
      String created, String updated, String createdBy) {}

  record Rules(List<Rule> webhooks) {}

  /** The rules and, in the same order less any deleted meanwhile, their figures ({@code ?stats=true}). */
  record RulesWithStats(List<Rule> webhooks, List<Stats> stats) {}

  record Delivery(String deliveryId, String ruleId, String eventName, String key, String sequencer, String time,
      int attempt, String outcome, Integer statusCode, Long latencyMillis, String error, int redelivery) {}

  record Deliveries(List<Delivery> deliveries, String next) {}

  record DeadLetters(List<Delivery> deadLetters, String next) {}

  record Stats(String ruleId, long pending, long delivered, long failedAttempts, long deadLettered, long queueFull,
      String lastSuccess, String lastFailure, String failingSince, Long latencyP50Millis, Long latencyP99Millis) {}

  record TestSent(String deliveryId) {}

  /** A synchronous test's outcome ({@code POST .../test?wait=true}); see {@link TestResult}. */
  record TestOutcome(String deliveryId, String outcome, Integer statusCode, Long latencyMillis,
      List<Header> headers, String body, String error) {}

  record Header(String name, String value) {}

  record Redelivered(int redelivered) {}

  record Purged(int purged) {}

  record RedeliverResult(String deliveryId, boolean redelivered, String error) {}

  record RedeliveredMany(int redelivered, List<RedeliverResult> results) {}

  /** The answer of a dry run of "redeliver all dead letters of this rule". */
  record DeadCount(int deadLetters) {}

  /** One attempt in the inspector; {@code detailed} false: logged before these details were kept. */
  record Attempt(Delivery attempt, Map<String, String> requestHeaders, Map<String, String> responseHeaders,
      String responseBody, String nextRetry, boolean detailed) {}

  /**
   * One delivery in full. The body is text when it is valid UTF-8 (every Tarn payload is JSON), and
   * base64 in {@code bodyBase64} otherwise; both null when the log no longer keeps it.
   */
  record Detail(String deliveryId, String ruleId, String state, String nextDue, String body, String bodyBase64,
      Integer bodyBytes, List<Attempt> attempts) {}

  record Token(String id, String name, String created, String expires, boolean expired) {}

  /** Only in the response that creates the token: the one time its value is handed out. */
  record NewToken(String id, String name, String created, String expires, boolean expired, String token) {}

  record Tokens(List<Token> tokens) {}

  /**
   * A rule in the shape of the compatibility endpoint ({@code endpoint} for {@code url}), with the
   * body format and signature scheme its deliveries use.
   */
  record CompatWebhook(String id, String bucket, String endpoint, List<String> events, String secret,
      boolean enabled, String format, String signature, String created) {}

  record CompatWebhooks(List<CompatWebhook> webhooks) {}

  // ---- mapping

  static Rule rule(RuleView r) {
    return new Rule(r.id(), r.bucket(), r.url(), r.events(), r.s3Events(), r.prefix(), r.suffix(), mask(r.secret()),
        r.enabled(), r.format(), r.signature(), r.description(), time(r.created()), time(r.updated()), r.createdBy());
  }

  static Rules rules(List<RuleView> rules) {
    return new Rules(rules.stream().map(WebhookViews::rule).toList());
  }

  static Delivery delivery(DeliveryView d) {
    return new Delivery(d.deliveryId(), d.ruleId(), d.eventName(), d.key(), d.sequencer(), time(d.time()), d.attempt(),
        d.outcome(), d.statusCode(), d.latencyMillis(), d.error(), d.redelivery());
  }

  static Deliveries deliveries(Page<DeliveryView> page) {
    return new Deliveries(page.items().stream().map(WebhookViews::delivery).toList(), page.next());
  }

  static DeadLetters deadLetters(Page<DeliveryView> page) {
    return new DeadLetters(page.items().stream().map(WebhookViews::delivery).toList(), page.next());
  }

  static Detail detail(DeliveryDetail d) {
    String text = null;
    String b64 = null;
    if (d.body() != null) {
      try {
        text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(d.body())).toString();
      } catch (CharacterCodingException e) {
        b64 = Base64.getEncoder().encodeToString(d.body());
      }
    }
    List<Attempt> attempts = d.attempts().stream().map(a -> new Attempt(delivery(a.summary()), a.requestHeaders(),
        a.responseHeaders(), a.responseBody(), time(a.nextRetry()), a.detailed())).toList();
    return new Detail(d.deliveryId(), d.ruleId(), d.state(), time(d.nextDue()), text, b64,
        d.body() == null ? null : d.body().length, attempts);
  }

  static Stats stats(RuleStats s) {
    return new Stats(s.ruleId(), s.pending(), s.delivered(), s.failedAttempts(), s.deadLettered(), s.queueFull(),
        time(s.lastSuccess()), time(s.lastFailure()), time(s.failingSince()), s.latencyP50Millis(), s.latencyP99Millis());
  }

  static TestOutcome testOutcome(TestResult t) {
    return new TestOutcome(t.deliveryId(), t.outcome(), t.statusCode(), t.latencyMillis(),
        t.headers().stream().map(h -> new Header(h.name(), h.value())).toList(), t.body(), t.error());
  }

  static Token token(TokenInfo t, Instant now) {
    return new Token(t.id(), t.name(), time(t.created()), time(t.expires()), t.expiredAt(now));
  }

  static NewToken newToken(NewApiToken created, Instant now) {
    Token t = token(created.info(), now);
    return new NewToken(t.id(), t.name(), t.created(), t.expires(), t.expired(), created.token());
  }

  static CompatWebhook compat(RuleView r) {
    return new CompatWebhook(r.id(), r.bucket(), r.url(), r.events(), mask(r.secret()), r.enabled(), r.format(),
        r.signature(), time(r.created()));
  }

  /**
   * The service already masks secrets; masking again here means no bug below this layer can ever
   * put a secret on the wire.
   */
  private static String mask(String secret) {
    return secret == null ? null : MASK;
  }

  /** The wire form, or null for null. Sub-second digits are dropped, as in the admin API. */
  static String time(Instant t) {
    return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }
}
