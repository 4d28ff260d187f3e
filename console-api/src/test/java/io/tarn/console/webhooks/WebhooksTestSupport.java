package io.tarn.console.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tarn.console.TarnApi;
import io.tarn.core.ManualClock;
import io.tarn.console.admin.AdminApi;
import io.tarn.console.admin.ServerInfo;
import io.tarn.core.Principal;
import io.tarn.core.Role;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.EventSink;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.StorageOptions;
import io.tarn.storage.TarnStore;
import io.tarn.storage.UserInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real store (buckets, users, tokens) in a temp directory, the in-memory webhook service fake,
 * and {@link TarnApi} over both with the webhooks API mounted. Callers: {@code root} (admin),
 * {@code alice} (owns bucket {@code photos}) and {@code bob} (owns {@code logs}).
 */
abstract class WebhooksTestSupport {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final Instant START = Instant.parse("2026-11-29T18:00:00Z");

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(START);
  private final AtomicInteger requests = new AtomicInteger();
  TarnStore store;
  IdentityStore identity;
  FakeWebhookService webhooks;
  TarnApi api;
  Principal root;
  Principal alice;
  Principal bob;

  @BeforeEach
  void start() {
    store = TarnStore.open(new StorageOptions(dir.resolve("data"), 1024, false), EventSink.NONE, clock);
    identity = store.identity();
    webhooks = new FakeWebhookService(clock);
    api = new TarnApi(new AdminApi(store, identity, store.integrity(), store.backups(java.util.List.of()), clock, new ServerInfo("1.2.3", START, dir.resolve("data"))),
        new WebhooksApi(store, identity, webhooks, clock));
    root = principal("root", Role.ADMIN);
    alice = principal("alice", Role.USER);
    bob = principal("bob", Role.USER);
    store.createBucket("photos", "us-east-1", alice.userId());
    store.createBucket("logs", "us-east-1", bob.userId());
  }

  @AfterEach
  void stop() {
    if (store != null) {
      store.close();
    }
  }

  Principal principal(String name, Role role) {
    UserInfo u = identity.createUser(name, role);
    NewAccessKey k = identity.createKey(u.id(), null);
    return new Principal(u.id(), name, k.info().accessKeyId(), role);
  }

  /** A token of {@code p}, never expiring. */
  String token(Principal p) {
    return identity.createToken(p.userId(), "test", null).token();
  }

  // ---- requests

  /** A response with its body parsed. */
  record Resp(int status, Map<String, String> headers, String raw, JsonNode json) {
    JsonNode get(String field) {
      return json.get(field);
    }

    @Override
    public String toString() {
      return status + " " + raw;
    }
  }

  Resp call(Principal caller, String method, String pathAndQuery) {
    return call(caller, method, pathAndQuery, null);
  }

  /** Calls {@code /_tarn/api/v1 + pathAndQuery} as {@code caller}, SigV4-authenticated (null: unsigned). */
  Resp call(Principal caller, String method, String pathAndQuery, String body) {
    return send(Optional.ofNullable(caller), Map.of(), method, "/api/v1" + pathAndQuery, body);
  }

  /** Calls with {@code Authorization: Bearer token} and no SigV4 principal. */
  Resp bearer(String token, String method, String pathAndQuery, String body) {
    return send(Optional.empty(), Map.of("authorization", "Bearer " + token), method, "/api/v1" + pathAndQuery, body);
  }

  Resp send(Optional<Principal> caller, Map<String, String> headers, String method, String pathAndQuery, String body) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (q >= 0) {
      for (String pair : pathAndQuery.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        query.computeIfAbsent(k, x -> new ArrayList<>()).add(eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("content-type", "application/json");
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    ApiRequest request = new ApiRequest(method, path, query, all, bytes, caller, "REQ" + requests.incrementAndGet(),
        "192.0.2.7");
    ApiResponse response = api.handle(request);
    assertEquals(ApiResponse.JSON, response.contentType());
    String raw = new String(response.body(), StandardCharsets.UTF_8);
    try {
      return new Resp(response.status(), response.headers(), raw, raw.isEmpty() ? null : JSON.readTree(raw));
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + raw, e);
    }
  }

  /** Asserts the error shape (code, message, requestId, and field only when given) and returns the message. */
  static String assertError(Resp r, int status, String code) {
    assertEquals(status, r.status(), r.raw());
    assertEquals(List.of("error"), fields(r.json()), r.raw());
    JsonNode e = r.get("error");
    List<String> names = fields(e);
    assertEquals(List.of("code", "message", "requestId"), names.subList(0, Math.min(3, names.size())), r.raw());
    assertEquals(code, e.get("code").asText(), r.raw());
    assertTrue(e.get("requestId").asText().startsWith("REQ"), r.raw());
    assertTrue(!r.raw().contains("Exception") && !r.raw().contains("\tat "), "no internals: " + r.raw());
    return e.get("message").asText();
  }

  static void assertError(Resp r, int status, String code, String message) {
    assertEquals(message, assertError(r, status, code), r.raw());
    // Only a refusal that blames a request field names it (INVALID, or FORBIDDEN for a private URL).
    assertEquals(r.get("error").has("field") ? 4 : 3, r.get("error").size(), r.raw());
  }

  /** A 400 InvalidRequest naming {@code field} in the error object. */
  static String assertInvalid(Resp r, String field) {
    String message = assertError(r, 400, "InvalidRequest");
    assertEquals(List.of("code", "message", "requestId", "field"), fields(r.get("error")), r.raw());
    assertEquals(field, r.get("error").get("field").asText(), r.raw());
    return message;
  }

  static List<String> fields(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /**
   * Compares the body (pretty-printed, field order kept) with {@code golden/<name>}; a user id in
   * {@code createdBy} is random per run and compared as {@code <userId>}.
   */
  static void assertGolden(String name, Resp r) {
    JsonNode copy = r.json().deepCopy();
    if (copy.path("createdBy").isTextual()) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) copy).put("createdBy", "<userId>");
    }
    String actual;
    try {
      actual = JSON.writeValueAsString(copy).replace("\r\n", "\n") + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (InputStream in = WebhooksTestSupport.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new AssertionError("missing golden file " + name + "; actual:\n" + actual);
      }
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, "golden/" + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a rule on {@code bucket} as {@code caller} through the API and returns its id. */
  String createRule(Principal caller, String bucket, String body) {
    Resp r = call(caller, "POST", "/buckets/" + bucket + "/webhooks", body);
    assertEquals(201, r.status(), r.raw());
    return r.get("id").asText();
  }

  static final String RULE = "{\"url\":\"https://hooks.example.com/in\",\"events\":[\"ObjectCreated:*\"]}";
}
