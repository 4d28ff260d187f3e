package io.tarn.console.admin;

import java.util.List;

/**
 * The JSON objects of the admin API (admin-api.md), as records: Jackson writes their fields in
 * declaration order, which is the contract's order, and clients rely on the names.
 */
final class Views {
  private Views() {}

  /** {@code email}: the user's e-mail address (what S3 ACL grants by e-mail resolve to), null for none. */
  record User(String id, String name, String email, String role, boolean enabled, String created, long buckets) {}

  /** {@code createdWith}: the access key id (or {@code token:<id>}) that created it; null if not recorded. */
  record Key(String accessKeyId, String user, String userId, boolean enabled, String created, String expires,
      boolean expired, String createdWith) {}

  /** Only in the response that creates the key: the one time its secret is handed out. */
  record NewKey(String accessKeyId, String user, String userId, boolean enabled, String created, String expires,
      boolean expired, String createdWith, String secretAccessKey) {}

  /** A personal API token, never with its value (only its creation response had that). */
  record Token(String id, String name, String user, String userId, String created, String expires, boolean expired,
      String createdWith) {}

  record Tokens(List<Token> tokens) {}

  record Grant(String user, String permission) {}

  /**
   * {@code access}: what the caller may do with it, {@code owner}, {@code admin} (an admin's bucket of
   * someone else), {@code read-write} or {@code read} (a grant). {@code grants}: only for its owner and
   * admins (who decide them); absent for a user that was granted the bucket.
   */
  record Bucket(String name, String owner, String ownerId, String created, String region, long objects, long bytes,
      String access,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      List<Grant> grants) {}

  record Whoami(User user, String accessKeyId) {}

  record Info(String version, long uptimeSeconds, String dataDir, long diskFreeBytes, long diskTotalBytes,
      long buckets, long objects, long bytes, long users,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      Long notificationBacklog,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      InfoViews.Webhooks webhooks,
      List<InfoViews.Error> recentErrors) {}

  record Users(List<User> users) {}

  record Keys(List<Key> keys) {}

  record Buckets(List<Bucket> buckets) {}

  /** A damaged blob; {@code uploadId} only for a part of an upload in progress, {@code part} 0 for a single-part object. */
  record Damaged(String blobId, String bucket, String key,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      String uploadId, int part, String problem, String detail, String detected, String foundBy) {}

  record Damage(long detectionsSinceStart, List<Damaged> damaged) {}

  record ScrubResult(long objects, long uploadParts, long blobs, long bytes, long inline, long tookMillis,
      List<Damaged> damaged) {}

  /** An on-demand scrub: {@code state} running, done or failed; {@code result} once done. */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record ScrubJob(long id, String state, String bucket, String started, String finished, ScrubResult result,
      String error) {}

  record BackupProgressView(String phase, long done, long total, long bytes) {}

  /** A problem the verification found: an fsck finding's kind, the blob concerned (or null) and what. */
  record BackupProblem(String kind, String blobId, String detail) {}

  /** {@code blobs}: {@code hard-linked}, {@code copied} or {@code none}. */
  record BackupResult(String dir, String blobs, long buckets, long objects, long inlineObjects, long objectBytes,
      long blobFiles, long blobBytes, long indexBytes, List<String> files, long heldDeletions, long verifiedBlobs,
      long verifiedBytes, long checkpointMillis, long tookMillis, List<BackupProblem> problems) {}

  /** A backup: {@code state} running, done or failed; {@code result} once it ran to the end (also if its verification failed). */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record BackupJob(long id, String state, String dir, String verify, String started, String finished,
      BackupProgressView progress, BackupResult result, String error) {}
}
