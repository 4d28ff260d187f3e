package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.EventName;
import io.tarn.core.checksum.ChecksumAlgorithm;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * rebuild-index and fsck on a store whose every body is a described blob file (the default): every
 * writer's blob must be placed back by a rebuild, and fsck finds what is wrong both ways.
 */
class IndexRepairTest extends StoreTestSupport {
  private static final ObjectMetadata META = new ObjectMetadata("image/png", "gzip", "attachment", "de", "no-cache",
      null, new TreeMap<>(Map.of("color", "blue", "n", "1")));

  private int threshold = StorageOptions.DEFAULT_INLINE_THRESHOLD;

  @Override
  StorageOptions options() {
    return new StorageOptions(dir, threshold, false);
  }

  private ObjectInfo putWith(String bucket, String key, byte[] data, ObjectMetadata meta, ChecksumAlgorithm a) {
    try (BlobUpload u = body(data, data.length, a)) {
      StoredChecksum sum = new StoredChecksum(a, u.finish().digests().get(a), 0);
      return store.putObject(bucket, key, u, meta, sum, WriteCondition.NONE, EventName.OBJECT_CREATED_PUT, CTX);
    }
  }

  private PartSummary part(UploadInfo u, int n, byte[] data) {
    try (BlobUpload b = body(data, data.length)) {
      return store.putPart(u.bucket(), u.key(), u.uploadId(), n, b, null);
    }
  }

  /** What a client can see of every object: info and bytes. */
  private Map<String, String> everything() {
    Map<String, String> out = new TreeMap<>();
    for (BucketInfo b : store.listBuckets()) {
      out.put(b.name(), b.ownerId() + " " + b.region() + " " + b.created() + " " + b.incarnation());
      for (ObjectInfo o : store.list(b.name(), null, null, null, 1000).objects()) {
        ObjectInfo h = store.head(b.name(), o.key()).orElseThrow();
        String sum = h.checksum() == null ? "-" : h.checksum().algorithm() + ":" + h.checksum().wireValue();
        out.put(b.name() + "/" + o.key(), h.size() + " " + h.etag() + " " + h.metadata() + " " + sum + " "
            + h.ownerId() + " " + h.parts().size() + " md5=" + io.tarn.core.Hex.encode(
                ChecksumAlgorithm.MD5.digest(read(b.name(), o.key()))));
      }
    }
    return out;
  }

  private static StorageException.Kind kindOf(Executable call) {
    return org.junit.jupiter.api.Assertions.assertThrows(StorageException.class, call).kind();
  }

  private RebuildReport rebuild() {
    store.close();
    RebuildReport r = IndexRepair.rebuild(dir, false, DataMode.PRIVATE, clock);
    store = open();
    return r;
  }

  private FsckReport fsck() {
    store.close();
    FsckReport r = IndexRepair.fsck(dir);
    store = open();
    return r;
  }

