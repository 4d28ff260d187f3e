package io.tarn.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tests' own digests agree with published check values, so they can judge the server's. */
class TestDataTest {
  private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

  @Test
  void checksumsMatchTheCatalogueCheckValues() {
    // Check values from the CRC catalogue (reveng.sourceforge.io/crc-catalogue).
    assertEquals("cbf43926", hex(TestData.crc32(CHECK)));
    assertEquals("e3069283", hex(TestData.crc32c(CHECK)));
    assertEquals("ae8b14860a799888", hex(TestData.crc64nvme(CHECK)));
    assertEquals("f7c3bc1d808e04732adf679965ccc34ca7ae3441", hex(TestData.sha1(CHECK)));
  }

  @Test
  void etags() {
    assertEquals("\"d41d8cd98f00b204e9800998ecf8427e\"", TestData.etag(new byte[0]));
    // md5(md5("a") || md5("b")) with the part count.
    byte[] a = "a".getBytes(StandardCharsets.US_ASCII);
    byte[] b = "b".getBytes(StandardCharsets.US_ASCII);
    byte[] joined = new byte[32];
    System.arraycopy(HexFormat.of().parseHex(TestData.md5Hex(a)), 0, joined, 0, 16);
    System.arraycopy(HexFormat.of().parseHex(TestData.md5Hex(b)), 0, joined, 16, 16);
    assertEquals("\"" + TestData.md5Hex(joined) + "-2\"", TestData.multipartEtag(List.of(a, b)));
  }

  private static String hex(String base64) {
    return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
  }
}
