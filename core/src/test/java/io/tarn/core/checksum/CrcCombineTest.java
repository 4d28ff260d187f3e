package io.tarn.core.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * combine(crc(A), crc(B), len(B)) == crc(AB), checked against the JDK's CRC32 and CRC32C and against
 * {@link Crc64Nvme}, over seeded random splits.
 */
class CrcCombineTest {
  private record Crc(String name, CrcCombine combine, Function<byte[], Long> crc) {}

  private static final List<Crc> CRCS = List.of(
      new Crc("CRC32", new CrcCombine(0xEDB88320L, 32), data -> {
        CRC32 c = new CRC32();
        c.update(data);
        return c.getValue();
      }),
      new Crc("CRC32C", new CrcCombine(0x82F63B78L, 32), data -> {
        CRC32C c = new CRC32C();
        c.update(data);
        return c.getValue();
      }),
      new Crc("CRC64NVME", new CrcCombine(Long.reverse(0xad93d23594c93659L), 64), data -> {
        Crc64Nvme c = new Crc64Nvme();
        c.update(data, 0, data.length);
        long v = 0;
        for (byte b : c.finish()) {
          v = (v << 8) | (b & 0xff);
        }
        return v;
      }));

  /** The CRC of {@code data} cut at {@code cuts}, combined piece by piece. */
  private static long combined(Crc c, byte[] data, int[] cuts) {
    int from = 0;
    long crc = c.crc().apply(new byte[0]);
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : data.length;
      byte[] piece = Arrays.copyOfRange(data, from, to);
      crc = c.combine().combine(crc, c.crc().apply(piece), piece.length);
      from = to;
    }
    return crc;
  }

  @Test
  void twoPiecesAtEveryCutOfShortInputs() {
    Random r = new Random(17);
    for (Crc c : CRCS) {
      for (int n = 0; n <= 40; n++) {
        byte[] data = new byte[n];
        r.nextBytes(data);
        long whole = c.crc().apply(data);
        for (int cut = 0; cut <= n; cut++) {
          long a = c.crc().apply(Arrays.copyOfRange(data, 0, cut));
          long b = c.crc().apply(Arrays.copyOfRange(data, cut, n));
          assertEquals(whole, c.combine().combine(a, b, n - cut), c.name() + " n=" + n + " cut=" + cut);
        }
      }
    }
  }

  /** Lengths around byte, word and power-of-two boundaries, where the table of powers changes step. */
  @Test
  void lengthsAcrossBoundaries() {
    Random r = new Random(19);
    byte[] data = new byte[70_000];
    r.nextBytes(data);
    int[][] cutsList = {{0}, {70_000}, {1}, {9}, {4096, 4097}, {4095, 8191, 8192}, {65_535, 65_536},
        {1, 33_333, 69_999}, {7, 15, 16, 31, 32, 63, 64, 255, 256, 257}};
    for (Crc c : CRCS) {
      long whole = c.crc().apply(data);
      for (int[] cuts : cutsList) {
        assertEquals(whole, combined(c, data, cuts), c.name() + " cut at " + Arrays.toString(cuts));
      }
    }
  }

  @Test
  void seededRandomSplitsWithEmptyParts() {
    Random r = new Random(23);
    for (Crc c : CRCS) {
      for (int round = 0; round < 50; round++) {
        byte[] data = new byte[r.nextInt(20_000)];
        r.nextBytes(data);
        int pieces = 1 + r.nextInt(8);
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i < pieces; i++) {
          cuts.add(r.nextInt(data.length + 1));
        }
        if (round % 5 == 0 && !cuts.isEmpty()) {
          cuts.add(cuts.get(0)); // an empty piece in the middle
        }
        int[] sorted = cuts.stream().mapToInt(Integer::intValue).sorted().toArray();
        assertEquals(c.crc().apply(data), combined(c, data, sorted),
            c.name() + " length " + data.length + " cut at " + Arrays.toString(sorted));
      }
    }
  }

  @Test
  void anEmptyPieceChangesNothing() {
    Random r = new Random(29);
    byte[] data = new byte[123];
    r.nextBytes(data);
    for (Crc c : CRCS) {
      long x = c.crc().apply(data);
      long empty = c.crc().apply(new byte[0]);
      assertEquals(0, empty, c.name() + " of nothing");
      assertEquals(x, c.combine().combine(x, empty, 0), c.name() + " then nothing");
      assertEquals(x, c.combine().combine(empty, x, data.length), c.name() + " after nothing");
    }
  }

  /** Runs of zeros up to 1 MiB: their CRC is known directly, so high powers are checked against real data. */
  @Test
  void longRunsOfZeros() {
    byte[] head = "head".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (Crc c : CRCS) {
      for (int n : new int[] {1 << 10, (1 << 16) + 1, 1 << 20}) {
        byte[] zeros = new byte[n];
        byte[] all = Arrays.copyOf(head, head.length + n);
        assertEquals(c.crc().apply(all), c.combine().combine(c.crc().apply(head), c.crc().apply(zeros), n),
            c.name() + " head then " + n + " zeros");
      }
    }
  }

  /**
   * Beyond what a test can hash, up to 5 TiB (S3's largest object) and beyond 2^32 bytes: combining
   * is associative, (A+B)+C == A+(B+C), which holds only if x^(8(n+m)) == x^(8n) * x^(8m) for the
   * powers the lengths use (the carries of n+m compare neighbouring entries of the table).
   */
  @Test
  void hugeLengthsAreAssociative() {
    Random r = new Random(31);
    long[] lengths = new long[8 + 12];
    long[] fixed = {0, 1, 8, 1L << 32, (1L << 32) - 1, (1L << 32) + 1, 5L << 40, Long.MAX_VALUE / 16};
    System.arraycopy(fixed, 0, lengths, 0, fixed.length);
    for (int i = fixed.length; i < lengths.length; i++) {
      lengths[i] = r.nextLong() >>> 4; // below 2^60, so n + m never overflows
    }
    for (Crc c : CRCS) {
      long mask = c.name().equals("CRC64NVME") ? -1L : 0xffffffffL;
      for (long n : lengths) {
        for (long m : lengths) {
          long a = r.nextLong() & mask;
          long b = r.nextLong() & mask;
          long d = r.nextLong() & mask;
          CrcCombine k = c.combine();
          assertEquals(k.combine(k.combine(a, b, n), d, m), k.combine(a, k.combine(b, d, m), n + m),
              c.name() + " n=" + n + " m=" + m);
        }
      }
    }
  }

  @Test
  void aNegativeLengthIsRefused() {
    for (Crc c : CRCS) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.combine().combine(1, 2, -1));
      assertEquals("negative length", e.getMessage());
    }
  }

  @Test
  void the32BitResultsStayWithin32Bits() {
    Random r = new Random(37);
    for (Crc c : CRCS.subList(0, 2)) {
      for (int i = 0; i < 100; i++) {
        long v = c.combine().combine(r.nextLong(), r.nextLong(), r.nextInt(1 << 30));
        assertEquals(0, v >>> 32, c.name());
      }
    }
  }
}
