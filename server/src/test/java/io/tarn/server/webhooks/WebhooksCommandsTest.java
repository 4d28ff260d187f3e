package io.tarn.server.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.server.admin.CliContext;
import io.tarn.server.admin.FakeAdminApi;
import io.tarn.server.admin.FakeAdminApi.Recorded;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every {@code tarn webhooks} command: the request it sends, its output, its exit code. */
final class WebhooksCommandsTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T18:00:00Z"), ZoneOffset.UTC);
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String ID = "5f2b7c1e-9d3a-4e8b-a1c2-3d4e5f6a7b8c";
  static final String ID2 = "0a1b2c3d-0000-4000-8000-000000000002";
  static final String RULE = "{\"id\":\"" + ID + "\",\"bucket\":\"photos\",\"url\":\"https://hooks.example.com/in\","
      + "\"events\":[\"s3:ObjectCreated:*\",\"s3:ObjectRemoved:Delete\"],\"s3Events\":[\"s3:ObjectCreated:*\","
      + "\"s3:ObjectRemoved:Delete\"],\"prefix\":\"cats/\",\"suffix\":\".jpg\",\"secret\":\"****\",\"enabled\":true,"
      + "\"format\":\"compact\",\"signature\":\"tarn\",\"description\":null,\"created\":\"2026-11-29T18:00:00Z\","
      + "\"updated\":\"2026-11-29T18:00:00Z\",\"createdBy\":\"" + "a".repeat(64) + "\"}";
  static final String RULE2 = "{\"id\":\"" + ID2 + "\",\"bucket\":\"photos\",\"url\":\"http://10.0.0.5:8080/h\","
      + "\"events\":[\"object:deleted\"],\"prefix\":null,\"suffix\":null,\"secret\":null,\"enabled\":false,"
      + "\"format\":\"s3\"}";
  static final String ATTEMPT = "{\"deliveryId\":\"00000000000000a1-" + ID + "\",\"ruleId\":\"" + ID + "\","
      + "\"eventName\":\"ObjectCreated:Put\",\"key\":\"cats/tom.jpg\",\"sequencer\":\"00000000000000A1\","
      + "\"time\":\"2026-11-29T17:58:03Z\",\"attempt\":2,\"outcome\":\"failed\",\"statusCode\":503,"
      + "\"latencyMillis\":42,\"error\":\"HTTP 503\"}";

  /** What a command did: its exit code and what it printed. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @TempDir
  Path home;
  FakeAdminApi fake;

  @BeforeEach
  void start() throws Exception {
    fake = FakeAdminApi.startWebhooks(CLOCK, WebhooksCommand.PREFIX);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private static final CliContext.Prompter NO_CONSOLE = new CliContext.Prompter() {
    @Override
    public boolean available() {
      return false;
    }

    @Override
    public String readLine(String prompt) {
      return null;
    }

    @Override
    public char[] readPassword(String prompt) {
      return null;
    }
  };

  /** Runs {@code tarn webhooks args} with the fake's endpoint and alice's credentials. */
  private Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint", fake.endpoint(), "--access-key", FakeAdminApi.USER.accessKeyId(),
        "--secret-key", FakeAdminApi.USER.secretKey()));
    return bare(all.toArray(String[]::new));
  }

  private Result bare(String... args) {
    List<String> all = List.of(args);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new WebhooksCommand(new CliContext(Map.of(), home, CLOCK, NO_CONSOLE)));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    Result r = new Result(cl.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    assertTrue(!r.err().contains("\tat ") && !r.err().contains("Exception"), () -> "stack trace leaked: " + r);
    return r;
  }

  static JsonNode json(String s) {
    try {
      return MAPPER.readTree(s);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + s, e);
    }
  }

  private static void assertOk(Result r) {
    assertEquals(0, r.exit(), r::toString);
  }

  private static void assertRequest(Recorded r, String method, String path, String query, String body) {
    assertEquals(method, r.method());
    assertEquals(WebhooksCommand.PREFIX + path, r.rawPath());
    assertEquals(query, r.rawQuery());
    if (body == null) {
      assertEquals("", r.body());
      assertNull(r.contentType());
    } else {
      assertEquals(json(body), json(r.body()));
      assertEquals("application/json", r.contentType());
    }
  }

  // ---- add

  @Test
  void addPostsTheRuleAndPrintsOnlyItsId() {
    fake.json("POST", "/buckets/photos/webhooks", 201, RULE);
    Result r = run("add", "photos", "--url", "https://hooks.example.com/in", "--events",
        "ObjectCreated:*,s3:ObjectRemoved:Delete", "--prefix", "cats/", "--suffix", ".jpg", "--secret", "k3y",
        "--format", "COMPACT");
    assertOk(r);
    assertRequest(fake.only(), "POST", "/buckets/photos/webhooks", null, "{\"url\":\"https://hooks.example.com/in\","
        + "\"events\":[\"ObjectCreated:*\",\"s3:ObjectRemoved:Delete\"],\"prefix\":\"cats/\",\"suffix\":\".jpg\","
        + "\"secret\":\"k3y\",\"format\":\"compact\"}");
    assertEquals(ID + "\n", r.out(), "scripts capture the id: nothing else on stdout");
    assertEquals("Created webhook " + ID + " on photos.\n", r.err());
  }

  @Test
  void addWithJsonPrintsTheRuleObject() {
    fake.json("POST", "/buckets/photos/webhooks", 201, RULE);
    Result r = run("add", "photos", "--url", "https://hooks.example.com/in", "--events", "object:created",
        "--events", "object:updated", "--signature", "standard-webhooks", "--description", "thumbs", "--json");
    assertOk(r);
    assertRequest(fake.only(), "POST", "/buckets/photos/webhooks", null, "{\"url\":\"https://hooks.example.com/in\","
        + "\"events\":[\"object:created\",\"object:updated\"],\"signature\":\"standard-webhooks\","
        + "\"description\":\"thumbs\"}");
    assertEquals(json(RULE), json(r.out()));
    assertEquals(ID, json(r.out()).get("id").asText());
  }

  @Test
  void addNeedsUrlAndEventsAndAKnownFormat() {
    assertEquals(2, run("add", "photos", "--events", "ObjectCreated:*").exit());
    assertEquals(2, run("add", "photos", "--url", "https://a.example/").exit());
    Result r = run("add", "photos", "--url", "https://a.example/", "--events", "ObjectCreated:*", "--format", "xml");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("the format must be s3 or compact, not 'xml'"), r::toString);
    assertEquals(List.of(), fake.requests(), "nothing was sent");
  }

  @Test
  void addFailuresExitWithTheDocumentedCodes() {
    String[] add = {"add", "photos", "--url", "ftp://a.example/", "--events", "ObjectCreated:*"};
    fake.error("POST", "/buckets/photos/webhooks", 400, "InvalidRequest", "\"url\" must be an http or https URL");
    Result invalid = run(add);
    assertEquals(1, invalid.exit(), invalid::toString);
    assertEquals("error: \"url\" must be an http or https URL (InvalidRequest)\n", invalid.err());
    assertEquals("", invalid.out());

    fake.error("POST", "/buckets/photos/webhooks", 403, "AccessDenied",
        "only the owner of bucket photos or an admin may manage its webhooks");
    Result denied = run(add);
    assertEquals(5, denied.exit(), denied::toString);
    assertEquals("error: permission denied: only the owner of bucket photos or an admin may manage its webhooks"
        + " (AccessDenied). This needs the bucket owner's key or an admin key.\n", denied.err());

    fake.error("POST", "/buckets/photos/webhooks", 404, "NotFound", "bucket photos not found");
    assertEquals(6, run(add).exit());
    fake.error("POST", "/buckets/photos/webhooks", 409, "Conflict", "bucket photos has 100 webhooks already");
    assertEquals(7, run(add).exit());
  }

  // ---- ls, rm, enable, disable, test, stats

  @Test
  void lsPrintsATable() {
    fake.json("GET", "/buckets/photos/webhooks", 200, "{\"webhooks\":[" + RULE + "," + RULE2 + "]}");
    Result r = run("ls", "photos");
    assertOk(r);
    assertRequest(fake.only(), "GET", "/buckets/photos/webhooks", null, null);
    assertEquals("""
        ID                                    STATUS    EVENTS                                      FILTER      FORMAT   URL
        5f2b7c1e-9d3a-4e8b-a1c2-3d4e5f6a7b8c  enabled   s3:ObjectCreated:*,s3:ObjectRemoved:Delete  cats/*.jpg  compact  https://hooks.example.com/in
        0a1b2c3d-0000-4000-8000-000000000002  disabled  object:deleted                              -           s3       http://10.0.0.5:8080/h
        """, r.out());
    Result j = run("ls", "photos", "--json");
    assertEquals(json("{\"webhooks\":[" + RULE + "," + RULE2 + "]}"), json(j.out()));
  }

  @Test
  void rmDeletesTheRule() {
    fake.json("DELETE", "/buckets/photos/webhooks/" + ID, 204, "");
    Result r = run("rm", "photos", ID);
    assertOk(r);
    assertRequest(fake.only(), "DELETE", "/buckets/photos/webhooks/" + ID, null, null);
    assertEquals("", r.out());
    assertEquals("Deleted webhook " + ID + ".\n", r.err());
    assertEquals(6, run("rm", "photos", "nope").exit(), "unknown id: not found");
  }

  @Test
  void enableAndDisable() {
    fake.json("POST", "/buckets/photos/webhooks/" + ID + "/disable", 200, RULE.replace("\"enabled\":true",
        "\"enabled\":false"));
    Result r = run("disable", "photos", ID);
    assertOk(r);
    assertRequest(fake.only(), "POST", "/buckets/photos/webhooks/" + ID + "/disable", null, "{}");
    assertEquals("Disabled webhook " + ID + ".\n", r.err());
    fake.json("POST", "/buckets/photos/webhooks/" + ID + "/enable", 200, RULE);
    assertOk(run("enable", "photos", ID));
    assertEquals(2, fake.requests().size());
  }

  @Test
  void testPrintsTheDeliveryId() {
    fake.json("POST", "/buckets/photos/webhooks/" + ID + "/test", 202, "{\"deliveryId\":\"test-1\"}");
    Result r = run("test", "photos", ID);
    assertOk(r);
    assertRequest(fake.only(), "POST", "/buckets/photos/webhooks/" + ID + "/test", null, "{}");
    assertEquals("test-1\n", r.out());
    assertEquals("Queued a test event for webhook " + ID + ".\n", r.err());
  }

  @Test
  void testWaitPrintsTheOutcomeWithHeadersAndBody() {
    fake.json("POST", "/buckets/photos/webhooks/" + ID + "/test", 200, "{\"deliveryId\":\"test-1\",\"outcome\":"
        + "\"delivered\",\"statusCode\":200,\"latencyMillis\":14,\"headers\":[{\"name\":\"X-Hook\",\"value\":"
        + "\"yes\"}],\"body\":\"thanks\",\"error\":null}");
    Result r = run("test", "photos", ID, "--wait");
    assertOk(r);
    assertRequest(fake.only(), "POST", "/buckets/photos/webhooks/" + ID + "/test", "wait=true", "{}");
    assertEquals("""
        Delivery:  test-1
        Outcome:   delivered
        Status:    200
        Latency:   14 ms

        X-Hook: yes

        thanks
        """, r.out());
  }

  @Test
  void testWaitExitsOneWhenTheReceiverDidNotAnswer2xx() {
    fake.json("POST", "/buckets/photos/webhooks/" + ID + "/test", 200, "{\"deliveryId\":\"test-1\",\"outcome\":"
        + "\"failed\",\"statusCode\":null,\"latencyMillis\":3,\"headers\":[],\"body\":null,\"error\":"
        + "\"connection refused\"}");
    Result r = run("test", "photos", ID, "--wait");
    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.out().contains("Error:     connection refused"), r.out());
    assertTrue(r.out().contains("Status:    -"), r.out());
  }

  @Test
  void statsPrintsFields() {
    fake.json("GET", "/buckets/photos/webhooks/" + ID + "/stats", 200, "{\"ruleId\":\"" + ID + "\",\"pending\":3,"
        + "\"delivered\":120,\"failedAttempts\":7,\"deadLettered\":2,\"queueFull\":1,\"lastSuccess\":"
        + "\"2026-11-29T17:59:58Z\",\"lastFailure\":\"2026-11-29T18:01:00Z\",\"failingSince\":\"2026-11-29T18:00:00Z\","
        + "\"latencyP50Millis\":12,\"latencyP99Millis\":230}");
    Result r = run("stats", "photos", ID);
    assertOk(r);
    assertEquals("""
        Webhook:          5f2b7c1e-9d3a-4e8b-a1c2-3d4e5f6a7b8c
        Pending:          3
        Delivered:        120
        Failed attempts:  7
        Dead letters:     2 (queue full: 1)
        Last success:     2026-11-29T17:59:58Z
        Last failure:     2026-11-29T18:01:00Z
        Failing since:    2026-11-29T18:00:00Z
        Latency p50:      12 ms
        Latency p99:      230 ms
        """, r.out());
  }

  // ---- deliveries and dead letters

  @Test
  void deliveriesPagesWithLimitAndAfter() {
    fake.json("GET", "/buckets/photos/webhooks/" + ID + "/deliveries", 200, "{\"deliveries\":[" + ATTEMPT + ","
        + ATTEMPT.replace("\"attempt\":2,\"outcome\":\"failed\",\"statusCode\":503", "\"attempt\":1,\"outcome\":"
            + "\"failed\",\"statusCode\":null").replace("\"latencyMillis\":42,\"error\":\"HTTP 503\"",
            "\"latencyMillis\":5000,\"error\":\"connect timed out\"") + "],\"next\":\"c2\"}");
    Result r = run("deliveries", "photos", ID, "--limit", "2", "--after", "c1");
    assertOk(r);
    assertRequest(fake.only(), "GET", "/buckets/photos/webhooks/" + ID + "/deliveries", "after=c1&limit=2", null);
    assertEquals("""
        TIME                  ATTEMPT  EVENT              KEY           OUTCOME  STATUS  LATENCY  ERROR
        2026-11-29T17:58:03Z        2  ObjectCreated:Put  cats/tom.jpg  failed      503    42 ms  HTTP 503
        2026-11-29T17:58:03Z        1  ObjectCreated:Put  cats/tom.jpg  failed        -  5000 ms  connect timed out
        """, r.out());
    assertEquals("More entries: add --after c2\n", r.err());
  }

  @Test
  void deadLettersOfTheBucketOrOneRule() {
    String dead = ATTEMPT.replace("\"attempt\":2,\"outcome\":\"failed\"", "\"attempt\":8,\"outcome\":\"dead\"");
    fake.json("GET", "/buckets/photos/dead-letters", 200, "{\"deadLetters\":[" + dead + "],\"next\":null}");
    Result r = run("dead-letters", "photos", "--rule", ID);
    assertOk(r);
    assertRequest(fake.only(), "GET", "/buckets/photos/dead-letters", "rule=" + ID, null);
    assertEquals("""
        DELIVERY ID                                            WEBHOOK                               TIME                  EVENT              KEY           ATTEMPTS  REASON
        00000000000000a1-5f2b7c1e-9d3a-4e8b-a1c2-3d4e5f6a7b8c  5f2b7c1e-9d3a-4e8b-a1c2-3d4e5f6a7b8c  2026-11-29T17:58:03Z  ObjectCreated:Put  cats/tom.jpg         8  HTTP 503
        """, r.out());
    assertEquals("", r.err(), "no next page");
    assertOk(run("dead-letters", "photos"));
    assertEquals(null, fake.requests().get(1).rawQuery());
  }

  // ---- redeliver and purge

  @Test
  void redeliverOneDeadLetter() {
    fake.json("POST", "/buckets/photos/dead-letters/d-1/redeliver", 200, "{\"redelivered\":1}");
    Result r = run("redeliver", "photos", "d-1");
    assertOk(r);
    assertRequest(fake.only(), "POST", "/buckets/photos/dead-letters/d-1/redeliver", null, "{}");
    assertEquals("Queued delivery d-1 again.\n", r.err());
  }

  @Test
  void redeliverAllOfOneRule() {
    fake.json("POST", "/buckets/photos/webhooks/" + ID + "/redeliver", 200, "{\"redelivered\":3}");
    Result r = run("redeliver", "photos", "--all", "--rule", ID, "--json");
    assertOk(r);
    assertRequest(fake.only(), "POST", "/buckets/photos/webhooks/" + ID + "/redeliver", null, "{}");
    assertEquals(json("{\"redelivered\":3}"), json(r.out()));
    assertEquals("Queued 3 dead letter(s) of webhook " + ID + " again.\n", r.err());
  }

  @Test
  void redeliverAllWithoutARuleCoversEveryRuleOfTheBucket() {
    fake.json("GET", "/buckets/photos/webhooks", 200, "{\"webhooks\":[" + RULE + "," + RULE2 + "]}");
    fake.json("POST", "/buckets/photos/webhooks/" + ID + "/redeliver", 200, "{\"redelivered\":3}");
    fake.json("POST", "/buckets/photos/webhooks/" + ID2 + "/redeliver", 200, "{\"redelivered\":2}");
    Result r = run("redeliver", "photos", "--all");
    assertOk(r);
    List<Recorded> sent = fake.requests();
    assertEquals(3, sent.size(), sent::toString);
    assertRequest(sent.get(0), "GET", "/buckets/photos/webhooks", null, null);
    assertRequest(sent.get(1), "POST", "/buckets/photos/webhooks/" + ID + "/redeliver", null, "{}");
    assertRequest(sent.get(2), "POST", "/buckets/photos/webhooks/" + ID2 + "/redeliver", null, "{}");
    assertEquals("", r.out());
    assertEquals("Queued 5 dead letter(s) of 2 webhook(s) of photos again.\n", r.err());
  }

  @Test
  void redeliverTakesAnIdOrAllButNotBoth() {
    for (String[] args : List.of(new String[] {"redeliver", "photos"}, new String[] {"redeliver", "photos", "d-1", "--all"})) {
      Result r = run(args);
      assertEquals(2, r.exit(), r::toString);
      assertEquals("error: give either a DELIVERY_ID or --all\n", r.err());
    }
    Result r = run("redeliver", "photos", "d-1", "--rule", ID);
    assertEquals(2, r.exit(), r::toString);
    assertEquals("error: --rule goes with --all\n", r.err());
    assertEquals(List.of(), fake.requests(), "nothing was sent");
  }

  // ---- the delivery log (issue 13)

  @Test
  void deliveriesFilterByStatusPrefixAndTime() {
    fake.json("GET", "/buckets/photos/webhooks/" + ID + "/deliveries", 200, "{\"deliveries\":[" + ATTEMPT
        + "],\"next\":null}");
    Result r = run("deliveries", "photos", ID, "--status", "failed", "--prefix", "cats/", "--from",
        "2026-11-29T17:00:00Z", "--to", "2026-11-29T18:00:00Z", "--limit", "5");
    assertOk(r);
    assertRequest(fake.only(), "GET", "/buckets/photos/webhooks/" + ID + "/deliveries",
        "limit=5&status=failed&prefix=cats%2F&from=2026-11-29T17%3A00%3A00Z&to=2026-11-29T18%3A00%3A00Z", null);
    assertTrue(r.out().contains("cats/tom.jpg  failed"), r::toString);
  }

  @Test
  void deliveryPrintsTheInspector() {
    String id = "00000000000000a1-" + ID;
    fake.json("GET", "/buckets/photos/deliveries/" + id, 200, "{\"deliveryId\":\"" + id + "\",\"ruleId\":\"" + ID
        + "\",\"state\":\"pending\",\"nextDue\":\"2026-11-29T18:01:00Z\",\"body\":\"{\\\"Records\\\":[]}\","
        + "\"bodyBase64\":null,\"bodyBytes\":14,\"attempts\":[{\"attempt\":" + ATTEMPT + ",\"requestHeaders\":"
        + "{\"X-Tarn-Signature-256\":\"ab12\"},\"responseHeaders\":{\"retry-after\":\"30\"},\"responseBody\":"
        + "\"db down\",\"nextRetry\":\"2026-11-29T18:01:00Z\",\"detailed\":true}]}");
    Result r = run("delivery", "photos", id);
    assertOk(r);
    assertRequest(fake.only(), "GET", "/buckets/photos/deliveries/" + id, null, null);
    assertEquals("""
        Delivery:      00000000000000a1-5f2b7c1e-9d3a-4e8b-a1c2-3d4e5f6a7b8c
        Webhook:       5f2b7c1e-9d3a-4e8b-a1c2-3d4e5f6a7b8c
        State:         pending
        Next attempt:  2026-11-29T18:01:00Z
        Body bytes:    14

        Body as sent:
        {"Records":[]}

        Attempt 2 at 2026-11-29T17:58:03Z: failed, status 503, 42 ms, HTTP 503; next retry 2026-11-29T18:01:00Z
          Request headers:
            X-Tarn-Signature-256: ab12
          Response headers:
            retry-after: 30
          Response body (first 4 KiB):
            db down
        """, r.out());
  }

  @Test
  void redeliverAnyOneOrManyDeliveries() {
    fake.json("POST", "/buckets/photos/deliveries/d-1/redeliver", 200, "{\"redelivered\":1}");
    assertOk(run("redeliver", "photos", "d-1", "--any"));
    assertRequest(fake.only(), "POST", "/buckets/photos/deliveries/d-1/redeliver", null, "{}");
    fake.json("POST", "/buckets/photos/deliveries/redeliver", 200, "{\"redelivered\":1,\"results\":["
        + "{\"deliveryId\":\"d-1\",\"redelivered\":true,\"error\":null},"
        + "{\"deliveryId\":\"d-2\",\"redelivered\":false,\"error\":\"no delivery d-2\"}]}");
    Result r = run("redeliver", "photos", "d-1", "d-2");
    assertOk(r);
    assertRequest(fake.requests().get(1), "POST", "/buckets/photos/deliveries/redeliver", null,
        "{\"ids\":[\"d-1\",\"d-2\"]}");
    assertEquals("Not queued: d-2: no delivery d-2\nQueued 1 of 2 deliveries again.\n", r.err());
  }

  @Test
  void redeliverAllDryRunCountsFirst() {
    fake.json("POST", "/buckets/photos/webhooks/" + ID + "/redeliver", 200, "{\"deadLetters\":4}");
    Result r = run("redeliver", "photos", "--all", "--rule", ID, "--dry-run");
    assertOk(r);
    assertRequest(fake.only(), "POST", "/buckets/photos/webhooks/" + ID + "/redeliver", "dryRun=true", "{}");
    assertEquals("4\n", r.out());
    assertEquals("4 dead letter(s) would be queued again (dry run: nothing was).\n", r.err());
    Result bad = run("redeliver", "photos", "d-1", "--dry-run");
    assertEquals(2, bad.exit(), bad::toString);
    assertEquals("error: --dry-run goes with --all\n", bad.err());
  }

  @Test
  void eventsListsTheDeliveriesOfOneKey() {
    fake.json("GET", "/buckets/photos/deliveries", 200, "{\"deliveries\":[" + ATTEMPT + "],\"next\":null}");
    Result r = run("events", "photos", "cats/tom.jpg");
    assertOk(r);
    assertRequest(fake.only(), "GET", "/buckets/photos/deliveries", "key=cats%2Ftom.jpg", null);
    assertTrue(r.out().contains("ObjectCreated:Put  cats/tom.jpg"), r::toString);
  }

  @Test
  void purgeTheBucketOrOneRule() {
    fake.json("DELETE", "/buckets/photos/dead-letters", 200, "{\"purged\":4}");
    Result all = run("purge", "photos");
    assertOk(all);
    assertRequest(fake.only(), "DELETE", "/buckets/photos/dead-letters", null, null);
    assertEquals("Purged 4 dead letter(s).\n", all.err());
    Result one = run("purge", "photos", "--rule", ID, "--json");
    assertOk(one);
    assertEquals("rule=" + ID, fake.requests().get(1).rawQuery());
    assertEquals(json("{\"purged\":4}"), json(one.out()));
  }

  @Test
  void credentialsAndEndpointFailuresUseTheAdminExitCodes() {
    Result wrongSecret = bare("ls", "photos", "--endpoint", fake.endpoint(), "--access-key",
        FakeAdminApi.USER.accessKeyId(), "--secret-key", "not-the-secret");
    assertEquals(4, wrongSecret.exit(), wrongSecret::toString);
    assertTrue(wrongSecret.err().contains("SignatureDoesNotMatch"), wrongSecret::toString);
    Result noKeys = bare("ls", "photos", "--endpoint", fake.endpoint());
    assertEquals(2, noKeys.exit(), noKeys::toString);
    assertTrue(noKeys.err().contains("no credentials"), noKeys::toString);
    assertEquals(List.of(), fake.requests());
  }

  // ---- the command tree

  @Test
  void namesAreEncodedAsOnePathSegment() {
    fake.json("DELETE", "/buckets/photos/webhooks/a%2Fb%20c", 204, "");
    assertOk(run("rm", "photos", "a/b c"));
    assertEquals(WebhooksCommand.PREFIX + "/buckets/photos/webhooks/a%2Fb%20c", fake.only().rawPath());
  }

  @Test
  void noCommandIsAUsageError() {
    Result r = bare();
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("Missing command: one of add, dead-letters, deliveries, delivery, disable, enable,"
        + " events, ls, purge, redeliver, rm, simulate, stats, tail, test (try 'tarn webhooks --help')."),
        r::toString);
  }

  @Test
  void tarnHasTheWebhooksCommand() {
    CommandLine tarn = io.tarn.server.Main.commandLine();
    CommandLine webhooks = tarn.getSubcommands().get("webhooks");
    assertTrue(webhooks != null, "tarn webhooks is registered");
    assertEquals(List.of("add", "dead-letters", "deliveries", "delivery", "disable", "enable", "events", "ls", "purge",
        "redeliver", "rm", "simulate", "stats", "tail", "test"), List.copyOf(webhooks.getSubcommands().keySet()));
  }
}
