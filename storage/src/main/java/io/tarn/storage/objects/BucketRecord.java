package io.tarn.storage.objects;

import io.tarn.storage.BucketInfo;
import io.tarn.storage.meta.Codec;
import java.time.Instant;

/** A bucket as stored in the {@code buckets} column family (keyed by name). */
public record BucketRecord(String ownerId, String region, long createdMillis) {
  static final int FORMAT = 1;

  byte[] encode() {
    return new Codec.Out(FORMAT).string(ownerId).string(region).i64(createdMillis).toBytes();
  }

  static BucketRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "bucket", FORMAT);
    BucketRecord r = new BucketRecord(in.string(), in.string(), in.i64());
    in.end();
    return r;
  }

  BucketInfo toInfo(String name) {
    return new BucketInfo(name, ownerId, region, Instant.ofEpochMilli(createdMillis));
  }
}
