package io.tarn.it;

import static io.tarn.it.support.TestData.MIB;
import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.CompletedFileUpload;

/**
 * The AWS SDK for Java v2 at its newest, default checksum settings (CRC32 on every upload, response
 * checksums checked on every GET), through the transfer manager on the SDK's own multipart client:
 * uploads split into 8 MiB parts, downloads read part by part with {@code partNumber} GETs, each
 * checked against the part's checksum header.
 */
class TransferManagerTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String BUCKET = bucketName("transfer");
  private static S3TransferManager tm;

  @BeforeAll
  static void start() {
    TARN.s3().createBucket(r -> r.bucket(BUCKET));
    tm = S3TransferManager.builder().s3Client(TARN.s3MultipartAsync()).build();
  }

  @AfterAll
  static void stop() {
    if (tm != null) {
      tm.close();
    }
  }

  @Test
  void multipartUploadAndPartByPartDownload(@TempDir Path dir) throws IOException {
    Path source = TestData.writeFile(dir.resolve("source.bin"), 24L * MIB + 5, 301);
    CompletedFileUpload up = tm.uploadFile(u -> u.source(source).putObjectRequest(p -> p.bucket(BUCKET).key("big.bin")))
        .completionFuture().join();
    assertTrue(up.response().eTag().endsWith("-4\""), up.response().eTag());

    Path target = dir.resolve("target.bin");
    tm.downloadFile(d -> d.destination(target).getObjectRequest(g -> g.bucket(BUCKET).key("big.bin")))
        .completionFuture().join();
    assertEquals(TestData.sha256Hex(source), TestData.sha256Hex(target));

    // What the download relied on: each part GET carries that part's checksum, not the object's.
    S3Client s3 = TARN.s3();
    byte[] all = Files.readAllBytes(source);
    ResponseBytes<GetObjectResponse> part2 = s3.getObjectAsBytes(g -> g.bucket(BUCKET).key("big.bin").partNumber(2)
        .checksumMode(ChecksumMode.ENABLED));
    byte[] expected = Arrays.copyOfRange(all, 8 * MIB, 16 * MIB);
    assertArrayEquals(expected, part2.asByteArray());
    assertEquals(4, part2.response().partsCount());
    String partChecksum = firstChecksum(part2.response());
    assertTrue(partChecksum != null && !partChecksum.contains("-"), "part checksum " + partChecksum);
    HeadObjectResponse head = s3.headObject(h -> h.bucket(BUCKET).key("big.bin").checksumMode(ChecksumMode.ENABLED));
    assertEquals(24L * MIB + 5, head.contentLength());
  }

  @Test
  void aSinglePutObjectDownloadsThroughTheTransferManager(@TempDir Path dir) {
    byte[] body = TestData.bytes(12 * MIB + 7, 302);
    TARN.s3().putObject(p -> p.bucket(BUCKET).key("single.bin"), RequestBody.fromBytes(body));
    Path target = dir.resolve("single.bin");
    tm.downloadFile(d -> d.destination(target).getObjectRequest(g -> g.bucket(BUCKET).key("single.bin")))
        .completionFuture().join();
    assertEquals(TestData.sha256Hex(body), TestData.sha256Hex(target));
  }

  @Test
  void rangedGetsCarryNoWholeObjectChecksum() {
    byte[] body = TestData.bytes(3 * MIB, 303);
    TARN.s3().putObject(p -> p.bucket(BUCKET).key("ranged.bin"), RequestBody.fromBytes(body));
    ResponseBytes<GetObjectResponse> r = TARN.s3().getObjectAsBytes(g -> g.bucket(BUCKET).key("ranged.bin")
        .range("bytes=1000-1999").checksumMode(ChecksumMode.ENABLED));
    assertArrayEquals(Arrays.copyOfRange(body, 1000, 2000), r.asByteArray());
    assertNull(firstChecksum(r.response()), "a range has no stored checksum");
    ResponseBytes<GetObjectResponse> whole = TARN.s3().getObjectAsBytes(g -> g.bucket(BUCKET).key("ranged.bin")
        .checksumMode(ChecksumMode.ENABLED));
    assertEquals(TestData.crc32(body), whole.response().checksumCRC32());
  }

  @Test
  void copyThroughTheTransferManager(@TempDir Path dir) {
    Path source = TestData.writeFile(dir.resolve("copy-source.bin"), 17L * MIB, 304);
    tm.uploadFile(u -> u.source(source).putObjectRequest(p -> p.bucket(BUCKET).key("copy-source.bin")))
        .completionFuture().join();
    tm.copy(c -> c.copyObjectRequest(r -> r.sourceBucket(BUCKET).sourceKey("copy-source.bin")
        .destinationBucket(BUCKET).destinationKey("copy-target.bin"))).completionFuture().join();
    Path target = dir.resolve("copy-target.bin");
    tm.downloadFile(d -> d.destination(target).getObjectRequest(g -> g.bucket(BUCKET).key("copy-target.bin")))
        .completionFuture().join();
    assertEquals(TestData.sha256Hex(source), TestData.sha256Hex(target));
  }

  private static String firstChecksum(GetObjectResponse r) {
    for (String c : new String[] {r.checksumCRC32(), r.checksumCRC32C(), r.checksumCRC64NVME(), r.checksumSHA1(),
        r.checksumSHA256()}) {
      if (c != null) {
        return c;
      }
    }
    return null;
  }
}
