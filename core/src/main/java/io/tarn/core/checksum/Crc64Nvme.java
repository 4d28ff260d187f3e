package io.tarn.core.checksum;

import java.nio.ByteBuffer;

/**
 * CRC-64/NVME (poly 0xad93d23594c93659, reflected, init and xorout all ones), the default checksum
 * of recent AWS SDKs. Slice-by-8 tables.
 */
final class Crc64Nvme implements Digest {
  private static final long POLY_REFLECTED = Long.reverse(0xad93d23594c93659L);
  private static final long[][] TABLES = new long[8][256];

  static {
    for (int i = 0; i < 256; i++) {
      long crc = i;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
      }
      TABLES[0][i] = crc;
    }
    for (int t = 1; t < 8; t++) {
      for (int i = 0; i < 256; i++) {
        long prev = TABLES[t - 1][i];
        TABLES[t][i] = (prev >>> 8) ^ TABLES[0][(int) (prev & 0xff)];
      }
    }
  }

  private long crc = ~0L;

  @Override
  public void update(byte[] b, int off, int len) {
    long c = crc;
    int i = off;
    int end = off + len;
    while (end - i >= 8) {
      c ^= (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
          | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48
          | (b[i + 7] & 0xffL) << 56;
      c = TABLES[7][(int) (c & 0xff)] ^ TABLES[6][(int) ((c >>> 8) & 0xff)]
          ^ TABLES[5][(int) ((c >>> 16) & 0xff)] ^ TABLES[4][(int) ((c >>> 24) & 0xff)]
          ^ TABLES[3][(int) ((c >>> 32) & 0xff)] ^ TABLES[2][(int) ((c >>> 40) & 0xff)]
          ^ TABLES[1][(int) ((c >>> 48) & 0xff)] ^ TABLES[0][(int) (c >>> 56)];
      i += 8;
    }
    while (i < end) {
      c = (c >>> 8) ^ TABLES[0][(int) ((c ^ b[i]) & 0xff)];
      i++;
    }
    crc = c;
  }

  @Override
  public void update(ByteBuffer buf) {
    if (buf.hasArray()) {
      update(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
      buf.position(buf.limit());
      return;
    }
    byte[] tmp = new byte[Math.min(buf.remaining(), 16384)];
    while (buf.hasRemaining()) {
      int n = Math.min(tmp.length, buf.remaining());
      buf.get(tmp, 0, n);
      update(tmp, 0, n);
    }
  }

  @Override
  public byte[] finish() {
    long v = ~crc;
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (v >>> (8 * (7 - i)));
    }
    return out;
  }
}
