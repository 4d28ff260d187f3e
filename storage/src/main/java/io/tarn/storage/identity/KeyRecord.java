package io.tarn.storage.identity;

import io.tarn.storage.AccessKeyInfo;
import io.tarn.storage.meta.Codec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An access key as stored in the {@code keys} column family (keyed by {@link IdentityTables#accessKey}). The
 * secret is only ever stored sealed with the {@link io.tarn.storage.MasterKey}, with the key id as associated data.
 *
 * @param expiresMillis the expiry, or {@code null} for never
 */
record KeyRecord(String userId, boolean enabled, long createdMillis, Long expiresMillis, byte[] sealedSecret) {
  static final int FORMAT = 1;

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
    return out.bytes(sealedSecret).toBytes();
  }

  static KeyRecord decode(byte[] value) {
    Codec.In in = new Codec.In(value, "access key", FORMAT);
    String userId = in.requiredString();
    boolean enabled = in.bool();
    long created = in.i64();
    Long expires = in.bool() ? in.i64() : null;
    KeyRecord r = new KeyRecord(userId, enabled, created, expires, in.bytes());
    in.end();
    return r;
  }

  AccessKeyInfo toInfo(String accessKeyId) {
    return new AccessKeyInfo(accessKeyId, userId, enabled, Instant.ofEpochMilli(createdMillis),
        expiresMillis == null ? null : Instant.ofEpochMilli(expiresMillis));
  }

  KeyRecord withEnabled(boolean on) {
    return new KeyRecord(userId, on, createdMillis, expiresMillis, sealedSecret);
  }

  KeyRecord withExpires(Long millis) {
    return new KeyRecord(userId, enabled, createdMillis, millis, sealedSecret);
  }

  // Value semantics for the sealed bytes too (a record compares arrays by reference).
  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRecord k && userId.equals(k.userId) && enabled == k.enabled
        && createdMillis == k.createdMillis && Objects.equals(expiresMillis, k.expiresMillis)
        && Arrays.equals(sealedSecret, k.sealedSecret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, enabled, createdMillis, expiresMillis) * 31 + Arrays.hashCode(sealedSecret);
  }

  @Override
  public String toString() {
    return "KeyRecord[" + userId + ", enabled=" + enabled + ", created=" + createdMillis + ", expires=" + expiresMillis
        + ", sealed " + sealedSecret.length + " bytes]";
  }
}
