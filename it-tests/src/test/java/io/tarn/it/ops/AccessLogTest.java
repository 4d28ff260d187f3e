package io.tarn.it.ops;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The access log (issue 14): requests made with the SDK, a presigned URL and failing ones (a missing
 * key, a wrong secret, a tampered presigned URL) each give exactly one line in the log file, with
 * the operation, principal, bucket, key, status, error code and bytes of that request, and no secret,
 * signature or presigned query string anywhere in the file. Text lines are parsed with a regular
 * expression, JSON lines with Jackson. {@code --log-level warn} silences the server log's INFO lines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessLogTest {
  private static final Path ACCESS_LOG = TarnServerExtension.targetDir().resolve("it-logs")
      .resolve("AccessLogTest-" + ProcessHandle.current().pid() + ".log");
  /**
   * The server log goes to a file: what the server prints after SIGTERM never reaches the test's pipe
   * (Process.destroy() closes it as it signals), and the stop is one of the events to see.
   */
  private static final Path SERVER_LOG = ACCESS_LOG.resolveSibling("AccessLogTest-" + ProcessHandle.current().pid()
      + "-server.log");
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(
      List.of("--access-log", ACCESS_LOG.toString(), "--log-file", SERVER_LOG.toString()));

  /** time id ip key-id user-id operation bucket key status error in out ms [cut] */
  private static final Pattern TEXT = Pattern.compile("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z) (\\S+) (\\S+)"
      + " (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\d+) (\\S+) (\\d+) (\\d+) (\\d+\\.\\d{3})( cut)?");
  /** A key with a space, a newline, a '+' and non-ASCII: percent-encoded, the line stays one line. */
  private static final String KEY = "dir/a b\nc+ü.txt";
  private static final int SIZE = 4096;

  /** The presigned URLs' signatures. */
  private static final List<String> secrets = new ArrayList<>();

  /** What one line must say. {@code accessKey} null: the request was not authenticated. */
  record Expected(String operation, String bucket, String key, int status, String errorCode, String accessKey,
      long minBytesIn, long bytesOut) {}

  /** One parsed line, whatever its format. */
  record Line(String requestId, String remote, String accessKey, String userId, String operation, String bucket,
      String key, int status, String errorCode, long bytesIn, long bytesOut, double millis, boolean cut) {}

  /** Makes the requests and returns what each request id's line must say, in order. */
  private static Map<String, Expected> requests(String bucket) throws Exception {
    Map<String, Expected> out = new LinkedHashMap<>();
    String key = TARN.accessKey();
    out.put(TARN.s3().createBucket(r -> r.bucket(bucket)).responseMetadata().requestId(),
        new Expected("CreateBucket", bucket, null, 200, null, key, 0, 0));
    out.put(TARN.s3().putObject(r -> r.bucket(bucket).key(KEY), RequestBody.fromBytes(TestData.bytes(SIZE, 1)))
        .responseMetadata().requestId(), new Expected("PutObject", bucket, KEY, 200, null, key, SIZE, 0));
    out.put(TARN.s3().getObject(r -> r.bucket(bucket).key(KEY), ResponseTransformer.toBytes()).response()
        .responseMetadata().requestId(), new Expected("GetObject", bucket, KEY, 200, null, key, 0, SIZE));
    NoSuchKeyException missing = assertThrows(NoSuchKeyException.class,
        () -> TARN.s3().getObject(r -> r.bucket(bucket).key("missing"), ResponseTransformer.toBytes()));
    out.put(missing.requestId(), new Expected("GetObject", bucket, "missing", 404, "NoSuchKey", key, 0, -1));
    out.put(TARN.s3().listObjectsV2(r -> r.bucket(bucket)).responseMetadata().requestId(),
        new Expected("ListObjectsV2", bucket, null, 200, null, key, 0, -1));

    // A presigned GET, and the same URL tampered with.
    URI url = TARN.presigner().presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
        .getObjectRequest(g -> g.bucket(bucket).key(KEY))).url().toURI();
    assertTrue(url.getRawQuery().contains("X-Amz-Signature="));
    Matcher signature = Pattern.compile("X-Amz-Signature=([0-9a-f]+)").matcher(url.getRawQuery());
    assertTrue(signature.find());
    secrets.add(signature.group(1));
    RawResponse presigned = TARN.raw().send(HttpRequest.newBuilder(url).GET().build());
    assertEquals(200, presigned.status(), presigned::toString);
    out.put(presigned.header("x-amz-request-id"), new Expected("GetObject", bucket, KEY, 200, null, key, 0, SIZE));
    URI tampered = URI.create(url.toString().replace("X-Amz-Expires=300", "X-Amz-Expires=301"));
    assertNotEquals(url, tampered);
    RawResponse refused = TARN.raw().send(HttpRequest.newBuilder(tampered).GET().build());
    assertEquals(403, refused.status(), refused::toString);
    out.put(refused.header("x-amz-request-id"),
        new Expected("GetObject", bucket, KEY, 403, "SignatureDoesNotMatch", null, 0, -1));

    // A wrong secret for a real access key id: refused, and not logged as that key's request.
    S3Exception wrong = assertThrows(S3Exception.class, () -> TARN.s3With(S3Clients.credentials(key, "not-the-secret"))
        .listBuckets());
    assertEquals(403, wrong.statusCode());
    out.put(wrong.requestId(), new Expected("ListBuckets", null, null, 403, "SignatureDoesNotMatch", null, 0, -1));

    out.put(TARN.s3().deleteObject(r -> r.bucket(bucket).key(KEY)).responseMetadata().requestId(),
        new Expected("DeleteObject", bucket, KEY, 204, null, key, 0, 0));
    out.keySet().forEach(id -> assertNotNull(id, "every response names its request id"));
    return out;
  }

  @Test
  @Order(1)
  void textLinesOnePerRequestWithTheirFieldsAndNoSecret() throws Exception {
    Map<String, Expected> expected = requests(bucketName("text"));
    List<String> raw = awaitLines(expected.size());
    List<Line> lines = new ArrayList<>();
    for (String l : raw) {
      Matcher m = TEXT.matcher(l);
      assertTrue(m.matches(), "not a text access log line: " + l);
      lines.add(new Line(m.group(2), m.group(3), dash(m.group(4)), dash(m.group(5)), m.group(6), dash(m.group(7)),
          dash(m.group(8)) == null ? null : URLDecoder.decode(m.group(8), StandardCharsets.UTF_8),
          Integer.parseInt(m.group(9)), dash(m.group(10)), Long.parseLong(m.group(11)), Long.parseLong(m.group(12)),
          Double.parseDouble(m.group(13)), m.group(14) != null));
    }
    check(expected, lines);
    String serverLog = Files.readString(SERVER_LOG);
    assertTrue(serverLog.lines().anyMatch(l -> l.contains(" INFO ") && l.contains("started: S3 API on")
        && l.contains("access log " + ACCESS_LOG)), serverLog);
    String output = Files.readString(TARN.server().logFile());
    assertFalse(output.contains(" INFO "), "with --log-file, stderr holds no log line:\n" + output);
  }

  @Test
  @Order(2)
  void jsonLinesAndLogLevelWarnSilencesInfo() throws Exception {
    int before = Files.readAllLines(ACCESS_LOG).size();
    TARN.stop(); // its exit code is the drain's business (ops-drain), not the log's
    // The stop is logged (TarnLogManager keeps the handlers through the JVM's shutdown).
    String stopped = Files.readString(SERVER_LOG);
    assertTrue(stopped.lines().anyMatch(l -> l.contains(" INFO ") && l.contains("Tarn draining (")), stopped);
    assertTrue(stopped.lines().anyMatch(l -> l.contains(" INFO ") && l.endsWith("Tarn stopped")), stopped);
    long serverLogBefore = Files.size(SERVER_LOG);

    TARN.start("--access-log-format", "json", "--log-level", "warn");
    Map<String, Expected> expected = requests(bucketName("json"));
    List<String> raw = awaitLines(before + expected.size()).subList(before, before + expected.size());
    ObjectMapper json = new ObjectMapper();
    List<Line> lines = new ArrayList<>();
    for (String l : raw) {
      JsonNode n = json.readTree(l);
      assertTrue(n.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), l);
      lines.add(new Line(n.get("requestId").asText(), n.get("remoteAddress").asText(), text(n, "accessKeyId"),
          text(n, "userId"), n.get("operation").asText(), text(n, "bucket"), text(n, "key"), n.get("status").asInt(),
          text(n, "errorCode"), n.get("bytesIn").asLong(), n.get("bytesOut").asLong(), n.get("durationMs").asDouble(),
          n.get("cut").asBoolean()));
    }
    check(expected, lines);
    String output = Files.readString(TARN.server().logFile());
    assertTrue(output.contains("Tarn ready"), output); // the banner is printed on stdout, not logged
    String serverLog = Files.readString(SERVER_LOG).substring((int) serverLogBefore);
    assertFalse(serverLog.contains(" INFO "), "--log-level warn logs no INFO line:\n" + serverLog);
  }

  private static void check(Map<String, Expected> expected, List<Line> lines) throws IOException {
    assertEquals(expected.size(), lines.size(), "one line per request: " + lines);
    Map<String, Line> byId = new LinkedHashMap<>();
    for (Line l : lines) {
      assertEquals(null, byId.put(l.requestId(), l), "two lines for request " + l.requestId());
    }
    for (Map.Entry<String, Expected> e : expected.entrySet()) {
      Line l = byId.get(e.getKey());
      Expected x = e.getValue();
      assertNotNull(l, "no line for request " + e.getKey() + " (" + x + "): " + lines);
      String what = x + " vs " + l;
      assertEquals(x.operation(), l.operation(), what);
      assertEquals(x.bucket(), l.bucket(), what);
      assertEquals(x.key(), l.key(), what);
      assertEquals(x.status(), l.status(), what);
      assertEquals(x.errorCode(), l.errorCode(), what);
      assertEquals(x.accessKey(), l.accessKey(), what);
      assertEquals(x.accessKey() == null, l.userId() == null, what);
      assertEquals("127.0.0.1", l.remote(), what);
      // The SDK may frame a PUT body (aws-chunked, with a checksum trailer): at least the object's bytes.
      assertTrue(l.bytesIn() >= x.minBytesIn() && l.bytesIn() < x.minBytesIn() + 1024, what);
      if (x.bytesOut() >= 0) {
        assertEquals(x.bytesOut(), l.bytesOut(), what);
      } else {
        assertTrue(l.bytesOut() > 0, "an error document or a listing: " + what);
      }
      assertTrue(l.millis() >= 0 && l.millis() < 60_000, what);
      assertFalse(l.cut(), what);
    }
    String all = Files.readString(ACCESS_LOG);
    List<String> forbidden = new ArrayList<>(secrets);
    forbidden.addAll(List.of(TARN.secretKey(), "X-Amz-Signature", "Signature=", "X-Amz-Credential", "Credential=",
        "Authorization", "AWS4-HMAC-SHA256", "not-the-secret", "X-Amz-Expires"));
    for (String secret : forbidden) {
      assertFalse(all.contains(secret), "the access log holds '" + secret + "'");
    }
  }

  private static String dash(String s) {
    return s.equals("-") ? null : s;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    assertNotNull(v, "field " + field + " missing in " + n);
    return v.isNull() ? null : v.asText();
  }

  /** The access log's lines once it has at least {@code n} (it is written asynchronously). */
  private static List<String> awaitLines(int n) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<String> lines = Files.exists(ACCESS_LOG) ? Files.readAllLines(ACCESS_LOG) : List.of();
      if (lines.size() >= n || System.nanoTime() > deadline) {
        Thread.sleep(300); // and no more come: a second line for a request would show
        List<String> settled = Files.readAllLines(ACCESS_LOG);
        assertEquals(n, settled.size(), "access log lines:\n" + String.join("\n", settled));
        return settled;
      }
      Thread.sleep(50);
    }
  }
}
