package io.tarn.core.checksum;

/**
 * The CRC of a concatenation from the CRCs of its pieces, as zlib's {@code crc32_combine} does, for
 * any reflected CRC whose initial value and final xor are all ones (CRC32, CRC32C, CRC64NVME): a full
 * object checksum of a multipart upload from its parts' checksums and sizes, without reading them.
 *
 * <p>Polynomials are in reflected form, {@code x^0} the highest bit of the {@code width}.
 */
final class CrcCombine {
  private final long poly;
  private final int width;
  private final long mask;
  /** x^(2^k) modulo the polynomial, for k up to 3 + 63 (lengths in bytes, so bits = 8 * length). */
  private final long[] powers = new long[3 + 64];

  CrcCombine(long reflectedPoly, int width) {
    this.poly = reflectedPoly;
    this.width = width;
    this.mask = width == 64 ? -1L : (1L << width) - 1;
    long p = 1L << (width - 2); // x^1
    powers[0] = p;
    for (int k = 1; k < powers.length; k++) {
      p = multiply(p, p);
      powers[k] = p;
    }
  }

  /** The CRC of A followed by B, from crc(A), crc(B) and the length of B in bytes. */
  long combine(long crcA, long crcB, long lengthB) {
    if (lengthB < 0) {
      throw new IllegalArgumentException("negative length");
    }
    return (multiply(xToEightTimes(lengthB), crcA & mask) ^ crcB) & mask;
  }

  /** x^(8n) modulo the polynomial. */
  private long xToEightTimes(long n) {
    long p = 1L << (width - 1); // x^0
    int k = 3;
    while (n != 0) {
      if ((n & 1) != 0) {
        p = multiply(powers[k], p);
      }
      n >>>= 1;
      k++;
    }
    return p;
  }

  /** a(x) * b(x) modulo the polynomial, both reflected. */
  private long multiply(long a, long b) {
    long m = 1L << (width - 1);
    long p = 0;
    while (true) {
      if ((a & m) != 0) {
        p ^= b;
        if ((a & (m - 1)) == 0) {
          return p;
        }
      }
      m >>>= 1;
      if (m == 0) {
        return p;
      }
      b = (b & 1) != 0 ? (b >>> 1) ^ poly : b >>> 1;
    }
  }
}
