package io.tarn.core.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.core.Hex;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CRC-64/NVME: poly 0xad93d23594c93659, reflected in and out, init and xorout all ones. */
class Crc64NvmeTest {
  private static final long POLY_REFLECTED = Long.reverse(0xad93d23594c93659L);

  private static String crc(byte[] data) {
    Crc64Nvme d = new Crc64Nvme();
    d.update(data, 0, data.length);
    return Hex.encode(d.finish());
  }

  /** The textbook bit-at-a-time definition, independent of the slice-by-8 tables. */
  private static String bitwise(byte[] data) {
    long c = ~0L;
    for (byte b : data) {
      c ^= b & 0xff;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
      }
    }
    return String.format("%016x", ~c);
  }

  @Test
  void catalogueCheckValue() {
    // reveng's CRC catalogue: CRC-64/NVME check = 0xae8b14860a799888 for "123456789"
    assertEquals("ae8b14860a799888", crc("123456789".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void emptyInputIsZeroInEightBytes() {
    assertEquals("0000000000000000", crc(new byte[0]));
    Crc64Nvme d = new Crc64Nvme();
    d.update(new byte[10], 3, 0);
    d.update(ByteBuffer.allocate(0));
    assertEquals("0000000000000000", Hex.encode(d.finish()));
  }

  /** Every length from 0 to 64 puts the 8-byte slicing and the byte-wise tail in all combinations. */
  @Test
  void slicedEqualsBitwiseAtEveryLengthAcrossWordBoundaries() {
    Random r = new Random(3);
    for (int n = 0; n <= 64; n++) {
      byte[] data = new byte[n];
      r.nextBytes(data);
      assertEquals(bitwise(data), crc(data), "length " + n);
    }
    byte[] big = new byte[100_003];
    r.nextBytes(big);
    assertEquals(bitwise(big), crc(big));
  }

  @Test
  void anOffsetIntoTheArrayIsHonoured() {
    byte[] data = new byte[1000];
    new Random(5).nextBytes(data);
    for (int off : new int[] {0, 1, 3, 7, 8, 9}) {
      for (int len : new int[] {0, 1, 7, 8, 9, 500}) {
        Crc64Nvme d = new Crc64Nvme();
        d.update(data, off, len);
        assertEquals(bitwise(java.util.Arrays.copyOfRange(data, off, off + len)), Hex.encode(d.finish()),
            "off " + off + " len " + len);
      }
    }
  }

  @Test
  void slicedEqualsBytewiseAndDirectBuffers() {
    byte[] data = new byte[10_007];
    new Random(7).nextBytes(data);
    String whole = crc(data);
    Digest d = new Crc64Nvme();
    for (byte b : data) {
      d.update(new byte[] {b}, 0, 1);
    }
    assertEquals(whole, Hex.encode(d.finish()));
    Digest direct = new Crc64Nvme();
    ByteBuffer buf = ByteBuffer.allocateDirect(data.length);
    buf.put(data).flip();
    direct.update(buf);
    assertEquals(whole, Hex.encode(direct.finish()));
    assertEquals(buf.limit(), buf.position(), "the buffer is consumed");
  }

  /** Heap buffers (a slice with an array offset, a read-only one without an array) and direct ones beyond 16 KiB. */
  @Test
  void everyKindOfBufferIsReadFromItsPositionToItsLimit() {
    byte[] data = new byte[40_000];
    new Random(9).nextBytes(data);
    String expected = bitwise(java.util.Arrays.copyOfRange(data, 100, 39_000));

    ByteBuffer slice = ByteBuffer.wrap(data, 50, 39_950).slice(); // array offset 50
    slice.position(50).limit(38_950);
    Crc64Nvme a = new Crc64Nvme();
    a.update(slice);
    assertEquals(expected, Hex.encode(a.finish()));
    assertEquals(38_950, slice.position());

    ByteBuffer readOnly = ByteBuffer.wrap(data).asReadOnlyBuffer();
    readOnly.position(100).limit(39_000);
    Crc64Nvme b = new Crc64Nvme();
    b.update(readOnly);
    assertEquals(expected, Hex.encode(b.finish()));
    assertEquals(39_000, readOnly.position());

    ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
    direct.put(data).position(100).limit(39_000);
    Crc64Nvme c = new Crc64Nvme();
    c.update(direct);
    assertEquals(expected, Hex.encode(c.finish()));
  }

  @Test
  void arraysAndBuffersMix() {
    byte[] data = new byte[20_000];
    new Random(13).nextBytes(data);
    Crc64Nvme d = new Crc64Nvme();
    d.update(data, 0, 5);
    d.update(ByteBuffer.wrap(data, 5, 10_000));
    ByteBuffer direct = ByteBuffer.allocateDirect(9_995);
    direct.put(data, 10_005, 9_995).flip();
    d.update(direct);
    assertEquals(bitwise(data), Hex.encode(d.finish()));
  }
}
