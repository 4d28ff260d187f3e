package io.tarn.storage.identity;

import io.tarn.core.Role;
import io.tarn.storage.UserInfo;
import io.tarn.storage.meta.Codec;
import java.time.Instant;

/**
 * A user as stored in the {@code users} column family (keyed by {@link IdentityTables#userById}). The name
 * index entry ({@link IdentityTables#userByName}) holds the id, encoded by {@link #encodeId}.
 */
record UserRecord(String name, Role role, boolean enabled, long createdMillis) {
  static final int FORMAT = 1;
  static final int ID_FORMAT = 1;

  byte[] encode() {
    // The role by name, not ordinal: reordering the enum must not change stored meaning.
    return new Codec.Out(FORMAT).string(name).string(role.name()).bool(enabled).i64(createdMillis).toBytes();
  }

  static UserRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "user", FORMAT);
    String name = in.requiredString();
    String roleName = in.requiredString();
    Role role;
    try {
      role = Role.valueOf(roleName);
    } catch (IllegalArgumentException e) {
      throw in.corrupt("unknown role " + roleName);
    }
    UserRecord r = new UserRecord(name, role, in.bool(), in.i64());
    in.end();
    return r;
  }

  static byte[] encodeId(String id) {
    return new Codec.Out(ID_FORMAT).string(id).toBytes();
  }

  static String decodeId(byte[] value) {
    Codec.In in = new Codec.In(value, "user name index", ID_FORMAT);
    String id = in.requiredString();
    in.end();
    return id;
  }

  UserInfo toInfo(String id) {
    return new UserInfo(id, name, role, enabled, Instant.ofEpochMilli(createdMillis));
  }

  UserRecord withEnabled(boolean on) {
    return new UserRecord(name, role, on, createdMillis);
  }
}
