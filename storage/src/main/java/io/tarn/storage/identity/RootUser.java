package io.tarn.storage.identity;

import static io.tarn.storage.identity.IdentityRules.error;

import io.tarn.core.Role;
import io.tarn.storage.Credential;
import io.tarn.storage.StorageException;
import io.tarn.storage.UserInfo;
import io.tarn.storage.meta.Codec;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.objects.StoreContext;
import java.util.List;

/**
 * The root user of the configuration: made (or made an enabled admin again) at every start, with the
 * configured access key; a root key an earlier start recorded is deleted when the configured one
 * differs, so rotating the root credentials revokes the old ones.
 */
final class RootUser {
  private static final System.Logger LOG = System.getLogger(RootUser.class.getName());
  static final String ROOT_KEY = "identity.root-key";
  private static final int ROOT_KEY_FORMAT = 1;

  private final StoreContext c;
  private final IdentityTables t;
  private final IdentityGuard guard;
  private final AccessKeys keys;
  private final Lineage lineage;

  RootUser(StoreContext c, IdentityTables t, IdentityGuard guard, AccessKeys keys, Lineage lineage) {
    this.c = c;
    this.t = t;
    this.guard = guard;
    this.keys = keys;
    this.lineage = lineage;
  }

  UserInfo bootstrap(String userId, String name, String accessKeyId, String secret) {
    if (userId == null || !IdentityRules.USER_ID.matcher(userId).matches()) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "root user id must be 64 lower-case hex characters");
    }
    IdentityRules.requireName(name);
    if (accessKeyId == null || !IdentityRules.KEY_ID.matcher(accessKeyId).matches()) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "invalid root access key id \"" + accessKeyId
          + "\": use 1 to 128 visible ASCII characters except / , and :");
    }
    if (secret == null || secret.isEmpty()) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "the secret of root access key " + accessKeyId
          + " is empty");
    }
    return guard.mutate(() -> {
      try (MetaStore.Batch b = c.meta().batch()) {
        boolean changed = false;
        UserRecord user = t.user(userId);
        if (user == null || user.role() != Role.ADMIN || !user.enabled()) {
          // Root is the way back in: it is an enabled admin after every start.
          UserRecord was = user;
          user = user == null
              ? new UserRecord(freeRootName(userId, name), Role.ADMIN, true, c.now().toEpochMilli())
              : user.asEnabledAdmin();
          t.putUser(b, userId, user, was);
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
      if (IdentityRules.NAME.matcher(candidate).matches() && t.userIdByName(candidate) == null) {
        return candidate;
      }
    }
    throw error(StorageException.Kind.CONFLICT, "no free name for the root user (" + name + " and " + name
        + "-root are taken)");
  }

  /** Stages the root key unless it is stored already, enabled, without expiry and with this secret. */
  private boolean stageRootKey(MetaStore.Batch b, String userId, String accessKeyId, String secret) {
    KeyRecord k = t.key(accessKeyId);
    if (k != null && k.userId().equals(userId) && k.enabled() && k.expiresMillis() == null
        && keys.secretIs(k, accessKeyId, secret)) {
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
      t.deleteKey(b, accessKeyId, k.userId()); // drops the previous owner's index entry
      // A new secret (or owner) is a new credential: what the old one created goes with it.
      lineage.stageRevokeCreatedWith(b, Credential.accessKey(accessKeyId, k.userId()));
    }
    t.putKey(b, accessKeyId, new KeyRecord(userId, true, created, null, keys.seal(secret, accessKeyId)));
    return true;
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
      KeyRecord old = t.key(previous);
      if (old != null) {
        t.deleteKey(b, previous, old.userId());
        lineage.stageRevokeCreatedWith(b, Credential.accessKey(previous, old.userId()));
        LOG.log(System.Logger.Level.INFO, "root access key " + previous + " replaced by " + accessKeyId
            + ": the old key is deleted");
      }
    }
    b.putSys(ROOT_KEY, new Codec.Out(ROOT_KEY_FORMAT).string(accessKeyId).toBytes());
    return true;
  }
}
