package io.tarn.console.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.notifications.DeliveryFilter;
import io.tarn.notifications.DeliveryView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The bucket endpoints of the webhooks API through {@link io.tarn.console.TarnApi}, one by one. */
class WebhooksApiTest extends WebhooksTestSupport {
  private static final Instant T1 = Instant.parse("2026-11-29T17:58:01.500Z");

  private static DeliveryView attempt(String id, String rule, int attempt, String outcome, Integer status, String error) {
    return new DeliveryView(id, rule, "ObjectCreated:Put", "cats/tom.jpg", "0000000000000001A", T1.plusSeconds(attempt),
        attempt, outcome, status, status == null ? 5000L : 42L, error);
  }

  // ---- the authorization matrix

  /** Every bucket endpoint, with the status the bucket's owner gets ({@code {rule}}: a rule of photos). */
  static final List<Object[]> ENDPOINTS = List.of(
      new Object[] {"GET", "/buckets/photos/webhooks", null, 200},
      new Object[] {"POST", "/buckets/photos/webhooks", RULE, 201},
      new Object[] {"GET", "/buckets/photos/webhooks/{rule}", null, 200},
      new Object[] {"PATCH", "/buckets/photos/webhooks/{rule}", "{\"description\":\"x\"}", 200},
      new Object[] {"DELETE", "/buckets/photos/webhooks/{rule}", null, 204},
      new Object[] {"POST", "/buckets/photos/webhooks/{rule}/enable", null, 200},
      new Object[] {"POST", "/buckets/photos/webhooks/{rule}/disable", null, 200},
      new Object[] {"POST", "/buckets/photos/webhooks/{rule}/test", null, 202},
      new Object[] {"GET", "/buckets/photos/webhooks/{rule}/deliveries", null, 200},
      new Object[] {"GET", "/buckets/photos/webhooks/{rule}/stats", null, 200},
      new Object[] {"POST", "/buckets/photos/webhooks/{rule}/redeliver", null, 200},
      new Object[] {"GET", "/buckets/photos/dead-letters", null, 200},
      new Object[] {"DELETE", "/buckets/photos/dead-letters", null, 200},
      new Object[] {"POST", "/buckets/photos/dead-letters/dead-1/redeliver", null, 200},
      new Object[] {"POST", "/buckets/photos/webhooks/{rule}/redeliver?dryRun=true", null, 200},
      new Object[] {"GET", "/buckets/photos/deliveries?key=a.jpg", null, 200},
      new Object[] {"GET", "/buckets/photos/deliveries/dead-1", null, 200},
      new Object[] {"POST", "/buckets/photos/deliveries/dead-1/redeliver", null, 200},
      new Object[] {"POST", "/buckets/photos/deliveries/redeliver", "{\"ids\":[\"dead-1\"]}", 200});

