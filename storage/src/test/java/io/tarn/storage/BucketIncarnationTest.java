package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.EventName;
import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.core.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Tarn issue 11: a write authorized against one bucket must never commit into another bucket created
 * later under the same name. Each test authorizes alice's write against her bucket (takes its
 * {@link BucketRef}), lets her delete it and bob create his under the same name and write to it, and
 * only then commits alice's write, as a slow body would: NO_SUCH_BUCKET, bob's data untouched.
 */
class BucketIncarnationTest extends StoreTestSupport {
  private static final String BOB = "b".repeat(64);
  private static final RequestContext BOB_CTX =
      new RequestContext("REQ2", new Principal(BOB, "bob", "AKID2", Role.USER), "127.0.0.1");
  private static final ObjectMetadata META = ObjectMetadata.of("text/plain", Map.of());

  private static StorageException.Kind kindOf(Executable call) {
    return assertThrows(StorageException.class, call).kind();
  }

  /** Alice's bucket "shared" is deleted and bob's of the same name holds {@code key} = {@code data}. */
  private BucketRef bobTakesOver(String key, byte[] data) {
    store.deleteBucket("shared");
    BucketRef bobs = store.createBucket("shared", "r", BOB).ref();
    try (BlobUpload u = body(data, data.length)) {
      store.putObject(bobs, key, u, META, null, WriteCondition.NONE, EventName.OBJECT_CREATED_PUT, BOB_CTX);
    }
    return bobs;
  }

  @Test
  void aBucketCreatedAgainIsAnotherIncarnation() {
    BucketRef first = store.createBucket("shared", "r", OWNER).ref();
    assertEquals(first, store.ref("shared"));
    reopen();
    assertEquals(first, store.ref("shared"), "the incarnation is persisted");
    store.deleteBucket("shared");
    BucketRef second = store.createBucket("shared", "r", OWNER).ref();
    assertNotEquals(first.incarnation(), second.incarnation());
    assertEquals(second, store.bucket("shared").orElseThrow().ref());
  }

  @Test
  void aPutAuthorizedAgainstADeletedBucketDoesNotCommitIntoItsSuccessor() {
    for (int size : List.of(100, 5000)) { // an inline body and a file body
      store.createBucket("shared", "r", OWNER);
      BucketRef alices = store.ref("shared");
      byte[] alice = bytes(size, 1);
      byte[] bob = bytes(size, 2);
      try (BlobUpload u = body(alice, alice.length)) {
        bobTakesOver("k", bob);
        List<String> bobsFiles = blobFiles();
        int events = sink.staged.size();
        assertEquals(StorageException.Kind.NO_SUCH_BUCKET, kindOf(() -> store.putObject(alices, "k", u, META, null,
            WriteCondition.NONE, EventName.OBJECT_CREATED_PUT, CTX)));
        assertArrayEquals(bob, read("shared", "k"));
        assertEquals(BOB, store.head("shared", "k").orElseThrow().ownerId());
        assertEquals(bobsFiles, blobFiles(), "alice's installed file is deleted");
        assertEquals(events, sink.staged.size(), "no event");
      }
      store.delete("shared", "k", CTX);
      store.deleteBucket("shared");
    }
  }

  @Test
  void aDeleteAuthorizedAgainstADeletedBucketDeletesNothingInItsSuccessor() {
    BucketRef alices = store.createBucket("shared", "r", OWNER).ref();
    bobTakesOver("k", utf8("bob's"));
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET,
        kindOf(() -> store.delete(alices, "k", WriteCondition.NONE, CTX)));
    assertArrayEquals(utf8("bob's"), read("shared", "k"));
  }

  @Test
  void partsAndCompletionOfAnUploadOfADeletedBucketFail() {
    BucketRef alices = store.createBucket("shared", "r", OWNER).ref();
    UploadInfo upload = store.createUpload(alices, "k", META, null, false, CTX);
    byte[] part = bytes(3000, 3);
    try (BlobUpload u = body(part, part.length)) {
      // The part was authorized and its body received while alice's bucket still existed.
      BucketRef bobs = bobTakesOver("k", utf8("bob's"));
      List<String> bobsFiles = blobFiles();
      assertEquals(StorageException.Kind.NO_SUCH_BUCKET,
          kindOf(() -> store.putPart(alices, "k", upload.uploadId(), 1, u, null)));
      assertEquals(bobsFiles, blobFiles(), "the part's file is deleted");
      // Named with bob's incarnation, alice's upload is not there: it belonged to the deleted bucket.
      assertEquals(StorageException.Kind.NO_SUCH_UPLOAD,
          kindOf(() -> store.completeUpload(bobs, "k", upload.uploadId(), List.of(new CompletedPart(1, "e", null)),
              0, WriteCondition.NONE, null, null, CTX)));
    }
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET,
        kindOf(() -> store.completeUpload(alices, "k", upload.uploadId(), List.of(new CompletedPart(1, "e", null)), 0,
            WriteCondition.NONE, null, null, CTX)));
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET, kindOf(() -> store.abortUpload(alices, "k", upload.uploadId())));
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET,
        kindOf(() -> store.createUpload(alices, "k", META, null, false, CTX)));
    assertArrayEquals(utf8("bob's"), read("shared", "k"));
  }

  @Test
  void aCompletionAuthorizedBeforeTheBucketWasReplacedDoesNotCommit() {
    BucketRef alices = store.createBucket("shared", "r", OWNER).ref();
    UploadInfo upload = store.createUpload(alices, "k", META, null, false, CTX);
    byte[] part = bytes(3000, 4);
    PartSummary p;
    try (BlobUpload u = body(part, part.length)) {
      p = store.putPart(alices, "k", upload.uploadId(), 1, u, null);
    }
    bobTakesOver("k", utf8("bob's"));
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET,
        kindOf(() -> store.completeUpload(alices, "k", upload.uploadId(),
            List.of(new CompletedPart(1, p.etag(), null)), 0, WriteCondition.NONE, null, null, CTX)));
    assertArrayEquals(utf8("bob's"), read("shared", "k"));
  }

  @Test
  void aCopyChecksTheIncarnationsOfBothBuckets() {
    BucketRef dst = store.createBucket("dst", "r", OWNER).ref();
    BucketRef alices = store.createBucket("shared", "r", OWNER).ref();
    // Source replaced: alice may have read her bucket, not bob's.
    bobTakesOver("k", utf8("bob's secret"));
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET, kindOf(() -> store.copy(alices, "k", dst, "copy", null, null,
        null, WriteCondition.NONE, CTX)));
    assertTrue(store.head("dst", "copy").isEmpty(), "nothing copied out of bob's bucket");
    // Destination replaced: nothing is written into bob's bucket.
    BucketRef bobs = store.ref("shared");
    put("dst", "src", utf8("alice's"));
    store.delete("shared", "k", CTX);
    BucketRef alicesAgain = new BucketRef("shared", bobs.incarnation());
    store.deleteBucket("shared");
    store.createBucket("shared", "r", BOB);
    put("shared", "k", utf8("bob's"));
    List<String> files = blobFiles();
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET, kindOf(() -> store.copy(dst, "src", alicesAgain, "k", null,
        null, null, WriteCondition.NONE, CTX)));
    assertArrayEquals(utf8("bob's"), read("shared", "k"));
    assertEquals(files, blobFiles());
  }
}
