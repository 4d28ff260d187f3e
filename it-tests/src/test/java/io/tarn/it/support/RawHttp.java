package io.tarn.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Requests at the wire level, for what the SDK hides: exact status lines, error XML, headers the
 * SDK adds on its own (a default Content-Type), anonymous requests and presigned URLs. Signed
 * requests use the SDK's SigV4 signer with S3's rules (no double encoding, no path normalization).
 */
public final class RawHttp {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** Headers java.net.http sets itself and refuses to take from callers. */
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(10))
      .build();
  private final int port;
  private final TarnServer.Credentials credentials;
  private final ResponseHeaderAudit audit;

  public RawHttp(int port, TarnServer.Credentials credentials, ResponseHeaderAudit audit) {
    this.port = port;
    this.credentials = credentials;
    this.audit = audit;
  }

  /** The path-style base URI, {@code http://127.0.0.1:<port>}. */
  public URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * A SigV4-signed request (Authorization header, payload signed).
   *
   * @param encodedPath the URL-encoded path, e.g. {@code /bucket/a%20b}
   * @param encodedQuery the URL-encoded query without '?', or "" (a bare name like {@code torrent} is
   *     sent as {@code torrent=})
   * @param body the body, or {@code null} for none
   */
  public RawResponse signed(String method, String encodedPath, String encodedQuery, Map<String, String> headers,
      byte[] body) {
    return signedAt(Clock.systemUTC(), method, encodedPath, encodedQuery, headers, body);
  }

  /** Like {@link #signed} but signed as if at {@code clock}'s time (for clock-skew tests). */
  public RawResponse signedAt(Clock clock, String method, String encodedPath, String encodedQuery,
      Map<String, String> headers, byte[] body) {
    SdkHttpRequest signed = sign(unsigned(method, encodedPath, encodedQuery, headers), body, clock, null);
    HttpRequest.Builder out = HttpRequest.newBuilder(signed.getUri()).timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    signed.forEachHeader((name, values) -> {
      if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> out.header(name, v));
      }
    });
    return send(out.build());
  }

  /**
   * A SigV4-signed request whose header values go on the wire as their UTF-8 bytes, as curl sends a
   * raw non-ASCII value (java.net.http would send ISO-8859-1). The SDK's signer signs those UTF-8
   * bytes, as clients do. Response header values are read one char per byte (raw bytes).
   */
  public RawResponse signedUtf8Headers(String method, String encodedPath, Map<String, String> headers, byte[] body) {
    byte[] content = body == null ? new byte[0] : body;
    SdkHttpRequest signed = sign(unsigned(method, encodedPath, "", headers), content, Clock.systemUTC(), null);
    StringBuilder head = new StringBuilder(method).append(' ').append(signed.encodedPath()).append(" HTTP/1.1\r\n");
    if (signed.firstMatchingHeader("Host").isEmpty()) {
      head.append("Host: 127.0.0.1:").append(port).append("\r\n");
    }
    signed.forEachHeader((name, values) -> values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
    head.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return overSocket(socket, method + " " + encodedPath, head.toString(), content);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + encodedPath + " failed", e);
    }
  }

  /**
   * An unsigned request from the local address {@code localAddress} (another loopback address, e.g.
   * {@code 127.0.0.2}: Linux answers for all of 127.0.0.0/8), for what the server counts per client
   * address. Over a socket of its own, {@code Connection: close}; response header values are read one
   * char per byte.
   *
   * @param encodedPathAndQuery the URL-encoded path and query
   * @param body the body, or {@code null} for none
   */
  public RawResponse from(String localAddress, String method, String encodedPathAndQuery, Map<String, String> headers,
      byte[] body) {
    byte[] content = body == null ? new byte[0] : body;
    StringBuilder head = new StringBuilder(method).append(' ').append(encodedPathAndQuery).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
    String label = method + " " + encodedPathAndQuery + " from " + localAddress;
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
      socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), (int) TIMEOUT.toMillis());
      return overSocket(socket, label, head.toString(), content);
    } catch (IOException e) {
      throw new UncheckedIOException(label + " failed", e);
    }
  }

  /** Sends {@code head} and {@code content} on a connected socket and reads the response until the server closes it. */
  private RawResponse overSocket(Socket socket, String label, String head, byte[] content) throws IOException {
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    OutputStream out = socket.getOutputStream();
    out.write(head.getBytes(StandardCharsets.UTF_8));
    out.write(content);
    out.flush();
    byte[] response = socket.getInputStream().readAllBytes();
    String text = new String(response, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no complete response head: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    Map<String, List<String>> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      responseHeaders.computeIfAbsent(lines[i].substring(0, colon), n -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).strip());
    }
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    java.net.http.HttpHeaders h = java.net.http.HttpHeaders.of(responseHeaders, (a, b) -> true);
    audit.check(label, status, name -> h.firstValue(name));
    return new RawResponse(status, h, Arrays.copyOfRange(response, end + 4, response.length));
  }

  /**
   * The head of a SigV4-signed request (payload signed, {@code Content-Length} of {@code body}) as it
   * goes on the wire, for a test that sends it and the body itself over a socket: slowly, in parts,
   * or with a signal to the server in between.
   */
  public byte[] signedHead(String method, String encodedPath, Map<String, String> headers, byte[] body) {
    SdkHttpRequest signed = sign(unsigned(method, encodedPath, "", headers), body, Clock.systemUTC(), null);
    StringBuilder head = new StringBuilder(method).append(' ').append(signed.encodedPath()).append(" HTTP/1.1\r\n");
    if (signed.firstMatchingHeader("Host").isEmpty()) {
      head.append("Host: 127.0.0.1:").append(port).append("\r\n");
    }
    signed.forEachHeader((name, values) -> values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A presigned URL (query-string SigV4, unsigned payload) as if signed at {@code clock}'s time. */
  public URI presign(Clock clock, String method, String encodedPath, Duration expiry) {
    return sign(unsigned(method, encodedPath, "", Map.of()), null, clock, expiry).getUri();
  }

  private SdkHttpRequest unsigned(String method, String encodedPath, String encodedQuery, Map<String, String> headers) {
    SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
        .method(SdkHttpMethod.fromValue(method))
        .protocol("http")
        .host("127.0.0.1")
        .port(port)
        .encodedPath(encodedPath);
    if (!encodedQuery.isEmpty()) {
      for (String pair : encodedQuery.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        unsigned.appendRawQueryParameter(SdkHttpUtils.urlDecode(name), SdkHttpUtils.urlDecode(value));
      }
    }
    headers.forEach(unsigned::putHeader);
    return unsigned.build();
  }

  /** Signs with S3's SigV4 rules; {@code presignExpiry} null means header auth. */
  private SdkHttpRequest sign(SdkHttpRequest request, byte[] body, Clock clock, Duration presignExpiry) {
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
      r.identity(AwsCredentialsIdentity.create(credentials.accessKey(), credentials.secretKey()))
          .request(request)
          .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
          .putProperty(AwsV4HttpSigner.REGION_NAME, TarnServer.REGION)
          .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
          .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
          .putProperty(HttpSigner.SIGNING_CLOCK, clock)
          .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, presignExpiry == null);
      if (presignExpiry == null) {
        r.payload(ContentStreamProvider.fromByteArray(body == null ? new byte[0] : body));
      } else {
        // No payload at all: over plain HTTP the signer would otherwise hash an empty body instead
        // of using UNSIGNED-PAYLOAD, which is what presigned URLs sign.
        r.putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
            .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, presignExpiry);
      }
    });
    return signed.request();
  }

  /** A request without any credentials. */
  public RawResponse anonymous(String method, String encodedPathAndQuery, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder out = HttpRequest.newBuilder(base().resolve(encodedPathAndQuery)).timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(out::header);
    return send(out.build());
  }

  /** Sends a prepared request (e.g. to a presigned URL). */
  public RawResponse send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      audit.check(request.method() + " " + request.uri(), response.statusCode(),
          name -> response.headers().firstValue(name));
      return new RawResponse(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
    }
  }

  /** A response with its body read whole (only used for small bodies). */
  public record RawResponse(int status, java.net.http.HttpHeaders headers, byte[] body) {
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** Parses the body as an S3 error document. */
    public S3ErrorXml error() {
      return S3ErrorXml.parse(body);
    }

    @Override
    public String toString() {
      return status + " " + headers.map() + "\n" + text();
    }
  }
}
