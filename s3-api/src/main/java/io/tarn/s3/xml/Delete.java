package io.tarn.s3.xml;

import java.util.List;

/**
 * The DeleteObjects request body
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html#API_DeleteObjects_RequestBody).
 *
 * @param quiet report only failures
 * @param objects 1..1000 objects, in request order
 */
public record Delete(boolean quiet, List<ObjectIdentifier> objects) {
  public static final int MAX_OBJECTS = 1000;

  public Delete {
    objects = List.copyOf(objects);
  }

  /**
   * @param key object key (not yet validated: the handler reports a bad key per object)
   * @param versionId version id, or {@code null}
   * @param eTag the ETag the object must have (conditional delete), without quotes, {@code *} for any,
   *     or {@code null}
   * @param size the {@code Size} the object must have, as sent (the handler validates it), or {@code null}
   * @param lastModifiedTime the {@code LastModifiedTime} the object must have, as sent, or {@code null}
   */
  public record ObjectIdentifier(String key, String versionId, String eTag, String size, String lastModifiedTime) {
    public ObjectIdentifier(String key, String versionId, String eTag) {
      this(key, versionId, eTag, null, null);
    }
  }
}
