package io.tarn.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A client of Tarn's admin JSON API ({@code /_tarn/admin/v1}), signing with the AWS SDK's own SigV4
 * signer, so the test proves any standard SigV4 client can use it.
 */
public final class AdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** A user made for a test, with one key. */
  public record User(String id, String name, String accessKey, String secretKey) {}

  /**
   * @param status HTTP status
   * @param json the parsed body (null if empty or not JSON)
   * @param text the body as text
   */
  public record Response(int status, JsonNode json, String text) {
    public String errorCode() {
      return json == null ? null : json.path("error").path("code").asText(null);
    }
  }

  private final int port;
  private final String accessKey;
  private final String secretKey;
  private final String prefix;

  public AdminClient(int port, String accessKey, String secretKey) {
    this(port, accessKey, secretKey, "/_tarn/admin/v1");
  }

  private AdminClient(int port, String accessKey, String secretKey, String prefix) {
    this.port = port;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.prefix = prefix;
  }

  /** The same credentials on the webhooks API ({@code /_tarn/api/v1}). */
  public AdminClient webhooksApi() {
    return new AdminClient(port, accessKey, secretKey, "/_tarn/api/v1");
  }

  /** Sends {@code body} (a value Jackson can write, or null) to the API prefix + {@code path}. */
  public Response call(String method, String path, Object body) {
    try {
      byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
      URI uri = URI.create("http://127.0.0.1:" + port + prefix + path);
      SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
          .method(SdkHttpMethod.fromValue(method))
          .uri(uri)
          .putHeader("x-amz-content-sha256", sha256(bytes));
      if (bytes.length > 0) {
        unsigned.putHeader("Content-Type", "application/json");
      }
      SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
          .identity(AwsCredentialsIdentity.create(accessKey, secretKey))
          .request(unsigned.build())
          .payload(ContentStreamProvider.fromByteArray(bytes))
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
          .putProperty(AwsV4HttpSigner.REGION_NAME, TarnServer.REGION));
      HttpRequest.Builder req = HttpRequest.newBuilder(uri)
          .timeout(Duration.ofSeconds(60))
          .method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
      for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
        if (!h.getKey().equalsIgnoreCase("Host")) {
          h.getValue().forEach(v -> req.header(h.getKey(), v));
        }
      }
      HttpResponse<String> res = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      JsonNode json = null;
      if (!res.body().isEmpty()) {
        try {
          json = JSON.readTree(res.body());
        } catch (IOException notJson) {
          json = null;
        }
      }
      return new Response(res.statusCode(), json, res.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Like {@link #call} but fails unless the status is {@code expected}. */
  public JsonNode expect(int expected, String method, String path, Object body) {
    Response r = call(method, path, body);
    if (r.status() != expected) {
      throw new AssertionError(method + " " + path + ": expected " + expected + " but got " + r.status() + ": " + r.text());
    }
    return r.json();
  }

  /** Creates a user with the given role and one key. */
  public User createUser(String name, String role) {
    return createUser(name, role, null);
  }

  /** Creates a user with the given role, e-mail address (null: none) and one key. */
  public User createUser(String name, String role, String email) {
    Map<String, String> body = email == null ? Map.of("name", name, "role", role)
        : Map.of("name", name, "role", role, "email", email);
    JsonNode user = expect(201, "POST", "/users", body);
    JsonNode key = expect(201, "POST", "/keys", Map.of("user", name));
    return new User(user.path("id").asText(), name, key.path("accessKeyId").asText(), key.path("secretAccessKey").asText());
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
