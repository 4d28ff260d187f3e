package io.tarn.storage.identity;

import io.tarn.core.Role;
import io.tarn.storage.AccessKeyInfo;
import io.tarn.storage.BucketAccess;
import io.tarn.storage.BucketGrant;
import io.tarn.storage.BucketStats;
import io.tarn.storage.Credential;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.NewApiToken;
import io.tarn.storage.Permission;
import io.tarn.storage.ResolvedKey;
import io.tarn.storage.TokenInfo;
import io.tarn.storage.UserInfo;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.objects.StoreContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@link IdentityStore} of a {@link TarnStore}: users, access keys, API tokens and grants in
 * their column families ({@link IdentityTables}), secrets sealed with the {@link MasterKey}. Each
 * concern is its own class; this one only hands calls on. How they run (the lifecycle guard, the one
 * mutation lock, the resolve cache) is {@link IdentityGuard}'s.
 */
public final class Identities implements IdentityStore {
  private final StoreContext c;
  private final IdentityGuard guard;
  private final Users users;
  private final RootUser root;
  private final AccessKeys keys;
  private final Tokens tokens;
  private final Grants grants;

  public Identities(StoreContext c, KeySealer sealer, IdentityGuard.Lifecycle lifecycle) {
    this.c = c;
    IdentityTables t = new IdentityTables(c.meta());
    this.guard = new IdentityGuard(lifecycle, this::mirror);
    this.users = new Users(c, t, guard);
    Lineage lineage = new Lineage(t);
    this.keys = new AccessKeys(c, t, guard, sealer, users, lineage);
    this.root = new RootUser(c, t, guard, keys, lineage);
    this.tokens = new Tokens(c, t, guard, users, lineage);
    this.grants = new Grants(c, guard, users);
  }

  /**
   * Rewrites {@code <data>/identity.mirror}, the copy of these records rebuild-index restores: after
   * every mutation, and by the store after a bucket deletion (which removes grants) and at open.
   */
  public void mirror() {
    IdentityMirror.write(c.meta(), c.options().dataDir(), c.options().fsync());
  }

  /** Stages the removal of what identities keep for {@code bucket} (its grants): it is being deleted. */
  public void stageBucketDeleted(MetaStore.Batch b, String bucket) {
    grants.stageBucketDeleted(b, bucket);
  }

  // ---- users

  @Override
  public UserInfo createUser(String name, Role role, String email) {
    return users.create(name, role, email);
  }

  @Override
  public UserInfo setUserEmail(String userId, String email) {
    return users.setEmail(userId, email);
  }

  @Override
  public Optional<UserInfo> userByEmail(String email) {
    return users.userByEmail(email);
  }

  @Override
  public UserInfo bootstrapRoot(String userId, String name, String accessKeyId, String secret) {
    return root.bootstrap(userId, name, accessKeyId, secret);
  }

  @Override
  public Optional<UserInfo> user(String idOrName) {
    return users.user(idOrName);
  }

  @Override
  public List<UserInfo> users() {
    return users.users();
  }

  @Override
  public UserInfo setUserEnabled(String userId, boolean enabled) {
    return users.setEnabled(userId, enabled);
  }

  @Override
  public void deleteUser(String userId, String reassignTo) {
    users.delete(userId, reassignTo, grants);
  }

  // ---- access keys

  @Override
  public NewAccessKey createKey(String userId, Instant expires, Credential createdWith) {
    return keys.create(userId, expires, createdWith);
  }

  @Override
  public List<AccessKeyInfo> keys(String userId) {
    return keys.keys(userId);
  }

  @Override
  public Optional<AccessKeyInfo> key(String accessKeyId) {
    return keys.key(accessKeyId);
  }

  @Override
  public AccessKeyInfo setKeyEnabled(String accessKeyId, boolean enabled) {
    return keys.setEnabled(accessKeyId, enabled);
  }

  @Override
  public AccessKeyInfo setKeyExpiry(String accessKeyId, Instant expires) {
    return keys.setExpiry(accessKeyId, expires);
  }

  @Override
  public void deleteKey(String accessKeyId) {
    keys.delete(accessKeyId);
  }

  @Override
  public Optional<ResolvedKey> resolve(String accessKeyId) {
    return keys.resolve(accessKeyId);
  }

  // ---- API tokens

  @Override
  public NewApiToken createToken(String userId, String name, Instant expires, Credential createdWith) {
    return tokens.create(userId, name, expires, createdWith);
  }

  @Override
  public Optional<TokenInfo> resolveToken(String token) {
    return tokens.resolve(token);
  }

  @Override
  public List<TokenInfo> tokens(String userId) {
    return tokens.tokens(userId);
  }

  @Override
  public void revokeToken(String userId, String tokenId) {
    tokens.revoke(userId, tokenId);
  }

  // ---- bucket access

  @Override
  public Optional<BucketAccess> access(String bucket, String userId) {
    return grants.access(bucket, userId);
  }

  @Override
  public void grant(String bucket, String userId, Permission permission) {
    grants.grant(bucket, userId, permission);
  }

  @Override
  public void revoke(String bucket, String userId) {
    grants.revoke(bucket, userId);
  }

  @Override
  public List<BucketGrant> grants(String bucket) {
    return grants.grants(bucket);
  }

  @Override
  public Acl bucketAcl(String bucket) {
    return grants.acl(bucket);
  }

  @Override
  public Acl setBucketAcl(String bucket, AclRequest acl) {
    return grants.setAcl(bucket, acl);
  }

  @Override
  public void changeOwner(String bucket, String newOwnerId) {
    grants.changeOwner(bucket, newOwnerId);
  }

  @Override
  public BucketStats stats(String bucket) {
    return guard.read(() -> {
      c.requireBucket(bucket);
      return c.tables().stats(bucket);
    });
  }
}
