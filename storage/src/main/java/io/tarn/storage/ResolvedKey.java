package io.tarn.storage;

/**
 * An access key with its decrypted secret and its user, as request authentication needs it.
 *
 * @param key the key
 * @param user its user
 * @param secretAccessKey the secret
 */
public record ResolvedKey(AccessKeyInfo key, UserInfo user, String secretAccessKey) {
  /**
   * Whether the key may authenticate at {@code now}: it is enabled and not expired, and so is its user
   * (the conditions under which the S3 front end refuses a signature; deleted keys are not resolved).
   */
  public boolean usableAt(java.time.Instant now) {
    return key.enabled() && !key.expiredAt(now) && user.enabled();
  }

  /** Who a request authenticated with this key is. */
  public io.tarn.core.Principal principal() {
    return new io.tarn.core.Principal(user.id(), user.name(), key.accessKeyId(), user.role());
  }

  @Override
  public String toString() {
    return "ResolvedKey[" + key.accessKeyId() + " of " + user.name() + ", secret hidden]";
  }
}
