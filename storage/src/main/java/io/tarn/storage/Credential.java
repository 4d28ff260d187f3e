package io.tarn.storage;

import java.util.Objects;

/**
 * The credential a request came with, as a key or token it creates records it: "created with".
 * Nothing a credential creates outlives it: the new credential's expiry is capped by this one's,
 * and disabling or deleting an access key revokes the tokens created with it (transitively).
 *
 * @param type an access key or an API token
 * @param id the access key id, or the token's id
 * @param userId the user the credential belongs to (a token's id is unique only within its user)
 */
public record Credential(Type type, String id, String userId) {
  /** The kinds of credential. */
  public enum Type {
    ACCESS_KEY,
    TOKEN
  }

  public Credential {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
  }

  public static Credential accessKey(String accessKeyId, String userId) {
    return new Credential(Type.ACCESS_KEY, accessKeyId, userId);
  }

  public static Credential token(String tokenId, String userId) {
    return new Credential(Type.TOKEN, tokenId, userId);
  }

  /** How messages name it: {@code access key TK…} or {@code API token 0123…}. */
  public String describe() {
    return (type == Type.ACCESS_KEY ? "access key " : "API token ") + id;
  }
}
