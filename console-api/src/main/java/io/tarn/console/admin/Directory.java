package io.tarn.console.admin;

import io.tarn.console.ApiException;
import io.tarn.console.Credentials;
import io.tarn.core.Principal;
import io.tarn.core.Role;
import io.tarn.storage.AccessKeyInfo;
import io.tarn.storage.BucketAccess;
import io.tarn.storage.BucketGrant;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.BucketStats;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.Permission;
import io.tarn.storage.TokenInfo;
import io.tarn.storage.UserInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Looks up users and buckets for the handlers (a miss is a 404 naming what was asked for) and builds
 * the JSON views, which need names where storage keeps ids.
 */
final class Directory {
  private final ObjectStore store;
  private final IdentityStore identity;
  private final Clock clock;

  Directory(ObjectStore store, IdentityStore identity, Clock clock) {
    this.store = store;
    this.identity = identity;
    this.clock = clock;
  }

  /** A user by id or name. @throws ApiException NotFound */
  UserInfo user(String idOrName) {
    return identity.user(idOrName).orElseThrow(() -> ApiException.notFound("user " + idOrName + " not found"));
  }

  /**
   * The id of the user a key or token request names. A non-admin may only name itself; naming
   * anyone else, existing or not, is refused alike.
   */
  String subject(Call c, String nameOrId) {
    Optional<UserInfo> user = identity.user(nameOrId);
    if (!c.isAdmin() && (user.isEmpty() || !user.get().id().equals(c.caller().userId()))) {
      throw ApiException.denied("admin role required");
    }
    return user.orElseThrow(() -> ApiException.notFound("user " + nameOrId + " not found")).id();
  }

  /** @throws ApiException NotFound */
  BucketInfo bucket(String name) {
    return store.bucket(name).orElseThrow(() -> ApiException.notFound("bucket " + name + " not found"));
  }

  /** Names of the buckets {@code userId} owns, in name order. */
  List<String> ownedBuckets(String userId) {
    List<String> out = new ArrayList<>();
    for (BucketInfo b : store.listBuckets()) {
      if (b.ownerId().equals(userId)) {
        out.add(b.name());
      }
    }
    return out;
  }

  /** User id to name for every user, for views of many things at once. */
  Function<String, String> allNames() {
    Map<String, String> names = new HashMap<>();
    for (UserInfo u : identity.users()) {
      names.put(u.id(), u.name());
    }
    return names::get;
  }

  /** User id to name, looked up one at a time (null if the user is gone). */
  Function<String, String> nameLookup() {
    return id -> identity.user(id).map(UserInfo::name).orElse(null);
  }

  // ---- views

  Views.User userView(UserInfo u) {
    return userView(u, ownedBuckets(u.id()).size());
  }

  Views.User userView(UserInfo u, long ownedBuckets) {
    return new Views.User(u.id(), u.name(), u.email(), role(u.role()), u.enabled(), Times.format(u.created()),
        ownedBuckets);
  }

  /** Owned-bucket counts by owner id, for listing all users with one bucket scan. */
  Map<String, Long> ownedCounts() {
    Map<String, Long> counts = new HashMap<>();
    for (BucketInfo b : store.listBuckets()) {
      counts.merge(b.ownerId(), 1L, Long::sum);
    }
    return counts;
  }

  Views.Key keyView(AccessKeyInfo k, Function<String, String> names) {
    return new Views.Key(k.accessKeyId(), names.apply(k.userId()), k.userId(), k.enabled(), Times.format(k.created()),
        Times.format(k.expires()), k.expiredAt(clock.instant()), Credentials.show(k.createdWith()));
  }

  Views.Token tokenView(TokenInfo t, Function<String, String> names) {
    return new Views.Token(t.id(), t.name(), names.apply(t.userId()), t.userId(), Times.format(t.created()),
        Times.format(t.expires()), t.expiredAt(clock.instant()), Credentials.show(t.createdWith()));
  }

  Views.NewKey newKeyView(NewAccessKey created) {
    Views.Key k = keyView(created.info(), nameLookup());
    return new Views.NewKey(k.accessKeyId(), k.user(), k.userId(), k.enabled(), k.created(), k.expires(), k.expired(),
        k.createdWith(), created.secretAccessKey());
  }

  /**
   * What {@code caller} may do with the bucket, as the view's {@code access} says it: {@code owner},
   * {@code admin}, or its grant ({@code read-write}, {@code read}); empty when it may not see it. The
   * same rule as S3's ListBuckets (s3-api's Authorizer#canSee): owned, granted, or an admin.
   */
  Optional<String> access(BucketInfo b, Principal caller) {
    if (b.ownerId().equals(caller.userId())) {
      return Optional.of("owner");
    }
    if (caller.isAdmin()) {
      return Optional.of("admin");
    }
    return identity.access(b.name(), caller.userId()).map(BucketAccess::granted).map(Directory::permission);
  }

  /**
   * The bucket as {@code caller} sees it ({@code access} from {@link #access}): counts, owner, and the
   * grants only for its owner and admins, who decide them; a granted user does not learn who else was.
   */
  Views.Bucket bucketView(BucketInfo b, Function<String, String> names, String access) {
    BucketStats stats = identity.stats(b.name());
    List<Views.Grant> grants = null;
    if (access.equals("owner") || access.equals("admin")) {
      grants = new ArrayList<>();
      for (BucketGrant g : identity.grants(b.name())) {
        // A user the bucket's ACL gives only READ_ACP/WRITE_ACP (set through S3) has no Tarn grant: it is
        // shown with its ACL permissions, so the page shows what GetBucketAcl does.
        grants.add(new Views.Grant(names.apply(g.userId()), g.permission() != null ? permission(g.permission())
            : String.join("+", g.aclPermissions().stream()
                .map(p -> p.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList())));
      }
    }
    return new Views.Bucket(b.name(), names.apply(b.ownerId()), b.ownerId(), Times.format(b.created()), b.region(),
        stats.objects(), stats.bytes(), access, grants);
  }

  // ---- enums on the wire

  static String role(Role r) {
    return r.name().toLowerCase(Locale.ROOT);
  }

  /** @throws ApiException InvalidRequest naming the field */
  static Role parseRole(String text) {
    for (Role r : Role.values()) {
      if (role(r).equals(text)) {
        return r;
      }
    }
    throw ApiException.invalid("\"role\" must be \"admin\" or \"user\"");
  }

  static String permission(Permission p) {
    return switch (p) {
      case READ -> "read";
      case READ_WRITE -> "read-write";
    };
  }

  /** @throws ApiException InvalidRequest naming the field */
  static Permission parsePermission(String text) {
    for (Permission p : Permission.values()) {
      if (permission(p).equals(text)) {
        return p;
      }
    }
    throw ApiException.invalid("\"permission\" must be \"read\" or \"read-write\"");
  }
}
