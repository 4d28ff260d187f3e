package io.tarn.storage;

/**
 * Conditional-write headers, evaluated under the key's lock against the current object
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 *
 * @param ifMatch the ETag (without quotes) the current object must have, or {@code null}; a missing
 *     object fails with {@link StorageException.Kind#NO_SUCH_KEY}
 * @param ifNoneMatchAny {@code If-None-Match: *}: fails with PRECONDITION_FAILED if the key exists
 */
public record WriteCondition(String ifMatch, boolean ifNoneMatchAny) {
  public static final WriteCondition NONE = new WriteCondition(null, false);
}
