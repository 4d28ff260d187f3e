package io.tarn.it;

import static io.tarn.it.support.TestData.MIB;
import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.AdminClient;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the server acknowledged survives a SIGKILL: the write path fsyncs blobs and commits metadata
 * with a synced WAL before answering (DESIGN.md, "The write path").
 */
class DurabilityTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();

  @Test
  void acknowledgedWritesAndDeletesSurviveSigkill() throws Exception {
    String bucket = bucketName("durable");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    Map<String, String> expected = new ConcurrentHashMap<>(); // key -> SHA-256 of its last acknowledged body

    // Small and large objects from several threads at once, so acknowledgements share WAL syncs.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        writes.add(pool.submit(() -> {
          Random sizes = new Random(thread);
          for (int i = 0; i < 20; i++) {
            String key = "small/" + thread + "/" + i;
            byte[] body = TestData.bytes(i == 0 ? 0 : sizes.nextInt(64 * 1024), thread * 1000L + i);
            put(bucket, key, body, expected);
          }
          put(bucket, "large/" + thread, TestData.bytes(6 * MIB + thread, 77L + thread), expected);
          return null;
        }));
      }
      for (Future<?> f : writes) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }

    // Overwrites and deletes must survive as well.
    put(bucket, "small/0/1", TestData.bytes(5000, 4242), expected);
    for (String gone : List.of("small/1/1", "small/2/2", "large/3")) {
      TARN.s3().deleteObject(r -> r.bucket(bucket).key(gone));
      expected.remove(gone);
    }
    // A multipart object.
    List<byte[]> parts = List.of(TestData.bytes(5 * MIB, 501), TestData.bytes(MIB, 502));
    String uploadId = TARN.s3().createMultipartUpload(r -> r.bucket(bucket).key("multipart")).uploadId();
    List<CompletedPart> completed = MultipartTest.uploadAllTo(TARN.s3(), bucket, "multipart", uploadId, parts);
    TARN.s3().completeMultipartUpload(r -> r.bucket(bucket).key("multipart").uploadId(uploadId)
        .multipartUpload(m -> m.parts(completed)));
    expected.put("multipart", TestData.sha256Hex(MultipartTest.concat(parts)));

    TARN.killAndRestart();

    assertBucketHolds(bucket, expected);
    assertCountsMatchTheListing(bucket);
    assertThrows(NoSuchKeyException.class, () -> TARN.s3().headObject(r -> r.bucket(bucket).key("large/3")),
        "a deleted key came back");
  }

  @Test
  void sigtermStopsCleanlyAndKeepsDataAndUnfinishedUploads() {
    String bucket = bucketName("graceful");
    S3Client s3 = TARN.s3();
    s3.createBucket(r -> r.bucket(bucket));
    Map<String, String> expected = new ConcurrentHashMap<>();
    put(bucket, "kept", TestData.bytes(123_456, 9), expected);
    byte[] part = TestData.bytes(5 * MIB, 10);
    String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("unfinished")).uploadId();
    MultipartTest.uploadAllTo(s3, bucket, "unfinished", uploadId, List.of(part));

    int exit = TARN.restart();
    // A JVM ends with 143 (128 + SIGTERM) when shutdown hooks run to completion, or 0 if the server exits itself.
    assertTrue(exit == 0 || exit == 143, "exit code after SIGTERM: " + exit + "\n" + TARN.server().outputTail());

    assertBucketHolds(bucket, expected);
    S3Client after = TARN.s3();
    List<Part> parts = after.listParts(r -> r.bucket(bucket).key("unfinished").uploadId(uploadId)).parts();
    assertEquals(1, parts.size());
    assertEquals(TestData.etag(part), parts.get(0).eTag());
    byte[] last = TestData.bytes(10, 11);
    List<CompletedPart> all = new ArrayList<>();
    all.add(CompletedPart.builder().partNumber(1).eTag(parts.get(0).eTag()).build());
    String lastEtag = after.uploadPart(r -> r.bucket(bucket).key("unfinished").uploadId(uploadId).partNumber(2),
        RequestBody.fromBytes(last)).eTag();
    all.add(CompletedPart.builder().partNumber(2).eTag(lastEtag).build());
    after.completeMultipartUpload(r -> r.bucket(bucket).key("unfinished").uploadId(uploadId)
        .multipartUpload(m -> m.parts(all)));
    assertEquals(TestData.sha256Hex(MultipartTest.concat(List.of(part, last))),
        TestData.sha256Hex(after.getObjectAsBytes(r -> r.bucket(bucket).key("unfinished")).asByteArray()));
  }

  private static void put(String bucket, String key, byte[] body, Map<String, String> expected) {
    String etag = TARN.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body)).eTag();
    assertEquals(TestData.etag(body), etag, key);
    expected.put(key, TestData.sha256Hex(body));
  }

  /**
   * The admin API's object and byte counts of the bucket (per-bucket counters committed with every
   * write, what the console and {@code admin info} show) are what the listing holds, also after a kill.
   */
  private static void assertCountsMatchTheListing(String bucket) {
    List<S3Object> listed = TARN.s3().listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().toList();
    AdminClient.Response r = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey())
        .call("GET", "/buckets/" + bucket, null);
    assertEquals(200, r.status(), r.text());
    assertEquals(listed.size(), r.json().path("objects").asLong(), r.text());
    assertEquals(listed.stream().mapToLong(S3Object::size).sum(), r.json().path("bytes").asLong(), r.text());
  }

  /** The bucket lists exactly the expected keys and every body reads back byte-identical. */
  private static void assertBucketHolds(String bucket, Map<String, String> expected) {
    S3Client s3 = TARN.s3();
    List<String> listed = s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    assertEquals(new ArrayList<>(new TreeMap<>(expected).keySet()), listed);
    for (Map.Entry<String, String> e : new TreeMap<>(expected).entrySet()) {
      byte[] got = s3.getObjectAsBytes(r -> r.bucket(bucket).key(e.getKey())).asByteArray();
      assertEquals(e.getValue(), TestData.sha256Hex(got), "body of " + e.getKey());
    }
  }
}
