package io.tarn.it;

import static io.tarn.it.support.TestData.MIB;
import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * Multipart uploads (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html), with the
 * SDK's default checksum behaviour (it adds CRC32 to parts even when the upload declared none).
 */
class MultipartTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final String BUCKET = bucketName("mpu");
  private static final int PART = 5 * MIB;
  private static final String ETAG_OF_MULTIPART = "\"[0-9a-f]{32}-\\d+\"";

  @BeforeAll
  static void createBucket() {
    TARN.s3().createBucket(r -> r.bucket(BUCKET));
  }

  @Test
  void uploadListAndCompleteThreeParts() {
    S3Client s3 = TARN.s3();
    String key = "big/three-parts.bin";
    List<byte[]> parts = List.of(TestData.bytes(PART, 11), TestData.bytes(PART, 12), TestData.bytes(MIB + 17, 13));
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key).contentType("application/x-parts")
        .metadata(Map.of("purpose", "test"))).uploadId();
    assertNotNull(uploadId);

    List<CompletedPart> completed = uploadAll(s3, key, uploadId, parts);

    ListPartsResponse listed = s3.listParts(r -> r.bucket(BUCKET).key(key).uploadId(uploadId));
    assertEquals(List.of(1, 2, 3), listed.parts().stream().map(Part::partNumber).toList());
    for (int i = 0; i < parts.size(); i++) {
      Part p = listed.parts().get(i);
      assertEquals(parts.get(i).length, p.size(), "size of part " + (i + 1));
      assertEquals(TestData.etag(parts.get(i)), p.eTag(), "ETag of part " + (i + 1));
      assertNotNull(p.lastModified());
    }
    assertFalse(listed.isTruncated());

    ListMultipartUploadsResponse inProgress = s3.listMultipartUploads(r -> r.bucket(BUCKET).prefix("big/"));
    assertTrue(inProgress.uploads().stream().anyMatch(u -> u.uploadId().equals(uploadId) && u.key().equals(key)),
        inProgress.uploads().toString());

    CompleteMultipartUploadResponse done = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key)
        .uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
    assertEquals(TestData.multipartEtag(parts), done.eTag());
    assertTrue(done.eTag().matches(ETAG_OF_MULTIPART), done.eTag());
    assertTrue(done.eTag().endsWith("-3\""), done.eTag());
    assertEquals(key, done.key());
    assertEquals(BUCKET, done.bucket());

    HeadObjectResponse head = s3.headObject(r -> r.bucket(BUCKET).key(key));
    assertEquals(2L * PART + MIB + 17, head.contentLength());
    assertEquals(done.eTag(), head.eTag());
    assertEquals("application/x-parts", head.contentType());
    assertEquals(Map.of("purpose", "test"), head.metadata());
    ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key));
    assertEquals(TestData.sha256Hex(concat(parts)), TestData.sha256Hex(got.asByteArray()));

    // A range across the part boundary.
    byte[] across = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key).range("bytes=" + (PART - 3) + "-" + (PART + 2)))
        .asByteArray();
    assertEquals(TestData.sha256Hex(Arrays.copyOfRange(concat(parts), PART - 3, PART + 3)), TestData.sha256Hex(across));

    assertTrue(s3.listMultipartUploads(r -> r.bucket(BUCKET).prefix("big/")).uploads().stream()
        .noneMatch(u -> u.uploadId().equals(uploadId)), "completed upload still listed");
    assertThrows(NoSuchUploadException.class, () -> s3.listParts(r -> r.bucket(BUCKET).key(key).uploadId(uploadId)));
  }

  @Test
  void aWrongPartEtagIsInvalidPart() {
    S3Client s3 = TARN.s3();
    String key = "wrong-etag";
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
    uploadAll(s3, key, uploadId, List.of(TestData.bytes(1000, 21)));

    S3Exception wrongEtag = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(BUCKET)
        .key(key).uploadId(uploadId).multipartUpload(m -> m.parts(
            CompletedPart.builder().partNumber(1).eTag("\"0123456789abcdef0123456789abcdef\"").build()))));
    assertEquals(400, wrongEtag.statusCode());
    assertEquals("InvalidPart", wrongEtag.awsErrorDetails().errorCode());

    S3Exception missingPart = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(BUCKET)
        .key(key).uploadId(uploadId).multipartUpload(m -> m.parts(
            CompletedPart.builder().partNumber(2).eTag(TestData.etag(TestData.bytes(1000, 21))).build()))));
    assertEquals("InvalidPart", missingPart.awsErrorDetails().errorCode());
    assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(BUCKET).key(key)));
  }

  @Test
  void aSmallPartBeforeTheLastIsEntityTooSmall() {
    S3Client s3 = TARN.s3();
    String key = "too-small";
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
    List<CompletedPart> parts = uploadAll(s3, key, uploadId, List.of(TestData.bytes(1024, 31), TestData.bytes(1024, 32)));
    S3Exception e = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key)
        .uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
    assertEquals(400, e.statusCode());
    assertEquals("EntityTooSmall", e.awsErrorDetails().errorCode());
  }

  @Test
  void aSingleSmallPartIsFineAndOutOfOrderPartsAreInvalidPartOrder() {
    S3Client s3 = TARN.s3();
    byte[] only = TestData.bytes(1024, 41);
    String one = s3.createMultipartUpload(r -> r.bucket(BUCKET).key("single-small")).uploadId();
    List<CompletedPart> single = uploadAll(s3, "single-small", one, List.of(only));
    CompleteMultipartUploadResponse done = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key("single-small")
        .uploadId(one).multipartUpload(m -> m.parts(single)));
    assertEquals(TestData.multipartEtag(List.of(only)), done.eTag());
    assertEquals(1024L, s3.headObject(r -> r.bucket(BUCKET).key("single-small")).contentLength());

    String two = s3.createMultipartUpload(r -> r.bucket(BUCKET).key("out-of-order")).uploadId();
    List<CompletedPart> parts =
        uploadAll(s3, "out-of-order", two, List.of(TestData.bytes(PART, 42), TestData.bytes(PART, 43)));
    S3Exception e = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(BUCKET)
        .key("out-of-order").uploadId(two).multipartUpload(m -> m.parts(parts.get(1), parts.get(0)))));
    assertEquals(400, e.statusCode());
    assertEquals("InvalidPartOrder", e.awsErrorDetails().errorCode());
  }

  @Test
  void abortRemovesTheUploadAndItsParts() {
    S3Client s3 = TARN.s3();
    String key = "aborted";
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
    uploadAll(s3, key, uploadId, List.of(TestData.bytes(2048, 51)));
    assertEquals(204, s3.abortMultipartUpload(r -> r.bucket(BUCKET).key(key).uploadId(uploadId))
        .sdkHttpResponse().statusCode());

    NoSuchUploadException list = assertThrows(NoSuchUploadException.class,
        () -> s3.listParts(r -> r.bucket(BUCKET).key(key).uploadId(uploadId)));
    assertEquals(404, list.statusCode());
    assertEquals("NoSuchUpload", list.awsErrorDetails().errorCode());
    assertThrows(NoSuchUploadException.class, () -> s3.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId)
        .partNumber(2), RequestBody.fromString("late")));
    assertTrue(s3.listMultipartUploads(r -> r.bucket(BUCKET).prefix(key)).uploads().isEmpty());
    assertThrows(NoSuchUploadException.class, () -> s3.abortMultipartUpload(r -> r.bucket(BUCKET).key("other-key")
        .uploadId("no-such-upload-id")));
  }

  @Test
  void reuploadingAPartNumberReplacesIt() {
    S3Client s3 = TARN.s3();
    String key = "replaced-part";
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
    uploadAll(s3, key, uploadId, List.of(TestData.bytes(3000, 61)));
    byte[] second = TestData.bytes(4000, 62);
    List<CompletedPart> parts = uploadAll(s3, key, uploadId, List.of(second));
    ListPartsResponse listed = s3.listParts(r -> r.bucket(BUCKET).key(key).uploadId(uploadId));
    assertEquals(1, listed.parts().size());
    assertEquals(TestData.etag(second), listed.parts().get(0).eTag());
    assertEquals(4000L, listed.parts().get(0).size());
    s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    assertEquals(TestData.sha256Hex(second),
        TestData.sha256Hex(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray()));
  }

  /**
   * A CompleteMultipartUpload retried after a lost response gets the first one's result, as from AWS
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html); another part
   * list is InvalidPart; once the key holds something else the upload is just gone (NoSuchUpload).
   */
  @Test
  void aRetriedCompletionAnswersLikeTheFirst() {
    S3Client s3 = TARN.s3();
    String key = "retried-complete";
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
    List<byte[]> bodies = List.of(TestData.bytes(PART, 81), TestData.bytes(2000, 82));
    List<CompletedPart> parts = uploadAll(s3, key, uploadId, bodies);
    CompleteMultipartUploadResponse first = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key)
        .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    CompleteMultipartUploadResponse again = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key)
        .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    assertEquals(200, again.sdkHttpResponse().statusCode());
    assertEquals(TestData.multipartEtag(bodies), again.eTag());
    assertEquals(List.of(first.eTag(), first.bucket(), first.key(), first.location(), String.valueOf(first.checksumType())),
        List.of(again.eTag(), again.bucket(), again.key(), again.location(), String.valueOf(again.checksumType())));

    S3Exception otherList = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(BUCKET)
        .key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts.get(0)))));
    assertEquals(400, otherList.statusCode());
    assertEquals("InvalidPart", otherList.awsErrorDetails().errorCode());
    assertEquals(TestData.sha256Hex(concat(bodies)),
        TestData.sha256Hex(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray()));

    s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString("overwritten"));
    NoSuchUploadException gone = assertThrows(NoSuchUploadException.class, () -> s3.completeMultipartUpload(
        r -> r.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
    assertEquals(404, gone.statusCode());
    assertEquals("overwritten", s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String());
  }

  /**
   * A retried UploadPart of part 1 that lands after part 2 (a lost response, then the SDK's retry):
   * S3 keeps the newest upload of each part number and orders by part number, not arrival
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html).
   */
  @Test
  void aPartReuploadedAfterALaterPartCompletesInPartOrder() {
    S3Client s3 = TARN.s3();
    String key = "retried-part";
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
    byte[] first = TestData.bytes(PART, 71);
    byte[] second = TestData.bytes(1000, 72);
    uploadAll(s3, key, uploadId, List.of(first, second));
    String retried = s3.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(first)).eTag();
    assertEquals(TestData.etag(first), retried);
    ListPartsResponse listed = s3.listParts(r -> r.bucket(BUCKET).key(key).uploadId(uploadId));
    assertEquals(List.of(1, 2), listed.parts().stream().map(Part::partNumber).toList());

    CompleteMultipartUploadResponse done = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key)
        .uploadId(uploadId).multipartUpload(m -> m.parts(
            CompletedPart.builder().partNumber(1).eTag(retried).build(),
            CompletedPart.builder().partNumber(2).eTag(TestData.etag(second)).build())));
    assertEquals(TestData.multipartEtag(List.of(first, second)), done.eTag());
    assertEquals(TestData.sha256Hex(concat(List.of(first, second))),
        TestData.sha256Hex(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray()));
  }

  /**
   * The retry of part 1 starts before part 2 is uploaded and finishes after it (its body held back
   * mid-stream), with a CRC32 upload as today's SDKs make them: completion in part order still works.
   */
  @Test
  void aPartRetryThatFinishesAfterALaterPartCompletes() throws Exception {
    S3Client s3 = TARN.s3();
    String key = "interleaved-retry";
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32))
        .uploadId();
    byte[] first = TestData.bytes(PART, 81);
    byte[] second = TestData.bytes(1000, 82);
    String etag1 = s3.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1)
        .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(first)).eTag();
    CountDownLatch release = new CountDownLatch(1);
    InputStream heldBack = new SequenceInputStream(new ByteArrayInputStream(first, 0, MIB),
        new FilterInputStream(new ByteArrayInputStream(first, MIB, first.length - MIB)) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            return super.read(b, off, len);
          }
        });
    CompletableFuture<String> retry = CompletableFuture.supplyAsync(() -> s3.uploadPart(r -> r.bucket(BUCKET).key(key)
        .uploadId(uploadId).partNumber(1).checksumAlgorithm(ChecksumAlgorithm.CRC32),
        RequestBody.fromInputStream(heldBack, first.length)).eTag());
    String etag2 = s3.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(2)
        .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(second)).eTag();
    release.countDown();
    assertEquals(etag1, retry.get(1, TimeUnit.MINUTES));

    CompleteMultipartUploadResponse done = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key)
        .uploadId(uploadId).multipartUpload(m -> m.parts(
            CompletedPart.builder().partNumber(1).eTag(etag1).build(),
            CompletedPart.builder().partNumber(2).eTag(etag2).build())));
    assertEquals(TestData.multipartEtag(List.of(first, second)), done.eTag());
    assertEquals(TestData.sha256Hex(concat(List.of(first, second))),
        TestData.sha256Hex(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray()));
  }

  @Test
  void listPartsAndListUploadsPaginate() {
    S3Client s3 = TARN.s3();
    String prefix = "paged/";
    List<String> ids = new ArrayList<>();
    for (String key : List.of(prefix + "a", prefix + "b", prefix + "b")) {
      ids.add(s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId());
    }
    ListMultipartUploadsResponse first = s3.listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix).maxUploads(2));
    assertTrue(first.isTruncated());
    assertEquals(2, first.uploads().size());
    assertNotNull(first.nextKeyMarker());
    assertNotNull(first.nextUploadIdMarker());
    ListMultipartUploadsResponse rest = s3.listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix)
        .keyMarker(first.nextKeyMarker()).uploadIdMarker(first.nextUploadIdMarker()));
    assertFalse(rest.isTruncated());
    List<MultipartUpload> all = new ArrayList<>(first.uploads());
    all.addAll(rest.uploads());
    assertEquals(List.of(prefix + "a", prefix + "b", prefix + "b"), all.stream().map(MultipartUpload::key).toList());
    assertEquals(new java.util.HashSet<>(ids), all.stream().map(MultipartUpload::uploadId)
        .collect(java.util.stream.Collectors.toSet()));

    String uploadId = ids.get(0);
    uploadAll(s3, prefix + "a", uploadId, List.of(TestData.bytes(10, 71), TestData.bytes(10, 72), TestData.bytes(10, 73)));
    ListPartsResponse page1 = s3.listParts(r -> r.bucket(BUCKET).key(prefix + "a").uploadId(uploadId).maxParts(2));
    assertTrue(page1.isTruncated());
    assertEquals(List.of(1, 2), page1.parts().stream().map(Part::partNumber).toList());
    assertEquals(2, page1.nextPartNumberMarker());
    ListPartsResponse page2 = s3.listParts(r -> r.bucket(BUCKET).key(prefix + "a").uploadId(uploadId)
        .partNumberMarker(page1.nextPartNumberMarker()));
    assertFalse(page2.isTruncated());
    assertEquals(List.of(3), page2.parts().stream().map(Part::partNumber).toList());

    s3.abortMultipartUpload(r -> r.bucket(BUCKET).key(prefix + "a").uploadId(ids.get(0)));
    s3.abortMultipartUpload(r -> r.bucket(BUCKET).key(prefix + "b").uploadId(ids.get(1)));
    s3.abortMultipartUpload(r -> r.bucket(BUCKET).key(prefix + "b").uploadId(ids.get(2)));
  }

  /**
   * UploadPartCopy with x-amz-copy-source-range
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html).
   */
  @Test
  void uploadPartCopyWithRanges() {
    S3Client s3 = TARN.s3();
    byte[] source = TestData.bytes(PART + 100, 81);
    s3.putObject(r -> r.bucket(BUCKET).key("copy-source"), RequestBody.fromBytes(source));
    String key = "assembled";
    String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();

    byte[] head = TestData.bytes(PART, 82);
    String p1 = s3.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1), RequestBody.fromBytes(head))
        .eTag();
    UploadPartCopyResponse p2 = s3.uploadPartCopy(r -> r.sourceBucket(BUCKET).sourceKey("copy-source")
        .destinationBucket(BUCKET).destinationKey(key).uploadId(uploadId).partNumber(2)
        .copySourceRange("bytes=0-" + (PART - 1)));
    // The last part may be small.
    UploadPartCopyResponse p3 = s3.uploadPartCopy(r -> r.sourceBucket(BUCKET).sourceKey("copy-source")
        .destinationBucket(BUCKET).destinationKey(key).uploadId(uploadId).partNumber(3)
        .copySourceRange("bytes=" + PART + "-" + (PART + 99)));

    byte[] first = Arrays.copyOfRange(source, 0, PART);
    byte[] last = Arrays.copyOfRange(source, PART, PART + 100);
    assertEquals(TestData.etag(first), p2.copyPartResult().eTag());
    assertEquals(TestData.etag(last), p3.copyPartResult().eTag());
    CompleteMultipartUploadResponse done = s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key).uploadId(uploadId)
        .multipartUpload(m -> m.parts(
            CompletedPart.builder().partNumber(1).eTag(p1).build(),
            CompletedPart.builder().partNumber(2).eTag(p2.copyPartResult().eTag()).build(),
            CompletedPart.builder().partNumber(3).eTag(p3.copyPartResult().eTag()).build())));
    assertEquals(TestData.multipartEtag(List.of(head, first, last)), done.eTag());
    assertEquals(TestData.sha256Hex(concat(List.of(head, source))),
        TestData.sha256Hex(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray()));
  }

  /** Uploads {@code parts} as parts 1..n and returns them ready for CompleteMultipartUpload. */
  static List<CompletedPart> uploadAll(S3Client s3, String key, String uploadId, List<byte[]> parts) {
    return uploadAllTo(s3, BUCKET, key, uploadId, parts);
  }

  static List<CompletedPart> uploadAllTo(S3Client s3, String bucket, String key, String uploadId, List<byte[]> parts) {
    List<CompletedPart> done = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      int n = i + 1;
      byte[] body = parts.get(i);
      String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(n),
          RequestBody.fromBytes(body)).eTag();
      assertEquals(TestData.etag(body), etag, "ETag of part " + n);
      done.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
    }
    return done;
  }

  static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
