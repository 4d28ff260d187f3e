package io.tarn.storage;

import java.time.Instant;

/**
 * A bucket.
 *
 * @param name bucket name
 * @param ownerId canonical id of the owner
 * @param region the region it was created in (LocationConstraint)
 * @param created creation time
 * @param incarnation which bucket of this name it is (see {@link BucketRef})
 */
public record BucketInfo(String name, String ownerId, String region, Instant created, String incarnation) {
  /** This bucket, as a write authorized against it names it. */
  public BucketRef ref() {
    return new BucketRef(name, incarnation);
  }
}
