package io.tarn.core;

import java.security.SecureRandom;

/** Random identifiers: blob ids, upload ids, request ids. */
public final class Ids {
  /**
   * One strong generator per thread (a NIST SP 800-90A DRBG, seeded from the system's entropy when the
   * thread first needs one). Not one shared {@code new SecureRandom()}: on Linux that is NativePRNG, whose
   * every call takes one process-wide lock; every upload takes a blob id, and on a busy machine a worker
   * preempted while holding that lock stalled all the others' uploads (JFR showed waits up to 100 ms).
   */
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Ids::newGenerator);

  private Ids() {}

  /** 128 random bits as 32 lower-case hex characters. Safe as a file name. */
  public static String random128() {
    byte[] b = new byte[16];
    RANDOM.get().nextBytes(b);
    return Hex.encode(b);
  }

  /** {@code n} random bytes. */
  public static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.get().nextBytes(b);
    return b;
  }

  private static SecureRandom newGenerator() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (java.security.NoSuchAlgorithmException e) {
      return new SecureRandom(); // every JDK since 9 has DRBG; the platform default otherwise
    }
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