  @Test
  void aRebuildBringsBackEveryObjectWithItsBytesAndMetadata() throws IOException {
    store.createBucket("bkt", "eu-north-1", OWNER);
    store.createBucket("other", "us-east-1", "b".repeat(64));
    store.createBucket("empty", "us-east-1", OWNER);
    putWith("bkt", "zero", new byte[0], META, ChecksumAlgorithm.CRC32C);
    putWith("bkt", "one", new byte[] {7}, META, ChecksumAlgorithm.SHA256);
    put("bkt", "big", bytes(200_000, 1));
    put("bkt", "gone", bytes(10, 2));
    store.delete("bkt", "gone", CTX);
    put("other", "over", bytes(100, 3));
    put("other", "over", bytes(101, 4));
    UploadInfo u = store.createUpload("bkt", "mp", META, null, false, CTX);
    PartSummary p1 = part(u, 1, bytes(6000, 5));
    PartSummary p2 = part(u, 2, bytes(10, 6));
    part(u, 3, bytes(10, 7)); // not named: released at completion
    store.completeUpload("bkt", "mp", u.uploadId(), List.of(new CompletedPart(1, p1.etag(), null),
        new CompletedPart(2, p2.etag(), null)), 1000, WriteCondition.NONE, CTX);
    store.copy("bkt", "big", "other", "big-copy", i -> {}, null, null, WriteCondition.NONE, CTX);
    store.copy("bkt", "mp", "other", "mp-copy", i -> {}, ObjectMetadata.of("text/csv", Map.of("k", "v")), null,
        WriteCondition.NONE, CTX);
    store.copy("bkt", "one", "bkt", "one", i -> {}, ObjectMetadata.of("text/x", Map.of()), null, WriteCondition.NONE,
        CTX);
    UploadInfo open = store.createUpload("bkt", "unfinished", META, null, false, CTX);
    part(open, 1, bytes(10, 8));
    Map<String, String> before = everything();
    assertTrue(fsck().clean(), "a store as its writers left it is clean");
    for (String id : blobFiles()) { // every writer described its blob
      try (FileChannel ch = FileChannel.open(path(id))) {
        assertTrue(io.tarn.storage.blobs.BlobTrailer.read(ch, id).description().length > 0, id);
      }
    }

    RebuildReport r = rebuild();

    Map<String, String> after = everything();
    before.remove("empty"); // lives in no blob
    assertEquals(before, after);
    assertTrue(store.bucket("empty").isEmpty());
    assertEquals(2, r.buckets());
    assertEquals(7, r.objects());
    assertNotNull(r.movedAside());
    assertTrue(Files.isDirectory(r.movedAside()), "the old index is kept");
    assertEquals(1, r.unplaced().size(), r.unplaced().toString());
    assertTrue(r.unplaced().get(0).reason().contains("upload " + open.uploadId()), r.unplaced().toString());
    assertEquals(StorageException.Kind.NO_SUCH_UPLOAD,
        kindOf(() -> store.listParts("bkt", "unfinished", open.uploadId(), 0, 10)));
    assertTrue(r.lost().stream().anyMatch(n -> n.contains("webhook rules")), r.lost().toString());
    // The rebuilt index is complete (the unfinished upload's part, left in place by the rebuild, is the
    // start-up sweep's business).
    FsckReport f = fsck();
    assertTrue(f.clean(), f.findings().toString());
    // New writes go on above the blobs' stamps: a second rebuild keeps the newest version.
    put("other", "over", bytes(102, 9));
    String newest = everything().get("other/over");
    rebuild();
    assertEquals(newest, everything().get("other/over"));
  }

