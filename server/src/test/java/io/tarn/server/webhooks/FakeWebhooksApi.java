package io.tarn.server.webhooks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tarn.core.AccessKey;
import io.tarn.core.Principal;
import io.tarn.core.Role;
import io.tarn.core.S3Exception;
import io.tarn.s3.auth.AuthResult;
import io.tarn.s3.auth.PayloadMode;
import io.tarn.s3.auth.SigV4;
import io.tarn.s3.auth.SigV4Verifier;
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

/**
 * A stand-in for the webhooks JSON API on 127.0.0.1:0. It VERIFIES the SigV4 signature of every
 * request with the server's own verifier (the payload hash must be the body's SHA-256), records
 * what it was sent and answers canned JSON per {@code METHOD rawPath} (path after the prefix,
 * encoded); anything else is the API's 404.
 */
final class FakeWebhooksApi implements AutoCloseable {
  static final String REGION = "us-east-1";
  static final AccessKey ALICE = new AccessKey("TKALICEALICEALICE001", "alice-secret-0123456789",
      new Principal("a".repeat(64), "alice", "TKALICEALICEALICE001", Role.USER));

  /** A request as received, after its signature was verified. */
  record Recorded(String method, String rawPath, String rawQuery, String body, String contentType) {}

  /** A canned answer. */
  record Reply(int status, String body) {}

  private final HttpServer server;
  private final SigV4Verifier verifier;
  private final Map<String, Reply> routes = new ConcurrentHashMap<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();

  private FakeWebhooksApi(HttpServer server, Clock clock) {
    this.server = server;
    this.verifier = new SigV4Verifier(id -> Optional.ofNullable(id.equals(ALICE.accessKeyId()) ? ALICE : null), clock,
        REGION);
    server.createContext("/", this::handle);
    server.start();
  }

  static FakeWebhooksApi start(Clock clock) throws IOException {
    return new FakeWebhooksApi(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), clock);
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code method path} (path after {@code /_tarn/api/v1}, encoded) with JSON. */
  FakeWebhooksApi json(String method, String path, int status, String body) {
    routes.put(method + " " + WebhooksCommand.PREFIX + path, new Reply(status, body));
    return this;
  }

  List<Recorded> requests() {
    return List.copyOf(requests);
  }

  Recorded only() {
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
      try {
        AuthResult auth = verifier.authenticate(SignedRequest.of(method, rawPath, rawQuery, exchange.getRequestHeaders()));
        if (auth.payloadMode() != PayloadMode.SHA256 || !auth.expectedSha256().equals(SigV4.sha256Hex(body))) {
          send(exchange, error(400, "XAmzContentSHA256Mismatch", "payload hash is not the body's SHA-256"));
          return;
        }
      } catch (S3Exception e) {
        send(exchange, error(e.error().httpStatus(), e.error().code(), e.getMessage()));
        return;
      }
      requests.add(new Recorded(method, rawPath, rawQuery, new String(body, StandardCharsets.UTF_8),
          exchange.getRequestHeaders().getFirst("Content-Type")));
      Reply reply = routes.get(method + " " + rawPath);
      send(exchange, reply != null ? reply : error(404, "NotFound", "no webhooks API endpoint at \"" + rawPath + "\""));
    }
  }

  static Reply error(int status, String code, String message) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.putObject("error").put("code", code).put("message", message).put("requestId", "REQ1");
    return new Reply(status, json.toString());
  }

  FakeWebhooksApi error(String method, String path, int status, String code, String message) {
    routes.put(method + " " + WebhooksCommand.PREFIX + path, error(status, code, message));
    return this;
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
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
