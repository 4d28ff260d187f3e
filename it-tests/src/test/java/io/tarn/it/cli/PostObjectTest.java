package io.tarn.it.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Boto3;
import io.tarn.it.support.Boto3.Form;
import io.tarn.it.support.Boto3.Generation;
import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Received;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * POST Object as the web uses it: boto3's {@code generate_presigned_post} with its default settings
 * (today's, and Debian 12's for the plain case) makes the form, {@code curl -F} posts it like a browser, and the object, its event and S3's refusals
 * are checked from outside (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html).
 */
class PostObjectTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static WebhookReceiver receiver;

  @BeforeAll
  static void start() {
    receiver = new WebhookReceiver();
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  private record Posted(int status, String body) {}

  private static Form presignedPost(Path work, String bucket, String key, Map<String, String> extra) {
    return Boto3.presignedPost(Generation.CURRENT, TARN, work, bucket, key, extra);
  }

  private static Form presignedPost(Generation generation, Path work, String bucket, String key,
      Map<String, String> extra) {
    return Boto3.presignedPost(generation, TARN, work, bucket, key, extra);
  }

  /** curl -F, a browser's form: the fields in order (as strings, never read from files), the file last. */
  private static Posted curlPost(Path work, Form form, Map<String, String> more, Path file, String filename)
      throws IOException {
    Path curl = Cli.require("curl", "apt-get install curl", Path.of("/usr/bin/curl"));
    Path out = work.resolve("post.out");
    Files.deleteIfExists(out);
    List<String> cmd = new ArrayList<>(List.of(curl.toString(), "-sS", "-o", out.toString(), "-w", "%{http_code}"));
    Map<String, String> fields = new java.util.LinkedHashMap<>(form.fields());
    fields.putAll(more);
    for (Map.Entry<String, String> e : fields.entrySet()) {
      cmd.add("--form-string");
      cmd.add(e.getKey() + "=" + e.getValue());
    }
    cmd.add("-F");
    cmd.add("file=@" + file + ";filename=" + filename);
    cmd.add(form.url());
    Cli.Result r = Cli.run(cmd, Map.of(), work, TIMEOUT);
    String code = r.stdout().strip();
    String body = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    int status = code.matches("\\d{3}") ? Integer.parseInt(code) : -1;
    if (status < 200 && r.exitCode() != 0) {
      // Only the interim 100 Continue arrived before the transfer failed (the server cut the connection
      // while curl was still sending): no final answer.
      status = -1;
    }
    return new Posted(status, body + (r.exitCode() != 0 ? r.describe() : ""));
  }

  private static boolean exists(String bucket, String key) {
    try {
      HeadObjectResponse h = TARN.s3().headObject(r -> r.bucket(bucket).key(key));
      return h != null;
    } catch (NoSuchKeyException e) {
      return false;
    }
  }

  /**
   * The tutorial case: boto3's defaults (Signature Version 2 for us-east-1), a key with
   * {@code ${filename}}, a size range; the file stored byte for byte and {@code ObjectCreated:Post}
   * delivered to the bucket's webhook.
   */
  @ParameterizedTest
  @EnumSource(Generation.class)
  void boto3PresignedPostThenCurlStoresTheFileAndEmitsObjectCreatedPost(Generation generation, @TempDir Path work)
      throws Exception {
    String bucket = TestData.bucketName("post");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    AdminClient api = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).webhooksApi();
    api.expect(201, "POST", "/buckets/" + bucket + "/webhooks",
        Map.of("url", receiver.url("/post").toString(), "events", List.of("s3:ObjectCreated:Post")));
    receiver.drain();

    Form form = presignedPost(generation, work, bucket, "uploads/${filename}",
        Map.of("TARN_POST_CONDITIONS", "[[\"content-length-range\", 1, 1048576]]"));
    assertTrue(form.fields().containsKey("AWSAccessKeyId") && form.fields().containsKey("signature"),
        "boto3's default form for us-east-1 is Signature Version 2: " + form);
    byte[] content = TestData.bytes(300_000, 15);
    Path file = Files.write(work.resolve("photo.jpg"), content);
    Posted posted = curlPost(work, form, Map.of(), file, "photo.jpg");
    assertEquals(204, posted.status(), posted.body());
    assertArrayEquals(content, TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key("uploads/photo.jpg")).asByteArray());

    Received event = receiver.take(Duration.ofSeconds(20));
    JsonNode record = JSON.readTree(event.body()).path("Records").get(0);
    assertEquals("ObjectCreated:Post", record.path("eventName").asText(), event.text());
    assertEquals("uploads/photo.jpg", record.path("s3").path("object").path("key").asText());
    assertEquals(content.length, record.path("s3").path("object").path("size").asLong());
    assertEquals(TestData.md5Hex(content), record.path("s3").path("object").path("eTag").asText());
  }

  /** The form of Signature Version 4 (boto3 with signature_version s3v4), with a 201 and its document. */
  @Test
  void signatureVersion4FormWith201(@TempDir Path work) throws Exception {
    String bucket = TestData.bucketName("post4");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    Form form = presignedPost(work, bucket, "v4.txt", Map.of("TARN_SIGNATURE", "s3v4",
        "TARN_POST_FIELDS", "{\"success_action_status\": \"201\"}",
        "TARN_POST_CONDITIONS", "[{\"success_action_status\": \"201\"}]"));
    assertTrue(form.fields().containsKey("x-amz-signature"), form.toString());
    Path file = Files.writeString(work.resolve("v4.txt"), "signed with v4");
    Posted posted = curlPost(work, form, Map.of(), file, "v4.txt");
    assertEquals(201, posted.status(), posted.body());
    assertTrue(posted.body().contains("<Key>v4.txt</Key>") && posted.body().contains("<Bucket>" + bucket + "</Bucket>"),
        posted.body());
    assertEquals("signed with v4", TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key("v4.txt")).asUtf8String());
  }

  /** Virtual-hosted style: the form posted to {@code http://<bucket>.localhost:<port>/} (--domain localhost). */
  @Test
  void aFormPostedToTheBucketsOwnHost(@TempDir Path work) throws Exception {
    String bucket = TestData.bucketName("postvh");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    Form form = presignedPost(work, bucket, "vh.txt", Map.of(
        "TARN_POST_FIELDS", "{\"success_action_status\": \"201\"}",
        "TARN_POST_CONDITIONS", "[{\"success_action_status\": \"201\"}]"));
    String host = bucket + ".localhost:" + TARN.port();
    Posted posted = curlPost(work, new Form("http://" + host + "/", form.fields()), Map.of(),
        Files.writeString(work.resolve("vh.txt"), "virtual"), "vh.txt");
    assertEquals(201, posted.status(), posted.body());
    assertTrue(posted.body().contains("<Location>http://" + host + "/vh.txt</Location>"), posted.body());
    assertEquals("virtual", TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key("vh.txt")).asUtf8String());
  }

  @Test
  void anExpiredPolicyAViolatedConditionAndAnAnonymousFormStoreNothing(@TempDir Path work) throws Exception {
    String bucket = TestData.bucketName("postno");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    Path file = Files.writeString(work.resolve("f.txt"), "nope");

    Form expired = presignedPost(work, bucket, "expired.txt", Map.of("TARN_POST_EXPIRES", "-60"));
    Posted a = curlPost(work, expired, Map.of(), file, "f.txt");
    assertEquals(403, a.status(), a.body());
    assertTrue(a.body().contains("<Message>Invalid according to Policy: Policy expired.</Message>"), a.body());

    // The policy wants an image; the form says text.
    Form picky = presignedPost(work, bucket, "typed.txt", Map.of(
        "TARN_POST_FIELDS", "{\"Content-Type\": \"text/plain\"}",
        "TARN_POST_CONDITIONS", "[{\"Content-Type\": \"image/png\"}]"));
    Posted b = curlPost(work, picky, Map.of(), file, "f.txt");
    assertEquals(403, b.status(), b.body());
    assertTrue(b.body().contains("Policy Condition failed: [&quot;eq&quot;, &quot;$content-type&quot;, &quot;image/png&quot;]"),
        b.body());

    // A field the policy does not cover.
    Form plain = presignedPost(work, bucket, "extra.txt", Map.of());
    Posted c = curlPost(work, plain, Map.of("x-amz-meta-added", "later"), file, "f.txt");
    assertEquals(403, c.status(), c.body());
    assertTrue(c.body().contains("Extra input fields: x-amz-meta-added"), c.body());

    // No policy at all: the anonymous caller, who may not write to a bucket nobody opened to all.
    Posted d = curlPost(work, new Form(plain.url(), Map.of("key", "anonymous.txt")), Map.of(), file, "f.txt");
    assertEquals(403, d.status(), d.body());
    assertTrue(d.body().contains("<Code>AccessDenied</Code>"), d.body());

    for (String key : List.of("expired.txt", "typed.txt", "extra.txt", "anonymous.txt")) {
      assertFalse(exists(bucket, key), key);
    }
  }

  /**
   * content-length-range: a file over it is refused as soon as it outgrows it, so a 10 GiB file (sparse,
   * no disk) is over in seconds and nothing is stored; one under it is refused at its end.
   */
  @Test
  void contentLengthRangeIsEnforcedEarly(@TempDir Path work) throws Exception {
    String bucket = TestData.bucketName("postsize");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    Form form = presignedPost(work, bucket, "sized.bin",
        Map.of("TARN_POST_CONDITIONS", "[[\"content-length-range\", 10, 1024]]"));

    Path huge = work.resolve("huge.bin");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(10L << 30);
    }
    long started = System.nanoTime();
    Posted big = curlPost(work, form, Map.of(), huge, "huge.bin");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "took " + took);
    // curl may see the 400 or, still sending when the server closes the connection, only the reset.
    assertTrue(big.status() == 400 || big.status() <= 0, big.toString());
    if (big.status() == 400) {
      assertTrue(big.body().contains("<Code>EntityTooLarge</Code>"), big.body());
    }
    assertFalse(exists(bucket, "sized.bin"));

    Posted small = curlPost(work, form, Map.of(), Files.writeString(work.resolve("small.bin"), "tiny"), "small.bin");
    assertEquals(400, small.status(), small.body());
    assertTrue(small.body().contains("<Code>EntityTooSmall</Code>"), small.body());
    assertFalse(exists(bucket, "sized.bin"));

    Posted fits = curlPost(work, form, Map.of(), Files.writeString(work.resolve("fits.bin"), "just right"), "fits.bin");
    assertEquals(204, fits.status(), fits.body());
    assertTrue(exists(bucket, "sized.bin"));
  }

  /**
   * A file larger than the server's whole heap (512 MiB, TarnServer) is stored: the form's file cannot
   * have been held in memory. Its bytes are zeros from a sparse file; the ETag, the MD5 of what was
   * stored, proves them intact without reading them back into this JVM.
   */
  @Test
  void aFileLargerThanTheServersHeapStreamsToDisk(@TempDir Path work) throws Exception {
    String bucket = TestData.bucketName("postheap");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    Form form = presignedPost(work, bucket, "larger-than-heap.bin", Map.of());
    long size = 640L << 20;
    Path file = work.resolve("zeros.bin");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
    Posted posted = curlPost(work, form, Map.of(), file, "zeros.bin");
    assertEquals(204, posted.status(), posted.body());
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    byte[] zeros = new byte[1 << 20];
    for (long done = 0; done < size; done += zeros.length) {
      md5.update(zeros);
    }
    HeadObjectResponse head = TARN.s3().headObject(r -> r.bucket(bucket).key("larger-than-heap.bin"));
    assertEquals(size, head.contentLength());
    assertEquals("\"" + HexFormat.of().formatHex(md5.digest()) + "\"", head.eTag());
    TARN.s3().deleteObject(r -> r.bucket(bucket).key("larger-than-heap.bin"));
  }

  /**
   * A 64 MiB file posted by curl is stored byte for byte by a server whose heap is 512 MiB
   * (TarnServer): the form's file streams to disk like a PUT's body.
   */
  @Test
  void a64MiBFileIsStoredIntact(@TempDir Path work) throws Exception {
    String bucket = TestData.bucketName("postbig");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    Form form = presignedPost(work, bucket, "big.bin", Map.of("TARN_SIGNATURE", "s3v4"));
    byte[] content = TestData.bytes(64 << 20, 64);
    Path file = Files.write(work.resolve("big.bin"), content);
    Posted posted = curlPost(work, form, Map.of(), file, "big.bin");
    assertEquals(204, posted.status(), posted.body());
    byte[] back = TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key("big.bin")).asByteArray();
    assertEquals(TestData.sha256Hex(content), TestData.sha256Hex(back));
  }
}
