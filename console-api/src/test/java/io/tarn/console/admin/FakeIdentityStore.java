package io.tarn.console.admin;

import io.tarn.core.Hex;
import io.tarn.core.Ids;
import io.tarn.core.Role;
import io.tarn.storage.AccessKeyInfo;
import io.tarn.storage.BucketAccess;
import io.tarn.storage.BucketGrant;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.BucketStats;
import io.tarn.storage.Credential;
import io.tarn.storage.EmailAddress;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.ListPage;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.NewApiToken;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.Permission;
import io.tarn.storage.ResolvedKey;
import io.tarn.storage.StorageException;
import io.tarn.storage.StorageException.Kind;
import io.tarn.storage.TokenInfo;
import io.tarn.storage.UserInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * An in-memory {@link IdentityStore} following the interface's documented behaviour, over a real
 * object store (for bucket existence, ownership and stats). Synchronized: tests are single-threaded,
 * this just keeps it honest.
 */
final class FakeIdentityStore implements IdentityStore {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@+-]{1,64}");

  private final OwnerOverlayStore store;
  private final Clock clock;
  private final Map<String, UserInfo> users = new LinkedHashMap<>();
  private final Map<String, AccessKeyInfo> keys = new LinkedHashMap<>();
  private final Map<String, String> secrets = new LinkedHashMap<>();
  /** bucket -> userId -> permission */
  private final Map<String, Map<String, Permission>> grants = new LinkedHashMap<>();
  private final AtomicInteger keySerial = new AtomicInteger();
  /** token value -> token (the real store keeps only a hash; the fake need not). */
  private final Map<String, TokenInfo> tokens = new LinkedHashMap<>();
  /** When set, {@link #users()} throws it: for the API's error net. */
  volatile RuntimeException failUsers;

  FakeIdentityStore(OwnerOverlayStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    store.onDeleteBucket(this::bucketDeleted);
  }

  private synchronized void bucketDeleted(String bucket) {
    grants.remove(bucket);
  }

  @Override
  public synchronized UserInfo createUser(String name, Role role, String email) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new StorageException(Kind.INVALID_ARGUMENT, "invalid user name \"" + name + "\"");
    }
    if (byName(name).isPresent()) {
      throw new StorageException(Kind.CONFLICT, "user " + name + " exists");
    }
    String address = checkedEmail(email, null);
    UserInfo u = new UserInfo(Hex.encode(Ids.randomBytes(32)), name, role, true, clock.instant(), address);
    users.put(u.id(), u);
    return u;
  }

  @Override
  public synchronized UserInfo setUserEmail(String userId, String email) {
    UserInfo u = existing(userId);
    UserInfo changed = new UserInfo(u.id(), u.name(), u.role(), u.enabled(), u.created(), checkedEmail(email, userId));
    users.put(u.id(), changed);
    return changed;
  }

  @Override
  public synchronized Optional<UserInfo> userByEmail(String email) {
    return email == null ? Optional.empty()
        : users.values().stream().filter(u -> u.email() != null && u.email().equalsIgnoreCase(email)).findFirst();
  }

  private String checkedEmail(String email, String userId) {
    if (email == null || email.isEmpty()) {
      return null;
    }
    if (EmailAddress.problem(email) != null) {
      throw new StorageException(Kind.INVALID_ARGUMENT, "invalid e-mail address \"" + email + "\"");
    }
    if (userByEmail(email).filter(u -> !u.id().equals(userId)).isPresent()) {
      throw new StorageException(Kind.CONFLICT, "e-mail address " + email + " is taken");
    }
    return email;
  }

  @Override
  public synchronized UserInfo bootstrapRoot(String userId, String name, String accessKeyId, String secret) {
    UserInfo u = users.computeIfAbsent(userId, id -> new UserInfo(id, name, Role.ADMIN, true, clock.instant()));
    keys.put(accessKeyId, new AccessKeyInfo(accessKeyId, userId, true, clock.instant(), null));
    secrets.put(accessKeyId, secret);
    return u;
  }

  private Optional<UserInfo> byName(String name) {
    return users.values().stream().filter(u -> u.name().equals(name)).findFirst();
  }

  @Override
  public synchronized Optional<UserInfo> user(String idOrName) {
    UserInfo byId = users.get(idOrName);
    return byId != null ? Optional.of(byId) : byName(idOrName);
  }

  @Override
  public synchronized List<UserInfo> users() {
    if (failUsers != null) {
      throw failUsers;
    }
    return users.values().stream().sorted(Comparator.comparing(UserInfo::name)).toList();
  }

  private UserInfo existing(String userId) {
    UserInfo u = users.get(userId);
    if (u == null) {
      throw new StorageException(Kind.NOT_FOUND, "no such user: " + userId);
    }
    return u;
  }

  @Override
  public synchronized UserInfo setUserEnabled(String userId, boolean enabled) {
    UserInfo u = existing(userId);
    UserInfo changed = new UserInfo(u.id(), u.name(), u.role(), enabled, u.created(), u.email());
    users.put(u.id(), changed);
    return changed;
  }

  @Override
  public synchronized void deleteUser(String userId, String reassignTo) {
    UserInfo u = existing(userId);
    List<String> owned = store.listBuckets().stream().filter(b -> b.ownerId().equals(userId))
        .map(BucketInfo::name).toList();
    if (!owned.isEmpty() && reassignTo == null) {
      throw new StorageException(Kind.CONFLICT, "user " + u.name() + " still owns " + owned.size() + " bucket(s)");
    }
    if (reassignTo != null) {
      existing(reassignTo);
      for (String b : owned) {
        changeOwner(b, reassignTo);
      }
    }
    users.remove(userId);
    keys.values().removeIf(k -> k.userId().equals(userId));
    tokens.values().removeIf(t -> t.userId().equals(userId));
    grants.values().forEach(g -> g.remove(userId));
  }

  @Override
  public synchronized NewAccessKey createKey(String userId, Instant expires, Credential createdWith) {
    existing(userId);
    String id = String.format("TK%018d", keySerial.incrementAndGet());
    // Records the creator only: the expiry cap and revocation are the real store's (RealIdentity tests).
    AccessKeyInfo k = new AccessKeyInfo(id, userId, true, clock.instant(), expires, createdWith);
    keys.put(id, k);
    String secret = Hex.encode(Ids.randomBytes(20));
    secrets.put(id, secret);
    return new NewAccessKey(k, secret);
  }

  @Override
  public synchronized List<AccessKeyInfo> keys(String userId) {
    return keys.values().stream().filter(k -> userId == null || k.userId().equals(userId))
        .sorted(Comparator.comparing(AccessKeyInfo::created).thenComparing(AccessKeyInfo::accessKeyId)).toList();
  }

  @Override
  public synchronized Optional<AccessKeyInfo> key(String accessKeyId) {
    return Optional.ofNullable(keys.get(accessKeyId));
  }

  private AccessKeyInfo existingKey(String id) {
    AccessKeyInfo k = keys.get(id);
    if (k == null) {
      throw new StorageException(Kind.NOT_FOUND, "no such access key: " + id);
    }
    return k;
  }

  @Override
  public synchronized AccessKeyInfo setKeyEnabled(String accessKeyId, boolean enabled) {
    AccessKeyInfo k = existingKey(accessKeyId);
    AccessKeyInfo changed = new AccessKeyInfo(k.accessKeyId(), k.userId(), enabled, k.created(), k.expires(),
        k.createdWith());
    keys.put(accessKeyId, changed);
    return changed;
  }

  @Override
  public synchronized AccessKeyInfo setKeyExpiry(String accessKeyId, Instant expires) {
    AccessKeyInfo k = existingKey(accessKeyId);
    AccessKeyInfo changed = new AccessKeyInfo(k.accessKeyId(), k.userId(), k.enabled(), k.created(), expires,
        k.createdWith());
    keys.put(accessKeyId, changed);
    return changed;
  }

  @Override
  public synchronized void deleteKey(String accessKeyId) {
    existingKey(accessKeyId);
    keys.remove(accessKeyId);
  }

  @Override
  public synchronized Optional<ResolvedKey> resolve(String accessKeyId) {
    AccessKeyInfo k = keys.get(accessKeyId);
    return k == null ? Optional.empty() : Optional.of(new ResolvedKey(k, users.get(k.userId()), secrets.get(k.accessKeyId())));
  }

  @Override
  public synchronized NewApiToken createToken(String userId, String name, Instant expires, Credential createdWith) {
    existing(userId);
    if (name == null || name.isBlank()) {
      throw new StorageException(Kind.INVALID_ARGUMENT, "invalid token name \"" + name + "\"");
    }
    TokenInfo t = new TokenInfo(String.format("%016x", keySerial.incrementAndGet()), userId, name, clock.instant(),
        expires, createdWith);
    String value = "tarn_" + Hex.encode(Ids.randomBytes(16));
    tokens.put(value, t);
    return new NewApiToken(t, value);
  }

  @Override
  public synchronized Optional<TokenInfo> resolveToken(String token) {
    return Optional.ofNullable(token == null ? null : tokens.get(token));
  }

  @Override
  public synchronized List<TokenInfo> tokens(String userId) {
    existing(userId);
    return tokens.values().stream().filter(t -> t.userId().equals(userId)).toList();
  }

  @Override
  public synchronized void revokeToken(String userId, String tokenId) {
    if (!tokens.values().removeIf(t -> t.userId().equals(userId) && t.id().equals(tokenId))) {
      throw new StorageException(Kind.NOT_FOUND, "no such API token: " + tokenId);
    }
  }

  @Override
  public synchronized Optional<BucketAccess> access(String bucket, String userId) {
    return store.bucket(bucket).map(b -> new BucketAccess(bucket, b.ownerId(),
        grants.getOrDefault(bucket, Map.of()).get(userId), aclOf(bucket, b.ownerId()), b.effectiveOwnership()));
  }

  /** The bucket's ACL as the real store keeps it: the owner's FULL_CONTROL, then each grant's permissions. */
  private io.tarn.storage.access.Acl aclOf(String bucket, String ownerId) {
    io.tarn.storage.access.Acl acl = io.tarn.storage.access.Acl.privateTo(ownerId);
    for (Map.Entry<String, Permission> g : grants.getOrDefault(bucket, Map.of()).entrySet()) {
      acl = acl.withUserGrants(g.getKey(), new BucketGrant(bucket, g.getKey(), g.getValue()).aclPermissions());
    }
    return acl;
  }

  @Override
  public synchronized io.tarn.storage.access.Acl bucketAcl(String bucket) {
    BucketInfo b = store.bucket(bucket)
        .orElseThrow(() -> new StorageException(Kind.NO_SUCH_BUCKET, "no such bucket: " + bucket));
    return aclOf(bucket, b.ownerId());
  }

  @Override
  public io.tarn.storage.access.Acl setBucketAcl(String bucket, io.tarn.storage.access.AclRequest acl) {
    throw new UnsupportedOperationException("the console API does not put bucket ACLs");
  }

  @Override
  public synchronized void grant(String bucket, String userId, Permission permission) {
    BucketInfo b = store.bucket(bucket)
        .orElseThrow(() -> new StorageException(Kind.NO_SUCH_BUCKET, "no such bucket: " + bucket));
    existing(userId);
    if (b.ownerId().equals(userId)) {
      throw new StorageException(Kind.INVALID_ARGUMENT, "user " + users.get(userId).name() + " owns bucket " + bucket);
    }
    grants.computeIfAbsent(bucket, x -> new LinkedHashMap<>()).put(userId, permission);
  }

  @Override
  public synchronized void revoke(String bucket, String userId) {
    Map<String, Permission> g = grants.get(bucket);
    if (g != null) {
      g.remove(userId);
    }
  }

  @Override
  public synchronized List<BucketGrant> grants(String bucket) {
    List<BucketGrant> out = new ArrayList<>();
    grants.getOrDefault(bucket, Map.of()).forEach((u, p) -> out.add(new BucketGrant(bucket, u, p)));
    return out;
  }

  @Override
  public synchronized void changeOwner(String bucket, String newOwnerId) {
    if (store.bucket(bucket).isEmpty()) {
      throw new StorageException(Kind.NO_SUCH_BUCKET, "no such bucket: " + bucket);
    }
    existing(newOwnerId);
    store.setOwner(bucket, newOwnerId);
    revoke(bucket, newOwnerId);
  }

  @Override
  public BucketStats stats(String bucket) {
    long objects = 0;
    long bytes = 0;
    String after = null;
    while (true) {
      ListPage page = store.list(bucket, "", null, after, 1000);
      for (ObjectInfo o : page.objects()) {
        objects++;
        bytes += o.size();
      }
      if (!page.truncated()) {
        return new BucketStats(bucket, objects, bytes);
      }
      after = page.nextMarker();
    }
  }
}
