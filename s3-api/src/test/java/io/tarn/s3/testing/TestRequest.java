package io.tarn.s3.testing;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.auth.SigV4;
import io.tarn.s3.auth.SignedRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds an S3 request the way an SDK sends it: SigV4-signed as {@link S3Fixture}'s key at
 * {@link S3Fixture#NOW}, with a hex, unsigned or aws-chunked payload
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html), rendered as wire bytes
 * or as a Netty request head.
 */
public final class TestRequest {
  /** How the body is sent, i.e. the value of {@code x-amz-content-sha256}. */
  public enum Payload { SHA256, UNSIGNED, STREAMING_SIGNED, STREAMING_UNSIGNED_TRAILER }

  /** Headers never signed: the body framing, and what hop-by-hop proxies may change. */
  private static final List<String> UNSIGNED_HEADERS = List.of("authorization", "content-length", "expect", "connection");

  private final String method;
  private final String target;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private byte[] body = new byte[0];
  private Payload payload = Payload.SHA256;
  private String contentSha256;
  private String accessKey = S3Fixture.ACCESS_KEY;
  private String secret = S3Fixture.SECRET;
  private boolean signed = true;
  private int chunkSize = 64 << 10;
  private ChecksumAlgorithm trailer;
  private boolean corruptTrailer;

  private TestRequest(String method, String target) {
    this.method = method;
    this.target = target;
    headers.put("Host", "tarn.test");
  }

  public static TestRequest of(String method, String target) {
    return new TestRequest(method, target);
  }

  public static TestRequest get(String target) {
    return of("GET", target);
  }

  public static TestRequest head(String target) {
    return of("HEAD", target);
  }

  public static TestRequest put(String target) {
    return of("PUT", target);
  }

  public static TestRequest post(String target) {
    return of("POST", target);
  }

  public static TestRequest delete(String target) {
    return of("DELETE", target);
  }

  /** Sets a header (replacing one of the same name, whatever its case). */
  public TestRequest header(String name, String value) {
    headers.keySet().removeIf(n -> n.equalsIgnoreCase(name));
    headers.put(name, value);
    return this;
  }

  public TestRequest body(byte[] b) {
    this.body = b.clone();
    return this;
  }

  public TestRequest body(String s) {
    return body(s.getBytes(StandardCharsets.UTF_8));
  }

  public TestRequest payload(Payload p) {
    this.payload = p;
    return this;
  }

  /** Declares this hex SHA-256 instead of the body's. */
  public TestRequest contentSha256(String hex) {
    this.contentSha256 = hex;
    return this;
  }

  public TestRequest accessKey(String id) {
    this.accessKey = id;
    return this;
  }

  /** Signs with another user's key. */
  public TestRequest credentials(String id, String secretKey) {
    this.accessKey = id;
    this.secret = secretKey;
    return this;
  }

  /** Sends no credentials (and no x-amz-date or x-amz-content-sha256): anonymous, or presigned in the target. */
  public TestRequest anonymous() {
    this.signed = false;
    return this;
  }

  public TestRequest chunkSize(int n) {
    this.chunkSize = n;
    return this;
  }

  /** Announces {@code alg} in {@code x-amz-trailer} and sends its checksum after the last chunk. */
  public TestRequest trailer(ChecksumAlgorithm alg) {
    this.trailer = alg;
    return this;
  }

  /** Sends a trailing checksum that does not match the body. */
  public TestRequest corruptTrailer() {
    this.corruptTrailer = true;
    return this;
  }

  public TestRequest expectContinue() {
    return header("Expect", "100-continue");
  }

