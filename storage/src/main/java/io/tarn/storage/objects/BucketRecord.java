package io.tarn.storage.objects;

import io.tarn.core.Ids;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.meta.Codec;
import java.time.Instant;

/**
 * A bucket as stored in the {@code buckets} column family (keyed by name).
 *
 * @param incarnation which bucket of this name it is: a bucket deleted and created again under the
 *     same name is another incarnation, so a write authorized against the first can never commit into
 *     the second ({@link StoreContext#requireBucket(io.tarn.storage.BucketRef)})
 */
public record BucketRecord(String ownerId, String region, long createdMillis, String incarnation) {
  /**
   * Format 2 adds the incarnation. A format 1 record gets {@link #legacyIncarnation}: derived from
   * what it stores, so it is the same on every read and across restarts, and it cannot equal a random
   * one of format 2 (those are 32 hex digits).
   */
  static final int FORMAT = 2;

  /** A new incarnation: 128 random bits, never reused. */
  static BucketRecord created(String ownerId, String region, long createdMillis) {
    return new BucketRecord(ownerId, region, createdMillis, Ids.random128());
  }

  /** The same incarnation with another owner (reassigning a deleted user's buckets). */
  public BucketRecord withOwner(String newOwnerId) {
    return new BucketRecord(newOwnerId, region, createdMillis, incarnation);
  }

  static String legacyIncarnation(long createdMillis) {
    return "v1-" + createdMillis;
  }

  byte[] encode() {
    return new Codec.Out(FORMAT).string(ownerId).string(region).i64(createdMillis).string(incarnation).toBytes();
  }

  static BucketRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "bucket", 1, FORMAT);
    String owner = in.string();
    String region = in.string();
    long created = in.i64();
    String incarnation = in.format() >= 2 ? in.requiredString() : legacyIncarnation(created);
    in.end();
    return new BucketRecord(owner, region, created, incarnation);
  }

  BucketInfo toInfo(String name) {
    return new BucketInfo(name, ownerId, region, Instant.ofEpochMilli(createdMillis), incarnation);
  }
}
