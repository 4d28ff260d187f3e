package io.tarn.storage;

import io.tarn.core.BucketNames;
import io.tarn.core.Ids;
import io.tarn.core.ObjectKeys;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * RocksDB key layouts. Keys sort bytewise, so layouts are chosen for the orders listings need:
 *
 * <ul>
 *   <li>{@code objects}: {@code bucket 0x00 keyUTF8}. Bucket names never contain 0x00 and the key
 *       is the rest of the array, so bytewise order within a bucket is the UTF-8 byte order S3 lists
 *       in.
 *   <li>{@code uploads}: {@code bucket 0x00 escape(keyUTF8) 0x00 0x01 uploadIdRaw}. The key is
 *       followed by more bytes, and keys may contain 0x00, so it is escaped order-preservingly (0x00
 *       becomes 0x00 0xFF, and the terminator 0x00 0x01 sorts before any escaped byte). The raw
 *       upload id starts with the initiation time, so uploads of one key sort by initiation.
 *   <li>{@code parts}: {@code uploadIdRaw partNumber(4 bytes, big-endian)}.
 *   <li>{@code inline}, {@code blobrefs}: the 16 raw bytes of the blob id.
 *   <li>{@code users}: {@code 'i' id} holds the user; {@code 'n' name} holds the id of the user with
 *       that name (the uniqueness index).
 *   <li>{@code keys}: {@code 'k' accessKeyId} holds the key; {@code 'u' userId accessKeyId} marks it
 *       as one of the user's keys (user ids have a fixed length, so the prefix is unambiguous).
 *   <li>{@code grants}: {@code bucket 0x00 userId}, so a bucket's grants are one range.
 *   <li>{@code tokens}: {@code 'h' sha256(token)} holds the API token (looked up by the hash of the
 *       presented value, which is never stored); {@code 'u' userId tokenId} holds that hash, so a
 *       user's tokens are one range and one can be revoked by id.
 * </ul>
 */
final class Keys {
  static final byte SEP = 0x00;
  private static final byte ESCAPE = (byte) 0xFF;
  private static final byte TERMINATOR = 0x01;

  private Keys() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bucket(String name) {
    return utf8(name);
  }

  /** {@code bucket 0x00}: the start of a bucket's range in {@code objects} and {@code uploads}. */
  static byte[] bucketPrefix(String bucket) {
    byte[] b = utf8(bucket);
    byte[] out = Arrays.copyOf(b, b.length + 1);
    out[b.length] = SEP;
    return out;
  }

  static byte[] object(String bucket, String key) {
    return concat(bucketPrefix(bucket), utf8(key));
  }

  /** The object key of an {@code objects} CF key whose bucket prefix is {@code prefixLength} long. */
  static String objectKey(byte[] cfKey, int prefixLength) {
    return new String(cfKey, prefixLength, cfKey.length - prefixLength, StandardCharsets.UTF_8);
  }

  /** Order-preserving escape of 0x00 (see the class comment); prefixes stay prefixes. */
  static byte[] escape(byte[] raw) {
    int zeros = 0;
    for (byte b : raw) {
      if (b == 0) {
        zeros++;
      }
    }
    if (zeros == 0) {
      return raw;
    }
    byte[] out = new byte[raw.length + zeros];
    int j = 0;
    for (byte b : raw) {
      out[j++] = b;
      if (b == 0) {
        out[j++] = ESCAPE;
      }
    }
    return out;
  }

  static byte[] upload(String bucket, String key, byte[] uploadRaw) {
    return concat(bucketPrefix(bucket), escape(utf8(key)), new byte[] {SEP, TERMINATOR}, uploadRaw);
  }

  /** Sorts after every upload of {@code key} and before any longer key. */
  static byte[] afterUploadsOf(String bucket, String key) {
    return concat(bucketPrefix(bucket), escape(utf8(key)), new byte[] {SEP, TERMINATOR + 1});
  }

