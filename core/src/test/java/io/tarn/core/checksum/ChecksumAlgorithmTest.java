package io.tarn.core.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.core.Hex;
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

  /**
   * The byte-level wrapper around {@link CrcCombine} (whose algebra CrcCombineTest covers): each CRC
   * combines with its own polynomial, big-endian raw values of the algorithm's length.
   */
  @Test
  void aCrcOfPiecesCombinesIntoTheCrcOfTheWhole() {
    byte[] data = new byte[10_000];
    new Random(11).nextBytes(data);
    for (ChecksumAlgorithm a : new ChecksumAlgorithm[] {ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C,
        ChecksumAlgorithm.CRC64NVME}) {
      byte[] head = a.digest(java.util.Arrays.copyOfRange(data, 0, 4097));
      byte[] tail = a.digest(java.util.Arrays.copyOfRange(data, 4097, data.length));
      assertEquals(Hex.encode(a.digest(data)), Hex.encode(a.combine(head, tail, data.length - 4097)), a.name());
      assertEquals(a.length(), a.combine(head, tail, 5L << 40).length, a + ": 5 TiB");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> a.combine(new byte[a.length() + 1], tail, 1));
      assertEquals(a + " checksum must be " + a.length() + " bytes, not " + (a.length() + 1), e.getMessage());
    }
  }

  @Test
  void onlyCrcsCombineAndCrc64IsFullObjectOnly() {
    assertEquals(false, ChecksumAlgorithm.SHA256.fullObjectCapable());
    assertEquals(false, ChecksumAlgorithm.CRC64NVME.compositeCapable());
    assertEquals(true, ChecksumAlgorithm.CRC32C.fullObjectCapable() && ChecksumAlgorithm.CRC32C.compositeCapable());
    org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
        () -> ChecksumAlgorithm.SHA1.combine(new byte[20], new byte[20], 1));
  }

  @Test
  void namesAndHeadersParseCaseInsensitivelyAndMd5IsNoS3Checksum() {
    assertEquals(ChecksumAlgorithm.CRC64NVME, ChecksumAlgorithm.fromS3Name("crc64nvme"));
    assertEquals(ChecksumAlgorithm.SHA256, ChecksumAlgorithm.fromS3Name("SHA256"));
    assertEquals(null, ChecksumAlgorithm.fromS3Name("MD5"));
    assertEquals(null, ChecksumAlgorithm.fromS3Name("SHA-256"));
    assertEquals(null, ChecksumAlgorithm.fromS3Name(""));
    assertEquals(null, ChecksumAlgorithm.fromS3Name(null));
    assertEquals("x-amz-checksum-crc32c", ChecksumAlgorithm.CRC32C.headerName());
    assertEquals(ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.fromHeaderName("X-Amz-Checksum-CRC32C"));
    assertEquals(null, ChecksumAlgorithm.fromHeaderName("x-amz-checksum-md5"));
    assertEquals(null, ChecksumAlgorithm.fromHeaderName("x-amz-checksum-"));
    assertEquals(null, ChecksumAlgorithm.fromHeaderName("content-md5"));
    for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
      assertEquals(a != ChecksumAlgorithm.MD5, a.isS3Checksum(), a.name());
      assertEquals(a.length(), a.digest(CHECK).length, a.name());
      if (a.isS3Checksum()) {
        assertEquals(a, ChecksumAlgorithm.fromS3Name(a.s3Name()));
        assertEquals(a, ChecksumAlgorithm.fromHeaderName(a.headerName()));
      }
    }
  }

  /** S3's table: CRC64NVME is full-object only, SHA1/SHA256 composite only, CRC32/CRC32C either. */
  @Test
  void multipartChecksumTypes() {
    for (ChecksumAlgorithm a : new ChecksumAlgorithm[] {ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C}) {
      assertEquals(true, a.allowsMultipartType(true) && a.allowsMultipartType(false), a.name());
      assertEquals(false, a.multipartFullObjectByDefault(), a.name());
    }
    assertEquals(true, ChecksumAlgorithm.CRC64NVME.allowsMultipartType(true));
    assertEquals(false, ChecksumAlgorithm.CRC64NVME.allowsMultipartType(false));
    assertEquals(true, ChecksumAlgorithm.CRC64NVME.multipartFullObjectByDefault());
    for (ChecksumAlgorithm a : new ChecksumAlgorithm[] {ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256}) {
      assertEquals(false, a.allowsMultipartType(true), a.name());
      assertEquals(true, a.allowsMultipartType(false), a.name());
    }
  }

  @Test
  void everyDigestReadsArraysAndBuffersAlike() {
    byte[] data = new byte[5000];
    new Random(2).nextBytes(data);
    for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
      Digest d = a.newDigest();
      d.update(data, 0, 1000);
      java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(4000);
      direct.put(data, 1000, 4000).flip();
      d.update(direct);
      assertEquals(Hex.encode(a.digest(data)), Hex.encode(d.finish()), a.name());
    }
    assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d",
        Hex.encode(ChecksumAlgorithm.SHA1.digest("abc".getBytes(StandardCharsets.US_ASCII))));
    assertEquals("d41d8cd98f00b204e9800998ecf8427e", Hex.encode(ChecksumAlgorithm.MD5.digest(new byte[0])));
  }
}
