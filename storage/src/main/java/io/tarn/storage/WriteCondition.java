package io.tarn.storage;

import java.time.Instant;

/**
 * The conditions of a conditional write or delete, evaluated under the key's lock against the current
 * object, so that nothing can change it between the check and the commit
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html).
 *
 * @param ifMatch the ETag (without quotes) the current object must have, or {@code *} for any, or
 *     {@code null}; a missing object fails with {@link StorageException.Kind#NO_SUCH_KEY}
 * @param ifNoneMatchAny {@code If-None-Match: *}: fails with PRECONDITION_FAILED if the key exists
 * @param ifMatchSize the size the current object must have ({@code x-amz-if-match-size} on
 *     DeleteObject, {@code Size} in DeleteObjects), or {@code null}; no condition on a missing object
 * @param ifMatchLastModified the last-modified time the current object must have, compared to the
 *     second as HTTP dates are ({@code x-amz-if-match-last-modified-time}, {@code LastModifiedTime}),
 *     or {@code null}; no condition on a missing object
 */
public record WriteCondition(String ifMatch, boolean ifNoneMatchAny, Long ifMatchSize, Instant ifMatchLastModified) {
  public static final WriteCondition NONE = new WriteCondition(null, false);

  /** The conditions of a write: If-Match and If-None-Match only. */
  public WriteCondition(String ifMatch, boolean ifNoneMatchAny) {
    this(ifMatch, ifNoneMatchAny, null, null);
  }

  /** The conditions of a delete (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html). */
  public static WriteCondition ofDelete(String ifMatch, Long ifMatchSize, Instant ifMatchLastModified) {
    return ifMatch == null && ifMatchSize == null && ifMatchLastModified == null ? NONE
        : new WriteCondition(ifMatch, false, ifMatchSize, ifMatchLastModified);
  }
}