  /** The trailing raw upload id of an {@code uploads} CF key. */
  static byte[] uploadRawOf(byte[] cfKey) {
    return Arrays.copyOfRange(cfKey, cfKey.length - UploadIds.RAW_LENGTH, cfKey.length);
  }

  static byte[] part(byte[] uploadRaw, int partNumber) {
    byte[] out = Arrays.copyOf(uploadRaw, uploadRaw.length + 4);
    for (int i = 0; i < 4; i++) {
      out[uploadRaw.length + i] = (byte) (partNumber >>> (24 - 8 * i));
    }
    return out;
  }

  private static final byte USER_BY_ID = 'i';
  private static final byte USER_BY_NAME = 'n';
  private static final byte KEY_BY_ID = 'k';
  private static final byte KEY_OF_USER = 'u';

  static byte[] userById(String id) {
    return concat(new byte[] {USER_BY_ID}, utf8(id));
  }

  /** The start of the id range of {@code users}. */
  static byte[] usersById() {
    return new byte[] {USER_BY_ID};
  }

  static byte[] userByName(String name) {
    return concat(new byte[] {USER_BY_NAME}, utf8(name));
  }

  static byte[] accessKey(String accessKeyId) {
    return concat(new byte[] {KEY_BY_ID}, utf8(accessKeyId));
  }

  /** The start of the key id range of {@code keys}. */
  static byte[] accessKeys() {
    return new byte[] {KEY_BY_ID};
  }

  /** The id in a one-byte-tagged key ({@code 'i' id}, {@code 'k' accessKeyId}). */
  static String idOf(byte[] cfKey) {
    return new String(cfKey, 1, cfKey.length - 1, StandardCharsets.UTF_8);
  }

  static byte[] keysOfUser(String userId) {
    return concat(new byte[] {KEY_OF_USER}, utf8(userId));
  }

  static byte[] keyOfUser(String userId, String accessKeyId) {
    return concat(keysOfUser(userId), utf8(accessKeyId));
  }

  private static final byte TOKEN_BY_HASH = 'h';
  private static final byte TOKEN_OF_USER = 'u';

  static byte[] tokenByHash(byte[] sha256) {
    return concat(new byte[] {TOKEN_BY_HASH}, sha256);
  }

  /** The range of {@code userId}'s token index entries (user ids have a fixed length). */
  static byte[] tokensOfUser(String userId) {
    return concat(new byte[] {TOKEN_OF_USER}, utf8(userId));
  }

  static byte[] tokenOfUser(String userId, String tokenId) {
    return concat(tokensOfUser(userId), utf8(tokenId));
  }

  static byte[] grant(String bucket, String userId) {
    return concat(bucketPrefix(bucket), utf8(userId));
  }

  static byte[] blobId(String id) {
    return io.tarn.core.Hex.decode(id);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }

  static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /**
   * The smallest array greater than every array starting with {@code prefix}, or {@code null} if
   * there is none (all 0xFF). Used to skip a whole common prefix with one seek.
   */
  static byte[] successor(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] out = Arrays.copyOf(prefix, i + 1);
        out[i]++;
        return out;
      }
    }
    return null;
  }

  /** Storage's own guard: the protocol layer validates first, so a bad name here is a bug. */
  static void requireBucketName(String name) {
    if (!BucketNames.isValid(name)) {
      throw new IllegalArgumentException("invalid bucket name: " + name);
    }
  }

  /** Non-empty, at most 1024 UTF-8 bytes, no lone surrogates (they have no UTF-8 form). */
  static void requireObjectKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("object key must not be empty");
    }
    byte[] b = utf8(key);
    if (b.length > ObjectKeys.MAX_KEY_BYTES || !new String(b, StandardCharsets.UTF_8).equals(key)) {
      throw new IllegalArgumentException("invalid object key (too long or not valid UTF-8)");
    }
  }

  /**
   * Upload ids: 8 bytes of initiation time (epoch millis, big-endian) and 16 random bytes, as 32
   * URL-safe base64 characters. The time prefix makes the raw form sort by initiation; the random
   * part makes ids unguessable.
   */
  static final class UploadIds {
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
}
