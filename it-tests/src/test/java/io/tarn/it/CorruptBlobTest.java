package io.tarn.it;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.Cli;
import io.tarn.it.support.RawHttp;
import io.tarn.it.support.ResponseHeaderAudit;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServer;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A blob file damaged on disk (issue 11): a flipped byte, a truncated file, a deleted file. Whatever
 * the client (the AWS SDK, curl, a raw socket), over plain HTTP and TLS, it never gets a 200 with
 * wrong or short data: damage found before the head is a 500, damage found while streaming resets the
 * connection. Ranges away from the damage are served. {@code tarn admin scrub} reports every damaged
 * and missing blob by bucket and key and exits 8.
 */
class CorruptBlobTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BLOCK = 64 << 10;
  /** Above the inline threshold (128 KiB): a blob file of five blocks. */
  private static final int SIZE = 300 << 10;
  /** In block 3: the head goes out (block 0 is verified before it), the body fails mid-way. */
  private static final int LATE_DAMAGE = 200 << 10;

  @TempDir static Path home;
  @TempDir static Path tlsData;
  private static TarnServer tls;
  private static S3Client tlsS3;
  private static final ResponseHeaderAudit TLS_AUDIT = new ResponseHeaderAudit();
  private static Path curl;

  @BeforeAll
  static void start() {
    curl = Cli.require("curl", "apt-get install curl", Path.of("/usr/bin/curl"));
    tls = new TarnServer("CorruptBlobTest-tls", tlsData, TarnServerExtension.targetDir().resolve("it-servers"),
        TarnServer.Credentials.random(), List.of("--tls-self-signed"));
    tls.start();
    tlsS3 = S3Clients.https(tls.port(), tlsCert(), S3Clients.credentials(tls.root().accessKey(), tls.root().secretKey()),
        TLS_AUDIT);
  }

  @AfterAll
  static void stop() {
    if (tlsS3 != null) {
      tlsS3.close();
    }
    if (tls != null) {
      tls.close();
    }
  }

  private static Path tlsCert() {
    return tlsData.resolve("tls").resolve("self-signed-cert.pem");
  }

  /** Puts {@code data} under {@code bucket/key} and returns the one blob file the PUT added. */
  private static Path put(S3Client s3, Path dataDir, String bucket, String key, byte[] data) {
    Set<Path> before = blobFiles(dataDir);
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(data));
    Set<Path> added = blobFiles(dataDir);
    added.removeAll(before);
    assertEquals(1, added.size(), "blob files the PUT added: " + added);
    return added.iterator().next();
  }

  private static Set<Path> blobFiles(Path dataDir) {
    try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
      return new HashSet<>(files.filter(Files::isRegularFile).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void flip(Path file, long at) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x01)).rewind();
      ch.write(b, at);
    }
  }

  /** The SDK's GET fails: a 500, or (cut mid-way) a client-side error; never the bytes. */
  private static void sdkGetFails(S3Client s3, String bucket, String key) {
    SdkException e = assertThrows(SdkException.class, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)));
    assertTrue(e instanceof SdkClientException || (e instanceof S3Exception s && s.statusCode() == 500), e.toString());
  }

  /**
   * curl GETs a presigned URL of {@code bucket/key} (curl 7.88's own --aws-sigv4 sends no
   * x-amz-content-sha256, which S3 requires); its -w prints the status.
   */
  private static Cli.Result curlGet(String scheme, RawHttp raw, String bucket, String key) {
    String url = raw.presign(Clock.systemUTC(), "GET", "/" + bucket + "/" + key, Duration.ofMinutes(5)).toString();
    List<String> cmd = new ArrayList<>(List.of(curl.toString(), "-sS", "-o", home.resolve("out").toString(),
        "-w", "%{http_code}"));
    if (scheme.equals("https")) {
      cmd.addAll(List.of("--cacert", tlsCert().toString()));
      url = url.replaceFirst("^http:", "https:");
    }
    cmd.add(url);
    return Cli.run(cmd, Map.of("HOME", home.toString()), home, TIMEOUT);
  }

  private static void curlNeverGetsA200(Cli.Result r) {
    assertTrue(r.exitCode() != 0 || !r.stdout().strip().equals("200"), r.describe());
    if (r.exitCode() == 0) {
      assertEquals("500", r.stdout().strip(), r.describe());
    }
  }

  @Test
  void aFlippedByteIsNeverServedAndRangesAwayFromItAre() throws IOException {
    String bucket = bucketName("flip");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    byte[] data = TestData.bytes(SIZE, 1);
    Path blob = put(TARN.s3(), TARN.dataDir(), bucket, "late", data);
    flip(blob, LATE_DAMAGE);
    byte[] early = TestData.bytes(SIZE, 2);
    flip(put(TARN.s3(), TARN.dataDir(), bucket, "early", early), 10);

    sdkGetFails(TARN.s3(), bucket, "late");
    sdkGetFails(TARN.s3(), bucket, "early");
    // A raw socket: the late damage resets the connection after the head; the early one is a 500.
    assertThrows(UncheckedIOException.class,
        () -> TARN.raw().signedUtf8Headers("GET", "/" + bucket + "/late", Map.of(), null));
    RawHttp.RawResponse r = TARN.raw().signedUtf8Headers("GET", "/" + bucket + "/early", Map.of(), null);
    assertEquals(500, r.status(), r.toString());
    assertEquals("InternalError", r.error().code());
    curlNeverGetsA200(curlGet("http", TARN.raw(), bucket, "late"));
    curlNeverGetsA200(curlGet("http", TARN.raw(), bucket, "early"));

    // A range inside the damaged block is a 500; ranges elsewhere are served, exact.
    S3Exception inside = assertThrows(S3Exception.class, () -> TARN.s3().getObjectAsBytes(g -> g.bucket(bucket).key("late")
        .range("bytes=" + LATE_DAMAGE + "-" + (LATE_DAMAGE + 9))));
    assertEquals(500, inside.statusCode());
    byte[] before = TARN.s3().getObjectAsBytes(g -> g.bucket(bucket).key("late").range("bytes=100-" + (3 * BLOCK - 1)))
        .asByteArray();
    assertArrayEquals(Arrays.copyOfRange(data, 100, 3 * BLOCK), before);
    byte[] after = TARN.s3().getObjectAsBytes(g -> g.bucket(bucket).key("late").range("bytes=" + (4 * BLOCK) + "-"))
        .asByteArray();
    assertArrayEquals(Arrays.copyOfRange(data, 4 * BLOCK, SIZE), after);

    // The damage is on record (found by the reads above).
    JsonNode recorded = scrubJson(TARN, "--recorded", "--json");
    assertTrue(recorded.path("detectionsSinceStart").asLong() >= 4, recorded.toString());
    assertEquals(Set.of("late", "early"), keysOf(recorded.path("damaged"), bucket));
  }

  @Test
  void truncatedAndDeletedBlobsAre500sAndScrubReportsEveryDamagedBlob() throws IOException {
    String bucket = bucketName("scrub");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    TARN.s3().putObject(p -> p.bucket(bucket).key("fine"), RequestBody.fromBytes(TestData.bytes(SIZE, 3)));
    Path truncated = put(TARN.s3(), TARN.dataDir(), bucket, "truncated", TestData.bytes(SIZE, 4));
    try (FileChannel ch = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
      ch.truncate(SIZE / 2);
    }
    Path deleted = put(TARN.s3(), TARN.dataDir(), bucket, "deleted", TestData.bytes(SIZE, 5));
    Files.delete(deleted);
    Path flipped = put(TARN.s3(), TARN.dataDir(), bucket, "flipped", TestData.bytes(SIZE, 6));
    flip(flipped, SIZE - 5);

    for (String key : List.of("truncated", "deleted")) {
      S3Exception e = assertThrows(S3Exception.class, () -> TARN.s3().getObjectAsBytes(g -> g.bucket(bucket).key(key)));
      assertEquals(500, e.statusCode(), key);
      curlNeverGetsA200(curlGet("http", TARN.raw(), bucket, key));
    }
    assertEquals(SIZE, TARN.s3().getObjectAsBytes(g -> g.bucket(bucket).key("fine")).asByteArray().length);

    Cli.Result human = scrub(TARN, "--bucket", bucket);
    assertEquals(8, human.exitCode(), human.describe());
    for (String name : List.of("truncated", "deleted", "flipped", deleted.getFileName().toString(),
        flipped.getFileName().toString(), "missing", "corrupt")) {
      assertTrue(human.stdout().contains(name), name + "\n" + human.describe());
    }
    JsonNode job = JSON.readTree(scrub(TARN, "--bucket", bucket, "--json").stdout());
    JsonNode result = job.path("result");
    assertEquals(4, result.path("objects").asLong(), job.toString());
    assertEquals(3, result.path("blobs").asLong(), "the deleted one cannot be read: " + job);
    assertEquals(Set.of("truncated", "deleted", "flipped"), keysOf(result.path("damaged"), bucket));
    for (JsonNode d : result.path("damaged")) {
      String expected = d.path("key").asText().equals("deleted") ? "missing" : "corrupt";
      assertEquals(expected, d.path("problem").asText(), d.toString());
      assertEquals(bucket, d.path("bucket").asText());
    }
    assertTrue(Files.exists(flipped) && Files.exists(truncated), "damaged blobs are never deleted");
  }

  @Test
  void overTlsTheSameHolds() throws IOException {
    String bucket = bucketName("tls");
    tlsS3.createBucket(r -> r.bucket(bucket));
    byte[] data = TestData.bytes(SIZE, 7);
    flip(put(tlsS3, tlsData, bucket, "late", data), LATE_DAMAGE);
    sdkGetFails(tlsS3, bucket, "late");
    curlNeverGetsA200(curlGet("https", new RawHttp(tls.port(), tls.root(), TLS_AUDIT), bucket, "late"));
    byte[] before = tlsS3.getObjectAsBytes(g -> g.bucket(bucket).key("late").range("bytes=0-" + (3 * BLOCK - 1)))
        .asByteArray();
    assertArrayEquals(Arrays.copyOf(data, 3 * BLOCK), before);
    Path deleted = put(tlsS3, tlsData, bucket, "deleted", TestData.bytes(SIZE, 8));
    Files.delete(deleted);
    assertEquals(500, assertThrows(S3Exception.class,
        () -> tlsS3.getObjectAsBytes(g -> g.bucket(bucket).key("deleted"))).statusCode());
    assertEquals(List.of(), TLS_AUDIT.drain());
  }

  private static Set<String> keysOf(JsonNode damaged, String bucket) {
    Set<String> keys = new HashSet<>();
    for (JsonNode d : damaged) {
      if (d.path("bucket").asText().equals(bucket)) {
        keys.add(d.path("key").asText());
      }
    }
    return keys;
  }

  private static Cli.Result scrub(TarnServerExtension tarn, String... args) {
    List<String> all = new ArrayList<>(List.of("admin", "scrub"));
    all.addAll(List.of(args));
    return Cli.tarn(home, Map.of("TARN_ENDPOINT", tarn.endpoint().toString(), "TARN_ACCESS_KEY", tarn.accessKey(),
        "TARN_SECRET_KEY", tarn.secretKey()), TIMEOUT, all.toArray(String[]::new));
  }

  private static JsonNode scrubJson(TarnServerExtension tarn, String... args) throws IOException {
    Cli.Result r = scrub(tarn, args);
    assertNotEquals(0, r.exitCode(), "damage on record: " + r.describe());
    return JSON.readTree(r.stdout());
  }
}
