package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Hex;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.objects.MultipartOps;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Multipart uploads: parts, completion and its errors, abort, part and upload listings. */
class MultipartTest extends StoreTestSupport {
  private static final int MIN = 1000;

  @BeforeEach
  void bucket() {
    store.createBucket("bkt", "r", OWNER);
  }

  private static StorageException.Kind kindOf(Executable call) {
    return assertThrows(StorageException.class, call).kind();
  }

  private UploadInfo create(String key, ChecksumAlgorithm algorithm) {
    return store.createUpload("bkt", key, ObjectMetadata.of("video/mp4", Map.of("m", "1")), algorithm, CTX);
  }

  private PartSummary part(UploadInfo u, int n, byte[] data, ChecksumAlgorithm... digests) {
    try (BlobUpload body = body(data, data.length, digests)) {
      return store.putPart("bkt", u.key(), u.uploadId(), n, body, null);
    }
  }

  private static CompletedPart named(PartSummary p) {
    return new CompletedPart(p.partNumber(), p.etag(), null);
  }

  @Test
  void completeMakesAManifestOfTheNamedParts() {
    UploadInfo u = create("video", ChecksumAlgorithm.CRC32C);
    assertEquals(32, u.uploadId().length());
    byte[] p1 = bytes(1500, 1);
    byte[] p2 = bytes(1200, 2);
    byte[] p3 = bytes(10, 3); // small: still a file, parts always are
    byte[] skipped = bytes(1100, 4);
    PartSummary s1 = part(u, 1, p1, ChecksumAlgorithm.CRC32C);
    PartSummary s2 = part(u, 2, p2, ChecksumAlgorithm.CRC32C);
    part(u, 3, skipped, ChecksumAlgorithm.CRC32C);
    PartSummary s5 = part(u, 5, p3, ChecksumAlgorithm.CRC32C);
    assertEquals(4, blobFiles().size());
    assertArrayEquals(ChecksumAlgorithm.CRC32C.digest(p1), s1.checksum().value(), "computed part checksum kept");

    ObjectInfo info = store.completeUpload("bkt", "video", u.uploadId(), List.of(named(s1), named(s2), named(s5)), MIN,
        WriteCondition.NONE, CTX);

    ByteArrayOutputStream md5s = new ByteArrayOutputStream();
    ByteArrayOutputStream crcs = new ByteArrayOutputStream();
    for (byte[] p : List.of(p1, p2, p3)) {
      md5s.writeBytes(ChecksumAlgorithm.MD5.digest(p));
      crcs.writeBytes(ChecksumAlgorithm.CRC32C.digest(p));
    }
    assertEquals(Hex.encode(ChecksumAlgorithm.MD5.digest(md5s.toByteArray())) + "-3", info.etag());
    assertArrayEquals(ChecksumAlgorithm.CRC32C.digest(crcs.toByteArray()), info.checksum().value());
    assertEquals(3, info.checksum().partCount());
    assertEquals(List.of(1, 2, 5), info.parts().stream().map(PartSummary::partNumber).toList());
    assertEquals("video/mp4", info.metadata().contentType());
    assertEquals(p1.length + p2.length + p3.length, info.size());
    assertEquals(4, blobFiles().size(), "the unnamed part's file is deleted, the named ones and a manifest are the object");

    byte[] whole = new byte[(int) info.size()];
    System.arraycopy(p1, 0, whole, 0, p1.length);
    System.arraycopy(p2, 0, whole, p1.length, p2.length);
    System.arraycopy(p3, 0, whole, p1.length + p2.length, p3.length);
    assertArrayEquals(whole, read("bkt", "video"));
    try (ObjectContent c = store.open("bkt", "video")) {
      // A range across both part boundaries.
      assertArrayEquals(Arrays.copyOfRange(whole, 1400, 2705), readRange(c, 1400, 1305));
    }
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD, kindOf(() -> store.upload("bkt", "video", u.uploadId())));
    assertEquals(List.of(), store.listUploads("bkt", "", null, null, null, 1000).uploads());

