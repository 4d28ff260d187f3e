package io.tarn.s3.ops;

import io.tarn.storage.IdentityStore;
import io.tarn.storage.UserInfo;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Display names from the {@link IdentityStore}. A listing names up to a thousand owners, nearly
 * always the same few: names are cached (user names never change; a deleted user's name may
 * linger, which is what an Owner element of its old objects should show anyway).
 */
public final class IdentityOwners implements Owners {
  private static final int MAX_CACHED = 10_000;

  private final IdentityStore identity;
  private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();

  public IdentityOwners(IdentityStore identity) {
    this.identity = identity;
  }

  @Override
  public String displayName(String userId) {
    String cached = names.get(userId);
    if (cached != null) {
      return cached;
    }
    String name = identity.user(userId).map(UserInfo::name).orElse(null);
    if (name == null) {
      return userId; // never cache a miss: the user may be created later
    }
    if (names.size() >= MAX_CACHED) {
      names.clear();
    }
    names.put(userId, name);
    return name;
  }
}
