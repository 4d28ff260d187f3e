package io.tarn.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tarn.server.admin.ApiClient;
import io.tarn.server.admin.CliContext;
import io.tarn.server.admin.ClientCommand;
import io.tarn.server.admin.ClientOptions;
import io.tarn.server.admin.Exit;
import io.tarn.server.admin.Output;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * {@code tarn webhooks}: a bucket's webhooks over the webhooks JSON API ({@code /_tarn/api/v1}),
 * with the same endpoint and credential options and exit codes as {@code tarn admin}. The command
 * shapes are fixed by issue #4: scripts rely on them (e.g. {@code add} prints only the rule id).
 */
// Lines of at most 78 chars: picocli would wrap a longer one inside a URL or path.
@Command(name = "webhooks", scope = ScopeType.INHERIT, sortOptions = false,
    description = {
        "Manage the webhooks of buckets you own (admins: of all buckets).",
        "Each command connects to --endpoint (default http://127.0.0.1:9000) with",
        "--access-key and --secret-key, or their environment variables",
        "(TARN_ENDPOINT, TARN_ACCESS_KEY...), or the profile of 'tarn admin login'."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:ok",
        "1:other error (e.g. an invalid URL or event name)",
        "2:usage error (bad arguments, missing credentials)",
        "3:cannot reach the endpoint (refused, unknown host, TLS failure, timeout, not a Tarn API)",
        "4:authentication failed (unknown access key, wrong secret, clock skew)",
        "5:permission denied (not your bucket, or a private target address)",
        "6:not found (bucket, webhook, delivery or dead letter)",
        "7:conflict (e.g. the bucket has 100 webhooks)"})
public final class WebhooksCommand extends ClientCommand {
  /** Where the webhooks API lives on the S3 port. */
  public static final String PREFIX = "/_tarn/api/v1";
  private static final String BUCKET = "Bucket name.";
  private static final String RULE = "Webhook (rule) id.";
  /** What a refusal tells the user: owning the bucket is enough here. */
  private static final String OWNER_HINT = "This needs the bucket owner's key or an admin key.";

  /** For {@code tarn}: the real environment. */
  public WebhooksCommand() {
    this(null);
  }

