package io.tarn.storage.identity;

import static io.tarn.storage.identity.IdentityRules.error;

import io.tarn.storage.Credential;
import io.tarn.storage.StorageException;
import io.tarn.storage.meta.Codec;
import io.tarn.storage.meta.MetaStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which credential created which, and what follows from it: nothing a credential creates outlives
 * it. A new key or token gets at most its creator's expiry ({@link #cap}); a token is usable only
 * while every credential up its chain is ({@link #status}, checked at every resolve); disabling or
 * deleting a key, or revoking a token, deletes the tokens created with it, transitively
 * ({@link #stageRevokeCreatedWith}), so re-enabling the key does not bring them back.
 *
 * <p>Keys created with a key are only capped: disabling an admin's key does not disable the keys
 * it made for others (their owners rely on them; the admin disables those one by one).
 */
final class Lineage {
  /** Longer than any real chain (a user holds at most 100 tokens); a longer one is refused, never walked forever. */
  private static final int MAX_DEPTH = 128;
  private static final int ACCESS_KEY = 1;
  private static final int TOKEN = 2;

  /** Whether a credential may still act, and until when ({@code null}: no expiry up its chain). */
  record Status(boolean usable, Long expiresMillis) {
    static final Status DEAD = new Status(false, null);
  }

  private final IdentityTables t;

  Lineage(IdentityTables t) {
    this.t = t;
  }

  // ---- encoding (inside the key and token records, which carry the format byte)

  static void encode(Codec.Out out, Credential c) {
    out.bool(c != null);
    if (c != null) {
      out.u8(c.type() == Credential.Type.ACCESS_KEY ? ACCESS_KEY : TOKEN).string(c.id()).string(c.userId());
    }
  }

  static Credential decode(Codec.In in) {
    if (!in.bool()) {
      return null;
    }
    int type = in.u8();
    if (type != ACCESS_KEY && type != TOKEN) {
      throw in.corrupt("unknown credential type " + type);
    }
    return new Credential(type == ACCESS_KEY ? Credential.Type.ACCESS_KEY : Credential.Type.TOKEN,
        in.requiredString(), in.requiredString());
  }

  // ---- rules

  /** Whether {@code c} may act at {@code nowMillis}, and its expiry: the earliest up its chain. */
  Status status(Credential c, long nowMillis) {
    Long expires = null;
    Credential at = c;
    for (int depth = 0; at != null; depth++) {
      if (depth == MAX_DEPTH) {
        return Status.DEAD;
      }
      Long own;
      if (at.type() == Credential.Type.ACCESS_KEY) {
        KeyRecord k = t.key(at.id());
        if (k == null || !k.enabled() || !k.userId().equals(at.userId())) {
          return Status.DEAD;
        }
        own = k.expiresMillis();
        at = null; // a key's own creator does not bind it beyond the cap it got (class comment)
      } else {
        TokenRecord r = t.tokenById(at.userId(), at.id());
        if (r == null) {
          return Status.DEAD;
        }
        own = r.expiresMillis();
        at = r.createdWith();
      }
      expires = earliest(expires, own);
      if (expires != null && expires <= nowMillis) {
        return new Status(false, expires);
      }
    }
    return new Status(true, expires);
  }

  /**
   * The expiry a credential created with {@code creator} gets: the requested one, or the creator's
   * when none was requested. A request for longer than the creator lives is refused (INVALID_ARGUMENT
   * naming the limit) rather than silently shortened: the caller asked for a time and must not
   * believe it got it. A creator that can no longer act (disabled, deleted, expired since the
   * request was authenticated) creates nothing (NOT_FOUND).
   *
   * <p>As AWS STS does for role chaining: a DurationSeconds beyond the chained session's limit fails
   * with a 400 ValidationError naming the limit, while an absent one gets a default that fits
   * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html, DurationSeconds).
   */
  Long cap(Long requestedMillis, Credential creator, long nowMillis) {
    if (creator == null) {
      return requestedMillis;
    }
    Status s = status(creator, nowMillis);
    if (!s.usable()) {
      throw error(StorageException.Kind.NOT_FOUND, "the " + creator.describe()
          + " this request was made with is disabled, deleted or expired");
    }
    if (s.expiresMillis() == null) {
      return requestedMillis;
    }
    if (requestedMillis == null) {
      return s.expiresMillis();
    }
    if (requestedMillis > s.expiresMillis()) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "expiry " + Instant.ofEpochMilli(requestedMillis)
          + " is after " + Instant.ofEpochMilli(s.expiresMillis()) + ", when the " + creator.describe()
          + " this request was made with expires: a credential cannot outlive the one that creates it");
    }
    return requestedMillis;
  }

  /**
   * Stages the deletion of every token created with {@code root}, and of the tokens those created,
   * transitively (a scan of all tokens: an admin operation, at most 100 tokens a user).
   *
   * @return how many were staged
   */
  int stageRevokeCreatedWith(MetaStore.Batch b, Credential root) {
    Map<byte[], TokenRecord> all = t.allTokens();
    Set<Credential> dead = new HashSet<>();
    dead.add(root);
    List<Map.Entry<byte[], TokenRecord>> revoked = new ArrayList<>();
    boolean grew = true;
    while (grew) { // a fixpoint: a child may be scanned before its parent is found dead
      grew = false;
      for (Map.Entry<byte[], TokenRecord> e : all.entrySet()) {
        TokenRecord r = e.getValue();
        Credential self = Credential.token(r.id(), r.userId());
        if (r.createdWith() != null && dead.contains(r.createdWith()) && dead.add(self)) {
          revoked.add(e);
          grew = true;
        }
      }
    }
    for (Map.Entry<byte[], TokenRecord> e : revoked) {
      t.deleteToken(b, e.getKey(), e.getValue().userId(), e.getValue().id());
    }
    return revoked.size();
  }

  /** The earlier of two expiries, null meaning never (no ternary: it would unbox a null). */
  static Long earliest(Long a, Long b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return Math.min(a, b);
  }
}
