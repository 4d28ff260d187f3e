package io.tarn.core;

import java.security.SecureRandom;

/** Random identifiers: blob ids, upload ids, request ids. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** 128 random bits as 32 lower-case hex characters. Safe as a file name. */
  public static String random128() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Hex.encode(b);
  }

  /** {@code n} random bytes. */
  public static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /**
   * A request id as AWS prints them: 16 upper-case hex characters. Not a secret, so it comes from
   * a thread-local generator rather than the contended system SecureRandom (one per request).
   */
  public static String requestId() {
    long v = java.util.concurrent.ThreadLocalRandom.current().nextLong();
    String hex = Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
    return "0".repeat(16 - hex.length()) + hex;
  }
}
