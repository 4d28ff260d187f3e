package io.tarn.storage.identity;

import static io.tarn.storage.identity.IdentityRules.error;

import io.tarn.core.Hex;
import io.tarn.core.Ids;
import io.tarn.storage.Credential;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.NewApiToken;
import io.tarn.storage.StorageException;
import io.tarn.storage.TokenInfo;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.objects.StoreContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** API tokens of the console and CLI: stored under the hash of their value, which is never stored. */
final class Tokens {
  static final String TOKEN_PREFIX = "tarn_";
  /** Ours are 48 characters; anything much longer is not worth hashing. */
  private static final int MAX_TOKEN_LENGTH = 256;
  private static final int MAX_TOKEN_NAME = 64;

  private final StoreContext c;
  private final IdentityTables t;
  private final IdentityGuard guard;
  private final Users users;
  private final Lineage lineage;

  Tokens(StoreContext c, IdentityTables t, IdentityGuard guard, Users users, Lineage lineage) {
    this.c = c;
    this.t = t;
    this.guard = guard;
    this.users = users;
    this.lineage = lineage;
  }

  NewApiToken create(String userId, String name, Instant expires, Credential createdWith) {
    if (name == null || name.isBlank() || name.length() > MAX_TOKEN_NAME
        || name.codePoints().anyMatch(Character::isISOControl)) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "invalid token name \"" + name
          + "\": use 1 to " + MAX_TOKEN_NAME + " characters without control characters");
    }
    Long requested = IdentityRules.millis(expires);
    return guard.mutate(() -> {
      UserRecord u = users.require(userId);
      // Under the mutation lock: the creator cannot be disabled between this check and the commit.
      Long expiresMillis = lineage.cap(requested, createdWith, c.now().toEpochMilli());
      Map<String, byte[]> existing = t.tokenHashesOf(userId);
      if (existing.size() >= IdentityStore.MAX_TOKENS_PER_USER) {
        throw error(StorageException.Kind.CONFLICT, "user " + u.name() + " has " + existing.size()
            + " API tokens already: revoke one first");
      }
      String id = Hex.encode(Ids.randomBytes(8));
      while (existing.containsKey(id)) {
        id = Hex.encode(Ids.randomBytes(8)); // 64 bits among at most 100: a retry for correctness only
      }
      String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(Ids.randomBytes(32));
      TokenRecord r = new TokenRecord(id, userId, name, c.now().toEpochMilli(), expiresMillis, createdWith);
      try (MetaStore.Batch b = c.meta().batch()) {
        t.putToken(b, tokenHash(token), r);
        c.meta().commit(b, "create API token " + id + " for user " + u.name());
      }
      return new NewApiToken(r.toInfo(), token);
    });
  }

  Optional<TokenInfo> resolve(String token) {
    // Anything that cannot be one of ours is refused without a read.
    if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    // A lookup by hash: the presented value is never compared byte by byte, so no timing leak.
    return guard.read(() -> {
      TokenRecord r = t.token(tokenHash(token));
      if (r == null || r.createdWith() == null) {
        return Optional.ofNullable(r).map(TokenRecord::toInfo);
      }
      // Its creators are checked at every use, not only when they change: a creator's expiry that
      // an admin shortens (or sets in the past, to end it at once) binds the token too.
      Lineage.Status s = lineage.status(r.createdWith(), c.now().toEpochMilli());
      if (!s.usable() && s.expiresMillis() == null) {
        return Optional.empty(); // a creator disabled or deleted: as revoked
      }
      return Optional.of(r.toInfo(Lineage.earliest(r.expiresMillis(), s.expiresMillis())));
    });
  }

  List<TokenInfo> tokens(String userId) {
    return guard.read(() -> {
      users.require(userId);
      List<TokenInfo> out = new ArrayList<>();
      for (byte[] hash : t.tokenHashesOf(userId).values()) {
        TokenRecord r = t.token(hash);
        if (r != null) {
          out.add(r.toInfo());
        }
      }
      out.sort(Comparator.comparing(TokenInfo::created).thenComparing(TokenInfo::id));
      return out;
    });
  }

  void revoke(String userId, String tokenId) {
    guard.mutateVoid(() -> {
      byte[] hash = userId == null || tokenId == null ? null : t.tokenHashesOf(userId).get(tokenId);
      if (hash == null) {
        throw error(StorageException.Kind.NOT_FOUND, "no such API token: " + tokenId);
      }
      try (MetaStore.Batch b = c.meta().batch()) {
        t.deleteToken(b, hash, userId, tokenId);
        lineage.stageRevokeCreatedWith(b, Credential.token(tokenId, userId));
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
}
