package io.tarn.storage.identity;

import static io.tarn.storage.identity.IdentityRules.error;

import io.tarn.core.Hex;
import io.tarn.core.Ids;
import io.tarn.core.Role;
import io.tarn.storage.EmailAddress;
import io.tarn.storage.StorageException;
import io.tarn.storage.UserInfo;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.objects.BucketRecord;
import io.tarn.storage.objects.Locks;
import io.tarn.storage.objects.StoreContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Users: creation, lookup, enabling, and deletion with what belongs to them. */
final class Users {
  private final StoreContext c;
  private final IdentityTables t;
  private final IdentityGuard guard;

  Users(StoreContext c, IdentityTables t, IdentityGuard guard) {
    this.c = c;
    this.t = t;
    this.guard = guard;
  }

  UserRecord require(String userId) {
    UserRecord u = userId == null ? null : t.user(userId);
    if (u == null) {
      throw error(StorageException.Kind.NOT_FOUND, "no such user: " + userId);
    }
    return u;
  }

  UserInfo create(String name, Role role, String email) {
    IdentityRules.requireName(name);
    if (role == null) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "a role is required for user " + name);
    }
    String address = IdentityRules.email(email);
    return guard.mutate(() -> {
      if (t.userIdByName(name) != null) {
        throw error(StorageException.Kind.CONFLICT, "user name " + name + " is taken");
      }
      requireFreeEmail(address, null);
      String id = Hex.encode(Ids.randomBytes(32));
      UserRecord u = new UserRecord(name, role, true, c.now().toEpochMilli(), address);
      try (MetaStore.Batch b = c.meta().batch()) {
        t.putUser(b, id, u, null);
        c.meta().commit(b, "create user " + name);
      }
      return u.toInfo(id);
    });
  }

  /** Sets (or, with null or "", clears) the user's e-mail address; its index entry changes in the same batch. */
  UserInfo setEmail(String userId, String email) {
    String address = IdentityRules.email(email);
    return guard.mutate(() -> {
      UserRecord u = require(userId);
      if (java.util.Objects.equals(u.email(), address)) {
        return u.toInfo(userId);
      }
      requireFreeEmail(address, userId);
      UserRecord changed = u.withEmail(address);
      try (MetaStore.Batch b = c.meta().batch()) {
        t.putUser(b, userId, changed, u);
        c.meta().commit(b, (address == null ? "clear the e-mail address of user " : "set the e-mail address of user ")
            + u.name());
      }
      return changed.toInfo(userId);
    });
  }

  /** CONFLICT if a user other than {@code userId} has {@code address} (in any case). */
  private void requireFreeEmail(String address, String userId) {
    String holder = address == null ? null : t.userIdByEmail(address);
    if (holder != null && !holder.equals(userId)) {
      UserRecord other = t.user(holder);
      throw error(StorageException.Kind.CONFLICT, "e-mail address " + address + " is taken by user "
          + (other == null ? holder : other.name()));
    }
  }

  /** The user whose e-mail address is {@code email}, compared case-insensitively. */
  Optional<UserInfo> userByEmail(String email) {
    if (email == null || EmailAddress.problem(email) != null) {
      return Optional.empty();
    }
    return guard.read(() -> {
      String id = t.userIdByEmail(email);
      UserRecord u = id == null ? null : t.user(id);
      return u == null ? Optional.empty() : Optional.of(u.toInfo(id));
    });
  }

  Optional<UserInfo> user(String idOrName) {
    if (idOrName == null || idOrName.isEmpty()) {
      return Optional.empty();
    }
    return guard.read(() -> {
      UserRecord u = t.user(idOrName);
      if (u != null) {
        return Optional.of(u.toInfo(idOrName));
      }
      String id = t.userIdByName(idOrName);
      u = id == null ? null : t.user(id);
      return u == null ? Optional.empty() : Optional.of(u.toInfo(id));
    });
  }

  List<UserInfo> users() {
    return guard.read(() -> {
      List<UserInfo> out = new ArrayList<>();
      t.users().forEach((id, u) -> out.add(u.toInfo(id)));
      out.sort(Comparator.comparing(UserInfo::name));
      return out;
    });
  }

  UserInfo setEnabled(String userId, boolean enabled) {
    return guard.mutate(() -> {
      UserRecord u = require(userId);
      if (u.enabled() != enabled) {
        u = u.withEnabled(enabled);
        try (MetaStore.Batch b = c.meta().batch()) {
          t.putUser(b, userId, u, null);
          c.meta().commit(b, (enabled ? "enable" : "disable") + " user " + u.name());
        }
      }
      return u.toInfo(userId);
    });
  }

  /** Deletes the user with its keys, grants and tokens; its buckets go to {@code reassignTo}. */
  void delete(String userId, String reassignTo, Grants grants) {
    guard.mutateVoid(() -> {
      UserRecord u = require(userId);
      if (reassignTo != null) {
        if (reassignTo.equals(userId)) {
          throw error(StorageException.Kind.INVALID_ARGUMENT, "user " + u.name() + " cannot inherit its own buckets");
        }
        require(reassignTo);
      }
      List<String> owned = ownedBuckets(userId);
      if (!owned.isEmpty() && reassignTo == null) {
        throw error(StorageException.Kind.CONFLICT, "user " + u.name() + " still owns " + owned.size()
            + " bucket(s): " + String.join(", ", owned));
      }
      // Shared bucket locks: a bucket being reassigned cannot be deleted (and then resurrected by
      // this batch) in between.
      try (Locks.Held held = c.locks().bucketsShared(owned); MetaStore.Batch b = c.meta().batch()) {
        grants.stageUserDeleted(b, userId, owned, reassignTo);
        for (String keyId : t.keyIdsOf(userId)) {
          t.deleteKey(b, keyId, userId);
        }
        t.tokenHashesOf(userId).forEach((tokenId, hash) -> t.deleteToken(b, hash, userId, tokenId));
        t.deleteUser(b, userId, u);
        c.meta().commit(b, "delete user " + u.name());
      }
    });
  }

  private List<String> ownedBuckets(String userId) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, BucketRecord> e : c.tables().buckets().entrySet()) {
      if (userId.equals(e.getValue().ownerId())) {
        out.add(e.getKey());
      }
    }
    return out;
  }
}
