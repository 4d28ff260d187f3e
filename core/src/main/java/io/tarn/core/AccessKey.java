package io.tarn.core;

/**
 * A secret that signs requests, and whom it belongs to.
 *
 * @param accessKeyId the public id (the SigV4 credential's first component)
 * @param secretKey the secret
 * @param principal the user it authenticates as
 */
public record AccessKey(String accessKeyId, String secretKey, Principal principal) {
  @Override
  public String toString() {
    return "AccessKey[" + accessKeyId + " of " + principal.displayName() + "]";
  }
}