    // Overwriting the multipart object releases all of its part files.
    put("bkt", "video", utf8("tiny"));
    assertEquals(List.of(), blobFiles());
  }

  @Test
  void aFullObjectChecksumIsTheCrcOfTheWholeObjectCombinedFromItsParts() {
    for (ChecksumAlgorithm a : List.of(ChecksumAlgorithm.CRC64NVME, ChecksumAlgorithm.CRC32)) {
      UploadInfo u = store.createUpload("bkt", "whole-" + a, ObjectMetadata.of(null, Map.of()), a, true, CTX);
      assertEquals("FULL_OBJECT", u.checksumType());
      byte[] p1 = bytes(1500, 7);
      byte[] p2 = bytes(333, 8);
      PartSummary s1 = part(u, 1, p1, a);
      PartSummary s2 = part(u, 2, p2, a);
      ObjectInfo info = complete(u, List.of(named(s1), named(s2)));
      byte[] whole = new byte[p1.length + p2.length];
      System.arraycopy(p1, 0, whole, 0, p1.length);
      System.arraycopy(p2, 0, whole, p1.length, p2.length);
      assertArrayEquals(a.digest(whole), info.checksum().value(), a.toString());
      assertEquals("FULL_OBJECT", info.checksum().type());
    }
    // CRC64NVME's default is the full object; the others' is composite.
    assertEquals("FULL_OBJECT", create("d1", ChecksumAlgorithm.CRC64NVME).checksumType());
    assertEquals("COMPOSITE", create("d2", ChecksumAlgorithm.SHA256).checksumType());
    assertNull(create("d3", null).checksumType());
    // Combinations S3 does not have are refused.
    assertThrows(IllegalArgumentException.class, () -> store.createUpload("bkt", "x", ObjectMetadata.of(null,
        Map.of()), ChecksumAlgorithm.SHA256, true, CTX));
    assertThrows(IllegalArgumentException.class, () -> store.createUpload("bkt", "x", ObjectMetadata.of(null,
        Map.of()), ChecksumAlgorithm.CRC64NVME, false, CTX));
  }

  @Test
  void aChecksumClaimedOnCompletionMustBeTheObjects() {
    UploadInfo u = create("claimed", ChecksumAlgorithm.SHA256);
    byte[] p1 = bytes(1500, 9);
    PartSummary s1 = part(u, 1, p1, ChecksumAlgorithm.SHA256);
    String composite = java.util.Base64.getEncoder().encodeToString(
        ChecksumAlgorithm.SHA256.digest(ChecksumAlgorithm.SHA256.digest(p1))) + "-1";
    assertEquals(StorageException.Kind.BAD_DIGEST, kindOf(() -> store.completeUpload("bkt", "claimed", u.uploadId(),
        List.of(named(s1)), MIN, WriteCondition.NONE, ChecksumAlgorithm.CRC32, "AAAAAA==", CTX)));
    assertEquals(StorageException.Kind.BAD_DIGEST, kindOf(() -> store.completeUpload("bkt", "claimed", u.uploadId(),
        List.of(named(s1)), MIN, WriteCondition.NONE, ChecksumAlgorithm.SHA256, composite.replace("-1", "-2"), CTX)));
    assertEquals(u.uploadId(), store.upload("bkt", "claimed", u.uploadId()).uploadId(), "nothing was committed");
    ObjectInfo info = store.completeUpload("bkt", "claimed", u.uploadId(), List.of(named(s1)), MIN,
        WriteCondition.NONE, ChecksumAlgorithm.SHA256, composite, CTX);
    assertEquals(composite, info.checksum().wireValue());
  }

  @Test
  void replacingAPartDeletesTheOldFile() {
    UploadInfo u = create("k", null);
    part(u, 1, bytes(2000, 1));
    List<String> before = blobFiles();
    PartSummary again = part(u, 1, bytes(1500, 2));
    assertEquals(1, blobFiles().size());
    assertFalse(before.containsAll(blobFiles()));
    assertEquals(1500, again.size());
    assertNull(again.checksum());
    ObjectInfo info = store.completeUpload("bkt", "k", u.uploadId(), List.of(named(again)), MIN, WriteCondition.NONE,
        CTX);
    assertNull(info.checksum(), "no algorithm, no checksum");
    assertArrayEquals(bytes(1500, 2), read("bkt", "k"));
  }

  @Test
  void completionErrors() {
    UploadInfo u = create("k", null);
    PartSummary s1 = part(u, 1, bytes(MIN - 1, 1));
    PartSummary s2 = part(u, 2, bytes(10, 2));
    assertEquals(StorageException.Kind.INVALID_PART_ORDER,
        kindOf(() -> complete(u, List.of(named(s2), named(s1)))));
    assertEquals(StorageException.Kind.INVALID_PART_ORDER,
        kindOf(() -> complete(u, List.of(named(s1), named(s1)))));
    assertEquals(StorageException.Kind.INVALID_PART,
        kindOf(() -> complete(u, List.of(named(s1), new CompletedPart(3, s2.etag(), null)))));
    assertEquals(StorageException.Kind.INVALID_PART,
        kindOf(() -> complete(u, List.of(new CompletedPart(1, "0".repeat(32), null)))));
    assertEquals(StorageException.Kind.INVALID_PART, kindOf(() -> complete(u, List.of())));
    assertEquals(StorageException.Kind.ENTITY_TOO_SMALL, kindOf(() -> complete(u, List.of(named(s1), named(s2)))));
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD,
        kindOf(() -> store.completeUpload("bkt", "other-key", u.uploadId(), List.of(named(s1)), MIN,
            WriteCondition.NONE, CTX)));
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD,
        kindOf(() -> store.completeUpload("bkt", "k", "not-an-id", List.of(named(s1)), MIN, WriteCondition.NONE, CTX)));
    put("bkt", "k", utf8("exists"));
    assertEquals(StorageException.Kind.PRECONDITION_FAILED, kindOf(() -> store.completeUpload("bkt", "k",
        u.uploadId(), List.of(named(s1)), MIN, new WriteCondition(null, true), CTX)));
    // Failed completions leave the upload as it was; a last part may be small.
    assertEquals(2, store.listParts("bkt", "k", u.uploadId(), 0, 1000).parts().size());
    ObjectInfo done = complete(u, List.of(new CompletedPart(1, "\"" + s1.etag() + "\"", null)));
    assertEquals(MIN - 1, done.size());
    assertEquals(2, blobFiles().size(), "the part and the object's manifest");
  }

  /**
   * A CompleteMultipartUpload retried after a lost response gets the first one's result
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html).
   */
  @Test
  void aRetriedCompletionAnswersLikeTheFirstWhileItsObjectIsCurrent() {
    UploadInfo u = create("k", ChecksumAlgorithm.CRC32);
    PartSummary s1 = part(u, 1, bytes(1500, 1), ChecksumAlgorithm.CRC32);
    PartSummary s2 = part(u, 2, bytes(10, 2), ChecksumAlgorithm.CRC32);
    PartSummary unused = part(u, 3, bytes(10, 3), ChecksumAlgorithm.CRC32);
    List<CompletedPart> named = List.of(named(s1), new CompletedPart(2, "\"" + s2.etag() + "\"", null));
    ObjectInfo first = complete(u, named);
    int events = committedEvents().size();

    clock.advance(Duration.ofMinutes(5));
    reopen(); // the memory is durable: it is the object's own record
    ObjectInfo again = store.completeUpload("bkt", "k", u.uploadId(), named, MIN, new WriteCondition(null, true), CTX);
    // The same result; and If-None-Match: * does not fail on the upload's own object.
    assertEquals(List.of(first.etag(), first.size(), first.lastModified(), first.checksum().wireValue()),
        List.of(again.etag(), again.size(), again.lastModified(), again.checksum().wireValue()));
    assertEquals(events, committedEvents().size(), "a retry commits no second event");
    assertEquals(StorageException.Kind.INVALID_PART, kindOf(() -> complete(u, List.of(named(s1)))));
    assertEquals(StorageException.Kind.INVALID_PART,
        kindOf(() -> complete(u, List.of(named(s1), named(s2), named(unused)))));
    assertEquals(StorageException.Kind.INVALID_PART_ORDER, kindOf(() -> complete(u, List.of(named(s2), named(s1)))));
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD, kindOf(() -> store.completeUpload("bkt", "other", u.uploadId(),
        named, MIN, WriteCondition.NONE, CTX)));

    // A copy of the object is not the upload's completion.
    store.copy("bkt", "k", "bkt", "copy", i -> {}, null, null, WriteCondition.NONE, CTX);
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD, kindOf(() -> store.completeUpload("bkt", "copy", u.uploadId(),
        named, MIN, WriteCondition.NONE, CTX)));

    // Past the window, or once the key holds something else, the upload is simply gone.
    clock.advance(Duration.ofMillis(MultipartOps.RETRY_WINDOW_MILLIS));
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD, kindOf(() -> complete(u, named)));
    UploadInfo v = create("k2", null);
    PartSummary p = part(v, 1, bytes(100, 4));
    complete(v, List.of(named(p)));
    put("bkt", "k2", utf8("overwritten"));
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD, kindOf(() -> complete(v, List.of(named(p)))));
    UploadInfo w = create("k3", null);
    PartSummary q = part(w, 1, bytes(100, 5));
    complete(w, List.of(named(q)));
    store.delete("bkt", "k3", CTX);
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD, kindOf(() -> complete(w, List.of(named(q)))));
  }

  /** S3 orders by part number and keeps the newest upload of each: arrival order does not matter. */
  @Test
  void aPartReuploadedAfterALaterPartCompletesInPartOrder() {
    UploadInfo u = create("k", null);
    byte[] first = bytes(1500, 1);
    part(u, 1, first);
    PartSummary s2 = part(u, 2, bytes(10, 2));
    PartSummary retried = part(u, 1, first);
    assertEquals(List.of(1, 2), store.listParts("bkt", "k", u.uploadId(), 0, 10).parts().stream()
        .map(PartSummary::partNumber).toList());
    ObjectInfo info = complete(u, List.of(named(retried), named(s2)));
    assertEquals(List.of(1, 2), info.parts().stream().map(PartSummary::partNumber).toList());
    assertEquals(1510, info.size());
    assertEquals(3, blobFiles().size(), "the replaced upload of part 1 left no file (2 parts, a manifest)");
  }

  private ObjectInfo complete(UploadInfo u, List<CompletedPart> parts) {
    return store.completeUpload("bkt", u.key(), u.uploadId(), parts, MIN, WriteCondition.NONE, CTX);
  }

  @Test
  void abortDeletesPartsAndUnknownUploadsAreReported() {
    UploadInfo u = create("k", null);
    part(u, 1, bytes(2000, 1));
    part(u, 2, bytes(2000, 2));
    store.abortUpload("bkt", "k", u.uploadId());
    assertEquals(List.of(), blobFiles());
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD, kindOf(() -> store.abortUpload("bkt", "k", u.uploadId())));
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD, kindOf(() -> part(u, 3, bytes(10, 3))));
    assertEquals(List.of(), blobFiles(), "a part refused for a missing upload leaves no file");
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD, kindOf(() -> store.listParts("bkt", "k", u.uploadId(), 0, 10)));
    assertThrows(IllegalArgumentException.class, () -> part(create("k", null), 10_001, bytes(1, 1)));
  }

  @Test
  void deletingABucketAbortsItsUploads() {
    UploadInfo u = create("k", null);
    part(u, 1, bytes(2000, 1));
    store.deleteBucket("bkt");
    assertEquals(List.of(), blobFiles());
    store.createBucket("bkt", "r", OWNER);
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD, kindOf(() -> store.upload("bkt", "k", u.uploadId())));
  }

  @Test
  void listPartsPages() {
    UploadInfo u = create("k", null);
    for (int n : new int[] {7, 1, 3, 10_000}) {
      part(u, n, bytes(5, n));
    }
    PartsPage first = store.listParts("bkt", "k", u.uploadId(), 0, 2);
    assertEquals(List.of(1, 3), first.parts().stream().map(PartSummary::partNumber).toList());
    assertTrue(first.truncated());
    assertEquals(3, first.nextPartNumberMarker());
    PartsPage rest = store.listParts("bkt", "k", u.uploadId(), 3, 2);
    assertEquals(List.of(7, 10_000), rest.parts().stream().map(PartSummary::partNumber).toList());
    assertFalse(rest.truncated());
    assertEquals("k", rest.upload().key());
    assertFalse(store.listParts("bkt", "k", u.uploadId(), 0, 0).truncated());
  }

  @Test
  void listUploadsByKeyThenInitiation() {
    List<UploadInfo> made = new ArrayList<>();
    for (String key : List.of("b/2", "a", "b/1", "a", "c\u0000x", "c")) {
      made.add(create(key, null));
      clock.advance(Duration.ofMillis(1));
    }
    UploadsPage all = store.listUploads("bkt", "", null, null, null, 1000);
    List<String> order = all.uploads().stream().map(x -> x.key() + "@" + x.initiated().toEpochMilli()).toList();
    long t0 = made.get(0).initiated().toEpochMilli();
    assertEquals(List.of("a@" + (t0 + 1), "a@" + (t0 + 3), "b/1@" + (t0 + 2), "b/2@" + t0, "c@" + (t0 + 5),
        "c\u0000x@" + (t0 + 4)), order);

    UploadsPage grouped = store.listUploads("bkt", "", "/", null, null, 1000);
    assertEquals(List.of("b/"), grouped.commonPrefixes());
    assertEquals(List.of("a", "a", "c", "c\u0000x"), grouped.uploads().stream().map(UploadInfo::key).toList());

    // Paging two at a time through key and upload-id markers visits every upload once.
    List<String> paged = new ArrayList<>();
    String keyMarker = null;
    String idMarker = null;
    while (true) {
      UploadsPage page = store.listUploads("bkt", "", null, keyMarker, idMarker, 2);
      page.uploads().forEach(x -> paged.add(x.uploadId()));
      if (!page.truncated()) {
        break;
      }
      keyMarker = page.nextKeyMarker();
      idMarker = page.nextUploadIdMarker();
    }
    assertEquals(all.uploads().stream().map(UploadInfo::uploadId).toList(), paged);
    assertEquals(6, new HashSet<>(paged).size());

    // A key marker alone skips every upload of that key.
    assertEquals(List.of("b/1", "b/2", "c", "c\u0000x"),
        store.listUploads("bkt", "", null, "a", null, 1000).uploads().stream().map(UploadInfo::key).toList());
    // A common prefix as the marker resumes after the whole prefix.
    UploadsPage afterPrefix = store.listUploads("bkt", "", "/", "b/", null, 1000);
    assertEquals(List.of(), afterPrefix.commonPrefixes());
    assertEquals(List.of("c", "c\u0000x"), afterPrefix.uploads().stream().map(UploadInfo::key).toList());
    assertEquals(List.of("b/1", "b/2"),
        store.listUploads("bkt", "b/", null, null, null, 1000).uploads().stream().map(UploadInfo::key).toList());
    UploadsPage one = store.listUploads("bkt", "", "/", null, null, 3);
    assertTrue(one.truncated());
    assertEquals("b/", one.nextKeyMarker());
    assertNull(one.nextUploadIdMarker());
  }

  @Test
  void uploadsSurviveReopen() {
    UploadInfo u = create("k", ChecksumAlgorithm.SHA256);
    PartSummary s1 = part(u, 1, bytes(2000, 1), ChecksumAlgorithm.SHA256);
    reopen();
    UploadInfo again = store.upload("bkt", "k", u.uploadId());
    assertEquals(u, again);
    PartSummary s2 = part(u, 2, bytes(10, 2), ChecksumAlgorithm.SHA256);
    ObjectInfo info = complete(u, List.of(named(s1), named(s2)));
    reopen();
    assertEquals(info.etag(), store.head("bkt", "k").orElseThrow().etag());
    assertEquals(2000 + 10, read("bkt", "k").length);
    assertEquals(3, blobFiles().size(), "2 parts and a manifest");
  }
}
