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
  public boolean isAdmin() {
    return role == Role.ADMIN;
  }
}
