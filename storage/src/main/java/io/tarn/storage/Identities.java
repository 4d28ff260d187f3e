package io.tarn.storage;

import io.tarn.core.Hex;
import io.tarn.core.Ids;
import io.tarn.core.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;

/**
 * The {@link IdentityStore} of a {@link TarnStore}: users, access keys and grants in their column
 * families, secrets sealed with the {@link MasterKey}.
 *
 * <p>Mutations are rare admin operations: they serialise on one lock, which keeps read-check-write
 * sequences (unique names, bucket reassignment) simple. Lock order: lifecycle, this lock, bucket
 * locks; bucket operations never take this lock. Reads take no lock.
 *
 * <p>{@link #resolve} runs once per request, so it is cached. A cached entry carries the mutation
 * generation read before its records were read; every mutation bumps the generation after its commit,
 * so an entry read before a commit is never served after it, even if its reader stores it late.
 */
final class Identities implements IdentityStore {
  /** The store's lifecycle guard ({@code TarnStore.run}): nothing runs on a closed store. */
  interface Guard {
    <T> T run(Supplier<T> op);
  }

  private static final System.Logger LOG = System.getLogger(Identities.class.getName());
  static final String ROOT_KEY = "identity.root-key";
  static final String MASTER_CHECK = "identity.master-key-check";
  private static final int ROOT_KEY_FORMAT = 1;
  private static final byte[] CHECK_AAD = "tarn-master-key-check".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHECK_PLAIN = "tarn master key check v1".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@+-]{1,64}");
  /** Visible ASCII without the separators of a SigV4 Credential ('/' and ','). */
  private static final Pattern KEY_ID = Pattern.compile("[\\x21-\\x7e&&[^/,]]{1,128}");
  private static final Pattern USER_ID = Pattern.compile("[0-9a-f]{64}");
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  static final String TOKEN_PREFIX = "tarn_";
  /** Ours are 48 characters; anything much longer is not worth hashing. */
  private static final int MAX_TOKEN_LENGTH = 256;
  private static final int MAX_TOKEN_NAME = 64;

  private record Cached(long generation, ResolvedKey key) {}

  private final StoreContext c;
  private final MasterKey master;
  private final Guard guard;
  private final ReentrantLock mutations = new ReentrantLock();
  private final AtomicLong generation = new AtomicLong();
  private final ConcurrentHashMap<String, Cached> resolved = new ConcurrentHashMap<>();

  Identities(StoreContext c, MasterKey master, Guard guard) {
    this.c = c;
    this.master = master;
    this.guard = guard;
  }

  /**
   * Checks that {@code key} is the key this metadata store was created with, by opening a value
   * sealed at the first open; stores that value if there is none yet.
   */
  static void verifyMasterKey(MetaStore meta, MasterKey key) {
    byte[] check = meta.sys(MASTER_CHECK);
    if (check == null) {
      try (MetaStore.Batch b = meta.batch()) {
        b.putSys(MASTER_CHECK, key.seal(CHECK_PLAIN, CHECK_AAD));
        meta.commit(b, "store the master key check");
      }
      return;
    }
    try {
      if (MessageDigest.isEqual(CHECK_PLAIN, key.open(check, CHECK_AAD))) {
        return;
      }
    } catch (AEADBadTagException e) {
      // the wrong key: reported below
    }
    throw new StorageException(StorageException.Kind.IO,
        "the master key does not match the one this data directory was created with (TARN_MASTER_KEY?)");
  }

  // ---- plumbing

  private <T> T read(Supplier<T> op) {
    return guard.run(op);
  }

  private <T> T mutate(Supplier<T> op) {
    return guard.run(() -> {
      mutations.lock();
      try {
        return op.get();
      } finally {
        // After the commit, so no reader that read before it can have its entry served (class comment).
        generation.incrementAndGet();
        resolved.clear();
        mutations.unlock();
      }
    });
  }

  private void mutateVoid(Runnable op) {
    mutate(() -> {
      op.run();
      return null;
    });
  }

  private static StorageException error(StorageException.Kind kind, String message) {
    return new StorageException(kind, message);
  }

  private UserRecord requireUser(String userId) {
    UserRecord u = userId == null ? null : c.meta().user(userId);
    if (u == null) {
      throw error(StorageException.Kind.NOT_FOUND, "no such user: " + userId);
    }
    return u;
  }

  private KeyRecord requireKey(String accessKeyId) {
    KeyRecord k = accessKeyId == null ? null : c.meta().key(accessKeyId);
    if (k == null) {
      throw error(StorageException.Kind.NOT_FOUND, "no such access key: " + accessKeyId);
    }
    return k;
  }

  static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "invalid user name \"" + name
          + "\": use 1 to 64 characters of A-Z a-z 0-9 . _ @ + -");
    }
    if (USER_ID.matcher(name).matches()) {
      // Lookups try ids before names: such a name could shadow another user's id.
      throw error(StorageException.Kind.INVALID_ARGUMENT, "invalid user name \"" + name
          + "\": it looks like a user id (64 hex characters)");
    }
  }

  private static Long millis(Instant t) {
    if (t == null) {
      return null;
    }
    try {
      return t.toEpochMilli();
    } catch (ArithmeticException e) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "expiry out of range: " + t);
    }
  }

  private byte[] seal(String secret, String accessKeyId) {
    return master.seal(secret.getBytes(StandardCharsets.UTF_8), accessKeyId.getBytes(StandardCharsets.UTF_8));
  }

  private String unseal(KeyRecord k, String accessKeyId) throws AEADBadTagException {
    return new String(master.open(k.sealedSecret(), accessKeyId.getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8);
  }

  private static String newUserId() {
    return Hex.encode(Ids.randomBytes(32));
  }

  /** "TK" and 18 random base32 characters: 20 characters, as AWS access key ids. */
  private static String newKeyId() {
    StringBuilder b = new StringBuilder("TK");
    for (byte r : Ids.randomBytes(18)) {
      b.append(BASE32[r & 31]); // 256 is a multiple of 32: uniform
    }
    return b.toString();
  }

  /** 30 random bytes: 40 URL-safe base64 characters, as long as an AWS secret. */
  private static String newSecret() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Ids.randomBytes(30));
  }

  // ---- users

  @Override
  public UserInfo createUser(String name, Role role) {
    requireName(name);
    if (role == null) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "a role is required for user " + name);
    }
    return mutate(() -> {
      if (c.meta().userIdByName(name) != null) {
        throw error(StorageException.Kind.CONFLICT, "user name " + name + " is taken");
      }
      String id = newUserId();
      UserRecord u = new UserRecord(name, role, true, c.now().toEpochMilli());
      try (MetaStore.Batch b = c.meta().batch()) {
        b.putUser(id, u);
        c.meta().commit(b, "create user " + name);
      }
      return u.toInfo(id);
    });
  }

  @Override
  public UserInfo bootstrapRoot(String userId, String name, String accessKeyId, String secret) {
    if (userId == null || !USER_ID.matcher(userId).matches()) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "root user id must be 64 lower-case hex characters");
    }
    requireName(name);
    if (accessKeyId == null || !KEY_ID.matcher(accessKeyId).matches()) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "invalid root access key id \"" + accessKeyId
          + "\": use 1 to 128 visible ASCII characters except / and ,");
    }
    if (secret == null || secret.isEmpty()) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "the secret of root access key " + accessKeyId
          + " is empty");
    }
    return mutate(() -> {
      try (MetaStore.Batch b = c.meta().batch()) {
        boolean changed = false;
        UserRecord user = c.meta().user(userId);
        if (user == null || user.role() != Role.ADMIN || !user.enabled()) {
          // Root is the way back in: it is an enabled admin after every start.
          user = user == null
              ? new UserRecord(freeRootName(userId, name), Role.ADMIN, true, c.now().toEpochMilli())
              : new UserRecord(user.name(), Role.ADMIN, true, user.createdMillis());
          b.putUser(userId, user);
          changed = true;
        }
        changed |= stageRootKey(b, userId, accessKeyId, secret);
        changed |= stageRootRotation(b, accessKeyId);
        if (changed) {
          c.meta().commit(b, "bootstrap root user " + user.name());
        }
        return user.toInfo(userId);
      }
    });
  }

  /** {@code name}, or {@code name-root} if that is taken, or (both taken) a name made from the id. */
  private String freeRootName(String userId, String name) {
    for (String candidate : List.of(name, name + "-root", "root-" + userId.substring(0, 12))) {
      if (NAME.matcher(candidate).matches() && c.meta().userIdByName(candidate) == null) {
        return candidate;
      }
    }
    throw error(StorageException.Kind.CONFLICT, "no free name for the root user (" + name + " and " + name
        + "-root are taken)");
  }

  /** Stages the root key unless it is stored already, enabled, without expiry and with this secret. */
  private boolean stageRootKey(MetaStore.Batch b, String userId, String accessKeyId, String secret) {
    KeyRecord k = c.meta().key(accessKeyId);
    if (k != null && k.userId().equals(userId) && k.enabled() && k.expiresMillis() == null
        && secretIs(k, accessKeyId, secret)) {
      return false;
    }
    long created = c.now().toEpochMilli();
    if (k != null) {
      if (!k.userId().equals(userId)) {
        LOG.log(System.Logger.Level.WARNING, "root access key " + accessKeyId + " was a key of user " + k.userId()
            + ": it now belongs to the root user");
      } else {
        created = k.createdMillis();
      }
      b.deleteKey(accessKeyId, k.userId()); // drops the previous owner's index entry
    }
    b.putKey(accessKeyId, new KeyRecord(userId, true, created, null, seal(secret, accessKeyId)));
    return true;
  }

  private boolean secretIs(KeyRecord k, String accessKeyId, String secret) {
    try {
      return MessageDigest.isEqual(unseal(k, accessKeyId).getBytes(StandardCharsets.UTF_8),
          secret.getBytes(StandardCharsets.UTF_8));
    } catch (AEADBadTagException e) {
      return false; // unreadable: rewritten
    }
  }

  /** Deletes the root key an earlier start recorded if it differs, and records this one. */
  private boolean stageRootRotation(MetaStore.Batch b, String accessKeyId) {
    byte[] v = c.meta().sys(ROOT_KEY);
    String previous = null;
    if (v != null) {
      Codec.In in = new Codec.In(v, "root key", ROOT_KEY_FORMAT);
      previous = in.requiredString();
      in.end();
    }
    if (accessKeyId.equals(previous)) {
      return false;
    }
    if (previous != null) {
      KeyRecord old = c.meta().key(previous);
      if (old != null) {
        b.deleteKey(previous, old.userId());
        LOG.log(System.Logger.Level.INFO, "root access key " + previous + " replaced by " + accessKeyId
            + ": the old key is deleted");
      }
    }
    b.putSys(ROOT_KEY, new Codec.Out(ROOT_KEY_FORMAT).string(accessKeyId).toBytes());
    return true;
  }

  @Override
  public Optional<UserInfo> user(String idOrName) {
    if (idOrName == null || idOrName.isEmpty()) {
      return Optional.empty();
    }
    return read(() -> {
      UserRecord u = c.meta().user(idOrName);
      if (u != null) {
        return Optional.of(u.toInfo(idOrName));
      }
      String id = c.meta().userIdByName(idOrName);
      u = id == null ? null : c.meta().user(id);
      return u == null ? Optional.empty() : Optional.of(u.toInfo(id));
    });
  }

  @Override
  public List<UserInfo> users() {
    return read(() -> {
      List<UserInfo> out = new ArrayList<>();
      c.meta().users().forEach((id, u) -> out.add(u.toInfo(id)));
      out.sort(Comparator.comparing(UserInfo::name));
      return out;
    });
  }

  @Override
  public UserInfo setUserEnabled(String userId, boolean enabled) {
    return mutate(() -> {
      UserRecord u = requireUser(userId);
      if (u.enabled() != enabled) {
        u = u.withEnabled(enabled);
        try (MetaStore.Batch b = c.meta().batch()) {
          b.putUser(userId, u);
          c.meta().commit(b, (enabled ? "enable" : "disable") + " user " + u.name());
        }
      }
      return u.toInfo(userId);
    });
  }

  @Override
  public void deleteUser(String userId, String reassignTo) {
    mutateVoid(() -> {
      UserRecord u = requireUser(userId);
      if (reassignTo != null) {
        if (reassignTo.equals(userId)) {
          throw error(StorageException.Kind.INVALID_ARGUMENT, "user " + u.name() + " cannot inherit its own buckets");
        }
        requireUser(reassignTo);
      }
      List<String> owned = ownedBuckets(userId);
      if (!owned.isEmpty() && reassignTo == null) {
        throw error(StorageException.Kind.CONFLICT, "user " + u.name() + " still owns " + owned.size()
            + " bucket(s): " + String.join(", ", owned));
      }
      // Shared bucket locks: a bucket being reassigned cannot be deleted (and then resurrected by
      // this batch) in between.
      try (Locks.Held held = c.locks().bucketsShared(owned); MetaStore.Batch b = c.meta().batch()) {
        for (String bucket : owned) {
          BucketRecord r = c.meta().bucket(bucket);
          if (r != null && userId.equals(r.ownerId())) {
            stageOwner(b, bucket, r, reassignTo);
          }
        }
        for (String keyId : c.meta().keyIdsOf(userId)) {
          b.deleteKey(keyId, userId);
        }
        for (String bucket : c.meta().grantedBuckets(userId)) {
          b.deleteGrant(bucket, userId);
        }
        c.meta().tokenHashesOf(userId).forEach((tokenId, hash) -> b.deleteToken(hash, userId, tokenId));
        b.deleteUser(userId, u.name());
        c.meta().commit(b, "delete user " + u.name());
      }
    });
  }

  private List<String> ownedBuckets(String userId) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, BucketRecord> e : c.meta().buckets().entrySet()) {
      if (userId.equals(e.getValue().ownerId())) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /** The new owner, without a grant it had on the bucket (an owner needs none). */
  private void stageOwner(MetaStore.Batch b, String bucket, BucketRecord r, String newOwnerId) {
    b.putBucket(bucket, new BucketRecord(newOwnerId, r.region(), r.createdMillis()));
    if (c.meta().grant(bucket, newOwnerId) != null) {
      b.deleteGrant(bucket, newOwnerId);
    }
  }

  // ---- access keys

  @Override
  public NewAccessKey createKey(String userId, Instant expires) {
    Long expiresMillis = millis(expires);
    return mutate(() -> {
      UserRecord u = requireUser(userId);
      String id = newKeyId();
      while (c.meta().key(id) != null) {
        id = newKeyId(); // 90 random bits: never in practice, but a collision must not replace a key
      }
      String secret = newSecret();
      KeyRecord k = new KeyRecord(userId, true, c.now().toEpochMilli(), expiresMillis, seal(secret, id));
      try (MetaStore.Batch b = c.meta().batch()) {
        b.putKey(id, k);
        c.meta().commit(b, "create access key " + id + " for user " + u.name());
      }
      return new NewAccessKey(k.toInfo(id), secret);
    });
  }

  @Override
  public List<AccessKeyInfo> keys(String userId) {
    return read(() -> {
      List<AccessKeyInfo> out = new ArrayList<>();
      if (userId == null) {
        c.meta().keys().forEach((id, k) -> out.add(k.toInfo(id)));
      } else {
        requireUser(userId);
        for (String id : c.meta().keyIdsOf(userId)) {
          KeyRecord k = c.meta().key(id);
          if (k != null) {
            out.add(k.toInfo(id));
          }
        }
      }
      out.sort(Comparator.comparing(AccessKeyInfo::created).thenComparing(AccessKeyInfo::accessKeyId));
      return out;
    });
  }

  @Override
  public Optional<AccessKeyInfo> key(String accessKeyId) {
    if (accessKeyId == null || accessKeyId.isEmpty()) {
      return Optional.empty();
    }
    return read(() -> Optional.ofNullable(c.meta().key(accessKeyId)).map(k -> k.toInfo(accessKeyId)));
  }

  @Override
  public AccessKeyInfo setKeyEnabled(String accessKeyId, boolean enabled) {
    return mutate(() -> {
      KeyRecord k = requireKey(accessKeyId).withEnabled(enabled);
      return putKey(accessKeyId, k, (enabled ? "enable" : "disable") + " access key " + accessKeyId);
    });
  }

  @Override
  public AccessKeyInfo setKeyExpiry(String accessKeyId, Instant expires) {
    Long expiresMillis = millis(expires);
    return mutate(() -> {
      KeyRecord k = requireKey(accessKeyId).withExpires(expiresMillis);
      return putKey(accessKeyId, k, "set the expiry of access key " + accessKeyId);
    });
  }

  private AccessKeyInfo putKey(String accessKeyId, KeyRecord k, String operation) {
    try (MetaStore.Batch b = c.meta().batch()) {
      b.putKey(accessKeyId, k);
      c.meta().commit(b, operation);
    }
    return k.toInfo(accessKeyId);
  }

  @Override
  public void deleteKey(String accessKeyId) {
    mutateVoid(() -> {
      KeyRecord k = requireKey(accessKeyId);
      try (MetaStore.Batch b = c.meta().batch()) {
        b.deleteKey(accessKeyId, k.userId());
        c.meta().commit(b, "delete access key " + accessKeyId);
      }
    });
  }

  @Override
  public Optional<ResolvedKey> resolve(String accessKeyId) {
    if (accessKeyId == null || accessKeyId.isEmpty()) {
      return Optional.empty();
    }
    return read(() -> {
      long gen = generation.get();
      Cached hit = resolved.get(accessKeyId);
      if (hit != null && hit.generation() == gen) {
        return Optional.of(hit.key());
      }
      KeyRecord k = c.meta().key(accessKeyId);
      UserRecord u = k == null ? null : c.meta().user(k.userId());
      if (u == null) {
        return Optional.empty(); // misses are not cached: unknown ids must not fill memory
      }
      String secret;
      try {
        secret = unseal(k, accessKeyId);
      } catch (AEADBadTagException e) {
        throw new StorageException(StorageException.Kind.IO, "the secret of access key " + accessKeyId
            + " does not open with the master key (altered, or moved from another key)", e);
      }
      ResolvedKey r = new ResolvedKey(k.toInfo(accessKeyId), u.toInfo(k.userId()), secret);
      resolved.put(accessKeyId, new Cached(gen, r));
      return Optional.of(r);
    });
  }

  // ---- API tokens

  @Override
  public NewApiToken createToken(String userId, String name, Instant expires) {
    if (name == null || name.isBlank() || name.length() > MAX_TOKEN_NAME
        || name.codePoints().anyMatch(Character::isISOControl)) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "invalid token name \"" + name
          + "\": use 1 to " + MAX_TOKEN_NAME + " characters without control characters");
    }
    Long expiresMillis = millis(expires);
    return mutate(() -> {
      UserRecord u = requireUser(userId);
      Map<String, byte[]> existing = c.meta().tokenHashesOf(userId);
      if (existing.size() >= MAX_TOKENS_PER_USER) {
        throw error(StorageException.Kind.CONFLICT, "user " + u.name() + " has " + existing.size()
            + " API tokens already: revoke one first");
      }
      String id = Hex.encode(Ids.randomBytes(8));
      while (existing.containsKey(id)) {
        id = Hex.encode(Ids.randomBytes(8)); // 64 bits among at most 100: a retry for correctness only
      }
      String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(Ids.randomBytes(32));
      TokenRecord t = new TokenRecord(id, userId, name, c.now().toEpochMilli(), expiresMillis);
      try (MetaStore.Batch b = c.meta().batch()) {
        b.putToken(tokenHash(token), t);
        c.meta().commit(b, "create API token " + id + " for user " + u.name());
      }
      return new NewApiToken(t.toInfo(), token);
    });
  }

  @Override
  public Optional<TokenInfo> resolveToken(String token) {
    // Anything that cannot be one of ours is refused without a read.
    if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    // A lookup by hash: the presented value is never compared byte by byte, so no timing leak.
    return read(() -> Optional.ofNullable(c.meta().token(tokenHash(token))).map(TokenRecord::toInfo));
  }

  @Override
  public List<TokenInfo> tokens(String userId) {
    return read(() -> {
      requireUser(userId);
      List<TokenInfo> out = new ArrayList<>();
      for (byte[] hash : c.meta().tokenHashesOf(userId).values()) {
        TokenRecord t = c.meta().token(hash);
        if (t != null) {
          out.add(t.toInfo());
        }
      }
      out.sort(Comparator.comparing(TokenInfo::created).thenComparing(TokenInfo::id));
      return out;
    });
  }

  @Override
  public void revokeToken(String userId, String tokenId) {
    mutateVoid(() -> {
      byte[] hash = userId == null || tokenId == null ? null : c.meta().tokenHashesOf(userId).get(tokenId);
      if (hash == null) {
        throw error(StorageException.Kind.NOT_FOUND, "no such API token: " + tokenId);
      }
      try (MetaStore.Batch b = c.meta().batch()) {
        b.deleteToken(hash, userId, tokenId);
        c.meta().commit(b, "revoke API token " + tokenId);
      }
    });
  }

  private static byte[] tokenHash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  // ---- bucket access

  @Override
  public Optional<BucketAccess> access(String bucket, String userId) {
    Objects.requireNonNull(bucket, "bucket");
    return read(() -> {
      BucketRecord b = c.meta().bucket(bucket);
      if (b == null) {
        return Optional.empty();
      }
      GrantRecord g = userId == null ? null : c.meta().grant(bucket, userId);
      return Optional.of(new BucketAccess(bucket, b.ownerId(), g == null ? null : g.permission()));
    });
  }

  @Override
  public void grant(String bucket, String userId, Permission permission) {
    if (permission == null) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "a permission is required to grant bucket " + bucket);
    }
    mutateVoid(() -> {
      try (Locks.Held held = c.locks().bucketShared(bucket)) {
        BucketRecord r = c.requireBucket(bucket);
        UserRecord u = requireUser(userId);
        if (userId.equals(r.ownerId())) {
          throw error(StorageException.Kind.INVALID_ARGUMENT, "user " + u.name() + " owns bucket " + bucket
              + ": an owner needs no grant");
        }
        try (MetaStore.Batch b = c.meta().batch()) {
          b.putGrant(bucket, userId, new GrantRecord(permission));
          c.meta().commit(b, "grant " + permission + " on bucket " + bucket + " to user " + u.name());
        }
      }
    });
  }

  @Override
  public void revoke(String bucket, String userId) {
    mutateVoid(() -> {
      try (Locks.Held held = c.locks().bucketShared(bucket)) {
        if (userId != null && c.meta().grant(bucket, userId) != null) {
          try (MetaStore.Batch b = c.meta().batch()) {
            b.deleteGrant(bucket, userId);
            c.meta().commit(b, "revoke the grant on bucket " + bucket + " of user " + userId);
          }
        }
      }
    });
  }

  @Override
  public List<BucketGrant> grants(String bucket) {
    return read(() -> {
      c.requireBucket(bucket);
      List<BucketGrant> out = new ArrayList<>();
      c.meta().grants(bucket).forEach((userId, g) -> out.add(new BucketGrant(bucket, userId, g.permission())));
      return out;
    });
  }

  @Override
  public void changeOwner(String bucket, String newOwnerId) {
    mutateVoid(() -> {
      // Shared is enough: bucket create and delete take it exclusively, and owner changes are
      // serialised by the mutation lock.
      try (Locks.Held held = c.locks().bucketShared(bucket)) {
        BucketRecord r = c.requireBucket(bucket);
        UserRecord u = requireUser(newOwnerId);
        if (newOwnerId.equals(r.ownerId())) {
          return;
        }
        try (MetaStore.Batch b = c.meta().batch()) {
          stageOwner(b, bucket, r, newOwnerId);
          c.meta().commit(b, "give bucket " + bucket + " to user " + u.name());
        }
      }
    });
  }

  @Override
  public BucketStats stats(String bucket) {
    return read(() -> {
      c.requireBucket(bucket);
      byte[] prefix = Keys.bucketPrefix(bucket);
      long objects = 0;
      long bytes = 0;
      try (MetaStore.Cursor cur = c.meta().objects()) {
        for (cur.seek(prefix); cur.valid() && Keys.startsWith(cur.key(), prefix); cur.next()) {
          objects++;
          bytes += ObjectRecord.decode(cur.value()).size();
        }
      }
      return new BucketStats(bucket, objects, bytes);
    });
  }
}
