package io.tarn.it;

import static io.tarn.it.support.TestData.MIB;
import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.AdminClient;
import io.tarn.it.support.AdminClient.User;
import io.tarn.it.support.Cli;
import io.tarn.it.support.ResponseHeaderAudit;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServer;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * The last resort of issue 11: the index ({@code meta/}) is lost, {@code tarn admin rebuild-index}
 * rebuilds it from the blob files' descriptions, and every object comes back with its bytes, ETag and
 * metadata, users, keys and grants from the identity mirror; {@code tarn admin fsck} finds the index and the blobs consistent, and finds an orphan and
 * a missing blob when there are some.
 */
class RebuildIndexTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @Test
  void aLostIndexIsRebuiltFromTheBlobsAndFsckChecksBothWays() throws IOException {
    String bucket = bucketName("rebuild");
    S3Client s3 = TARN.s3();
    s3.createBucket(r -> r.bucket(bucket));
    Map<String, String> meta = Map.of("colour", "blue", "owner-note", "kept");
    put(s3, bucket, "empty", new byte[0], "application/x-empty", Map.of());
    put(s3, bucket, "one-byte", new byte[] {42}, "text/plain", meta);
    put(s3, bucket, "small", TestData.bytes(4096, 1), "image/png", meta);
    put(s3, bucket, "dir/large", TestData.bytes(200 * 1024 + 1, 2), "application/octet-stream", meta);
    put(s3, bucket, "over", TestData.bytes(10, 3), "text/plain", Map.of());
    put(s3, bucket, "over", TestData.bytes(11, 4), "text/csv", Map.of("v", "2"));
    put(s3, bucket, "deleted", TestData.bytes(10, 5), null, Map.of());
    s3.deleteObject(r -> r.bucket(bucket).key("deleted"));
    List<byte[]> parts = List.of(TestData.bytes(5 * MIB, 6), TestData.bytes(MIB + 3, 7));
    String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("multipart").contentType("video/mp4")
        .metadata(meta)).uploadId();
    List<CompletedPart> completed = MultipartTest.uploadAllTo(s3, bucket, "multipart", uploadId, parts);
    s3.completeMultipartUpload(r -> r.bucket(bucket).key("multipart").uploadId(uploadId)
        .multipartUpload(m -> m.parts(completed)));
    s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("dir/large").destinationBucket(bucket).destinationKey("copy"));
    s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("multipart").destinationBucket(bucket)
        .destinationKey("multipart-copy").metadataDirective(MetadataDirective.REPLACE).contentType("text/x-copy")
        .metadata(Map.of("copied", "yes")));
    Map<String, String> before = everything(s3, bucket);
    assertEquals(8, before.size(), before.toString());
    long bytes = s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().mapToLong(o -> o.size()).sum();
    // A user with a key and a read grant: in no blob, they come back from <data>/identity.mirror.
    AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    User carol = admin.createUser("carol-" + bucket, "user");
    admin.expect(200, "PUT", "/buckets/" + bucket + "/grants/" + carol.name(), Map.of("permission", "read"));

    // Offline tools refuse a data directory whose server runs (RocksDB's lock tells).
    Path data = TARN.dataDir();
    Cli.Result refused = tarn("admin", "rebuild-index", "--data", data.toString());
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(refused.stderr().contains("stop the server"), refused.stderr());
    assertFalse(hasSibling(data, "meta.broken-"), "nothing moved while the server runs");

    TARN.stop();
    Cli.Result clean = tarn("admin", "fsck", "--data", data.toString());
    assertEquals(0, clean.exitCode(), clean.toString());
    assertTrue(clean.stdout().contains("clean"), clean.stdout());

    // The index is lost (moved where the server does not look, inside the data directory the extension deletes).
    Path lost = data.resolve("lost-meta");
    Files.move(data.resolve("meta"), lost);
    Cli.Result rebuilt = tarn("admin", "rebuild-index", "--data", data.toString());
    assertEquals(0, rebuilt.exitCode(), rebuilt.toString());
    assertTrue(rebuilt.stdout().contains("1 buckets, 8 objects"), rebuilt.stdout());
    // Root and carol, each with a key, and carol's grant.
    assertTrue(rebuilt.stdout().contains("2 users, 2 access keys, 0 API tokens, 1 grants"), rebuilt.stdout());
    assertTrue(rebuilt.stdout().contains("webhook rules"), "says what is lost: " + rebuilt.stdout());
    Cli.Result checked = tarn("admin", "fsck", "--data", data.toString());
    assertEquals(0, checked.exitCode(), checked.toString());
    TARN.start();

    S3Client after = TARN.s3(); // the root user comes back from TARN_ROOT_*
    assertEquals(before, everything(after, bucket));
    // The bucket's counts (console, admin info) are the rebuilt index's, not zero.
    AdminClient.Response counts = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey())
        .call("GET", "/buckets/" + bucket, null);
    assertEquals(8, counts.json().path("objects").asLong(), counts.text());
    assertEquals(bytes, counts.json().path("bytes").asLong(), counts.text());
    try (S3Client asCarol = S3Clients.pathStyle(TARN.port(), S3Clients.credentials(carol.accessKey(),
        carol.secretKey()), new ResponseHeaderAudit())) {
      assertEquals(before, everything(asCarol, bucket), "carol's key and grant came back");
    }

    // fsck both ways: a blob file the index does not know, and a blob the index needs that is gone.
    TARN.stop();
    List<Path> blobs = blobFiles(data);
    Path victim = blobs.stream().filter(p -> size(p) > 4096 && size(p) < 8192).findFirst().orElseThrow();
    Path orphan = victim.resolveSibling(victim.getFileName().toString().substring(0, 2) + "f".repeat(30));
    Files.copy(victim, orphan);
    Files.delete(victim);
    Cli.Result found = tarn("admin", "fsck", "--data", data.toString());
    assertEquals(8, found.exitCode(), found.toString());
    assertTrue(found.stdout().contains("ORPHAN " + orphan.getFileName()), found.stdout());
    assertTrue(found.stdout().contains("MISSING_BLOB " + victim.getFileName() + " " + bucket + "/small"),
        found.stdout());
    assertTrue(Files.exists(orphan), "fsck deletes nothing");
    // --repair repairs only the buckets' counters (right here): the other findings stay, files untouched.
    Cli.Result repaired = tarn("admin", "fsck", "--data", data.toString(), "--repair");
    assertEquals(8, repaired.exitCode(), repaired.toString());
    assertTrue(repaired.stdout().contains("2 findings (0 USAGE_MISMATCH repaired, nothing else was changed)"),
        repaired.stdout());
    assertTrue(Files.exists(orphan), "fsck --repair deletes nothing");
    Files.move(orphan, victim); // put it back, so the server starts as it was for the extension's end
    TARN.start();
  }

  private static void put(S3Client s3, String bucket, String key, byte[] body, String contentType,
      Map<String, String> metadata) {
    s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType).metadata(metadata)
        .cacheControl("max-age=60"), RequestBody.fromBytes(body));
  }

  /** Per key: size, ETag, content type, cache control, user metadata and the SHA-256 of the bytes. */
  private static Map<String, String> everything(S3Client s3, String bucket) {
    Map<String, String> out = new TreeMap<>();
    s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().forEach(o -> {
      ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(bucket).key(o.key()));
      GetObjectResponse h = got.response();
      out.put(o.key(), h.contentLength() + " " + h.eTag() + " " + h.contentType() + " " + h.cacheControl() + " "
          + new TreeMap<>(h.metadata()) + " " + TestData.sha256Hex(got.asByteArray()));
    });
    return out;
  }

  private static Cli.Result tarn(String... args) {
    return Cli.run(TarnServer.tarnCommand(args), Map.of(), TarnServerExtension.targetDir(), TIMEOUT);
  }

  private static boolean hasSibling(Path data, String prefix) throws IOException {
    try (Stream<Path> s = Files.list(data)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
    }
  }

  private static List<Path> blobFiles(Path data) throws IOException {
    try (Stream<Path> s = Files.walk(data.resolve("blobs"))) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
