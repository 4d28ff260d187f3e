package io.tarn.console.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.console.TarnApi;
import io.tarn.console.admin.AdminApi;
import io.tarn.console.admin.ServerInfo;
import io.tarn.console.assets.ConsoleAssets;
import io.tarn.console.webhooks.FakeWebhookService;
import io.tarn.console.webhooks.WebhooksApi;
import io.tarn.core.ManualClock;
import io.tarn.core.Principal;
import io.tarn.core.Role;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.core.api.Presigner;
import io.tarn.storage.EventSink;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.StorageOptions;
import io.tarn.storage.TarnStore;
import io.tarn.storage.UserInfo;
import java.io.IOException;
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
 * The whole {@link TarnApi} as the server wires it (admin and webhooks APIs, console sessions, console
 * files from a test directory), over a real store and its real identity store, on a test clock.
 * The presigner records what it was asked and answers a fixed URL: the real one (the S3 front end's
 * SigV4) is tested where it lives, in s3-api.
 */
abstract class ConsoleTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant START = Instant.parse("2026-12-06T08:00:00Z");
  static final String HOST = "tarn.test:9000";
  static final String TEST_WEB = "io/tarn/console/testweb/";

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(START);
  final List<Presigner.Request> presigned = new ArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  TarnStore store;
  IdentityStore identity;
  ConsoleSessions sessions;
  TarnApi api;
  Key admin;
  Key alice;

  /** A user's key, as signed in with. */
  record Key(String userId, String name, String accessKeyId, String secret, Role role) {
    Principal principal() {
      return new Principal(userId, name, accessKeyId, role);
    }
  }

  SessionOptions options() {
    return SessionOptions.defaults();
  }

  @BeforeEach
  void open() {
    store = TarnStore.open(new StorageOptions(dir.resolve("data"), 1024, false), EventSink.NONE, clock);
    identity = store.identity();
    Presigner presigner = r -> {
      synchronized (presigned) {
        presigned.add(r);
      }
      return Optional.of("/signed?by=" + r.accessKeyId());
    };
    sessions = new ConsoleSessions(identity, presigner, clock, options());
    api = new TarnApi(new AdminApi(store, identity, store.integrity(), store.backups(java.util.List.of()), clock, new ServerInfo("t", START, dir)),
        new WebhooksApi(store, identity, new FakeWebhookService(clock), clock), sessions,
        new ConsoleAssets(getClass().getClassLoader(), TEST_WEB));
    admin = key("admin", Role.ADMIN);
    alice = key("alice", Role.USER);
  }

  @AfterEach
  void close() {
    store.close();
  }

  Key key(String name, Role role) {
    UserInfo u = identity.user(name).orElseGet(() -> identity.createUser(name, role));
    NewAccessKey k = identity.createKey(u.id(), null);
    return new Key(u.id(), name, k.info().accessKeyId(), k.secretAccessKey(), role);
  }

  // ---- requests

  /** A request being built: same-origin browser defaults (Host, no Origin), plain HTTP. */
  final class Req {
    final String method;
    final String path;
    final Map<String, String> headers = new LinkedHashMap<>();
    String body = "";
    boolean tls;
    String sourceIp = "192.0.2.1";
    Principal principal;

    Req(String method, String path) {
      this.method = method;
      this.path = path;
      headers.put("host", HOST);
    }

    Req header(String name, String value) {
      headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
      return this;
    }

    Req json(String text) {
      body = text;
      return header("content-type", "application/json");
    }

    Req cookie(Session s) {
      return header("cookie", "theme=dark; tarn_session=" + s.cookie + "; other=1");
    }

    /** The cookie and the CSRF token, as the console sends a write. */
    Req as(Session s) {
      return cookie(s).header("x-tarn-csrf", s.csrf);
    }

    Req tls() {
      tls = true;
      return this;
    }

    Req from(String ip) {
      sourceIp = ip;
      return this;
    }

    Req signedBy(Principal p) {
      principal = p;
      return this;
    }

    Resp send() {
      ApiRequest r = new ApiRequest(method, path, Map.of(), Map.copyOf(headers), body.getBytes(StandardCharsets.UTF_8),
          Optional.ofNullable(principal), "REQ" + requests.incrementAndGet(), sourceIp, tls);
      ApiResponse response = api.handle(r);
      assertSecurityHeaders(response);
      return new Resp(response);
    }
  }

  Req req(String method, String path) {
    return new Req(method, path);
  }

  /** A response; {@code json} is null for an empty or non-JSON body. */
  record Resp(ApiResponse raw) {
    int status() {
      return raw.status();
    }

    String header(String name) {
      return raw.headers().get(name);
    }

    String text() {
      return new String(raw.body(), StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return raw.body().length == 0 ? null : JSON.readTree(raw.body());
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public String toString() {
      return raw.status() + " " + raw.headers() + " " + text();
    }
  }

  /** A signed-in browser: the cookie it holds and the token the page knows. */
  record Session(String cookie, String csrf, JsonNode body, String setCookie) {}

  Session signIn(Key k) {
    return signIn(k, false);
  }

  Session signIn(Key k, boolean tls) {
    Req r = req("POST", "/api/v1/session").json(body(k.accessKeyId(), k.secret()));
    if (tls) {
      r.tls();
    }
    Resp resp = r.send();
    assertEquals(200, resp.status(), resp.toString());
    String setCookie = resp.header("Set-Cookie");
    assertNotNull(setCookie, resp.toString());
    String cookie = setCookie.substring("tarn_session=".length(), setCookie.indexOf(';'));
    return new Session(cookie, resp.json().path("csrfToken").asText(), resp.json(), setCookie);
  }

  static String body(String accessKeyId, String secret) {
    try {
      return JSON.writeValueAsString(Map.of("accessKeyId", accessKeyId, "secretKey", secret));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The contract's flat error: {@code {"error": code, "message": ...}}; returns the message. */
  static String assertFlatError(Resp r, int status, String code) {
    assertEquals(status, r.status(), r.toString());
    JsonNode j = r.json();
    assertNotNull(j, r.toString());
    assertEquals(code, j.path("error").asText(), r.toString());
    assertTrue(j.path("message").isTextual(), r.toString());
    return j.path("message").asText();
  }

  /** The admin API's error shape: {@code {"error": {"code": ...}}}. */
  static void assertError(Resp r, int status, String code) {
    assertEquals(status, r.status(), r.toString());
    assertEquals(code, r.json().path("error").path("code").asText(), r.toString());
  }

  static void assertSecurityHeaders(ApiResponse r) {
    ApiResponse.SECURITY_HEADERS.forEach((name, value) -> assertEquals(value, r.headers().get(name),
        name + " on a " + r.status() + " response"));
    String csp = r.headers().get("Content-Security-Policy");
    assertTrue(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-"), csp);
  }
}
