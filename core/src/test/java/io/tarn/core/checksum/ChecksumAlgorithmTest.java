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
}
