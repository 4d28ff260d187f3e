package io.tarn.it.ops;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.RawHttp.RawResponse;
import io.tarn.it.support.TarnServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;

/**
 * {@code --trusted-proxies}: a request whose peer is a trusted proxy has the client address its
 * X-Forwarded-For names, in the access log and for a bucket policy's {@code aws:SourceIp}; without the
 * option the header is ignored and the peer (127.0.0.1) is the client. Requests are raw, unsigned GETs
 * of an object a policy lets 203.0.113.0/24 read, except 203.0.113.66 (an explicit Deny).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrustedProxyTest {
  private static final Path ACCESS_LOG = TarnServerExtension.targetDir().resolve("it-logs")
      .resolve("TrustedProxyTest-" + ProcessHandle.current().pid() + ".log");
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(
      List.of("--access-log", ACCESS_LOG.toString()));

  private static final String BUCKET = bucketName("xff");
  private static final String PATH = "/" + BUCKET + "/report.txt";

  private static String policy() {
    String object = "\"arn:aws:s3:::" + BUCKET + "/*\"";
    return "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":" + object
        + ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}},"
        + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":" + object
        + ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.66/32\"}}}]}";
  }

  /** An unsigned GET of the object, from local address {@code from}, with these X-Forwarded-For lines. */
  private static RawResponse get(String from, String... forwardedFor) {
    Map<String, String> headers = forwardedFor.length == 0 ? Map.of() : Map.of("X-Forwarded-For", forwardedFor[0]);
    RawResponse r = TARN.raw().from(from, "GET", PATH, headers, null);
    assertNotNull(r.header("x-amz-request-id"), r::toString);
    return r;
  }

  /** The client address the access log shows for request {@code id} (text format: time id address ...). */
  private static String loggedAddress(String id) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<String> lines = Files.exists(ACCESS_LOG) ? Files.readAllLines(ACCESS_LOG) : List.of();
      Optional<String> line = lines.stream().filter(l -> l.split(" ")[1].equals(id)).findFirst();
      if (line.isPresent()) {
        return line.get().split(" ")[2];
      }
      assertTrue(System.nanoTime() < deadline, "no access log line for " + id + ":\n" + String.join("\n", lines));
      Thread.sleep(50);
    }
  }

  private static void expect(int status, String address, RawResponse r) throws Exception {
    assertEquals(status, r.status(), r::toString);
    assertEquals(address, loggedAddress(r.header("x-amz-request-id")), r.toString());
  }

  @Test
  @Order(1)
  void withoutTheOptionTheHeaderIsIgnored() throws Exception {
    TARN.s3().createBucket(b -> b.bucket(BUCKET));
    TARN.s3().putPublicAccessBlock(b -> b.bucket(BUCKET).publicAccessBlockConfiguration(PublicAccessBlockConfiguration
        .builder().blockPublicAcls(false).ignorePublicAcls(false).blockPublicPolicy(false)
        .restrictPublicBuckets(false).build()));
    TARN.s3().putObject(b -> b.bucket(BUCKET).key("report.txt"), RequestBody.fromString("quarterly"));
    TARN.s3().putBucketPolicy(b -> b.bucket(BUCKET).policy(policy()));

    expect(403, "127.0.0.1", get("127.0.0.1", "203.0.113.7"));
    expect(403, "127.0.0.1", get("127.0.0.1"));
  }

  @Test
  @Order(2)
  void fromATrustedProxyTheForwardedClientIsLoggedAndJudgedByThePolicy() throws Exception {
    TARN.stop();
    TARN.start("--trusted-proxies", "127.0.0.0/8");

    RawResponse allowed = get("127.0.0.1", "203.0.113.7");
    expect(200, "203.0.113.7", allowed);
    assertEquals("quarterly", allowed.text());
    expect(403, "203.0.113.66", get("127.0.0.1", "203.0.113.66")); // the Deny
    expect(403, "198.51.100.1", get("127.0.0.1", "198.51.100.1")); // outside the Allow
    // A chain through a second trusted proxy: that proxy is skipped.
    expect(200, "203.0.113.7", get("127.0.0.2", "203.0.113.7, 127.0.0.9"));
    // What the client itself put on the left is never believed: the address the proxy saw is.
    expect(403, "198.51.100.1", get("127.0.0.1", "203.0.113.7, 198.51.100.1"));
    // No header, or one that is not an address: the peer.
    expect(403, "127.0.0.1", get("127.0.0.1"));
    expect(403, "127.0.0.3", get("127.0.0.3", "203.0.113.7:443"));
  }
}
