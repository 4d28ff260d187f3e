package io.tarn.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.s3.auth.SigV4;
import io.tarn.s3.auth.SignedRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Calls a Tarn JSON API (admin, later webhooks): signs each request with SigV4 exactly as the
 * server verifies it (the server's own {@link SigV4} primitives), sends it with
 * {@link HttpClient} (HTTP/1.1, no redirects) and turns every failure, from a refused connection
 * to a JSON error, into a {@link CliException} with the right {@link Exit} code.
 */
public final class ApiClient {
  public static final String ADMIN_PREFIX = "/_tarn/admin/v1";
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DEADLINE = CONNECT_TIMEOUT.plus(REQUEST_TIMEOUT);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern XML_CODE = Pattern.compile("<Code>([^<]{1,100})</Code>");
  private static final String CHECK_ENDPOINT = "Check --endpoint or " + ClientOptions.ENV_ENDPOINT + ".";
  private static final String CHECK_KEYS = "Check the access key and secret key (--access-key/--secret-key, "
      + ClientOptions.ENV_ACCESS_KEY + "/" + ClientOptions.ENV_SECRET_KEY + ") or run 'tarn admin login'.";

  private final ClientConfig config;
  private final Clock clock;
  private final HttpClient http;
  private final Duration deadline;
  /** What a refusal (AccessDenied) tells the user to get: depends on the command family. */
  private final String deniedHint;

  /** The hint of the admin commands. */
  public static final String ADMIN_KEY_NEEDED = "This needs an admin key.";

  public ApiClient(ClientConfig config, Clock clock) {
    this(config, clock, DEADLINE, ADMIN_KEY_NEEDED);
  }

  ApiClient(ClientConfig config, Clock clock, Duration deadline) {
    this(config, clock, deadline, ADMIN_KEY_NEEDED);
  }

  /** @param deniedHint the sentence a refusal ends with, e.g. {@link #ADMIN_KEY_NEEDED} */
  public ApiClient(ClientConfig config, Clock clock, String deniedHint) {
    this(config, clock, DEADLINE, deniedHint);
  }

  private ApiClient(ClientConfig config, Clock clock, Duration deadline, String deniedHint) {
    this.config = config;
    this.clock = clock;
    this.deadline = deadline;
    this.deniedHint = deniedHint;
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER);
    // The bundle only matters for https; plain http must not fail on a bundle it would never use.
    if (config.caBundle() != null && "https".equalsIgnoreCase(config.endpoint().getScheme())) {
      b.sslContext(TrustBundle.load(config.caBundle()));
    }
    this.http = b.build();
  }

  public ClientConfig config() {
    return config;
  }

  /**
   * {@code prefix/segment/…} with every segment URI-encoded as SigV4 does (so a name with
   * {@code /}, {@code ?} or spaces stays one segment). A dot segment is escaped too, so that no
   * client or proxy normalises it away.
   *
   * @throws CliException {@link Exit#USAGE} for an empty segment (it would name another resource)
   */
  public static String path(String prefix, String... segments) {
    StringBuilder sb = new StringBuilder(prefix);
    for (String s : segments) {
      if (s == null || s.isEmpty()) {
        throw new CliException(Exit.USAGE, "a name or id must not be empty");
      }
      sb.append('/').append(s.equals(".") ? "%2E" : s.equals("..") ? "%2E%2E" : SigV4.uriEncode(s, false));
    }
    return sb.toString();
  }

  public JsonNode get(String path) {
    return send("GET", path, Map.of(), null);
  }

  public JsonNode get(String path, Map<String, String> query) {
    return send("GET", path, query, null);
  }

  public JsonNode post(String path, JsonNode body) {
    return send("POST", path, Map.of(), body);
  }

  public JsonNode put(String path, JsonNode body) {
    return send("PUT", path, Map.of(), body);
  }

  public JsonNode patch(String path, JsonNode body) {
    return send("PATCH", path, Map.of(), body);
  }

  public JsonNode delete(String path, Map<String, String> query) {
    return send("DELETE", path, query, null);
  }

  /**
   * Sends one request.
   *
   * @param path an encoded path from {@link #path}
   * @param query parameters (unencoded) in order; null values are left out
   * @param body a JSON body, or null for none
   * @return the JSON answer, or null for an empty one (204)
   * @throws CliException for every failure
   */
  public JsonNode send(String method, String path, Map<String, String> query, JsonNode body) {
    byte[] bytes = body == null ? new byte[0] : toBytes(body);
    String rawQuery = rawQuery(query);
    URI uri = URI.create(config.endpoint() + path + (rawQuery == null ? "" : "?" + rawQuery));
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes))
        .header("Accept", "application/json");
    signedHeaders(method, path, rawQuery, hostHeader(uri), bytes, clock.instant(), config).forEach(b::header);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return interpret(exchange(b.build()));
  }

  /**
   * The SigV4 headers ({@code x-amz-date}, {@code x-amz-content-sha256}, {@code Authorization})
   * for a request that signs {@code host;x-amz-content-sha256;x-amz-date}, with the hex SHA-256 of
   * the body as payload hash.
   */
  static Map<String, String> signedHeaders(String method, String rawPath, String rawQuery, String host,
      byte[] body, Instant now, ClientConfig config) {
    String amzDate = SigV4.formatAmzDate(now);
    String payloadHash = SigV4.sha256Hex(body);
    SignedRequest toSign = SignedRequest.builder(method, rawPath, rawQuery)
        .header("host", host)
        .header("x-amz-content-sha256", payloadHash)
        .header("x-amz-date", amzDate)
        .build();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amz-date", amzDate);
    headers.put("x-amz-content-sha256", payloadHash);
    headers.put("Authorization", SigV4.authorization(toSign, config.accessKey(), config.secretKey(), config.region()));
    return headers;
  }

  /** The Host header {@link HttpClient} sends: the port only when it is not the scheme's default. */
  static String hostHeader(URI uri) {
    int port = uri.getPort();
    boolean defaultPort = port == -1 || port == ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
    return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
  }

  static String rawQuery(Map<String, String> query) {
    StringJoiner joiner = new StringJoiner("&");
    query.forEach((name, value) -> {
      if (value != null) {
        joiner.add(SigV4.uriEncode(name, false) + "=" + SigV4.uriEncode(value, false));
      }
    });
    return joiner.length() == 0 ? null : joiner.toString();
  }

  private static byte[] toBytes(JsonNode body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new CliException(Exit.ERROR, "cannot encode the request: " + e.getOriginalMessage());
    }
  }

  /**
   * Sends with an overall deadline on top of the client's own timeouts: the JDK's request timeout
   * does not cover a TLS handshake that stalls, and a command must never hang.
   */
  private HttpResponse<byte[]> exchange(HttpRequest request) {
    CompletableFuture<HttpResponse<byte[]>> response =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    try {
      return response.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw unreachable(io);
      }
      throw new CliException(Exit.ERROR, "the request failed: " + e.getCause());
    } catch (TimeoutException e) {
      response.cancel(true);
      throw new CliException(Exit.UNREACHABLE, "cannot reach " + config.endpoint() + ": no answer within "
          + deadline.toSeconds() + " s. " + CHECK_ENDPOINT);
    } catch (InterruptedException e) {
      response.cancel(true);
      Thread.currentThread().interrupt();
      throw new CliException(Exit.ERROR, "interrupted");
    }
  }

  /** Exit 3 with what went wrong on the way to the endpoint and what to try. */
  CliException unreachable(IOException e) {
    URI endpoint = config.endpoint();
    String root = rootMessage(e);
    if (find(e, SSLException.class) != null) {
      return new CliException(Exit.UNREACHABLE, "TLS connection to " + endpoint + " failed: " + root
          + ". If the server uses a self-signed or private certificate, trust it with --ca-bundle FILE (or "
          + ClientOptions.ENV_CA_BUNDLE + "). " + CHECK_ENDPOINT);
    }
    String why;
    if (find(e, UnresolvedAddressException.class) != null || find(e, UnknownHostException.class) != null) {
      why = "unknown host '" + endpoint.getHost() + "'";
    } else if (e instanceof HttpConnectTimeoutException) {
      why = "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
    } else if (e instanceof HttpTimeoutException) {
      why = "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
    } else if (find(e, ConnectException.class) != null) {
      why = (root.equals("ConnectException") ? "connection refused" : root.toLowerCase(Locale.ROOT))
          + " (is the server running?)";
    } else {
      why = "the connection failed: " + root
          + ("http".equals(endpoint.getScheme()) ? " (if the server uses TLS, use an https:// endpoint)" : "");
    }
    return new CliException(Exit.UNREACHABLE, "cannot reach " + endpoint + ": " + why + ". " + CHECK_ENDPOINT);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    String message = null;
    for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }

  private static Throwable find(Throwable e, Class<? extends Throwable> type) {
    for (int depth = 0; e != null && depth < 10; e = e.getCause(), depth++) {
      if (type.isInstance(e)) {
        return e;
      }
    }
    return null;
  }

  /**
   * Follows a server-sent event stream at {@code path} (a GET), handing each line to {@code line}
   * until the server ends it. Only the response head has a deadline: the stream may stay open as long
   * as the server keeps it.
   *
   * @throws CliException for every failure, as {@link #send} does (a refusal, an unreachable endpoint)
   */
  public void stream(String path, java.util.function.Consumer<String> line) {
    URI uri = URI.create(config.endpoint() + path);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().header("Accept", "text/event-stream");
    signedHeaders("GET", path, null, hostHeader(uri), new byte[0], clock.instant(), config).forEach(b::header);
    CompletableFuture<HttpResponse<java.io.InputStream>> pending =
        http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<java.io.InputStream> response;
    try {
      response = pending.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw unreachable(io);
      }
      throw new CliException(Exit.ERROR, "the request failed: " + e.getCause());
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new CliException(Exit.UNREACHABLE, "cannot reach " + config.endpoint() + ": no answer within "
          + deadline.toSeconds() + " s. " + CHECK_ENDPOINT);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new CliException(Exit.ERROR, "interrupted");
    }
    try (java.io.InputStream in = response.body()) {
      String type = response.headers().firstValue("content-type").orElse("");
      if (response.statusCode() != 200 || !type.startsWith("text/event-stream")) {
        interpret(response.statusCode(), response.headers(), in.readAllBytes());
        throw notTarn(response.statusCode(), type, new byte[0], null);
      }
      java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      String l;
      while ((l = r.readLine()) != null) {
        line.accept(l);
      }
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  private JsonNode interpret(HttpResponse<byte[]> response) {
    return interpret(response.statusCode(), response.headers(), response.body());
  }

  private JsonNode interpret(int status, java.net.http.HttpHeaders headers, byte[] body) {
    if (status / 100 == 2 && body.length == 0) {
      return null;
    }
    String type = headers.firstValue("content-type").orElse("");
    JsonNode json = parseJsonObject(type, body);
    if (status / 100 == 2 && json != null) {
      return json;
    }
    JsonNode error = json == null ? null : json.get("error");
    if (error == null || !error.path("code").isTextual()) {
      throw notTarn(status, type, body, headers.firstValue("location").orElse(null));
    }
    throw failure(error.path("code").asText(), error.path("message").asText(""), error.path("requestId").asText(""));
  }

  /** The body as a JSON object, or null if it is not one (HTML, XML, text, an array...). */
  private static JsonNode parseJsonObject(String contentType, byte[] body) {
    if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private CliException notTarn(int status, String type, byte[] body, String location) {
    String answer;
    String text = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8);
    Matcher code = XML_CODE.matcher(text);
    if (status / 100 == 3) {
      answer = "a redirect (HTTP " + status + ") to " + (location == null ? "nowhere" : location);
    } else if (code.find()) {
      answer = "an S3 XML error (HTTP " + status + ", " + code.group(1) + ")";
    } else if (type.toLowerCase(Locale.ROOT).contains("html") || text.stripLeading().startsWith("<")) {
      answer = "an HTML page (HTTP " + status + ")";
    } else {
      answer = "HTTP " + status + (type.isEmpty() ? " without a content type" : " with " + type);
    }
    return new CliException(Exit.UNREACHABLE, "the endpoint " + config.endpoint()
        + " does not look like a Tarn admin API: it answered " + answer + ". " + CHECK_ENDPOINT);
  }

  private CliException failure(String code, String message, String requestId) {
    String said = message.isEmpty() ? code : message + " (" + code + ")";
    return switch (code) {
      case "InvalidAccessKeyId" -> new CliException(Exit.AUTH, "authentication failed: the server does not accept the"
          + " access key '" + config.accessKey() + "': unknown, disabled or expired (InvalidAccessKeyId). " + CHECK_KEYS);
      case "SignatureDoesNotMatch" -> new CliException(Exit.AUTH, "authentication failed: the signature does not"
          + " match, so the secret key is probably wrong (SignatureDoesNotMatch). " + CHECK_KEYS);
      case "RequestTimeTooSkewed" -> new CliException(Exit.AUTH, "authentication failed: this machine's clock and the"
          + " server's differ by more than 15 minutes (RequestTimeTooSkewed). Fix the clock, then retry.");
      case "AuthorizationHeaderMalformed", "MissingSecurityHeader", "InvalidToken" -> new CliException(Exit.AUTH,
          "authentication failed: " + said + ". Check --region (" + config.region() + ") and the keys.");
      case "AccessDenied" -> new CliException(Exit.DENIED, "permission denied: " + said + ". " + deniedHint);
      case "InvalidRequest" -> new CliException(Exit.ERROR, said);
      case "NotFound" -> new CliException(Exit.NOT_FOUND, said);
      case "Conflict" -> new CliException(Exit.CONFLICT, said);
      default -> new CliException(Exit.ERROR, said + (requestId.isEmpty() ? "" : " [request id " + requestId + "]"));
    };
  }
}
