package io.tarn.core;

/**
 * S3 event names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html).
 * {@link #wireName()} is the name as it appears in an event record, without the {@code s3:} prefix.
 */
public enum EventName {
  OBJECT_CREATED_PUT("ObjectCreated:Put"),
  OBJECT_CREATED_POST("ObjectCreated:Post"),
  OBJECT_CREATED_COPY("ObjectCreated:Copy"),
  OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD("ObjectCreated:CompleteMultipartUpload"),
  OBJECT_REMOVED_DELETE("ObjectRemoved:Delete"),
  OBJECT_REMOVED_DELETE_MARKER_CREATED("ObjectRemoved:DeleteMarkerCreated"),
  OBJECT_TAGGING_PUT("ObjectTagging:Put"),
  OBJECT_TAGGING_DELETE("ObjectTagging:Delete"),
  LIFECYCLE_EXPIRATION_DELETE("LifecycleExpiration:Delete"),
  LIFECYCLE_EXPIRATION_DELETE_MARKER_CREATED("LifecycleExpiration:DeleteMarkerCreated"),
  TEST_EVENT("TestEvent");

  private final String wireName;

  EventName(String wireName) {
    this.wireName = wireName;
  }

  /** e.g. {@code ObjectCreated:Put}. */
  public String wireName() {
    return wireName;
  }

  /** e.g. {@code s3:ObjectCreated:Put}. */
  public String qualifiedName() {
    return "s3:" + wireName;
  }

  /** The family before the colon, e.g. {@code ObjectCreated}. */
  public String family() {
    int i = wireName.indexOf(':');
    return i < 0 ? wireName : wireName.substring(0, i);
  }
}
