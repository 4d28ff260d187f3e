package io.tarn.storage;

import io.tarn.storage.access.ObjectOwnership;
import java.time.Instant;

/**
 * A bucket.
 *
 * @param name bucket name
 * @param ownerId canonical id of the owner
 * @param region the region it was created in (LocationConstraint)
 * @param created creation time
 * @param incarnation which bucket of this name it is (see {@link BucketRef})
 * @param ownership its Object Ownership setting, or null when it has none (it then behaves as
 *     {@link ObjectOwnership#OBJECT_WRITER}: {@link #effectiveOwnership()})
 */
public record BucketInfo(String name, String ownerId, String region, Instant created, String incarnation,
    ObjectOwnership ownership) {
  public BucketInfo(String name, String ownerId, String region, Instant created, String incarnation) {
    this(name, ownerId, region, created, incarnation, null);
  }

  /** The setting in force. */
  public ObjectOwnership effectiveOwnership() {
    return ownership == null ? ObjectOwnership.OBJECT_WRITER : ownership;
  }

  /** This bucket, as a write authorized against it names it. */
  public BucketRef ref() {
    return new BucketRef(name, incarnation);
  }
}
