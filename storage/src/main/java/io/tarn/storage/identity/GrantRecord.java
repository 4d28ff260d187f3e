package io.tarn.storage.identity;

import io.tarn.storage.Permission;
import io.tarn.storage.meta.Codec;

/** A grant as stored in the {@code grants} column family (keyed by {@link IdentityTables#grantKey}). */
record GrantRecord(Permission permission) {
  static final int FORMAT = 1;

  byte[] encode() {
    // By name, not ordinal: reordering the enum must not change stored meaning.
    return new Codec.Out(FORMAT).string(permission.name()).toBytes();
  }

  static GrantRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "grant", FORMAT);
    String name = in.requiredString();
    in.end();
    try {
      return new GrantRecord(Permission.valueOf(name));
    } catch (IllegalArgumentException e) {
      throw in.corrupt("unknown permission " + name);
    }
  }
}
