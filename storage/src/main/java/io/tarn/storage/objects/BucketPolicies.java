package io.tarn.storage.objects;

import io.tarn.storage.PublicAccessBlock;
import io.tarn.storage.StorageException;
import io.tarn.storage.access.policy.BucketPolicy;
import io.tarn.storage.access.policy.MalformedPolicyException;
import io.tarn.storage.meta.Codec;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.Keys;
import io.tarn.storage.meta.MetaStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Buckets' policies and public access block configurations, in column family {@code bucket_policies}:
 * key {@code bucket 0x00 'p'} holds a {@linkplain #encodePolicy policy record} (the text as put), key
 * {@code bucket 0x00 'b'} a {@linkplain #encodeBlock block record} (the four settings). Each is its own
 * record, written in its own batch and deleted in the batch that deletes the bucket; a RocksDB
 * checkpoint (backups) carries them like every other column family.
 *
 * <p>Every S3 request of a bucket asks for both, so they are read through a cache of the parsed
 * {@link BucketPolicy}: a hit is one map lookup and never parses JSON. A bucket that does not exist
 * is not cached (a request naming a random bucket must not grow the map). Misses, and the
 * invalidations that follow every change, run under one lock: a miss that read the record before a
 * change committed is cached before that change removes it, never after.
 */
public final class BucketPolicies {
  static final int FORMAT = 1;
  private static final byte POLICY = 'p';
  private static final byte BLOCK = 'b';

  /** What the cache holds for one existing bucket; {@code policy} and {@code block} may be null. */
  private record Cached(BucketPolicy policy, PublicAccessBlock block, String unreadable) {}

  private static final Cached NOTHING = new Cached(null, null, null);

  private final StoreContext c;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
  private final Object loading = new Object();

  public BucketPolicies(StoreContext c) {
    this.c = c;
  }

  // ---- records

  static byte[] key(String bucket, byte kind) {
    return Keys.concat(ObjectTables.bucketPrefix(bucket), new byte[] {kind});
  }

  /** Format 1: the policy's text, UTF-8. */
  static byte[] encodePolicy(String text) {
    return new Codec.Out(FORMAT).string(text).toBytes();
  }

  static String decodePolicy(byte[] v) {
    Codec.In in = new Codec.In(v, "bucket policy", FORMAT);
    String text = in.requiredString();
    in.end();
    return text;
  }

  /** Format 1: the four settings as the bits of {@link PublicAccessBlock#bits()}. */
  static byte[] encodeBlock(PublicAccessBlock b) {
    return new Codec.Out(FORMAT).u8(b.bits()).toBytes();
  }

  static PublicAccessBlock decodeBlock(byte[] v) {
    Codec.In in = new Codec.In(v, "public access block", FORMAT);
    int bits = in.u8();
    if ((bits & ~0xF) != 0) {
      throw in.corrupt("unknown public access block bits " + bits);
    }
    in.end();
    return PublicAccessBlock.ofBits(bits);
  }

  // ---- reads (the hot path)

  /**
   * The bucket's policy, parsed once. Empty without a policy or without the bucket.
   *
   * @throws StorageException IO if the stored policy no longer parses (a later build stricter than the
   *     one that stored it): refusing the bucket's requests is the safe answer; deleting the policy is
   *     the way out
   */
  public Optional<BucketPolicy> policy(String bucket) {
    Cached got = cached(bucket);
    if (got.unreadable != null) {
      throw new StorageException(StorageException.Kind.IO, got.unreadable);
    }
    return Optional.ofNullable(got.policy);
  }

  /** The bucket's own public access block configuration; empty without one or without the bucket. */
  public Optional<PublicAccessBlock> block(String bucket) {
    return Optional.ofNullable(cached(bucket).block);
  }

  private Cached cached(String bucket) {
    Cached hit = cache.get(bucket);
    return hit != null ? hit : load(bucket);
  }

  private Cached load(String bucket) {
    synchronized (loading) {
      Cached hit = cache.get(bucket);
      if (hit != null) {
        return hit;
      }
      if (c.tables().bucket(bucket) == null) {
        return NOTHING;
      }
      byte[] p = c.meta().get(ColumnFamily.BUCKET_POLICIES, key(bucket, POLICY));
      byte[] b = c.meta().get(ColumnFamily.BUCKET_POLICIES, key(bucket, BLOCK));
      BucketPolicy policy = null;
      String unreadable = null;
      if (p != null) {
        try {
          policy = BucketPolicy.parse(decodePolicy(p), bucket);
        } catch (MalformedPolicyException e) {
          unreadable = "the stored policy of bucket " + bucket + " does not parse (" + e.getMessage()
              + "): its requests are refused until the policy is deleted or put again";
        }
      }
      Cached loaded = new Cached(policy, b == null ? null : decodeBlock(b), unreadable);
      cache.put(bucket, loaded);
      return loaded;
    }
  }

  // ---- writes

  /** PutBucketPolicy: {@code policy} was parsed for this bucket. NO_SUCH_BUCKET. */
  public void putPolicy(String bucket, BucketPolicy policy) {
    write(bucket, POLICY, encodePolicy(policy.text()), "put the policy of bucket ");
  }

  /** DeleteBucketPolicy; deleting none is not an error (S3 answers 204 either way). NO_SUCH_BUCKET. */
  public void deletePolicy(String bucket) {
    write(bucket, POLICY, null, "delete the policy of bucket ");
  }

  /** PutPublicAccessBlock. NO_SUCH_BUCKET. */
  public void putBlock(String bucket, PublicAccessBlock block) {
    write(bucket, BLOCK, encodeBlock(block), "put the public access block of bucket ");
  }

  /** DeletePublicAccessBlock. NO_SUCH_BUCKET. */
  public void deleteBlock(String bucket) {
    write(bucket, BLOCK, null, "delete the public access block of bucket ");
  }

  private void write(String bucket, byte kind, byte[] value, String what) {
    try (Locks.Held h = c.locks().bucketExclusive(bucket)) {
      c.requireBucket(bucket);
      try (MetaStore.Batch batch = c.meta().batch()) {
        if (value == null) {
          batch.delete(ColumnFamily.BUCKET_POLICIES, key(bucket, kind));
        } else {
          batch.put(ColumnFamily.BUCKET_POLICIES, key(bucket, kind), value);
        }
        c.meta().commit(batch, what + bucket);
      } finally {
        invalidate(bucket); // also after a failed commit, whose outcome may be unknown
      }
    }
  }

  /** Stages the removal of the bucket's records into the batch that deletes it. */
  public void stageBucketDeleted(MetaStore.Batch batch, String bucket) {
    batch.delete(ColumnFamily.BUCKET_POLICIES, key(bucket, POLICY));
    batch.delete(ColumnFamily.BUCKET_POLICIES, key(bucket, BLOCK));
  }

  /** Forgets what the cache holds for {@code bucket}: after any change of its records or its deletion. */
  public void invalidate(String bucket) {
    synchronized (loading) {
      cache.remove(bucket);
    }
  }
}
