package io.tarn.storage.objects;

import io.tarn.core.Ids;
import java.util.Base64;

/**
 * Upload ids: 8 bytes of initiation time (epoch millis, big-endian) and 16 random bytes, as 32
 * URL-safe base64 characters. The time prefix makes the raw form sort by initiation; the random
 * part makes ids unguessable.
 */
final class UploadIds {
  static final int RAW_LENGTH = 24;
  private static final int TEXT_LENGTH = 32;

  private UploadIds() {}

  static byte[] newRaw(long initiatedMillis) {
    byte[] raw = new byte[RAW_LENGTH];
    for (int i = 0; i < 8; i++) {
      raw[i] = (byte) (initiatedMillis >>> (56 - 8 * i));
    }
    System.arraycopy(Ids.randomBytes(16), 0, raw, 8, 16);
    return raw;
  }

  static String text(byte[] raw) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /** The raw form of a client-supplied id, or {@code null} if it cannot be one of ours. */
  static byte[] parse(String id) {
    if (id == null || id.length() != TEXT_LENGTH) {
      return null;
    }
    try {
      byte[] raw = Base64.getUrlDecoder().decode(id);
      // Reject non-canonical spellings, so one upload has exactly one id.
      return raw.length == RAW_LENGTH && text(raw).equals(id) ? raw : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