  /**
   * Caller, bucket, and what every endpoint answers: the owner's status ({@code 0}), 403 or 404.
   * By SigV4 principal and by bearer token alike, the owner and admins may, others may not; a
   * bucket that does not exist is a 404 to anyone authenticated and a 403 to the anonymous.
   */
  static Stream<Arguments> matrix() {
    return Stream.of(
        Arguments.of("root", "photos", 0),
        Arguments.of("alice", "photos", 0),
        Arguments.of("aliceToken", "photos", 0),
        Arguments.of("rootToken", "photos", 0),
        Arguments.of("bob", "photos", 403),
        Arguments.of("bobToken", "photos", 403),
        Arguments.of("anonymous", "photos", 403),
        Arguments.of("alice", "nope", 404),
        Arguments.of("bobToken", "nope", 404),
        Arguments.of("anonymous", "nope", 403));
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @MethodSource("matrix")
  void authorizationMatrix(String caller, String bucket, int refusal) {
    for (Object[] e : ENDPOINTS) {
      // A fresh rule and dead letter for each endpoint: the previous one may have deleted them.
      String rule = webhooks.createRule(store.ref("photos"), new io.tarn.notifications.RuleSpec("https://a.example/",
          List.of("ObjectCreated:*"), null, null, null, null, null, null, null), alice).id();
      webhooks.addDeadLetter(attempt("dead-1", rule, 8, "dead", 500, "HTTP 500"));
      webhooks.calls.clear();
      String method = (String) e[0];
      String body = (String) e[2];
      String p = ((String) e[1]).replace("{rule}", rule).replace("/photos/", "/" + bucket + "/");
      Resp r = switch (caller) {
        case "root" -> call(root, method, p, body);
        case "alice" -> call(alice, method, p, body);
        case "bob" -> call(bob, method, p, body);
        case "aliceToken" -> bearer(token(alice), method, p, body);
        case "bobToken" -> bearer(token(bob), method, p, body);
        case "rootToken" -> bearer(token(root), method, p, body);
        default -> call(null, method, p, body);
      };
      String what = caller + " " + method + " " + p + ": " + r;
      if (refusal == 0) {
        assertEquals((int) e[3], r.status(), what);
        assertFalse(webhooks.calls.isEmpty(), what);
        continue;
      }
      if (refusal == 404) {
        assertError(r, 404, "NotFound", "bucket nope not found");
      } else {
        assertError(r, 403, "AccessDenied", caller.equals("anonymous") ? "signed request or bearer token required"
            : "only the owner of bucket photos or an admin may manage its webhooks");
      }
      // Refused before the service was asked anything.
      assertEquals(List.of(), webhooks.calls, what);
      webhooks.redeliver("photos", "dead-1");
    }
  }

  @Test
  void anAdminManagesAnyonesBucket() {
    String id = createRule(root, "logs", RULE);
    assertEquals(List.of(id), ids(call(bob, "GET", "/buckets/logs/webhooks")));
    assertEquals(root.userId(), call(bob, "GET", "/buckets/logs/webhooks/" + id).get("createdBy").asText());
  }

  // ---- rules

  @Test
  void createAnswersTheRuleWithItsSecretMasked() {
    Resp r = call(alice, "POST", "/buckets/photos/webhooks", "{\"url\":\"https://hooks.example.com/in\","
        + "\"events\":[\"ObjectCreated:*\",\"s3:ObjectRemoved:Delete\"],\"prefix\":\"cats/\",\"suffix\":\".jpg\","
        + "\"secret\":\"s3cr3t-value\",\"enabled\":true,\"format\":\"compact\",\"signature\":\"standard-webhooks\","
        + "\"description\":\"thumbnails\"}");
    assertEquals(201, r.status(), r.raw());
    assertFalse(r.raw().contains("s3cr3t-value"), r.raw());
    assertGolden("webhook-rule.json", r);
    assertEquals(List.of("create photos by alice"), webhooks.calls);
    assertEquals(r.json(), call(alice, "GET", "/buckets/photos/webhooks/" + r.get("id").asText()).json());
  }

  @Test
  void listShowsTheBucketsRulesOnly() {
    String a = createRule(alice, "photos", RULE);
    String b = createRule(alice, "photos", RULE);
    createRule(bob, "logs", RULE);
    Resp r = call(alice, "GET", "/buckets/photos/webhooks");
    assertEquals(200, r.status());
    assertEquals(List.of("webhooks"), fields(r.json()));
    assertEquals(List.of(a, b), ids(r));
    assertEquals(r.json(), call(root, "GET", "/buckets/photos/webhooks").json());
    store.createBucket("empty", "us-east-1", alice.userId());
    assertEquals("{\"webhooks\":[]}", call(alice, "GET", "/buckets/empty/webhooks").raw());
  }

  private static List<String> ids(Resp r) {
    List<String> out = new ArrayList<>();
    r.get("webhooks").forEach(w -> out.add(w.get("id").asText()));
    return out;
  }

  @Test
  void patchChangesOnlyTheGivenFieldsAndAnEmptySecretRemovesIt() {
    String id = createRule(alice, "photos", "{\"url\":\"https://a.example/x\",\"events\":[\"ObjectCreated:Put\"],"
        + "\"secret\":\"k\",\"prefix\":\"p/\"}");
    clock.advance(Duration.ofSeconds(60));
    Resp r = call(alice, "PATCH", "/buckets/photos/webhooks/" + id, "{\"url\":\"https://b.example/y\",\"secret\":\"\"}");
    assertEquals(200, r.status(), r.raw());
    assertEquals("https://b.example/y", r.get("url").asText());
    assertTrue(r.get("secret").isNull(), r.raw());
    assertEquals("p/", r.get("prefix").asText());
    assertEquals(List.of("s3:ObjectCreated:Put"), texts(r.get("events")));
    assertEquals("2026-11-29T18:00:00Z", r.get("created").asText());
    assertEquals("2026-11-29T18:01:00Z", r.get("updated").asText());

    // An empty body changes nothing.
    assertEquals(200, call(alice, "PATCH", "/buckets/photos/webhooks/" + id, "").status());
    assertTrue(webhooks.calls.get(webhooks.calls.size() - 1).contains("url=null, events=null"), webhooks.calls::toString);
  }

  @Test
  void enableAndDisable() {
    String id = createRule(alice, "photos", RULE);
    Resp off = call(alice, "POST", "/buckets/photos/webhooks/" + id + "/disable");
    assertEquals(200, off.status(), off.raw());
    assertFalse(off.get("enabled").asBoolean());
    assertFalse(call(alice, "GET", "/buckets/photos/webhooks/" + id).get("enabled").asBoolean());
    assertTrue(call(alice, "POST", "/buckets/photos/webhooks/" + id + "/enable").get("enabled").asBoolean());
  }

  @Test
  void deleteIs204ThenTheRuleIsGone() {
    String id = createRule(alice, "photos", RULE);
    Resp r = call(alice, "DELETE", "/buckets/photos/webhooks/" + id);
    assertEquals(204, r.status());
    assertEquals("", r.raw());
    assertError(call(alice, "GET", "/buckets/photos/webhooks/" + id), 404, "NotFound",
        "no webhook " + id + " in bucket photos");
    assertError(call(alice, "DELETE", "/buckets/photos/webhooks/" + id), 404, "NotFound",
        "no webhook " + id + " in bucket photos");
  }

  @Test
  void aRuleOfAnotherBucketIsNotFoundThroughThisOne() {
    String id = createRule(bob, "logs", RULE);
    assertError(call(alice, "GET", "/buckets/photos/webhooks/" + id), 404, "NotFound",
        "no webhook " + id + " in bucket photos");
  }

  // ---- validation: every refusal names its field

  @Test
  void missingRequiredFieldsAreNamed() {
    assertEquals("\"url\" is required", assertInvalid(call(alice, "POST", "/buckets/photos/webhooks",
        "{\"events\":[\"ObjectCreated:*\"]}"), "url"));
    assertEquals("\"events\" is required", assertInvalid(call(alice, "POST", "/buckets/photos/webhooks",
        "{\"url\":\"https://a.example/\"}"), "events"));
    assertEquals("\"url\" is required", assertInvalid(call(alice, "POST", "/buckets/photos/webhooks",
        "{\"url\":null,\"events\":[\"ObjectCreated:*\"]}"), "url"));
  }

  @Test
  void wrongTypesAndUnknownFieldsAreNamed() {
    String base = "\"url\":\"https://a.example/\",\"events\":[\"ObjectCreated:*\"]";
    assertEquals("\"events\" must be an array of strings", assertInvalid(call(alice, "POST",
        "/buckets/photos/webhooks", "{\"url\":\"https://a.example/\",\"events\":\"ObjectCreated:*\"}"), "events"));
    assertEquals("\"events\" must be an array of strings", assertInvalid(call(alice, "POST",
        "/buckets/photos/webhooks", "{\"url\":\"https://a.example/\",\"events\":[1]}"), "events"));
    assertEquals("\"url\" must be a string", assertInvalid(call(alice, "POST", "/buckets/photos/webhooks",
        "{\"url\":5,\"events\":[\"ObjectCreated:*\"]}"), "url"));
    assertEquals("\"enabled\" must be true or false", assertInvalid(call(alice, "POST", "/buckets/photos/webhooks",
        "{" + base + ",\"enabled\":\"false\"}"), "enabled"));
    assertEquals("unknown field \"colour\"", assertInvalid(call(alice, "POST", "/buckets/photos/webhooks",
        "{" + base + ",\"colour\":\"red\"}"), "colour"));
    String id = createRule(alice, "photos", RULE);
    assertEquals("\"prefix\" must be a string", assertInvalid(call(alice, "PATCH", "/buckets/photos/webhooks/" + id,
        "{\"prefix\":[]}"), "prefix"));
  }

  @Test
  void theServicesValidationErrorsKeepTheirField() {
    assertEquals("\"url\" must be an http or https URL", assertInvalid(call(alice, "POST", "/buckets/photos/webhooks",
        "{\"url\":\"ftp://a.example/\",\"events\":[\"ObjectCreated:*\"]}"), "url"));
    assertEquals("\"events\": unknown event name \"Everything\"", assertInvalid(call(alice, "POST",
        "/buckets/photos/webhooks", "{\"url\":\"https://a.example/\",\"events\":[\"Everything\"]}"), "events"));
    assertEquals("\"format\" must be \"s3\" or \"compact\"", assertInvalid(call(alice, "POST",
        "/buckets/photos/webhooks", "{\"url\":\"https://a.example/\",\"events\":[\"ObjectCreated:*\"],"
            + "\"format\":\"xml\"}"), "format"));
    String id = createRule(alice, "photos", RULE);
    assertInvalid(call(alice, "PATCH", "/buckets/photos/webhooks/" + id, "{\"events\":[]}"), "events");
  }

  @Test
  void malformedJsonIsInvalidWithoutAField() {
    String message = assertError(call(alice, "POST", "/buckets/photos/webhooks", "{\"url\":"), 400, "InvalidRequest");
    assertTrue(message.startsWith("malformed JSON"), message);
    assertError(call(alice, "POST", "/buckets/photos/webhooks", "[]"), 400, "InvalidRequest",
        "the request body must be a JSON object");
    assertError(call(alice, "POST", "/buckets/photos/webhooks", ""), 400, "InvalidRequest",
        "the request body must be a JSON object");
  }

  @Test
  void privateTargetsAreForAdminsOnly() {
    String body = "{\"url\":\"http://10.0.0.5/hook\",\"events\":[\"ObjectCreated:*\"]}";
    Resp r = call(alice, "POST", "/buckets/photos/webhooks", body);
    assertError(r, 403, "AccessDenied", "\"url\" resolves to a private address: only admins may target private,"
        + " loopback or link-local addresses");
    assertEquals("url", r.get("error").get("field").asText(), "the refusal names the field to blame: " + r.raw());
    assertEquals(201, call(root, "POST", "/buckets/photos/webhooks", body).status());
  }

  @Test
  void theRuleCapIsAConflict() {
    for (int i = 0; i < io.tarn.notifications.WebhookService.MAX_RULES_PER_BUCKET; i++) {
      createRule(alice, "photos", RULE);
    }
    assertError(call(alice, "POST", "/buckets/photos/webhooks", RULE), 409, "Conflict",
        "bucket photos has 100 webhooks already");
  }

  // ---- tests, deliveries, figures

  @Test
  void testQueuesATestEventAndAnswers202() {
    String id = createRule(alice, "photos", RULE);
    Resp r = call(alice, "POST", "/buckets/photos/webhooks/" + id + "/test");
    assertEquals(202, r.status(), r.raw());
    assertEquals(List.of("deliveryId"), fields(r.json()));
    assertEquals("test-" + id, r.get("deliveryId").asText());
    assertTrue(webhooks.lastTest.requestId().startsWith("REQ"));
    assertEquals(alice, webhooks.lastTest.principal());
    assertEquals("192.0.2.7", webhooks.lastTest.sourceIp());
    assertError(call(alice, "POST", "/buckets/photos/webhooks/nope/test"), 404, "NotFound",
        "no webhook nope in bucket photos");
  }

  @Test
  void testWithWaitAnswersTheAttemptsOutcome() {
    String id = createRule(alice, "photos", RULE);
    webhooks.testResult = new io.tarn.notifications.TestResult("test-" + id, "delivered", 200, 14L,
        List.of(new io.tarn.notifications.TestResult.Header("X-Hook", "yes")), "thanks", null);
    Resp r = call(alice, "POST", "/buckets/photos/webhooks/" + id + "/test?wait=true");
    assertEquals(200, r.status(), r.raw());
    assertEquals(List.of("deliveryId", "outcome", "statusCode", "latencyMillis", "headers", "body", "error"),
        fields(r.json()));
    assertEquals("delivered", r.get("outcome").asText());
    assertEquals(200, r.get("statusCode").asInt());
    assertEquals(14, r.get("latencyMillis").asInt());
    assertEquals("X-Hook", r.get("headers").get(0).get("name").asText());
    assertEquals("yes", r.get("headers").get(0).get("value").asText());
    assertEquals("thanks", r.get("body").asText());
    assertTrue(r.get("error").isNull());
    assertTrue(webhooks.calls.contains("testAndWait photos " + id + " 40000"), webhooks.calls.toString());
    assertEquals(alice, webhooks.lastTest.principal());

    webhooks.testResult = new io.tarn.notifications.TestResult("test-" + id, "failed", null, 3L, List.of(), null,
        "connection refused");
    Resp refused = call(alice, "POST", "/buckets/photos/webhooks/" + id + "/test?wait=true");
    assertEquals("connection refused", refused.get("error").asText());
    assertTrue(refused.get("statusCode").isNull());

    assertEquals(202, call(alice, "POST", "/buckets/photos/webhooks/" + id + "/test?wait=false").status());
    assertInvalid(call(alice, "POST", "/buckets/photos/webhooks/" + id + "/test?wait=yes"), "wait");
    assertError(call(bob, "POST", "/buckets/photos/webhooks/" + id + "/test?wait=true"), 403, "AccessDenied");
  }

  @Test
  void deliveriesArePagedNewestFirst() {
    String id = createRule(alice, "photos", RULE);
    webhooks.logAttempt(attempt("d1", id, 1, "failed", null, "connect timed out after 5000 ms"));
    webhooks.logAttempt(attempt("d1", id, 2, "failed", 503, "HTTP 503"));
    webhooks.logAttempt(attempt("d1", id, 3, "delivered", 204, null));
    Resp first = call(alice, "GET", "/buckets/photos/webhooks/" + id + "/deliveries?limit=2");
    assertEquals(200, first.status(), first.raw());
    assertGolden("webhook-deliveries.json", first);
    Resp rest = call(alice, "GET", "/buckets/photos/webhooks/" + id + "/deliveries?limit=2&after="
        + first.get("next").asText());
    assertEquals(1, rest.get("deliveries").size());
    assertEquals(1, rest.get("deliveries").get(0).get("attempt").asInt());
    assertTrue(rest.get("next").isNull());
    call(alice, "GET", "/buckets/photos/webhooks/" + id + "/deliveries");
    assertTrue(webhooks.calls.contains("deliveries photos " + id + " " + DeliveryFilter.NONE + " after=null limit=100"),
        webhooks.calls::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1001", "-1", "ten", ""})
  void aBadLimitIsNamed(String limit) {
    String id = createRule(alice, "photos", RULE);
    assertEquals("\"limit\" must be an integer from 1 to 1000, not \"" + limit + "\"",
        assertInvalid(call(alice, "GET", "/buckets/photos/webhooks/" + id + "/deliveries?limit=" + limit), "limit"));
    assertInvalid(call(alice, "GET", "/buckets/photos/dead-letters?limit=" + limit), "limit");
  }

  // ---- the delivery log (issue 13)

  @Test
  void deliveriesAreFilteredByStatusPrefixAndTime() {
    String id = createRule(alice, "photos", RULE);
    Resp r = call(alice, "GET", "/buckets/photos/webhooks/" + id + "/deliveries?status=failed&prefix=cats/"
        + "&from=2026-11-29T17:00:00Z&to=2026-11-29T18:00:00Z");
    assertEquals(200, r.status(), r.raw());
    assertTrue(webhooks.calls.contains("deliveries photos " + id + " " + new DeliveryFilter("failed", "cats/",
        Instant.parse("2026-11-29T17:00:00Z"), Instant.parse("2026-11-29T18:00:00Z")) + " after=null limit=100"),
        webhooks.calls::toString);
    assertInvalid(call(alice, "GET", "/buckets/photos/webhooks/" + id + "/deliveries?status=lost"), "status");
    assertInvalid(call(alice, "GET", "/buckets/photos/webhooks/" + id + "/deliveries?from=yesterday"), "from");
    assertInvalid(call(alice, "GET", "/buckets/photos/webhooks/" + id
        + "/deliveries?from=2026-11-29T18:00:00Z&to=2026-11-29T17:00:00Z"), "from");
  }

  @Test
  void oneDeliveryInFullAndRedeliverOneOrMany() {
    String id = createRule(alice, "photos", RULE);
    webhooks.logAttempt(attempt("d1", id, 1, "delivered", 204, null));
    Resp d = call(alice, "GET", "/buckets/photos/deliveries/d1");
    assertEquals(200, d.status(), d.raw());
    assertEquals("{}", d.get("body").asText());
    assertEquals(2, d.get("bodyBytes").asInt());
    assertEquals("application/json", d.get("attempts").get(0).get("requestHeaders").get("Content-Type").asText());
    assertEquals(204, d.get("attempts").get(0).get("attempt").get("statusCode").asInt());
    assertError(call(alice, "GET", "/buckets/photos/deliveries/nope"), 404, "NotFound");
    Resp many = call(alice, "POST", "/buckets/photos/deliveries/redeliver", "{\"ids\":[\"d1\",\"nope\"]}");
    assertEquals(200, many.status(), many.raw());
    assertEquals(1, many.get("redelivered").asInt());
    assertFalse(many.get("results").get(1).get("redelivered").asBoolean());
    assertInvalid(call(alice, "POST", "/buckets/photos/deliveries/redeliver", "{\"ids\":[]}"), "ids");
    assertInvalid(call(alice, "GET", "/buckets/photos/deliveries"), "key");
  }

  @Test
  void aDryRunCountsTheDeadLettersAndQueuesNothing() {
    String id = createRule(alice, "photos", RULE);
    webhooks.addDeadLetter(attempt("x1", id, 8, "dead", 500, "HTTP 500"));
    Resp count = call(alice, "POST", "/buckets/photos/webhooks/" + id + "/redeliver?dryRun=true");
    assertEquals(200, count.status(), count.raw());
    assertEquals(1, count.get("deadLetters").asInt());
    assertEquals(1, webhooks.countDeadLetters("photos", id), "nothing was queued");
    assertInvalid(call(alice, "POST", "/buckets/photos/webhooks/" + id + "/redeliver?dryRun=maybe"), "dryRun");
  }

  @Test
  void statsOfARule() {
    String id = createRule(alice, "photos", RULE);
    Resp r = call(alice, "GET", "/buckets/photos/webhooks/" + id + "/stats");
    assertEquals(200, r.status(), r.raw());
    assertGolden("webhook-stats.json", r);
  }

  @Test
  void theListCarriesEveryRulesStatsInOneRequestWhenAsked() {
    String a = createRule(alice, "photos", RULE);
    String b = createRule(alice, "photos", RULE);
    webhooks.addDeadLetter(attempt("dead-b1", b, 8, "dead", 500, "HTTP 500"));
    Resp plain = call(alice, "GET", "/buckets/photos/webhooks");
    assertEquals(List.of("webhooks"), fields(plain.json()), "no figures unless asked");
    Resp r = call(alice, "GET", "/buckets/photos/webhooks?stats=true");
    assertEquals(200, r.status(), r.raw());
    assertEquals(List.of("webhooks", "stats"), fields(r.json()));
    assertEquals(a, r.get("stats").get(0).get("ruleId").asText());
    assertEquals(b, r.get("stats").get(1).get("ruleId").asText());
    assertEquals(call(alice, "GET", "/buckets/photos/webhooks/" + b + "/stats").json(), r.get("stats").get(1),
        "the same figures as the rule's own stats endpoint");
    assertInvalid(call(alice, "GET", "/buckets/photos/webhooks?stats=yes"), "stats");
  }

  // ---- dead letters

  @Test
  void deadLettersAreListedByBucketOrRuleAndRedeliveredOneByOne() {
    String a = createRule(alice, "photos", RULE);
    String b = createRule(alice, "photos", RULE);
    String other = createRule(bob, "logs", RULE);
    webhooks.addDeadLetter(attempt("dead-a1", a, 8, "dead", 500, "HTTP 500"));
    webhooks.addDeadLetter(attempt("dead-b1", b, 1, "queue_full", null, "queue_full"));
    webhooks.addDeadLetter(attempt("dead-o1", other, 8, "dead", 404, "HTTP 404"));

    Resp all = call(alice, "GET", "/buckets/photos/dead-letters");
    assertEquals(200, all.status(), all.raw());
    assertEquals(List.of("deadLetters", "next"), fields(all.json()));
    assertEquals(List.of("dead-a1", "dead-b1"), deliveryIds(all.get("deadLetters")));
    assertEquals(List.of("dead-b1"), deliveryIds(call(alice, "GET", "/buckets/photos/dead-letters?rule=" + b)
        .get("deadLetters")));
    Resp paged = call(alice, "GET", "/buckets/photos/dead-letters?limit=1&after=0");
    assertEquals(List.of("dead-b1"), deliveryIds(paged.get("deadLetters")));

    Resp redelivered = call(alice, "POST", "/buckets/photos/dead-letters/dead-a1/redeliver");
    assertEquals(200, redelivered.status(), redelivered.raw());
    assertEquals(1, redelivered.get("redelivered").asInt());
    assertEquals(List.of("dead-b1"), deliveryIds(call(alice, "GET", "/buckets/photos/dead-letters").get("deadLetters")));
    assertError(call(alice, "POST", "/buckets/photos/dead-letters/dead-a1/redeliver"), 404, "NotFound",
        "no dead letter dead-a1 in bucket photos");
    // Another bucket's dead letter is not reachable through this one.
    assertError(call(alice, "POST", "/buckets/photos/dead-letters/dead-o1/redeliver"), 404, "NotFound",
        "no dead letter dead-o1 in bucket photos");
  }

  @Test
  void redeliverAllOfARuleAndPurge() {
    String a = createRule(alice, "photos", RULE);
    String b = createRule(alice, "photos", RULE);
    for (int i = 0; i < 3; i++) {
      webhooks.addDeadLetter(attempt("dead-a" + i, a, 8, "dead", 500, "HTTP 500"));
    }
    webhooks.addDeadLetter(attempt("dead-b1", b, 8, "dead", 500, "HTTP 500"));
    webhooks.addDeadLetter(attempt("dead-b2", b, 8, "dead", 500, "HTTP 500"));
    Resp r = call(alice, "POST", "/buckets/photos/webhooks/" + a + "/redeliver");
    assertEquals(200, r.status(), r.raw());
    assertEquals("{\"redelivered\":3}", r.raw());

    Resp purgedOne = call(alice, "DELETE", "/buckets/photos/dead-letters?rule=" + b);
    assertEquals("{\"purged\":2}", purgedOne.raw());
    webhooks.addDeadLetter(attempt("dead-a9", a, 8, "dead", 500, "HTTP 500"));
    assertEquals("{\"purged\":1}", call(alice, "DELETE", "/buckets/photos/dead-letters").raw());
    assertEquals("{\"purged\":0}", call(alice, "DELETE", "/buckets/photos/dead-letters").raw());
    assertTrue(webhooks.calls.contains("purge photos rule=null"), webhooks.calls::toString);
    assertError(call(alice, "DELETE", "/buckets/photos/dead-letters?rule=nope"), 404, "NotFound",
        "no webhook nope in bucket photos");
  }

  private static List<String> deliveryIds(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(d -> out.add(d.get("deliveryId").asText()));
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }

  // ---- routing

  @Test
  void unknownPathsAre404AndWrongMethods405() {
    assertError(call(alice, "GET", "/buckets/photos/hooks"), 404, "NotFound",
        "no webhooks API endpoint at \"/buckets/photos/hooks\"");
    assertError(call(alice, "GET", "/buckets/photos/webhooks/"), 404, "NotFound",
        "no webhooks API endpoint at \"/buckets/photos/webhooks/\"");
    assertError(call(alice, "GET", ""), 404, "NotFound", "no webhooks API endpoint at \"\"");
    Resp r = call(alice, "PUT", "/buckets/photos/webhooks");
    assertError(r, 405, "MethodNotAllowed", "PUT is not allowed on /buckets/photos/webhooks; allowed: GET, POST");
    assertEquals("GET, POST", r.headers().get("Allow"));
    assertError(call(alice, "GET", "/buckets/photos/webhooks/x/test"), 405, "MethodNotAllowed",
        "GET is not allowed on /buckets/photos/webhooks/x/test; allowed: POST");
  }

  @Test
  void anonymousCallersLearnNothingAboutPaths() {
    assertError(call(null, "GET", "/no/such/thing"), 403, "AccessDenied", "signed request or bearer token required");
    assertError(send(Optional.empty(), Map.of("authorization", "Basic YWxpY2U6eA=="), "GET", "/api/v1/tokens", null),
        403, "AccessDenied", "signed request or bearer token required");
  }

  @Test
  void theAdminApiIsStillMountedBesideIt() {
    Resp r = send(Optional.of(alice), Map.of(), "GET", "/admin/v1/whoami", null);
    assertEquals(200, r.status(), r.raw());
    assertError(send(Optional.of(alice), Map.of(), "GET", "/api/v2/tokens", null), 404, "NotFound",
        "no API at \"/api/v2/tokens\"");
  }
}
