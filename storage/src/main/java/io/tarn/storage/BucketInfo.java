package io.tarn.storage;

import java.time.Instant;

/**
 * A bucket.
 *
 * @param name bucket name
 * @param ownerId canonical id of the owner
 * @param region the region it was created in (LocationConstraint)
 * @param created creation time
 */
public record BucketInfo(String name, String ownerId, String region, Instant created) {}
