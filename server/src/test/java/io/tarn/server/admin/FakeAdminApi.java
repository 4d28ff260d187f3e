package io.tarn.server.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tarn.core.AccessKey;
import io.tarn.core.Principal;
import io.tarn.core.Role;
import io.tarn.core.S3Exception;
import io.tarn.s3.auth.AuthResult;
import io.tarn.s3.auth.Authenticator;
import io.tarn.s3.auth.PayloadMode;
import io.tarn.s3.auth.SigV4;
import io.tarn.s3.auth.SignedRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for one of Tarn's JSON APIs on 127.0.0.1:0: the admin API ({@link #start}), or the
 * webhooks API ({@link #startWebhooks}). It VERIFIES the SigV4 signature of every request with the
 * server's own verifier (a wrong secret is seen as wrong, and the payload hash must be the body's
 * SHA-256), applies the admin API's admin-only rule (admin API only), records what it was sent and
 * answers canned responses per {@code METHOD rawPath}.
 */
public final class FakeAdminApi implements AutoCloseable {
  public static final String REGION = "us-east-1";
  public static final AccessKey ADMIN = key("TKADMINADMINADMIN001", "admin-secret-0123456789", "root", Role.ADMIN);
  public static final AccessKey USER = key("TKUSERUSERUSERUSER01", "user-secret-0123456789", "alice", Role.USER);

  /** A request as received, after its signature was verified. */
  public record Recorded(String method, String rawPath, String rawQuery, String body, String accessKeyId,
      String contentType) {}

  /** A canned answer. */
  public record Reply(int status, String contentType, String body, Map<String, String> headers) {}

  private final HttpServer server;
  private final String prefix;
  private final boolean adminApi;
  private final Authenticator verifier;
  private final Map<String, Reply> routes = new ConcurrentHashMap<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();

  private FakeAdminApi(HttpServer server, Clock clock, String prefix) {
    this.server = server;
    this.prefix = prefix;
    this.adminApi = prefix.equals(ApiClient.ADMIN_PREFIX);
    Map<String, AccessKey> keys = Map.of(ADMIN.accessKeyId(), ADMIN, USER.accessKeyId(), USER);
    this.verifier = new Authenticator(id -> Optional.ofNullable(keys.get(id)), clock, REGION);
    server.createContext("/", this::handle);
    server.start();
  }

  static FakeAdminApi start(Clock clock) throws IOException {
    return new FakeAdminApi(loopback(), clock, ApiClient.ADMIN_PREFIX);
  }

  /** The webhooks API under {@code prefix}: any verified key may call it (the server checks ownership). */
  public static FakeAdminApi startWebhooks(Clock clock, String prefix) throws IOException {
    return new FakeAdminApi(loopback(), clock, prefix);
  }

  static FakeAdminApi startHttps(Clock clock, SSLContext ssl) throws IOException {
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(ssl));
    return new FakeAdminApi(https, clock, ApiClient.ADMIN_PREFIX);
  }

  private static HttpServer loopback() throws IOException {
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
  }

  private static AccessKey key(String id, String secret, String name, Role role) {
    return new AccessKey(id, secret, new Principal("0".repeat(63) + (role == Role.ADMIN ? "1" : "2"), name, id, role));
  }

  public String endpoint() {
    return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code method path} (path after the API's prefix, encoded) with JSON. */
  public FakeAdminApi json(String method, String path, int status, String body) {
    return reply(method, path, new Reply(status, "application/json", body, Map.of()));
  }

  /** Answers {@code method path} with the API's JSON error. */
  public FakeAdminApi error(String method, String path, int status, String code, String message) {
    return reply(method, path, error(status, code, message));
  }

  public FakeAdminApi reply(String method, String path, Reply reply) {
    routes.put(method + " " + prefix + path, reply);
    return this;
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  public Recorded only() {
    if (requests.size() != 1) {
      throw new AssertionError("expected one request, got " + requests);
    }
    return requests.get(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod();
      String rawPath = exchange.getRequestURI().getRawPath();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      AuthResult auth;
      try {
        auth = verifier.authenticate(SignedRequest.of(method, rawPath, rawQuery, exchange.getRequestHeaders()));
        if (auth.payloadMode() != PayloadMode.SHA256 || !auth.expectedSha256().equals(SigV4.sha256Hex(body))) {
          send(exchange, error(400, "XAmzContentSHA256Mismatch", "payload hash is not the body's SHA-256"));
          return;
        }
      } catch (S3Exception e) {
        send(exchange, error(e.error().httpStatus(), e.error().code(), e.getMessage()));
        return;
      }
      requests.add(new Recorded(method, rawPath, rawQuery, new String(body, StandardCharsets.UTF_8),
          auth.accessKey().accessKeyId(), exchange.getRequestHeaders().getFirst("Content-Type")));
      String sub = rawPath.substring(Math.min(rawPath.length(), prefix.length()));
      boolean selfService = sub.equals("/whoami") || sub.startsWith("/keys") || sub.startsWith("/tokens");
      if (adminApi && !auth.principal().isAdmin() && !selfService) {
        send(exchange, error(403, "AccessDenied", "admin role required"));
        return;
      }
      Reply reply = routes.get(method + " " + rawPath);
      send(exchange, reply != null ? reply : error(404, "NotFound", "no route " + method + " " + rawPath));
    }
  }

  static Reply error(int status, String code, String message) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.putObject("error").put("code", code).put("message", message).put("requestId", "REQ1");
    return new Reply(status, "application/json", json.toString(), Map.of());
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    if (reply.contentType() != null) {
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    }
    reply.headers().forEach(exchange.getResponseHeaders()::set);
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
