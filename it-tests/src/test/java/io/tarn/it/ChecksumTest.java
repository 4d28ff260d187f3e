package io.tarn.it;

import static io.tarn.it.support.TestData.MIB;
import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Additional checksums (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).
 * The SDK computes CRC32, CRC32C, SHA-1 and SHA-256 itself and sends them as aws-chunked trailers;
 * CRC64NVME needs the AWS CRT there, so the tests compute it and send it as a header.
 */
class ChecksumTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String BUCKET = bucketName("checksums");
  /** Spans several aws-chunked chunks (the SDK sends 128 KiB chunks) and ends in a partial one. */
  private static final byte[] BODY = TestData.bytes(300_007, 99);

  @BeforeAll
  static void createBucket() {
    TARN.s3().createBucket(r -> r.bucket(BUCKET));
  }

  /** The checksums the SDK can compute without the CRT, with the matching response accessors. */
  enum Algorithm {
    CRC32(ChecksumAlgorithm.CRC32, TestData::crc32, PutObjectResponse::checksumCRC32, HeadObjectResponse::checksumCRC32,
        GetObjectResponse::checksumCRC32),
    CRC32C(ChecksumAlgorithm.CRC32_C, TestData::crc32c, PutObjectResponse::checksumCRC32C,
        HeadObjectResponse::checksumCRC32C, GetObjectResponse::checksumCRC32C),
    SHA1(ChecksumAlgorithm.SHA1, TestData::sha1, PutObjectResponse::checksumSHA1, HeadObjectResponse::checksumSHA1,
        GetObjectResponse::checksumSHA1),
    SHA256(ChecksumAlgorithm.SHA256, TestData::sha256, PutObjectResponse::checksumSHA256,
        HeadObjectResponse::checksumSHA256, GetObjectResponse::checksumSHA256);

    final ChecksumAlgorithm sdk;
    final Function<byte[], String> expected;
    final Function<PutObjectResponse, String> fromPut;
    final Function<HeadObjectResponse, String> fromHead;
    final Function<GetObjectResponse, String> fromGet;

    Algorithm(ChecksumAlgorithm sdk, Function<byte[], String> expected, Function<PutObjectResponse, String> fromPut,
        Function<HeadObjectResponse, String> fromHead, Function<GetObjectResponse, String> fromGet) {
      this.sdk = sdk;
      this.expected = expected;
      this.fromPut = fromPut;
      this.fromHead = fromHead;
      this.fromGet = fromGet;
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void trailingChecksumIsVerifiedStoredAndReturned(Algorithm algorithm) {
    S3Client s3 = TARN.s3();
    String key = "trailer/" + algorithm;
    String expected = algorithm.expected.apply(BODY);
    PutObjectResponse put = s3.putObject(r -> r.bucket(BUCKET).key(key).checksumAlgorithm(algorithm.sdk),
        RequestBody.fromBytes(BODY));
    assertEquals(expected, algorithm.fromPut.apply(put));

    HeadObjectResponse head = s3.headObject(r -> r.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
    assertEquals(expected, algorithm.fromHead.apply(head));

    // With checksum mode enabled the SDK also validates the body against the returned checksum.
    ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)
        .checksumMode(ChecksumMode.ENABLED));
    assertArrayEquals(BODY, got.asByteArray());
    assertEquals(expected, algorithm.fromGet.apply(got.response()));
  }

  /** Without any checksum setting, recent SDKs send a CRC32 trailer on their own; it is kept. */
  @Test
  void defaultSdkSettingsStoreACrc32() {
    S3Client s3 = TARN.s3();
    s3.putObject(r -> r.bucket(BUCKET).key("default"), RequestBody.fromBytes(BODY));
    HeadObjectResponse head = s3.headObject(r -> r.bucket(BUCKET).key("default").checksumMode(ChecksumMode.ENABLED));
    assertEquals(TestData.crc32(BODY), head.checksumCRC32());
  }

  @Test
  void precomputedChecksumHeadersAreVerified() {
    S3Client s3 = TARN.s3();
    PutObjectResponse ok = s3.putObject(r -> r.bucket(BUCKET).key("precomputed").checksumSHA256(TestData.sha256(BODY)),
        RequestBody.fromBytes(BODY));
    assertEquals(TestData.sha256(BODY), ok.checksumSHA256());

    S3Exception bad = assertThrows(S3Exception.class, () -> s3.putObject(r -> r.bucket(BUCKET).key("bad-checksum")
        .checksumCRC32(TestData.crc32("other bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
        RequestBody.fromBytes(BODY)));
    assertEquals(400, bad.statusCode());
    assertEquals("BadDigest", bad.awsErrorDetails().errorCode());
    assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(BUCKET).key("bad-checksum")));
  }

  @Test
  void crc64nvmeSentAsAHeader() {
    S3Client s3 = TARN.s3();
    byte[] body = TestData.bytes(70_001, 64);
    String crc = TestData.crc64nvme(body);
    PutObjectResponse put = s3.putObject(r -> r.bucket(BUCKET).key("nvme").checksumCRC64NVME(crc),
        RequestBody.fromBytes(body));
    assertEquals(crc, put.checksumCRC64NVME());
    // HEAD only: validating a GET body against CRC64NVME would need the CRT in the SDK.
    HeadObjectResponse head = s3.headObject(r -> r.bucket(BUCKET).key("nvme").checksumMode(ChecksumMode.ENABLED));
    assertEquals(crc, head.checksumCRC64NVME());
    assertArrayEquals(body, s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("nvme")).asByteArray());

    S3Exception bad = assertThrows(S3Exception.class, () -> s3.putObject(r -> r.bucket(BUCKET).key("nvme-bad")
        .checksumCRC64NVME(TestData.crc64nvme(new byte[] {1, 2, 3})), RequestBody.fromBytes(body)));
    assertEquals("BadDigest", bad.awsErrorDetails().errorCode());
  }

  /**
   * A multipart upload with CRC32 gets a composite checksum: the CRC32 of the concatenated part
   * CRC32s, suffixed with the part count
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html#large-object-checksums).
   */
  @Test
  void multipartCompositeChecksum() {
    S3Client s3 = TARN.s3();
    String key = "mpu-crc32";
    List<byte[]> parts = List.of(TestData.bytes(5 * MIB, 101), TestData.bytes(MIB, 102));
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32))
        .uploadId();
    List<CompletedPart> completed = new ArrayList<>();
    ByteArrayOutputStream partCrcs = new ByteArrayOutputStream();
    for (int i = 0; i < parts.size(); i++) {
      int n = i + 1;
      byte[] body = parts.get(i);
      UploadPartResponse up = s3.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(n)
          .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(body));
      assertEquals(TestData.crc32(body), up.checksumCRC32(), "part " + n);
      partCrcs.writeBytes(Base64.getDecoder().decode(up.checksumCRC32()));
      completed.add(CompletedPart.builder().partNumber(n).eTag(up.eTag()).checksumCRC32(up.checksumCRC32()).build());
    }
    String composite = TestData.crc32(partCrcs.toByteArray()) + "-" + parts.size();

    CompleteMultipartUploadResponse done = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key).uploadId(uploadId)
        .multipartUpload(m -> m.parts(completed)));
    assertEquals(composite, done.checksumCRC32());
    HeadObjectResponse head = s3.headObject(r -> r.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
    assertEquals(composite, head.checksumCRC32());
  }

  /**
   * A multipart upload with a full-object checksum (CRC32 on request; CRC64NVME has no other type, but
   * this SDK computes it only with the CRT library): the object's checksum is the CRC of all its bytes,
   * combined from the parts', which the SDK checks while it downloads.
   */
  @Test
  void multipartFullObjectChecksum() {
    S3Client s3 = TARN.s3();
    String key = "mpu-crc32-full";
    List<byte[]> parts = List.of(TestData.bytes(5 * MIB, 103), TestData.bytes(MIB + 17, 104));
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    parts.forEach(whole::writeBytes);
    String expected = TestData.crc32(whole.toByteArray());
    var created = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)
        .checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumType(ChecksumType.FULL_OBJECT));
    assertEquals(ChecksumType.FULL_OBJECT, created.checksumType());
    List<CompletedPart> completed = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      int n = i + 1;
      byte[] body = parts.get(i);
      UploadPartResponse up = s3.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(created.uploadId()).partNumber(n)
          .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(body));
      assertEquals(TestData.crc32(body), up.checksumCRC32(), "part " + n);
      completed.add(CompletedPart.builder().partNumber(n).eTag(up.eTag()).checksumCRC32(up.checksumCRC32()).build());
    }
    CompleteMultipartUploadResponse done = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key)
        .uploadId(created.uploadId()).multipartUpload(m -> m.parts(completed))
        .checksumCRC32(expected).checksumType(ChecksumType.FULL_OBJECT));
    assertEquals(expected, done.checksumCRC32());
    assertEquals(ChecksumType.FULL_OBJECT, done.checksumType());
    var got = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
    assertEquals(expected, got.response().checksumCRC32());
    assertEquals(ChecksumType.FULL_OBJECT, got.response().checksumType());
    assertArrayEquals(whole.toByteArray(), got.asByteArray());
  }

  @Test
  void copyCanComputeANewChecksum() {
    S3Client s3 = TARN.s3();
    s3.putObject(r -> r.bucket(BUCKET).key("copy-src"), RequestBody.fromBytes(BODY));
    s3.copyObject(r -> r.sourceBucket(BUCKET).sourceKey("copy-src").destinationBucket(BUCKET).destinationKey("copy-dst")
        .checksumAlgorithm(ChecksumAlgorithm.SHA256));
    HeadObjectResponse head = s3.headObject(r -> r.bucket(BUCKET).key("copy-dst").checksumMode(ChecksumMode.ENABLED));
    assertEquals(TestData.sha256(BODY), head.checksumSHA256());
  }
}