  /** Signs and frames the request. */
  public Built build() {
    Map<String, String> h = new LinkedHashMap<>(headers);
    boolean streaming = payload == Payload.STREAMING_SIGNED || payload == Payload.STREAMING_UNSIGNED_TRAILER;
    if (signed) {
      h.putIfAbsent("x-amz-date", SigV4.formatAmzDate(S3Fixture.NOW));
      h.put("x-amz-content-sha256", switch (payload) {
        case SHA256 -> contentSha256 != null ? contentSha256 : SigV4.sha256Hex(body);
        case UNSIGNED -> SigV4.UNSIGNED_PAYLOAD;
        case STREAMING_SIGNED -> "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
        case STREAMING_UNSIGNED_TRAILER -> "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
      });
    }
    if (streaming) {
      h.putIfAbsent("Content-Encoding", "aws-chunked");
      h.putIfAbsent("x-amz-decoded-content-length", Integer.toString(body.length));
      if (trailer != null) {
        h.put("x-amz-trailer", trailer.headerName());
      }
    }
    String signature = null;
    if (signed) {
      int q = target.indexOf('?');
      SignedRequest.Builder b = SignedRequest.builder(method, q < 0 ? target : target.substring(0, q),
          q < 0 ? null : target.substring(q + 1));
      h.forEach((n, v) -> {
        if (!UNSIGNED_HEADERS.contains(n.toLowerCase(Locale.ROOT))) {
          b.header(n, v);
        }
      });
      String authorization = SigV4.authorization(b.build(), accessKey, secret, S3Fixture.REGION);
      h.put("Authorization", authorization);
      signature = authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
    }
    byte[] wireBody = streaming ? chunked(h.getOrDefault("x-amz-date", SigV4.formatAmzDate(S3Fixture.NOW)), signature) : body;
    boolean framed = h.keySet().stream().anyMatch(n -> n.equalsIgnoreCase("Content-Length") || n.equalsIgnoreCase("Transfer-Encoding"));
    if (!framed && (wireBody.length > 0 || method.equals("PUT") || method.equals("POST"))) {
      h.put("Content-Length", Integer.toString(wireBody.length));
    }
    return new Built(method, target, List.copyOf(h.entrySet()), wireBody);
  }

  private byte[] chunked(String amzDate, String seed) {
    boolean signChunks = payload == Payload.STREAMING_SIGNED;
    byte[] key = SigV4.signingKey(secret, amzDate.substring(0, 8), S3Fixture.REGION, SigV4.SERVICE);
    String scope = SigV4.scope(amzDate.substring(0, 8), S3Fixture.REGION);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String previous = seed;
    for (int offset = 0; offset < body.length; offset += chunkSize) {
      byte[] chunk = Arrays.copyOfRange(body, offset, Math.min(body.length, offset + chunkSize));
      previous = chunkHeader(out, signChunks, key, amzDate, scope, previous, chunk);
      out.writeBytes(chunk);
      ascii(out, "\r\n");
    }
    chunkHeader(out, signChunks, key, amzDate, scope, previous, new byte[0]);
    if (trailer != null) {
      byte[] digest = trailer.digest(body);
      if (corruptTrailer) {
        digest[0] ^= 1;
      }
      ascii(out, trailer.headerName() + ":" + Base64.getEncoder().encodeToString(digest) + "\r\n");
    }
    ascii(out, "\r\n");
    return out.toByteArray();
  }

  private static String chunkHeader(ByteArrayOutputStream out, boolean sign, byte[] key, String amzDate, String scope,
      String previous, byte[] chunk) {
    ascii(out, Integer.toHexString(chunk.length));
    if (!sign) {
      ascii(out, "\r\n");
      return previous;
    }
    String sig = SigV4.signature(key, SigV4.chunkStringToSign(amzDate, scope, previous, SigV4.sha256Hex(chunk)));
    ascii(out, ";chunk-signature=" + sig + "\r\n");
    return sig;
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A framed request.
   *
   * @param headers every header, in sending order
   * @param wireBody the body as sent (aws-chunked framing included)
   */
  public record Built(String method, String target, List<Map.Entry<String, String>> headers, byte[] wireBody) {
    /** The request line and headers, ending with the blank line. */
    public byte[] headBytes() {
      StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      for (Map.Entry<String, String> e : headers) {
        sb.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
      }
      return sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Head and body. */
    public byte[] wire() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(headBytes());
      out.writeBytes(wireBody);
      return out.toByteArray();
    }

    /** The head as Netty's decoder would produce it. */
    public HttpRequest nettyHead() {
      HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target);
      for (Map.Entry<String, String> e : headers) {
        r.headers().add(e.getKey(), e.getValue());
      }
      return r;
    }

    public String header(String name) {
      for (Map.Entry<String, String> e : headers) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }

    /** The body split into slices of at most {@code size} bytes, as a network would deliver it. */
    public List<byte[]> bodySlices(int size) {
      List<byte[]> out = new ArrayList<>();
      for (int i = 0; i < wireBody.length; i += size) {
        out.add(Arrays.copyOfRange(wireBody, i, Math.min(wireBody.length, i + size)));
      }
      return out;
    }
  }
}
