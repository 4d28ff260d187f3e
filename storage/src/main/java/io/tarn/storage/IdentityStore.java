package io.tarn.storage;

import io.tarn.core.Role;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Users, their access keys and who may use which bucket, kept in the metadata store next to the
 * buckets they refer to. Secrets are stored only sealed with the master key. Every mutation is one
 * synced write batch and takes effect for the very next request ({@link #resolve} never serves a
 * stale entry). Failures are {@link StorageException}s whose message names the user, key or bucket.
 */
public interface IdentityStore {
  // ---- users

  /** Creates a user without an e-mail address. CONFLICT if the name is taken, INVALID_ARGUMENT if it is not a valid name. */
  default UserInfo createUser(String name, Role role) {
    return createUser(name, role, null);
  }

  /**
   * Creates a user with an e-mail address ({@code email}: null or "" for none). CONFLICT if the name or
   * the address (in any case) is taken, INVALID_ARGUMENT if either is not valid ({@link EmailAddress}).
   */
  UserInfo createUser(String name, Role role, String email);

  /**
   * Sets the user's e-mail address, or clears it ({@code email} null or ""). NOT_FOUND for an unknown
   * user, CONFLICT if another user has the address (compared case-insensitively), INVALID_ARGUMENT if
   * it is not a valid address ({@link EmailAddress}).
   */
  UserInfo setUserEmail(String userId, String email);

  /**
   * The user whose e-mail address is {@code email}, compared case-insensitively (how S3 ACL grants by
   * e-mail address name their grantee); empty for none or an invalid address.
   */
  Optional<UserInfo> userByEmail(String email);

  /**
   * At every start: makes sure user {@code userId} exists as an admin (created with {@code name},
   * or {@code name + "-root"} if that name is taken) and that {@code accessKeyId} is one of its keys
   * with {@code secret}. A different key recorded as the root key by an earlier start is deleted, so
   * rotating the root credentials revokes the old ones.
   */
  UserInfo bootstrapRoot(String userId, String name, String accessKeyId, String secret);

  /** A user by id, else by name. */
  Optional<UserInfo> user(String idOrName);

  /** All users, by name. */
  List<UserInfo> users();

  /** NOT_FOUND if there is no such user. */
  UserInfo setUserEnabled(String userId, boolean enabled);

  /**
   * Deletes a user with its keys and the grants it holds. CONFLICT if it still owns buckets and
   * {@code reassignTo} is null; otherwise its buckets pass to {@code reassignTo} in the same batch.
   */
  void deleteUser(String userId, String reassignTo);

  // ---- access keys

  /** A new key for {@code userId}, expiring at {@code expires} (null: never), with no recorded creator. */
  default NewAccessKey createKey(String userId, Instant expires) {
    return createKey(userId, expires, null);
  }

  /**
   * A new key for {@code userId}, created with {@code createdWith} (the credential of the request;
   * null: the server itself), which it is recorded with. Nothing a credential creates outlives it:
   * when {@code createdWith} (or a credential up its chain) expires, a null {@code expires} becomes
   * that expiry and a later one is INVALID_ARGUMENT naming it; this holds for keys an admin creates
   * for other users too. NOT_FOUND if {@code createdWith} can no longer act.
   */
  NewAccessKey createKey(String userId, Instant expires, Credential createdWith);

  /** Keys of {@code userId}, or of all users when null; oldest first. */
  List<AccessKeyInfo> keys(String userId);

  Optional<AccessKeyInfo> key(String accessKeyId);

  /**
   * Disabling a key also revokes (deletes) every API token created with it, and the tokens those
   * created, in the same batch: enabling it again does not bring them back.
   */
  AccessKeyInfo setKeyEnabled(String accessKeyId, boolean enabled);

  /** Sets or (with null) clears the expiry. */
  AccessKeyInfo setKeyExpiry(String accessKeyId, Instant expires);

  /** Deletes the key and, as disabling it does, the tokens created with it. */
  void deleteKey(String accessKeyId);

  /**
   * The key, its user and its secret, for authenticating a request; cheap (cached, the cache
   * dropped by every mutation). Disabled and expired keys and disabled users are returned too: the
   * caller decides which error to answer.
   */
  Optional<ResolvedKey> resolve(String accessKeyId);

  // ---- API tokens (bearer credentials of Tarn's JSON APIs)

  /**
   * A new personal API token for {@code userId}: {@code tarn_} and 32 random bytes in URL-safe
   * base64. Only its SHA-256 is stored, so the value is handed out this once. {@code name} is
   * required (1 to 64 characters, no control characters: INVALID_ARGUMENT); {@code expires} null
   * means never. NOT_FOUND for an unknown user, CONFLICT when it has {@link #MAX_TOKENS_PER_USER}.
   * No recorded creator.
   */
  default NewApiToken createToken(String userId, String name, Instant expires) {
    return createToken(userId, name, expires, null);
  }

  /**
   * {@link #createToken(String, String, Instant)} made with {@code createdWith}, recorded on the
   * token; its expiry is capped as {@link #createKey(String, Instant, Credential)}'s is. Disabling
   * or deleting that key (or revoking that token) revokes this one.
   */
  NewApiToken createToken(String userId, String name, Instant expires, Credential createdWith);

  /** Most tokens one user may hold. */
  int MAX_TOKENS_PER_USER = 100;

  /**
   * The token with this value (a lookup of its hash). Expired tokens are returned too: the caller
   * decides which error to answer; the expiry returned is the earliest of the token's and of the
   * credentials up its creation chain. A token whose creator was disabled or deleted is empty.
   * Cheap: a point read per credential in its chain.
   */
  Optional<TokenInfo> resolveToken(String token);

  /** The user's tokens, oldest first. NOT_FOUND for an unknown user. */
  List<TokenInfo> tokens(String userId);

  /**
   * Deletes one of {@code userId}'s tokens and the tokens created with it, transitively; NOT_FOUND
   * if it has none with that id.
   */
  void revokeToken(String userId, String tokenId);

  // ---- bucket access

  /**
   * The bucket's owner, ACL and Object Ownership, and {@code userId}'s grant on it (null or "": none);
   * empty if there is no such bucket.
   */
  Optional<BucketAccess> access(String bucket, String userId);

  /**
   * Grants {@code userId} READ (the bucket ACL's READ) or READ_WRITE (its READ and WRITE), replacing
   * the user's grants in the ACL. NO_SUCH_BUCKET, NOT_FOUND (user), INVALID_ARGUMENT (the user owns
   * the bucket, or the bucket has ACLs disabled).
   */
  void grant(String bucket, String userId, Permission permission);

  /** Removes the user's grants from the bucket's ACL; nothing happens if there are none. */
  void revoke(String bucket, String userId);

  /** The users the bucket's ACL names (its owner aside) and what it grants them. */
  List<BucketGrant> grants(String bucket);

  /** The bucket's ACL (GetBucketAcl). NO_SUCH_BUCKET. */
  Acl bucketAcl(String bucket);

  /**
   * Replaces the bucket's ACL (PutBucketAcl); the owner stays. NO_SUCH_BUCKET; ACLS_DISABLED when its
   * Object Ownership is BucketOwnerEnforced and the ACL is more than the owner's full control.
   */
  Acl setBucketAcl(String bucket, AclRequest acl);

  /** Gives the bucket to another user (dropping a grant that user had). */
  void changeOwner(String bucket, String newOwnerId);

  /**
   * The bucket's objects and bytes: what a scan of its records would count, from counters kept with
   * them (two reads, no scan). NO_SUCH_BUCKET if there is no such bucket.
   */
  BucketStats stats(String bucket);
}
