package io.tarn.core;

/**
 * S3 event names: every value S3 accepts in a notification configuration
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_LambdaFunctionConfiguration.html, "Valid
 * Values"; https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html).
 * {@link #wireName()} is the name as it appears in an event record, without the {@code s3:} prefix.
 *
 * <p>{@link #emitted()} is THE list of what this server can send: a rule may only subscribe to names it
 * can deliver, so that a configuration never promises events that never come. Turn a name's flag on in
 * the same change that makes the storage layer (or the S3 front end) emit it.
 */
public enum EventName {
  OBJECT_CREATED_PUT("ObjectCreated:Put", true),
  /** POST Object, a browser form upload. */
  OBJECT_CREATED_POST("ObjectCreated:Post", true),
  OBJECT_CREATED_COPY("ObjectCreated:Copy", true),
  OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD("ObjectCreated:CompleteMultipartUpload", true),
  OBJECT_REMOVED_DELETE("ObjectRemoved:Delete", true),
  /** Buckets are not versioned: a delete never leaves a delete marker. */
  OBJECT_REMOVED_DELETE_MARKER_CREATED("ObjectRemoved:DeleteMarkerCreated", false),
  /** No tagging API yet. */
  OBJECT_TAGGING_PUT("ObjectTagging:Put", false),
  OBJECT_TAGGING_DELETE("ObjectTagging:Delete", false),
  /** No per-object ACLs. */
  OBJECT_ACL_PUT("ObjectAcl:Put", false),
  /** No lifecycle rules. */
  LIFECYCLE_EXPIRATION_DELETE("LifecycleExpiration:Delete", false),
  LIFECYCLE_EXPIRATION_DELETE_MARKER_CREATED("LifecycleExpiration:DeleteMarkerCreated", false),
  LIFECYCLE_TRANSITION("LifecycleTransition", false),
  /** No archive storage classes, so nothing to restore or tier. */
  OBJECT_RESTORE_POST("ObjectRestore:Post", false),
  OBJECT_RESTORE_COMPLETED("ObjectRestore:Completed", false),
  OBJECT_RESTORE_DELETE("ObjectRestore:Delete", false),
  INTELLIGENT_TIERING("IntelligentTiering", false),
  REDUCED_REDUNDANCY_LOST_OBJECT("ReducedRedundancyLostObject", false),
  /** No replication. */
  REPLICATION_OPERATION_FAILED_REPLICATION("Replication:OperationFailedReplication", false),
  REPLICATION_OPERATION_MISSED_THRESHOLD("Replication:OperationMissedThreshold", false),
  REPLICATION_OPERATION_REPLICATED_AFTER_THRESHOLD("Replication:OperationReplicatedAfterThreshold", false),
  REPLICATION_OPERATION_NOT_TRACKED("Replication:OperationNotTracked", false),
  /** Sent on request to one rule (the webhooks API's test), never by a mutation. */
  TEST_EVENT("TestEvent", true);

  private final String wireName;
  private final boolean emitted;

  EventName(String wireName, boolean emitted) {
    this.wireName = wireName;
    this.emitted = emitted;
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

  /** Whether this server ever sends an event of this name today. */
  public boolean emitted() {
    return emitted;
  }
}
