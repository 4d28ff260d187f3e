package io.tarn.storage.identity;

import static io.tarn.storage.identity.IdentityRules.error;

import io.tarn.core.Ids;
import io.tarn.storage.AccessKeyInfo;
import io.tarn.storage.Credential;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.ResolvedKey;
import io.tarn.storage.StorageException;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.objects.StoreContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;

/**
 * Access keys: their secrets sealed with the master key (the key id as associated data), and
 * {@link #resolve}, which request authentication calls and {@link IdentityGuard} caches.
 */
final class AccessKeys {
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private final StoreContext c;
  private final IdentityTables t;
  private final IdentityGuard guard;
  private final KeySealer sealer;
  private final Users users;
  private final Lineage lineage;

  AccessKeys(StoreContext c, IdentityTables t, IdentityGuard guard, KeySealer sealer, Users users, Lineage lineage) {
    this.c = c;
    this.t = t;
    this.guard = guard;
    this.sealer = sealer;
    this.users = users;
    this.lineage = lineage;
  }

  private KeyRecord require(String accessKeyId) {
    KeyRecord k = accessKeyId == null ? null : t.key(accessKeyId);
    if (k == null) {
      throw error(StorageException.Kind.NOT_FOUND, "no such access key: " + accessKeyId);
    }
    return k;
  }

  byte[] seal(String secret, String accessKeyId) {
    return sealer.seal(secret.getBytes(StandardCharsets.UTF_8), accessKeyId.getBytes(StandardCharsets.UTF_8));
  }

  private String unseal(KeyRecord k, String accessKeyId) throws AEADBadTagException {
    return new String(sealer.open(k.sealedSecret(), accessKeyId.getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8);
  }

  /** Whether {@code k}'s sealed secret is {@code secret} (false if it does not open). */
  boolean secretIs(KeyRecord k, String accessKeyId, String secret) {
    try {
      return MessageDigest.isEqual(unseal(k, accessKeyId).getBytes(StandardCharsets.UTF_8),
          secret.getBytes(StandardCharsets.UTF_8));
    } catch (AEADBadTagException e) {
      return false; // unreadable: rewritten
    }
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

  NewAccessKey create(String userId, Instant expires, Credential createdWith) {
    Long requested = IdentityRules.millis(expires);
    return guard.mutate(() -> {
      UserRecord u = users.require(userId);
      // Also when an admin creates a key for another user: nothing a credential creates outlives it.
      Long expiresMillis = lineage.cap(requested, createdWith, c.now().toEpochMilli());
      String id = newKeyId();
      while (t.key(id) != null) {
        id = newKeyId(); // 90 random bits: never in practice, but a collision must not replace a key
      }
      String secret = newSecret();
      KeyRecord k = new KeyRecord(userId, true, c.now().toEpochMilli(), expiresMillis, seal(secret, id), createdWith);
      try (MetaStore.Batch b = c.meta().batch()) {
        t.putKey(b, id, k);
        c.meta().commit(b, "create access key " + id + " for user " + u.name());
      }
      return new NewAccessKey(k.toInfo(id), secret);
    });
  }

  List<AccessKeyInfo> keys(String userId) {
    return guard.read(() -> {
      List<AccessKeyInfo> out = new ArrayList<>();
      if (userId == null) {
        t.keys().forEach((id, k) -> out.add(k.toInfo(id)));
      } else {
        users.require(userId);
        for (String id : t.keyIdsOf(userId)) {
          KeyRecord k = t.key(id);
          if (k != null) {
            out.add(k.toInfo(id));
          }
        }
      }
      out.sort(Comparator.comparing(AccessKeyInfo::created).thenComparing(AccessKeyInfo::accessKeyId));
      return out;
    });
  }

  Optional<AccessKeyInfo> key(String accessKeyId) {
    if (accessKeyId == null || accessKeyId.isEmpty()) {
      return Optional.empty();
    }
    return guard.read(() -> Optional.ofNullable(t.key(accessKeyId)).map(k -> k.toInfo(accessKeyId)));
  }

  AccessKeyInfo setEnabled(String accessKeyId, boolean enabled) {
    return guard.mutate(() -> {
      KeyRecord k = require(accessKeyId).withEnabled(enabled);
      try (MetaStore.Batch b = c.meta().batch()) {
        t.putKey(b, accessKeyId, k);
        if (!enabled) {
          // Revoked, not suspended: re-enabling the key does not bring them back (Lineage).
          lineage.stageRevokeCreatedWith(b, Credential.accessKey(accessKeyId, k.userId()));
        }
        c.meta().commit(b, (enabled ? "enable" : "disable") + " access key " + accessKeyId);
      }
      return k.toInfo(accessKeyId);
    });
  }

  AccessKeyInfo setExpiry(String accessKeyId, Instant expires) {
    Long expiresMillis = IdentityRules.millis(expires);
    return guard.mutate(() -> {
      KeyRecord k = require(accessKeyId).withExpires(expiresMillis);
      return put(accessKeyId, k, "set the expiry of access key " + accessKeyId);
    });
  }

  private AccessKeyInfo put(String accessKeyId, KeyRecord k, String operation) {
    try (MetaStore.Batch b = c.meta().batch()) {
      t.putKey(b, accessKeyId, k);
      c.meta().commit(b, operation);
    }
    return k.toInfo(accessKeyId);
  }

  void delete(String accessKeyId) {
    guard.mutateVoid(() -> {
      KeyRecord k = require(accessKeyId);
      try (MetaStore.Batch b = c.meta().batch()) {
        t.deleteKey(b, accessKeyId, k.userId());
        lineage.stageRevokeCreatedWith(b, Credential.accessKey(accessKeyId, k.userId()));
        c.meta().commit(b, "delete access key " + accessKeyId);
      }
    });
  }

  Optional<ResolvedKey> resolve(String accessKeyId) {
    if (accessKeyId == null || accessKeyId.isEmpty()) {
      return Optional.empty();
    }
    return guard.read(() -> {
      long gen = guard.generation();
      ResolvedKey hit = guard.cached(accessKeyId, gen);
      if (hit != null) {
        return Optional.of(hit);
      }
      KeyRecord k = t.key(accessKeyId);
      UserRecord u = k == null ? null : t.user(k.userId());
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
      guard.cache(accessKeyId, gen, r);
      return Optional.of(r);
    });
  }
}
