package io.tarn.storage.meta;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte-key building blocks for the layouts of the metadata store's column families. Keys sort
 * bytewise (unsigned), so owners choose layouts for the orders their scans need; the layouts
 * themselves are documented beside their owners ({@code ObjectTables}, {@code IdentityTables}).
 */
public final class Keys {
  /** Separates a variable-length field from what follows; never part of a bucket name. */
  public static final byte SEP = 0x00;
  private static final byte ESCAPE = (byte) 0xFF;

  private Keys() {}

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The UTF-8 text of {@code key} from {@code from} to its end. */
  public static String text(byte[] key, int from) {
    return new String(key, from, key.length - from, StandardCharsets.UTF_8);
  }

  /**
   * Order-preserving escape of 0x00, for a field followed by more bytes: 0x00 becomes 0x00 0xFF, so
   * a terminator {@code 0x00 0x01} sorts before any escaped byte. Prefixes stay prefixes.
   */
  public static byte[] escape(byte[] raw) {
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

  public static byte[] concat(byte[]... parts) {
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

  public static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }

  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /**
   * The smallest array greater than every array starting with {@code prefix}, or {@code null} if
   * there is none (all 0xFF). Used to skip a whole common prefix with one seek.
   */
  public static byte[] successor(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] out = Arrays.copyOf(prefix, i + 1);
        out[i]++;
        return out;
      }
    }
    return null;
  }
}
