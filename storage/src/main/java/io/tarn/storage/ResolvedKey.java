package io.tarn.storage;

/**
 * An access key with its decrypted secret and its user, as request authentication needs it.
 *
 * @param key the key
 * @param user its user
 * @param secretAccessKey the secret
 */
public record ResolvedKey(AccessKeyInfo key, UserInfo user, String secretAccessKey) {
  @Override
  public String toString() {
    return "ResolvedKey[" + key.accessKeyId() + " of " + user.name() + ", secret hidden]";
  }
}
