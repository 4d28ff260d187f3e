package io.tarn.storage.identity;

import io.tarn.storage.AccessKeyInfo;
import io.tarn.storage.Credential;
import io.tarn.storage.meta.Codec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An access key as stored in the {@code keys} column family (keyed by {@link IdentityTables#accessKey}). The
 * secret is only ever stored sealed with the {@link io.tarn.storage.MasterKey}, with the key id as associated data.
 *
 * @param expiresMillis the expiry, or {@code null} for never
 * @param createdWith the credential that created it, or {@code null} (the root key, and format 1
 *     records, which predate it)
 */
record KeyRecord(String userId, boolean enabled, long createdMillis, Long expiresMillis, byte[] sealedSecret,
    Credential createdWith) {
  /** Format 2 adds {@code createdWith} after the sealed secret; format 1 records still read (with none). */
  static final int FORMAT = 2;
  private static final int FORMAT_1 = 1;

  KeyRecord(String userId, boolean enabled, long createdMillis, Long expiresMillis, byte[] sealedSecret) {
    this(userId, enabled, createdMillis, expiresMillis, sealedSecret, null);
  }

  KeyRecord {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(sealedSecret, "sealedSecret");
    sealedSecret = sealedSecret.clone();
  }

  @Override
  public byte[] sealedSecret() {
    return sealedSecret.clone();
  }

  byte[] encode() {
    Codec.Out out = new Codec.Out(FORMAT).string(userId).bool(enabled).i64(createdMillis).bool(expiresMillis != null);
    if (expiresMillis != null) {
      out.i64(expiresMillis);
    }
    out.bytes(sealedSecret);
    Lineage.encode(out, createdWith);
    return out.toBytes();
  }

  static KeyRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "access key", FORMAT_1, FORMAT);
    String userId = in.requiredString();
    boolean enabled = in.bool();
    long created = in.i64();
    Long expires = in.bool() ? in.i64() : null;
    byte[] sealed = in.bytes();
    KeyRecord r = new KeyRecord(userId, enabled, created, expires, sealed, in.format() >= 2 ? Lineage.decode(in) : null);
    in.end();
    return r;
  }

  AccessKeyInfo toInfo(String accessKeyId) {
    return new AccessKeyInfo(accessKeyId, userId, enabled, Instant.ofEpochMilli(createdMillis),
        expiresMillis == null ? null : Instant.ofEpochMilli(expiresMillis), createdWith);
  }

  KeyRecord withEnabled(boolean on) {
    return new KeyRecord(userId, on, createdMillis, expiresMillis, sealedSecret, createdWith);
  }

  KeyRecord withExpires(Long millis) {
    return new KeyRecord(userId, enabled, createdMillis, millis, sealedSecret, createdWith);
  }

  // Value semantics for the sealed bytes too (a record compares arrays by reference).
  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRecord k && userId.equals(k.userId) && enabled == k.enabled
        && createdMillis == k.createdMillis && Objects.equals(expiresMillis, k.expiresMillis)
        && Arrays.equals(sealedSecret, k.sealedSecret) && Objects.equals(createdWith, k.createdWith);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, enabled, createdMillis, expiresMillis, createdWith) * 31 + Arrays.hashCode(sealedSecret);
  }

  @Override
  public String toString() {
    return "KeyRecord[" + userId + ", enabled=" + enabled + ", created=" + createdMillis + ", expires=" + expiresMillis
        + ", sealed " + sealedSecret.length + " bytes, createdWith=" + createdWith + "]";
  }
}