  /** With an injected environment, home, clock and console (tests); null means {@link CliContext#system()}. */
  public WebhooksCommand(CliContext context) {
    super(context);
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: one of "
        + String.join(", ", spec.subcommands().keySet()) + " (try 'tarn webhooks --help').");
  }

  @Command(name = "add", description = {"Create a webhook and print its id.",
      "With --json: the webhook as a JSON object with its id."})
  int add(
      @Parameters(paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Option(names = "--url", required = true, paramLabel = "URL", description = "http(s) URL to POST events to.")
      String url,
      @Option(names = "--events", required = true, split = ",", paramLabel = "E",
          description = "Event names, comma-separated: ObjectCreated:*, s3:ObjectRemoved:Delete, object:created,"
              + " object:updated, object:deleted, multipart:completed, s3:TestEvent...")
      List<String> events,
      @Option(names = "--prefix", paramLabel = "P", description = "Only keys starting with P.") String prefix,
      @Option(names = "--suffix", paramLabel = "S", description = "Only keys ending with S.") String suffix,
      @Option(names = "--secret", paramLabel = "S",
          description = "HMAC-SHA256 secret: deliveries carry X-Tarn-Signature-256.") String secret,
      @Option(names = "--format", paramLabel = "FORMAT", converter = Choice.Formats.class,
          completionCandidates = Choice.Formats.class, description = "s3 (default) or compact.") String format,
      @Option(names = "--signature", paramLabel = "SCHEME", converter = Choice.Signatures.class,
          completionCandidates = Choice.Signatures.class,
          description = "tarn (default), standard-webhooks or elasticlake (adds X-ElasticLake-Signature).") String signature,
      @Option(names = "--description", paramLabel = "TEXT", description = "A note for humans.") String description,
      @Mixin ClientOptions client) {
    ObjectNode body = object().put("url", url);
    events.forEach(body.putArray("events")::add);
    putIfSet(body, "prefix", prefix);
    putIfSet(body, "suffix", suffix);
    putIfSet(body, "secret", secret);
    putIfSet(body, "format", format);
    putIfSet(body, "signature", signature);
    putIfSet(body, "description", description);
    return run(client, (api, out) -> {
      JsonNode rule = api.post(path("buckets", bucket, "webhooks"), body);
      out.show(rule, () -> out.line(Views.text(rule, "id")));
      out.message("Created webhook " + Views.text(rule, "id") + " on " + bucket + ".");
    });
  }

  @Command(name = "ls", description = "List a bucket's webhooks.")
  int ls(@Parameters(paramLabel = "BUCKET", description = BUCKET) String bucket, @Mixin ClientOptions client) {
    return run(client, (api, out) -> {
      JsonNode rules = api.get(path("buckets", bucket, "webhooks"));
      out.show(rules, () -> out.table(Views.rules(rules)));
    });
  }

  @Command(name = "rm", description = "Delete a webhook, with its queued deliveries and dead letters.")
  int rm(@Parameters(index = "0", paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Parameters(index = "1", paramLabel = "ID", description = RULE) String id, @Mixin ClientOptions client) {
    return run(client, (api, out) -> {
      api.delete(path("buckets", bucket, "webhooks", id), Map.of());
      out.message("Deleted webhook " + id + ".");
    });
  }

  @Command(name = "enable", description = "Enable a webhook.")
  int enable(@Parameters(index = "0", paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Parameters(index = "1", paramLabel = "ID", description = RULE) String id, @Mixin ClientOptions client) {
    return setEnabled(bucket, id, true, client);
  }

  @Command(name = "disable", description = "Disable a webhook: events are not delivered until it is enabled.")
  int disable(@Parameters(index = "0", paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Parameters(index = "1", paramLabel = "ID", description = RULE) String id, @Mixin ClientOptions client) {
    return setEnabled(bucket, id, false, client);
  }

  private static int setEnabled(String bucket, String id, boolean on, ClientOptions client) {
    return run(client, (api, out) -> {
      JsonNode rule = api.post(path("buckets", bucket, "webhooks", id, on ? "enable" : "disable"), object());
      out.message((on ? "Enabled" : "Disabled") + " webhook " + id + ".");
      out.show(rule, () -> { });
    });
  }

  @Command(name = "test", description = {"Send an s3:TestEvent to a webhook and print its delivery id.",
      "It is queued like any event: see 'tarn webhooks deliveries BUCKET ID'.",
      "With --wait, waits (up to 40 s) for the attempt and prints its outcome: status, latency,",
      "the response's headers and the first KiB of its body, or the connection error;",
      "exits 1 unless the receiver answered 2xx."})
  int test(@Parameters(index = "0", paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Parameters(index = "1", paramLabel = "ID", description = RULE) String id,
      @Option(names = "--wait", description = "Wait for the attempt and show its outcome.") boolean wait,
      @Mixin ClientOptions client) {
    int[] exit = {Exit.OK.code()};
    int code = run(client, (api, out) -> {
      if (!wait) {
        JsonNode sent = api.post(path("buckets", bucket, "webhooks", id, "test"), object());
        out.show(sent, () -> out.line(Views.text(sent, "deliveryId")));
        out.message("Queued a test event for webhook " + id + ".");
        return;
      }
      JsonNode outcome = api.send("POST", path("buckets", bucket, "webhooks", id, "test"), Map.of("wait", "true"),
          object());
      out.show(outcome, () -> Views.testOutcome(outcome, out));
      if (!"delivered".equals(outcome.path("outcome").asText())) {
        exit[0] = Exit.ERROR.code();
      }
    });
    return code != Exit.OK.code() ? code : exit[0];
  }

  @Command(name = "deliveries", description = {"Show a webhook's delivery attempts, newest first.",
      "--status pending lists the deliveries queued now instead."})
  int deliveries(@Parameters(index = "0", paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Parameters(index = "1", paramLabel = "ID", description = RULE) String id,
      @Option(names = "--status", paramLabel = "S", description = "delivered, failed, dead or pending.")
      String status,
      @Option(names = "--prefix", paramLabel = "P", description = "Only keys starting with P.") String prefix,
      @Option(names = "--from", paramLabel = "TIME", description = "Attempts at or after TIME (ISO-8601 UTC).")
      String from,
      @Option(names = "--to", paramLabel = "TIME", description = "Attempts before TIME (ISO-8601 UTC).") String to,
      @Mixin Paging paging, @Mixin ClientOptions client) {
    Map<String, String> query = paging.query(null);
    query.put("status", status);
    query.put("prefix", prefix);
    query.put("from", from);
    query.put("to", to);
    return run(client, (api, out) -> {
      JsonNode page = api.get(path("buckets", bucket, "webhooks", id, "deliveries"), query);
      out.show(page, () -> out.table(Views.deliveries(page.path("deliveries"))));
      paging.more(page, out);
    });
  }

  @Command(name = "stats", description = "Show a webhook's figures: pending, delivered, failed, latency.")
  int stats(@Parameters(index = "0", paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Parameters(index = "1", paramLabel = "ID", description = RULE) String id, @Mixin ClientOptions client) {
    return run(client, (api, out) -> {
      JsonNode stats = api.get(path("buckets", bucket, "webhooks", id, "stats"));
      out.show(stats, () -> out.fields(Views.stats(stats)));
    });
  }

  @Command(name = "simulate", description = {"Show what each webhook of the bucket would send for KEY:",
      "whether it matches (or why not), the headers, the body and a curl",
      "command that replays it. Nothing is written or sent."})
  int simulate(@Parameters(index = "0", paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Parameters(index = "1", paramLabel = "KEY", description = "Object key.") String key,
      @Option(names = "--event", paramLabel = "E", defaultValue = "s3:ObjectCreated:Put",
          description = "The S3 event (default: ${DEFAULT-VALUE}).") String event,
      @Option(names = "--size", paramLabel = "BYTES", defaultValue = "0",
          description = "Object size in bytes (default: 0).") long size,
      @Option(names = "--replaces", description = "The write replaces an existing object (object:updated).")
      boolean replaces,
      @Option(names = "--content-type", paramLabel = "TYPE", description = "The object's content type.")
      String contentType,
      @Mixin ClientOptions client) {
    ObjectNode body = object().put("key", key).put("event", event).put("size", size).put("replaces", replaces);
    putIfSet(body, "contentType", contentType);
    return run(client, (api, out) -> {
      JsonNode answer = api.post(path("buckets", bucket, "webhooks", "simulate"), body);
      out.show(answer, () -> Simulations.print(answer, out));
    });
  }

  @Command(name = "tail", description = {"Follow a bucket's events as they commit, with the webhooks each",
      "matched, then each delivery attempt's outcome, until interrupted or the",
      "server ends the tail. Anyone who may read the bucket may follow it.",
      "With --json: one JSON object a line, its kind in \"type\"."})
  int tail(@Parameters(paramLabel = "BUCKET", description = BUCKET) String bucket, @Mixin ClientOptions client) {
    return client.run("This needs read access to the bucket.", (api, out) -> {
      String[] kind = {null};
      api.stream(path("buckets", bucket, "events", "live"), line -> {
        if (line.startsWith("event: ")) {
          kind[0] = line.substring(7);
        } else if (line.startsWith("data: ") && kind[0] != null) {
          LiveLines.print(out, kind[0], line.substring(6));
          out.flush(); // a follower shows each event as it comes
          kind[0] = null;
        }
      });
    });
  }

  @Command(name = "dead-letters", description = "List dead letters: of all the bucket's webhooks, or of one.")
  int deadLetters(@Parameters(paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Option(names = "--rule", paramLabel = "ID", description = "Only this webhook's.") String rule,
      @Mixin Paging paging, @Mixin ClientOptions client) {
    return run(client, (api, out) -> {
      JsonNode page = api.get(path("buckets", bucket, "dead-letters"), paging.query(rule));
      out.show(page, () -> out.table(Views.deadLetters(page.path("deadLetters"))));
      paging.more(page, out);
    });
  }

  @Command(name = "redeliver", description = {"Queue deliveries again, due now, with a fresh attempt count:",
      "one dead letter by its DELIVERY_ID; with --any, any delivery (delivered",
      "ones too, the same body again); several ids at once (any outcome); or",
      "with --all the dead letters of one webhook (--rule ID) or, without",
      "--rule, of every webhook of the bucket (--dry-run: only count them)."})
  int redeliver(
      @Parameters(index = "0", paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Parameters(index = "1", arity = "0..*", paramLabel = "DELIVERY_ID", description = "Delivery ids.")
      List<String> deliveryIds,
      @Option(names = "--any", description = "The id may be any delivery, not only a dead letter.") boolean any,
      @Option(names = "--all", description = "All dead letters (of --rule, else of the bucket).") boolean all,
      @Option(names = "--rule", paramLabel = "ID", description = "With --all: only this webhook's.") String rule,
      @Option(names = "--dry-run", description = "With --all: print how many there are, queue nothing.")
      boolean dryRun,
      @Mixin ClientOptions client) {
    List<String> ids = deliveryIds == null ? List.of() : deliveryIds;
    if (all == !ids.isEmpty()) {
      return usage(client, "give either a DELIVERY_ID or --all");
    }
    if (rule != null && !all) {
      return usage(client, "--rule goes with --all");
    }
    if (dryRun && !all) {
      return usage(client, "--dry-run goes with --all");
    }
    return run(client, (api, out) -> {
      if (ids.size() > 1) {
        ObjectNode body = object();
        ids.forEach(body.putArray("ids")::add);
        JsonNode done = api.post(path("buckets", bucket, "deliveries", "redeliver"), body);
        for (JsonNode r : done.path("results")) {
          if (!r.path("redelivered").asBoolean()) {
            out.message("Not queued: " + Views.text(r, "deliveryId") + ": " + Views.text(r, "error"));
          }
        }
        out.message("Queued " + Views.text(done, "redelivered") + " of " + ids.size() + " deliveries again.");
        out.show(done, () -> { });
        return;
      }
      if (!all) {
        String id = ids.get(0);
        JsonNode done = api.post(any ? path("buckets", bucket, "deliveries", id, "redeliver")
            : path("buckets", bucket, "dead-letters", id, "redeliver"), object());
        out.message("Queued delivery " + id + " again.");
        out.show(done, () -> { });
        return;
      }
      if (dryRun) {
        List<String> rules = rule != null ? List.of(rule) : ruleIds(api, bucket);
        int total = 0;
        for (String r : rules) {
          total += api.send("POST", path("buckets", bucket, "webhooks", r, "redeliver"), Map.of("dryRun", "true"),
              object()).path("deadLetters").asInt();
        }
        ObjectNode result = object().put("deadLetters", total);
        out.show(result, () -> out.line(Integer.toString(result.path("deadLetters").asInt())));
        out.message(total + " dead letter(s) would be queued again (dry run: nothing was).");
        return;
      }
      List<String> rules = rule != null ? List.of(rule) : ruleIds(api, bucket);
      int total = 0;
      for (String r : rules) {
        total += api.post(path("buckets", bucket, "webhooks", r, "redeliver"), object()).path("redelivered").asInt();
      }
      out.message("Queued " + total + " dead letter(s) of " + (rule != null ? "webhook " + rule
          : rules.size() + " webhook(s) of " + bucket) + " again.");
      ObjectNode result = object().put("redelivered", total);
      out.show(result, () -> { });
    });
  }

  @Command(name = "delivery", description = {"Show one delivery in full (the attempt inspector): the body as",
      "sent, and per attempt the request headers, the response status, headers",
      "and body (first 4 KiB), latency, error and when the next retry is due."})
  int delivery(@Parameters(index = "0", paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Parameters(index = "1", paramLabel = "DELIVERY_ID", description = "A delivery's id.") String id,
      @Mixin ClientOptions client) {
    return run(client, (api, out) -> {
      JsonNode d = api.get(path("buckets", bucket, "deliveries", id));
      out.show(d, () -> Views.inspect(d, out));
    });
  }

  @Command(name = "events", description = "Show the deliveries of one object key (exact), newest first.")
  int events(@Parameters(index = "0", paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Parameters(index = "1", paramLabel = "KEY", description = "The object key.") String key,
      @Option(names = "--limit", paramLabel = "N", description = "At most N entries (1 to 1000; default 100).")
      Integer limit,
      @Mixin ClientOptions client) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("key", key);
    query.put("limit", limit == null ? null : limit.toString());
    return run(client, (api, out) -> {
      JsonNode page = api.get(path("buckets", bucket, "deliveries"), query);
      out.show(page, () -> out.table(Views.deliveries(page.path("deliveries"))));
    });
  }

  @Command(name = "purge", description = "Delete dead letters of the bucket, or of one webhook (--rule ID).")
  int purge(@Parameters(paramLabel = "BUCKET", description = BUCKET) String bucket,
      @Option(names = "--rule", paramLabel = "ID", description = "Only this webhook's.") String rule,
      @Mixin ClientOptions client) {
    return run(client, (api, out) -> {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("rule", rule);
      JsonNode purged = api.delete(path("buckets", bucket, "dead-letters"), query);
      out.message("Purged " + Views.text(purged, "purged") + " dead letter(s).");
      out.show(purged, () -> { });
    });
  }

  // ---- helpers

  /** {@link ClientOptions#run} with the webhooks' refusal hint: owning the bucket is enough. */
  private static int run(ClientOptions client, ClientOptions.Action action) {
    return client.run(OWNER_HINT, action);
  }

  private static List<String> ruleIds(ApiClient api, String bucket) {
    return Views.ids(api.get(path("buckets", bucket, "webhooks")).path("webhooks"));
  }

  /** A usage error (exit 2) found after parsing, reported like picocli's own. */
  private static int usage(ClientOptions client, String message) {
    Output out = client.output();
    out.error(message);
    out.flush();
    return Exit.USAGE.code();
  }

  /** A webhooks API path: {@code /_tarn/api/v1/seg/…}, segments encoded. */
  static String path(String... segments) {
    return ApiClient.path(PREFIX, segments);
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static void putIfSet(ObjectNode body, String field, String value) {
    if (value != null) {
      body.put(field, value);
    }
  }
}