  /**
   * A blob records its object's ACL as written, not a later PutObjectAcl: restoring it could make an
   * object made private public again, so every object comes back private, and the report says so.
   */
  @Test
  void objectsComeBackPrivateWhateverAclTheirBlobsRecorded() {
    store.createBucket("acl", "r", OWNER);
    byte[] data = bytes(64, 3);
    for (String key : List.of("was-public", "still-public")) {
      try (BlobUpload u = body(data, data.length)) {
        store.putObject(store.bucket("acl").orElseThrow().ref(), key, u, META, null, WriteCondition.NONE,
            EventName.OBJECT_CREATED_PUT, CTX,
            io.tarn.storage.access.AclRequest.canned(io.tarn.storage.access.CannedAcl.PUBLIC_READ));
      }
    }
    store.setObjectAcl("acl", "was-public", io.tarn.storage.access.AclRequest.canned(
        io.tarn.storage.access.CannedAcl.PRIVATE));
    assertTrue(store.head("acl", "still-public").orElseThrow().acl().isPublic());
    assertFalse(store.head("acl", "was-public").orElseThrow().acl().isPublic());

    RebuildReport r = rebuild();

    for (String key : List.of("was-public", "still-public")) {
      ObjectInfo o = store.head("acl", key).orElseThrow();
      assertEquals(io.tarn.storage.access.Acl.privateTo(OWNER), o.acl(), key);
      assertArrayEquals(data, read("acl", key));
    }
    assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("2 object(s) had ACL grants")), r.notes().toString());
  }

  @Test
  void usersKeysTokensAndGrantsComeBackFromTheIdentityMirror() {
    UserInfo bob = store.identity().createUser("bob", io.tarn.core.Role.USER);
    NewAccessKey key = store.identity().createKey(bob.id(), null);
    NewApiToken token = store.identity().createToken(bob.id(), "ci", null);
    store.createBucket("kept", "r", OWNER);
    store.createBucket("gone", "r", OWNER);
    put("kept", "k", bytes(10, 1));
    store.identity().grant("kept", bob.id(), Permission.READ);
    store.identity().grant("gone", bob.id(), Permission.READ_WRITE);
    put("gone", "k", bytes(10, 2));
    store.delete("gone", "k", CTX);
    store.deleteBucket("gone"); // its grant goes with it, and from the mirror

    RebuildReport r = rebuild();

    assertEquals(key.secretAccessKey(), store.identity().resolve(key.info().accessKeyId()).orElseThrow()
        .secretAccessKey(), "the sealed secret opens with the same master key");
    assertEquals("bob", store.identity().user("bob").orElseThrow().name());
    assertTrue(store.identity().resolveToken(token.token()).isPresent());
    assertEquals(List.of(new BucketGrant("kept", bob.id(), Permission.READ)), store.identity().grants("kept"));
    assertTrue(r.notes().stream().anyMatch(n -> n.contains("1 users, 1 access keys, 1 API tokens, 1 grants")),
        r.notes().toString());
    // A bucket created again under the deleted one's name by someone else is not bob's to write.
    store.createBucket("gone", "r", "c".repeat(64));
    assertEquals(null, store.identity().access("gone", bob.id()).orElseThrow().granted());
  }

  /** A bucket's policy and public access block come back from the mirror; a deleted bucket's do not. */
  @Test
  void bucketPoliciesAndPublicAccessBlocksComeBackFromTheIdentityMirror() throws Exception {
    store.createBucket("site", "r", OWNER);
    store.createBucket("gone", "r", OWNER);
    put("site", "k", bytes(10, 1));
    String text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\","
        + "\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::site/*\"}]}";
    store.putBucketPolicy("site", io.tarn.storage.access.policy.BucketPolicy.parse(text, "site"));
    PublicAccessBlock block = PublicAccessBlock.parse("BlockPublicAcls,IgnorePublicAcls");
    store.putPublicAccessBlock("site", block);
    store.putBucketPolicy("gone", io.tarn.storage.access.policy.BucketPolicy.parse(
        text.replace("site", "gone"), "gone"));
    put("gone", "k", bytes(10, 2));
    store.delete("gone", "k", CTX);
    store.deleteBucket("gone");

    RebuildReport r = rebuild();

    assertEquals(text, store.bucketPolicy("site").orElseThrow().text(), "the policy's Deny is back");
    assertEquals(Optional.of(block), store.publicAccessBlock("site"));
    assertTrue(r.notes().stream().anyMatch(n -> n.contains("2 bucket policies and public access blocks")),
        r.notes().toString());
    store.createBucket("gone", "r", OWNER);
    assertEquals(Optional.empty(), store.bucketPolicy("gone"), "not the policy of a bucket deleted before");
  }

  @Test
  void aCopyOfAnInlineObjectIntoAStoreWithoutInliningGetsADescribedFile() {
    threshold = THRESHOLD; // an object stored inline, by a store that inlined small bodies
    reopen();
    store.createBucket("bkt", "r", OWNER);
    byte[] small = bytes(100, 1);
    put("bkt", "inline", small);
    assertEquals(List.of(), blobFiles());
    threshold = 0;
    reopen();
    store.copy("bkt", "inline", "bkt", "copy", i -> {}, null, null, WriteCondition.NONE, CTX);
    assertEquals(1, blobFiles().size(), "the copy is a blob file");
    FsckReport f = fsck();
    assertEquals(2, f.objects());
    assertEquals(1, f.inlineObjects(), "counted as not recoverable");
    assertTrue(f.clean(), f.findings().toString());

    RebuildReport r = rebuild();

    assertArrayEquals(small, read("bkt", "copy"));
    assertTrue(store.head("bkt", "inline").isEmpty(), "an inline object is lost with the index");
    assertEquals(1, r.objects());
  }

  @Test
  void theNewestVersionWinsEvenWhenTheClockWentBack() throws IOException {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "k", bytes(100, 1));
    // A crash after the overwrite's commit, before the replaced file was deleted, leaves it behind.
    Path old = path(blobFiles().get(0));
    Path saved = dir.resolve("saved");
    Files.copy(old, saved);
    clock.advance(Duration.ofHours(-5));
    put("bkt", "k", bytes(200, 2));
    Files.move(saved, old);
    String current = everything().get("bkt/k");

    RebuildReport r = rebuild();

    assertEquals(current, everything().get("bkt/k"));
    assertEquals(1, r.unplaced().size());
    assertTrue(r.unplaced().get(0).reason().contains("older version"), r.unplaced().toString());
  }

  @Test
  void aVersionWithAMissingFileIsNotRestored() throws IOException {
    store.createBucket("bkt", "r", OWNER);
    UploadInfo u = store.createUpload("bkt", "mp", META, null, false, CTX);
    Set<String> before = Set.copyOf(blobFiles());
    PartSummary p1 = part(u, 1, bytes(10, 1));
    String partFile = added(before);
    store.completeUpload("bkt", "mp", u.uploadId(), List.of(new CompletedPart(1, p1.etag(), null)), 1000,
        WriteCondition.NONE, CTX);
    put("bkt", "keep", bytes(10, 2));
    int files = blobFiles().size();
    store.close();
    Files.delete(path(partFile)); // the manifest stays: the upload's object cannot be restored
    RebuildReport r = IndexRepair.rebuild(dir, false, DataMode.PRIVATE, clock);
    assertEquals(files - 1, blobFiles().size(), "the rebuild deleted nothing");
    store = open();
    assertEquals(1, r.objects());
    assertTrue(store.head("bkt", "mp").isEmpty());
    assertTrue(store.head("bkt", "keep").isPresent());
    assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("bkt/mp: the newest version")), r.notes().toString());
    assertEquals(1, r.unplaced().size(), "the manifest, left in place");
  }

  @Test
  void fsckFindsOrphansMissingCorruptAndMisdescribedBlobs() throws IOException {
    store.createBucket("bkt", "r", OWNER);
    Map<String, String> file = new TreeMap<>();
    for (String k : List.of("a", "b", "c", "d")) {
      Set<String> before = Set.copyOf(blobFiles());
      put("bkt", k, bytes(100, k.charAt(0)));
      file.put(k, added(before));
    }
    assertTrue(fsck().clean());
    store.close();
    Files.delete(path(file.get("a")));
    try (FileChannel ch = FileChannel.open(path(file.get("b")), StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 1);
    }
    // d's file under c's name: c's record finds d's description, d's record no file.
    Files.move(path(file.get("d")), path(file.get("c")), StandardCopyOption.REPLACE_EXISTING);
    String orphan = file.get("c").substring(0, 2) + "0".repeat(30);
    Files.copy(path(file.get("c")), path(orphan));

    FsckReport r = IndexRepair.fsck(dir);

    Map<FsckReport.Kind, Long> kinds = r.findings().stream()
        .collect(Collectors.groupingBy(FsckReport.Finding::kind, TreeMap::new, Collectors.counting()));
    assertEquals(Map.of(FsckReport.Kind.MISSING_BLOB, 2L, FsckReport.Kind.CORRUPT_BLOB, 1L,
        FsckReport.Kind.WRONG_DESCRIPTION, 1L, FsckReport.Kind.ORPHAN, 1L), kinds, r.findings().toString());
    assertFalse(r.clean());
    assertEquals(4, r.objects());
    assertTrue(r.findings().stream().anyMatch(f -> f.kind() == FsckReport.Kind.ORPHAN && f.blobId().equals(orphan)
        && f.detail().contains("OBJECT bkt/d")), r.findings().toString());
    store = null;
  }

  /** The one blob file added since {@code before}. */
  private String added(Set<String> before) {
    List<String> now = new ArrayList<>(blobFiles());
    now.removeAll(before);
    assertEquals(1, now.size(), now.toString());
    return now.get(0);
  }

  private Path path(String id) {
    return dir.resolve("blobs").resolve(id.substring(0, 2)).resolve(id);
  }
}
