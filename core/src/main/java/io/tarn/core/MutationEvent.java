package io.tarn.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One committed change to an object, staged in the same metadata write batch as the change itself.
 *
 * @param bucket bucket name
 * @param key object key
 * @param versionId version id, or {@code null} for an unversioned bucket
 * @param eventName what happened
 * @param size object size in bytes (0 for removals)
 * @param eTag the object's ETag without quotes ({@code null} for removals)
 * @param contentType content type ({@code null} for removals)
 * @param sequencer fixed-width hex from a persisted monotonic counter; string order is commit order
 *     for one key (taken under its lock), while mutations of different keys may commit in another
 *     order than they took their sequencers
 * @param time commit time
 * @param requestId the S3 request id that caused it
 * @param principalId the canonical id of the caller
 * @param sourceIp the caller's IP address as text
 * @param replacedExisting whether the write replaced (or the delete removed) an existing object
 * @param bucketOwnerId the canonical id of the bucket's owner at the time, or {@code null} if unknown
 */
public record MutationEvent(
    String bucket,
    String key,
    String versionId,
    EventName eventName,
    long size,
    String eTag,
    String contentType,
    String sequencer,
    Instant time,
    String requestId,
    String principalId,
    String sourceIp,
    boolean replacedExisting,
    String bucketOwnerId) {

  public MutationEvent {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(sequencer, "sequencer");
    Objects.requireNonNull(time, "time");
  }

  /** Formats a counter value as a sequencer: 16 upper-case hex digits, so string order is numeric order. */
  public static String sequencer(long counter) {
    if (counter < 0) {
      throw new IllegalArgumentException("negative sequencer");
    }
    return String.format(java.util.Locale.ROOT, "%016X", counter);
  }
}
