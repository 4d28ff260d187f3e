package io.tarn.storage.objects;

import io.tarn.core.Ids;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.access.ObjectOwnership;
import io.tarn.storage.meta.Codec;
import java.time.Instant;

/**
 * A bucket as stored in the {@code buckets} column family (keyed by name).
 *
 * @param incarnation which bucket of this name it is: a bucket deleted and created again under the
 *     same name is another incarnation, so a write authorized against the first can never commit into
 *     the second ({@link StoreContext#requireBucket(io.tarn.storage.BucketRef)})
 * @param ownership its Object Ownership setting, or null when it has none (S3's
 *     {@code DeleteBucketOwnershipControls}; every bucket of an earlier build), which behaves as
 *     {@link ObjectOwnership#OBJECT_WRITER}: what those buckets did, their objects owned by their writers
 */
public record BucketRecord(String ownerId, String region, long createdMillis, String incarnation,
    ObjectOwnership ownership) {
  /**
   * Format 2 adds the incarnation. A format 1 record gets {@link #legacyIncarnation}: derived from
   * what it stores, so it is the same on every read and across restarts, and it cannot equal a random
   * one of format 2 (those are 32 hex digits). Format 3 adds the ownership setting (by S3 name).
   */
  static final int FORMAT = 3;

  public BucketRecord(String ownerId, String region, long createdMillis, String incarnation) {
    this(ownerId, region, createdMillis, incarnation, null);
  }

  /** A new incarnation: 128 random bits, never reused. */
  static BucketRecord created(String ownerId, String region, long createdMillis, ObjectOwnership ownership) {
    return new BucketRecord(ownerId, region, createdMillis, Ids.random128(), ownership);
  }

  /** The same incarnation with another owner (reassigning a deleted user's buckets). */
  public BucketRecord withOwner(String newOwnerId) {
    return new BucketRecord(newOwnerId, region, createdMillis, incarnation, ownership);
  }

  /** The same bucket with another ownership setting (null: none). */
  public BucketRecord withOwnership(ObjectOwnership newOwnership) {
    return new BucketRecord(ownerId, region, createdMillis, incarnation, newOwnership);
  }

  /** The setting in force: the stored one, or ObjectWriter when there is none. */
  public ObjectOwnership effectiveOwnership() {
    return ownership == null ? ObjectOwnership.OBJECT_WRITER : ownership;
  }

  static String legacyIncarnation(long createdMillis) {
    return "v1-" + createdMillis;
  }

  byte[] encode() {
    return new Codec.Out(FORMAT).string(ownerId).string(region).i64(createdMillis).string(incarnation)
        .string(ownership == null ? null : ownership.s3Name()).toBytes();
  }

  static BucketRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "bucket", 1, FORMAT);
    String owner = in.string();
    String region = in.string();
    long created = in.i64();
    String incarnation = in.format() >= 2 ? in.requiredString() : legacyIncarnation(created);
    ObjectOwnership ownership = null;
    if (in.format() >= 3) {
      String name = in.string();
      ownership = name == null ? null : ObjectOwnership.fromS3(name);
      if (name != null && ownership == null) {
        throw in.corrupt("unknown object ownership " + name);
      }
    }
    in.end();
    return new BucketRecord(owner, region, created, incarnation, ownership);
  }

  BucketInfo toInfo(String name) {
    return new BucketInfo(name, ownerId, region, Instant.ofEpochMilli(createdMillis), incarnation, ownership);
  }
}
