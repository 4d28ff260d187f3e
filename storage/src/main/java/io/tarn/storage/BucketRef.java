package io.tarn.storage;

import java.util.Objects;

/**
 * One incarnation of a bucket: the bucket a write was authorized against. A bucket deleted and
 * created again under the same name (by anyone) is another incarnation, so a write that names this
 * one fails with NO_SUCH_BUCKET instead of committing into the new bucket. Take it from
 * {@link BucketInfo#ref()} (or {@link ObjectStore#ref}) before authorizing the request, and pass it to
 * the write when it commits, however long the body took to arrive.
 *
 * @param name bucket name
 * @param incarnation the id the bucket got when it was created
 */
public record BucketRef(String name, String incarnation) {
  public BucketRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(incarnation, "incarnation");
  }
}
