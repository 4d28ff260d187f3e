package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.storage.access.policy.BucketPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket's policy and public access block: stored apart from the bucket record, kept across a
 * restart and in a backup, gone with the bucket, and read through a cache that every change empties.
 */
class BucketPoliciesTest extends StoreTestSupport {
  @TempDir Path elsewhere;

  static BucketPolicy policy(String bucket, String sid) throws Exception {
    return BucketPolicy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"" + sid
        + "\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
        + bucket + "/public/*\"}]}", bucket);
  }

  @Test
  void aPolicyIsStoredAsPutParsedOnceAndKeptAcrossARestart() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    assertEquals(Optional.empty(), store.bucketPolicy("bkt"));
    BucketPolicy p = policy("bkt", "One");
    store.putBucketPolicy("bkt", p);
    BucketPolicy read = store.bucketPolicy("bkt").orElseThrow();
    assertEquals(p.text(), read.text());
    assertSame(read, store.bucketPolicy("bkt").orElseThrow(), "the hot path reads the cached, parsed policy");

    BucketPolicy q = policy("bkt", "Two");
    store.putBucketPolicy("bkt", q);
    assertEquals(q.text(), store.bucketPolicy("bkt").orElseThrow().text(), "a put empties the cache");

    reopen();
    assertEquals(q.text(), store.bucketPolicy("bkt").orElseThrow().text());
    store.deleteBucketPolicy("bkt");
    assertEquals(Optional.empty(), store.bucketPolicy("bkt"), "a delete empties the cache");
    store.deleteBucketPolicy("bkt"); // deleting none is no error
    reopen();
    assertEquals(Optional.empty(), store.bucketPolicy("bkt"));
  }

  @Test
  void aPublicAccessBlockIsStoredReplacedAndDeleted() {
    store.createBucket("bkt", "r", OWNER);
    assertEquals(Optional.empty(), store.publicAccessBlock("bkt"));
    PublicAccessBlock b = new PublicAccessBlock(true, false, true, false);
    store.putPublicAccessBlock("bkt", b);
    assertEquals(Optional.of(b), store.publicAccessBlock("bkt"));
    reopen();
    assertEquals(Optional.of(b), store.publicAccessBlock("bkt"));
    store.putPublicAccessBlock("bkt", PublicAccessBlock.ALL);
    assertEquals(Optional.of(PublicAccessBlock.ALL), store.publicAccessBlock("bkt"));
    store.deletePublicAccessBlock("bkt");
    assertEquals(Optional.empty(), store.publicAccessBlock("bkt"));
  }

  @Test
  void bothGoWithTheBucketAndABucketCreatedAgainHasNeither() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    store.putBucketPolicy("bkt", policy("bkt", "One"));
    store.putPublicAccessBlock("bkt", PublicAccessBlock.ALL);
    store.deleteBucket("bkt");
    assertEquals(Optional.empty(), store.bucketPolicy("bkt"));
    assertEquals(Optional.empty(), store.publicAccessBlock("bkt"));
    store.createBucket("bkt", "r", OWNER);
    assertEquals(Optional.empty(), store.bucketPolicy("bkt"));
    assertEquals(Optional.empty(), store.publicAccessBlock("bkt"));
    reopen();
    assertEquals(Optional.empty(), store.bucketPolicy("bkt"), "the records were deleted, not only forgotten");
    assertEquals(Optional.empty(), store.publicAccessBlock("bkt"));
  }

  @Test
  void aMissingBucketIsRefusedOnWritesAndHasNothingOnReads() throws Exception {
    assertEquals(Optional.empty(), store.bucketPolicy("nope"));
    assertEquals(Optional.empty(), store.publicAccessBlock("nope"));
    BucketPolicy p = policy("nope", "One");
    StorageException e = assertThrows(StorageException.class, () -> store.putBucketPolicy("nope", p));
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET, e.kind());
    e = assertThrows(StorageException.class, () -> store.putPublicAccessBlock("nope", PublicAccessBlock.ALL));
    assertEquals(StorageException.Kind.NO_SUCH_BUCKET, e.kind());
    // A bucket created after a read of its name found nothing is not answered from a stale cache entry.
    store.createBucket("nope", "r", OWNER);
    store.putBucketPolicy("nope", p);
    assertTrue(store.bucketPolicy("nope").isPresent());
  }

  @Test
  void aBackupHoldsThePolicyAndTheBlock() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    BucketPolicy p = policy("bkt", "One");
    store.putBucketPolicy("bkt", p);
    store.putPublicAccessBlock("bkt", PublicAccessBlock.ALL);
    Path into = elsewhere.resolve("backup");
    store.backups(List.of()).backup(into, Backups.Verify.QUICK, false, x -> { });
    store.close();
    store = TarnStore.open(new StorageOptions(into, THRESHOLD, false), sink, clock);
    assertEquals(p.text(), store.bucketPolicy("bkt").orElseThrow().text());
    assertEquals(Optional.of(PublicAccessBlock.ALL), store.publicAccessBlock("bkt"));
  }

  @Test
  void aDataDirectoryFromBeforePoliciesOpensWithNone() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "k", utf8("kept"));
    store.close();
    store = null;
    // What a build without bucket policies left: the same database without column family
    // "bucket_policies" (dropped here, with every other one opened as it was).
    Path meta = dir.resolve("meta");
    List<byte[]> names = new java.util.ArrayList<>();
    try (org.rocksdb.Options o = new org.rocksdb.Options()) {
      names.addAll(org.rocksdb.RocksDB.listColumnFamilies(o, meta.toString()));
    }
    int index = -1;
    List<org.rocksdb.ColumnFamilyDescriptor> descriptors = new java.util.ArrayList<>();
    try (org.rocksdb.UInt64AddOperator add = new org.rocksdb.UInt64AddOperator();
        org.rocksdb.ColumnFamilyOptions counters = new org.rocksdb.ColumnFamilyOptions().setMergeOperator(add)) {
      for (byte[] n : names) {
        if (java.util.Arrays.equals(n, utf8("bucket_policies"))) {
          index = descriptors.size();
        }
        descriptors.add(java.util.Arrays.equals(n, utf8("usage")) ? new org.rocksdb.ColumnFamilyDescriptor(n, counters)
            : new org.rocksdb.ColumnFamilyDescriptor(n));
      }
      assertTrue(index >= 0, "this build has the column family");
      List<org.rocksdb.ColumnFamilyHandle> handles = new java.util.ArrayList<>();
      try (org.rocksdb.DBOptions o = new org.rocksdb.DBOptions();
          org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(o, meta.toString(), descriptors, handles)) {
        db.dropColumnFamily(handles.get(index));
        handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
      }
    }
    try (org.rocksdb.Options o = new org.rocksdb.Options()) {
      assertTrue(org.rocksdb.RocksDB.listColumnFamilies(o, meta.toString()).stream()
          .noneMatch(n -> java.util.Arrays.equals(n, utf8("bucket_policies"))), "the old shape");
    }

    store = open();
    assertArrayEquals(utf8("kept"), read("bkt", "k"));
    assertEquals(Optional.empty(), store.bucketPolicy("bkt"));
    assertEquals(Optional.empty(), store.publicAccessBlock("bkt"));
    store.putBucketPolicy("bkt", policy("bkt", "One"));
    reopen();
    assertTrue(store.bucketPolicy("bkt").isPresent());
  }

  @Test
  void theServerOptionReadsNoneAllOrTheFourNames() {
    assertEquals(PublicAccessBlock.NONE, PublicAccessBlock.parse("none"));
    assertEquals(PublicAccessBlock.ALL, PublicAccessBlock.parse("all"));
    assertEquals(new PublicAccessBlock(false, false, true, true),
        PublicAccessBlock.parse("BlockPublicPolicy, restrictpublicbuckets"));
    assertThrows(IllegalArgumentException.class, () -> PublicAccessBlock.parse("BlockPublicPolicy,Nope"));
    assertEquals(PublicAccessBlock.ALL, new PublicAccessBlock(true, true, false, false)
        .or(new PublicAccessBlock(false, false, true, true)));
  }
}
