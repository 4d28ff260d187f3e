package io.tarn.it;

import static io.tarn.it.support.TestData.MIB;
import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The async client on Netty, default checksum settings (CRC32 trailers on aws-chunked bodies). */
class AsyncClientTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String BUCKET = bucketName("async");

  @BeforeAll
  static void createBucket() {
    TARN.s3Async().createBucket(r -> r.bucket(BUCKET)).join();
  }

  @Test
  void putAndGetBytesWithTheDefaultChecksum() {
    S3AsyncClient s3 = TARN.s3Async();
    byte[] body = TestData.bytes(MIB + 3, 201);
    String etag = s3.putObject(r -> r.bucket(BUCKET).key("bytes"), AsyncRequestBody.fromBytes(body)).join().eTag();
    assertEquals(TestData.etag(body), etag);
    var got = s3.getObject(r -> r.bucket(BUCKET).key("bytes").checksumMode(ChecksumMode.ENABLED),
        AsyncResponseTransformer.toBytes()).join();
    assertArrayEquals(body, got.asByteArray());
    assertEquals(TestData.crc32(body), got.response().checksumCRC32());
  }

  @Test
  void fileUploadAndDownloadWithSha256(@TempDir Path dir) {
    S3AsyncClient s3 = TARN.s3Async();
    Path source = TestData.writeFile(dir.resolve("source.bin"), 8L * MIB + 123, 202);
    s3.putObject(r -> r.bucket(BUCKET).key("file").checksumAlgorithm(ChecksumAlgorithm.SHA256),
        AsyncRequestBody.fromFile(source)).join();
    Path target = dir.resolve("target.bin");
    s3.getObject(r -> r.bucket(BUCKET).key("file"), AsyncResponseTransformer.toFile(target)).join();
    assertEquals(TestData.sha256Hex(source), TestData.sha256Hex(target));
  }

  @Test
  void concurrentPutsAllLand() {
    S3AsyncClient s3 = TARN.s3Async();
    List<byte[]> bodies = IntStream.range(0, 24).mapToObj(i -> TestData.bytes(1000 * i + 1, 300 + i)).toList();
    CompletableFuture.allOf(IntStream.range(0, bodies.size()).mapToObj(i -> s3.putObject(
        r -> r.bucket(BUCKET).key(String.format("many/%02d", i)), AsyncRequestBody.fromBytes(bodies.get(i))))
        .toArray(CompletableFuture[]::new)).join();

    List<S3Object> listed = s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("many/")).join().contents();
    assertEquals(bodies.size(), listed.size());
    for (int i = 0; i < bodies.size(); i++) {
      assertEquals(String.format("many/%02d", i), listed.get(i).key());
      assertEquals(bodies.get(i).length, listed.get(i).size());
      assertEquals(TestData.etag(bodies.get(i)), listed.get(i).eTag());
    }
  }

  @Test
  void multipartWithPartsUploadedInParallel() {
    S3AsyncClient s3 = TARN.s3Async();
    List<byte[]> parts = List.of(TestData.bytes(5 * MIB, 211), TestData.bytes(5 * MIB, 212), TestData.bytes(999, 213));
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key("mpu")).join().uploadId();
    List<CompletableFuture<CompletedPart>> uploads = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      int n = i + 1;
      uploads.add(s3.uploadPart(r -> r.bucket(BUCKET).key("mpu").uploadId(uploadId).partNumber(n),
          AsyncRequestBody.fromBytes(parts.get(n - 1)))
          .thenApply(p -> CompletedPart.builder().partNumber(n).eTag(p.eTag()).build()));
    }
    List<CompletedPart> completed = uploads.stream().map(CompletableFuture::join).toList();
    String etag = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key("mpu").uploadId(uploadId)
        .multipartUpload(m -> m.parts(completed))).join().eTag();
    assertEquals(TestData.multipartEtag(parts), etag);
    byte[] got = s3.getObject(r -> r.bucket(BUCKET).key("mpu"), AsyncResponseTransformer.toBytes()).join().asByteArray();
    assertEquals(TestData.sha256Hex(MultipartTest.concat(parts)), TestData.sha256Hex(got));
  }

  @Test
  void errorsSurfaceAsTypedExceptions() {
    CompletionException e = assertThrows(CompletionException.class, () -> TARN.s3Async()
        .getObject(r -> r.bucket(BUCKET).key("missing"), AsyncResponseTransformer.toBytes()).join());
    NoSuchKeyException cause = assertInstanceOf(NoSuchKeyException.class, e.getCause());
    assertEquals(404, cause.statusCode());
  }
}
