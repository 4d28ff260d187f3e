package io.tarn.storage.identity;

import io.tarn.core.Role;
import io.tarn.storage.UserInfo;
import io.tarn.storage.meta.Codec;
import java.time.Instant;

/**
 * A user as stored in the {@code users} column family (keyed by {@link IdentityTables#userById}). The name
 * index entry ({@link IdentityTables#userByName}) and the e-mail index entry ({@link IdentityTables#userByEmail})
 * hold the id, encoded by {@link #encodeId}.
 *
 * @param email the user's e-mail address as given, or {@code null} for none (and in format 1 records,
 *     which predate it)
 */
record UserRecord(String name, Role role, boolean enabled, long createdMillis, String email) {
  /** Format 2 adds {@code email} after the creation time; format 1 records still read (with none). */
  static final int FORMAT = 2;
  private static final int FORMAT_1 = 1;
  static final int ID_FORMAT = 1;

  UserRecord(String name, Role role, boolean enabled, long createdMillis) {
    this(name, role, enabled, createdMillis, null);
  }

  byte[] encode() {
    // The role by name, not ordinal: reordering the enum must not change stored meaning. A user without an
    // e-mail address is written in format 1, as before: a data directory that uses no address still opens
    // with the builds before it (which refuse a format-2 record as unsupported).
    Codec.Out out = new Codec.Out(email == null ? FORMAT_1 : FORMAT).string(name).string(role.name()).bool(enabled)
        .i64(createdMillis);
    return (email == null ? out : out.string(email)).toBytes();
  }

  static UserRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "user", FORMAT_1, FORMAT);
    String name = in.requiredString();
    String roleName = in.requiredString();
    Role role;
    try {
      role = Role.valueOf(roleName);
    } catch (IllegalArgumentException e) {
      throw in.corrupt("unknown role " + roleName);
    }
    boolean enabled = in.bool();
    long created = in.i64();
    UserRecord r = new UserRecord(name, role, enabled, created, in.format() >= 2 ? in.string() : null);
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
    return new UserInfo(id, name, role, enabled, Instant.ofEpochMilli(createdMillis), email);
  }

  UserRecord withEnabled(boolean on) {
    return new UserRecord(name, role, on, createdMillis, email);
  }

  /** This user as an enabled admin (what the root user is after every start), its e-mail kept. */
  UserRecord asEnabledAdmin() {
    return new UserRecord(name, Role.ADMIN, true, createdMillis, email);
  }

  UserRecord withEmail(String address) {
    return new UserRecord(name, role, enabled, createdMillis, address);
  }
}
