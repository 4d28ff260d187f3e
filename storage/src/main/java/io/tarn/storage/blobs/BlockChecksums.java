package io.tarn.storage.blobs;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The CRC32C of each fixed-size block of a blob's data, computed as the bytes are written, in the
 * order they are written (blobs are written once, front to back). CRC32C because the JDK computes it
 * with the CPU's instruction (several GB/s), and per block so a range read verifies only the blocks
 * it touches.
 */
public final class BlockChecksums {
  /** 64 KiB: a 1-byte range read verifies at most this much; the table costs 4 bytes per block. */
  public static final int BLOCK_SIZE = 64 * 1024;

  private final CRC32C current = new CRC32C();
  private int inBlock;
  private int[] sums = new int[16];
  private int count;
  private long length;

  public void update(ByteBuffer src) {
    ByteBuffer b = src.duplicate();
    while (b.hasRemaining()) {
      int n = Math.min(b.remaining(), BLOCK_SIZE - inBlock);
      ByteBuffer slice = b.slice();
      slice.limit(n);
      current.update(slice);
      b.position(b.position() + n);
      inBlock += n;
      length += n;
      if (inBlock == BLOCK_SIZE) {
        add((int) current.getValue());
        current.reset();
        inBlock = 0;
      }
    }
  }

  public void update(byte[] data, int offset, int len) {
    update(ByteBuffer.wrap(data, offset, len));
  }

  private void add(int sum) {
    if (count == sums.length) {
      sums = Arrays.copyOf(sums, count * 2);
    }
    sums[count++] = sum;
  }

  /** The bytes seen so far. */
  public long length() {
    return length;
  }

  /** The checksums of every block, the last (partial) one included; ends the computation. */
  public int[] finish() {
    if (inBlock > 0) {
      add((int) current.getValue());
      current.reset();
      inBlock = 0;
    }
    return Arrays.copyOf(sums, count);
  }

  /** The CRC32C of {@code b}'s remaining bytes (b's position is not moved). */
  public static int crc(ByteBuffer b) {
    CRC32C c = new CRC32C();
    c.update(b.duplicate());
    return (int) c.getValue();
  }

  /** How many blocks {@code length} bytes make. */
  public static long blocks(long length, int blockSize) {
    return (length + blockSize - 1) / blockSize;
  }
}
