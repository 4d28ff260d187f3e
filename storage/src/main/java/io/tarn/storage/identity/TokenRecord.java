package io.tarn.storage.identity;

import io.tarn.storage.Credential;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.TokenInfo;
import io.tarn.storage.meta.Codec;
import java.time.Instant;
import java.util.Objects;

/**
 * An API token as stored in the {@code tokens} column family, keyed by the SHA-256 of its value
 * ({@link IdentityTables#tokenByHash}); the value itself is never stored.
 *
 * @param expiresMillis the expiry, or {@code null} for never
 * @param createdWith the credential that created it, or {@code null} (format 1 records, which predate it)
 */
record TokenRecord(String id, String userId, String name, long createdMillis, Long expiresMillis,
    Credential createdWith) {
  /** Format 2 adds {@code createdWith}; format 1 records still read (with none). */
  static final int FORMAT = 2;
  private static final int FORMAT_1 = 1;
  /** The value of a user's index entry ({@link IdentityTables#tokenOfUser}): the token's hash. */
  static final int INDEX_FORMAT = 1;

  TokenRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(name, "name");
  }

  TokenRecord(String id, String userId, String name, long createdMillis, Long expiresMillis) {
    this(id, userId, name, createdMillis, expiresMillis, null);
  }

  byte[] encode() {
    Codec.Out out = new Codec.Out(FORMAT).string(id).string(userId).string(name).i64(createdMillis)
        .bool(expiresMillis != null);
    if (expiresMillis != null) {
      out.i64(expiresMillis);
    }
    Lineage.encode(out, createdWith);
    return out.toBytes();
  }

  static TokenRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "api token", FORMAT_1, FORMAT);
    TokenRecord r = new TokenRecord(in.requiredString(), in.requiredString(), in.requiredString(), in.i64(),
        in.bool() ? in.i64() : null, in.format() >= 2 ? Lineage.decode(in) : null);
    in.end();
    return r;
  }

  static byte[] encodeIndex(byte[] hash) {
    return new Codec.Out(INDEX_FORMAT).bytes(hash).toBytes();
  }

  static byte[] decodeIndex(byte[] value) {
    Codec.In in = new Codec.In(value, "api token index", INDEX_FORMAT);
    byte[] hash = in.bytes();
    in.end();
    return hash;
  }

  TokenInfo toInfo() {
    return new TokenInfo(id, userId, name, Instant.ofEpochMilli(createdMillis),
        expiresMillis == null ? null : Instant.ofEpochMilli(expiresMillis), createdWith);
  }

  /** As {@link IdentityStore#resolveToken} shows it: with the expiry its creators' impose. */
  TokenInfo toInfo(Long effectiveExpiresMillis) {
    return new TokenRecord(id, userId, name, createdMillis, effectiveExpiresMillis, createdWith).toInfo();
  }
}
