package io.tarn.core.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.core.Hex;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumAlgorithmTest {
  private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

  @Test
  void catalogueCheckValues() {
    // Check values from the CRC catalogue (reveng): CRC-32/ISO-HDLC, CRC-32/ISCSI, CRC-64/NVME.
    assertEquals("cbf43926", Hex.encode(ChecksumAlgorithm.CRC32.digest(CHECK)));
    assertEquals("e3069283", Hex.encode(ChecksumAlgorithm.CRC32C.digest(CHECK)));
    assertEquals("ae8b14860a799888", Hex.encode(ChecksumAlgorithm.CRC64NVME.digest(CHECK)));
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        Hex.encode(ChecksumAlgorithm.SHA256.digest(new byte[0])));
  }

  @Test
  void crc64SlicedEqualsBytewiseAndDirectBuffers() {
    byte[] data = new byte[10_007];
    new Random(7).nextBytes(data);
    byte[] whole = ChecksumAlgorithm.CRC64NVME.digest(data);
    Digest d = ChecksumAlgorithm.CRC64NVME.newDigest();
    for (byte b : data) {
      d.update(new byte[] {b}, 0, 1);
    }
    assertEquals(Hex.encode(whole), Hex.encode(d.finish()));
    Digest direct = ChecksumAlgorithm.CRC64NVME.newDigest();
    ByteBuffer buf = ByteBuffer.allocateDirect(data.length);
    buf.put(data).flip();
    direct.update(buf);
    assertEquals(Hex.encode(whole), Hex.encode(direct.finish()));
  }

  @Test
  void aCrcOfPiecesCombinesIntoTheCrcOfTheWhole() {
    Random r = new Random(11);
    byte[] data = new byte[70_000];
    r.nextBytes(data);
    for (ChecksumAlgorithm a : new ChecksumAlgorithm[] {ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C,
        ChecksumAlgorithm.CRC64NVME}) {
      for (int[] cuts : new int[][] {{0}, {1}, {9}, {4096, 4097}, {1, 33_333, 69_999}, {70_000}}) {
        byte[] crc = a.digest(java.util.Arrays.copyOfRange(data, 0, cuts[0]));
        int from = cuts[0];
        for (int i = 1; i <= cuts.length; i++) {
          int to = i < cuts.length ? cuts[i] : data.length;
          crc = a.combine(crc, a.digest(java.util.Arrays.copyOfRange(data, from, to)), to - from);
          from = to;
        }
        assertEquals(Hex.encode(a.digest(data)), Hex.encode(crc), a + " cut at " + java.util.Arrays.toString(cuts));
      }
    }
    // Lengths far beyond any buffer: combining with an empty piece changes nothing; sizes up to 5 TiB work.
    byte[] x = ChecksumAlgorithm.CRC64NVME.digest(CHECK);
    assertEquals(Hex.encode(x), Hex.encode(ChecksumAlgorithm.CRC64NVME.combine(x,
        ChecksumAlgorithm.CRC64NVME.digest(new byte[0]), 0)));
    assertEquals(8, ChecksumAlgorithm.CRC64NVME.combine(x, x, 5L << 40).length);
  }

  @Test
  void onlyCrcsCombineAndCrc64IsFullObjectOnly() {
    assertEquals(false, ChecksumAlgorithm.SHA256.fullObjectCapable());
    assertEquals(false, ChecksumAlgorithm.CRC64NVME.compositeCapable());
    assertEquals(true, ChecksumAlgorithm.CRC32C.fullObjectCapable() && ChecksumAlgorithm.CRC32C.compositeCapable());
    org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
        () -> ChecksumAlgorithm.SHA1.combine(new byte[20], new byte[20], 1));
  }
}
