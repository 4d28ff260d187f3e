package io.tarn.core;

/**
 * An authenticated caller.
 *
 * @param userId canonical user id (64 lower-case hex characters, as S3 canonical ids)
 * @param displayName the user's name
 * @param accessKeyId the access key the request was signed with
 * @param role the user's role
 */
public record Principal(String userId, String displayName, String accessKeyId, Role role) {
  /**
   * The caller of an unsigned request. Its user id is empty, so it owns nothing and matches no user's
   * grant: only what is granted to everyone (S3's AllUsers group, a policy with {@code "Principal": "*"})
   * applies to it (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-overview.html).
   */
  private static final Principal ANONYMOUS = new Principal("", "anonymous", null, Role.USER);

  /** The caller of an unsigned request. */
  public static Principal anonymous() {
    return ANONYMOUS;
  }

  /** Whether this is the caller of an unsigned request. */
  public boolean isAnonymous() {
    return userId.isEmpty();
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }
}
