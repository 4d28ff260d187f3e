package io.tarn.storage.meta;

import io.tarn.storage.StorageException;

/**
 * The value of a counter in a {@link ColumnFamily#counters counters} column family: what RocksDB's
 * {@code UInt64AddOperator} reads and writes, 8 bytes little-endian ({@code PutFixed64}), with no
 * format byte (the operator would add it into the sum; the layout's version is kept by its owner).
 * The operator adds unsigned 64-bit integers, which wrap modulo 2^64: a negative delta written as
 * its two's complement subtracts, so a signed {@code long} read back is the signed sum.
 */
public final class Counter {
  public static final int LENGTH = 8;

  private Counter() {}

  public static byte[] encode(long v) {
    byte[] out = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      out[i] = (byte) (v >>> (8 * i));
    }
    return out;
  }

  /**
   * @throws StorageException IO if {@code value} is not 8 bytes (the operator would silently take it
   *     for 0: it is damage, never a count)
   */
  public static long decode(byte[] value, String what) {
    if (value.length != LENGTH) {
      throw new StorageException(StorageException.Kind.IO, "corrupt counter " + what + ": " + value.length
          + " bytes, not " + LENGTH);
    }
    long v = 0;
    for (int i = LENGTH - 1; i >= 0; i--) {
      v = (v << 8) | (value[i] & 0xFF);
    }
    return v;
  }
}
