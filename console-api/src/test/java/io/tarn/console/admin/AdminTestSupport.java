package io.tarn.console.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tarn.console.TarnApi;
import io.tarn.core.ManualClock;
import io.tarn.core.EventName;
import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.core.Role;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.BlobUpload;
import io.tarn.storage.EventSink;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.StorageOptions;
import io.tarn.storage.TarnStore;
import io.tarn.storage.UserInfo;
import io.tarn.storage.WriteCondition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real object store in a temp directory with the in-memory identity fake, the API over both, and
 * three callers: {@code root} (admin), {@code alice} and {@code bob} (users), each with one key.
 */
abstract class AdminTestSupport {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final Instant START = Instant.parse("2026-11-29T18:00:00Z");

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(START);
  private final AtomicInteger requests = new AtomicInteger();
  TarnStore real;
  ObjectStore store;
  IdentityStore identity;
  TarnApi api;
  Principal root;
  Principal alice;
  Principal bob;

  @BeforeEach
  void start() {
    real = TarnStore.open(new StorageOptions(dir.resolve("data"), 1024, false), EventSink.NONE, clock);
    OwnerOverlayStore overlay = new OwnerOverlayStore(real);
    store = overlay;
    identity = identity(overlay);
    api = new TarnApi(new AdminApi(store, identity, real.integrity(), real.backups(java.util.List.of()), clock, new ServerInfo("1.2.3", START, dir.resolve("data"))));
    root = principal("root", Role.ADMIN);
    alice = principal("alice", Role.USER);
    bob = principal("bob", Role.USER);
  }

  /** The identity store under test; the fake unless a subclass says otherwise. */
  IdentityStore identity(OwnerOverlayStore overlay) {
    return new FakeIdentityStore(overlay, clock);
  }

  @AfterEach
  void stop() {
    if (real != null) {
      real.close();
    }
  }

  Principal principal(String name, Role role) {
    UserInfo u = identity.createUser(name, role);
    NewAccessKey k = identity.createKey(u.id(), null);
    return new Principal(u.id(), name, k.info().accessKeyId(), role);
  }

  // ---- requests

  /** A response with its body parsed, and the failure it carries for the front end's log. */
  record Resp(int status, Map<String, String> headers, String raw, JsonNode json, Throwable cause) {
    JsonNode get(String field) {
      return json.get(field);
    }
  }

  Resp call(Principal caller, String method, String pathAndQuery) {
    return call(caller, method, pathAndQuery, null);
  }

  /** Calls {@code /_tarn/admin/v1 + pathAndQuery} as {@code caller} (null: unsigned). */
  Resp call(Principal caller, String method, String pathAndQuery, String body) {
    return callRaw(caller, method, "/admin/v1" + pathAndQuery, body);
  }

  Resp callRaw(Principal caller, String method, String pathAndQuery, String body) {
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
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    ApiRequest request = new ApiRequest(method, path, query, Map.of("content-type", "application/json"), bytes,
        Optional.ofNullable(caller), "REQ" + requests.incrementAndGet(), "127.0.0.1");
    ApiResponse response = api.handle(request);
    assertEquals(ApiResponse.JSON, response.contentType());
    String raw = new String(response.body(), StandardCharsets.UTF_8);
    try {
      JsonNode json = raw.isEmpty() ? null : JSON.readTree(raw);
      return new Resp(response.status(), response.headers(), raw, json, response.cause());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + raw, e);
    }
  }

  /** Asserts the contract's error shape, field by field and in order, and returns the message. */
  static String assertError(Resp r, int status, String code) {
    assertEquals(status, r.status(), r.raw());
    assertEquals(List.of("error"), fields(r.json()), r.raw());
    JsonNode e = r.get("error");
    assertEquals(List.of("code", "message", "requestId"), fields(e), r.raw());
    assertEquals(code, e.get("code").asText(), r.raw());
    assertTrue(e.get("requestId").asText().startsWith("REQ"), r.raw());
    assertTrue(!r.raw().contains("Exception") && !r.raw().contains("\tat "), "no internals: " + r.raw());
    return e.get("message").asText();
  }

  static void assertError(Resp r, int status, String code, String message) {
    assertEquals(message, assertError(r, status, code), r.raw());
  }

  static List<String> fields(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  // ---- golden files

  /** Compares {@code r}'s body, volatile fields replaced, with {@code golden/<name>} (order matters). */
  static void assertGolden(String name, Resp r) {
    JsonNode copy = r.json().deepCopy();
    normalise(copy);
    String actual;
    try {
      actual = JSON.writeValueAsString(copy).replace("\r\n", "\n") + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (InputStream in = AdminTestSupport.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new AssertionError("missing golden file " + name + "; actual:\n" + actual);
      }
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, "golden/" + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Set<String> VOLATILE = Set.of("id", "userId", "ownerId", "accessKeyId", "secretAccessKey",
      "createdWith");

  private static void normalise(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (String f : fields(o)) {
        if (VOLATILE.contains(f) && o.get(f).isTextual()) {
          o.put(f, "<" + f + ">");
        } else {
          normalise(o.get(f));
        }
      }
    } else if (node.isArray()) {
      node.forEach(AdminTestSupport::normalise);
    }
  }

  // ---- data

  static final RequestContext WRITER =
      new RequestContext("SETUP", new Principal("f".repeat(64), "setup", "AKSETUP", Role.ADMIN), "127.0.0.1");

  void bucket(String name, Principal owner) {
    store.createBucket(name, "us-east-1", owner.userId());
  }

  void put(String bucket, String key, int size) {
    try (BlobUpload u = store.openUpload(size, Set.of())) {
      u.write(ByteBuffer.wrap(new byte[size]));
      u.finish();
      store.putObject(bucket, key, u, ObjectMetadata.of("text/plain", Map.of()), null, WriteCondition.NONE,
          EventName.OBJECT_CREATED_PUT, WRITER);
    }
  }
}
