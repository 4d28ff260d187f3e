package io.tarn.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** Test payloads and the digests S3 reports for them, computed independently of the server. */
public final class TestData {
  public static final int MIB = 1024 * 1024;
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static final String RUN = Long.toString(System.nanoTime() & 0xffffff, 36);

  private TestData() {}

  /** A fresh valid bucket name: {@code <prefix>-<run>-<n>}. */
  public static String bucketName(String prefix) {
    return prefix + "-" + RUN + "-" + BUCKETS.incrementAndGet();
  }

  /** Deterministic pseudo-random bytes. */
  public static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Writes {@code size} deterministic pseudo-random bytes to {@code file}, 1 MiB at a time. */
  public static Path writeFile(Path file, long size, long seed) {
    Random random = new Random(seed);
    byte[] chunk = new byte[MIB];
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        for (long left = size; left > 0; left -= chunk.length) {
          random.nextBytes(chunk);
          out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  public static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(digest("SHA-256", data));
  }

  /** SHA-256 of a file, streamed. */
  public static String sha256Hex(Path file) {
    MessageDigest md = messageDigest("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  public static String md5Hex(byte[] data) {
    return HexFormat.of().formatHex(digest("MD5", data));
  }

  /** The quoted ETag S3 gives a single-part object: its MD5 in hex. */
  public static String etag(byte[] data) {
    return "\"" + md5Hex(data) + "\"";
  }

  /** The quoted ETag of a multipart object: {@code hex(md5(md5(p1) || ... || md5(pN)))-N}. */
  public static String multipartEtag(List<byte[]> parts) {
    MessageDigest md = messageDigest("MD5");
    for (byte[] p : parts) {
      md.update(digest("MD5", p));
    }
    return "\"" + HexFormat.of().formatHex(md.digest()) + "-" + parts.size() + "\"";
  }

  public static String contentMd5(byte[] data) {
    return base64(digest("MD5", data));
  }

  public static String crc32(byte[] data) {
    return base64(crc(new CRC32(), data));
  }

  public static String crc32c(byte[] data) {
    return base64(crc(new CRC32C(), data));
  }

  public static String sha1(byte[] data) {
    return base64(digest("SHA-1", data));
  }

  public static String sha256(byte[] data) {
    return base64(digest("SHA-256", data));
  }

  /** Base64 of the raw checksum bytes, as carried in {@code x-amz-checksum-*}. */
  public static String base64(byte[] raw) {
    return Base64.getEncoder().encodeToString(raw);
  }

  /**
   * CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, init and xorout all ones), big-endian;
   * written here because the SDK computes it only with the AWS CRT, which the tests do not use.
   */
  public static String crc64nvme(byte[] data) {
    long crc = -1L;
    for (byte b : data) {
      crc ^= b & 0xff;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
      }
    }
    return base64(ByteBuffer.allocate(8).putLong(~crc).array());
  }

  private static byte[] crc(Checksum checksum, byte[] data) {
    checksum.update(data, 0, data.length);
    return ByteBuffer.allocate(4).putInt((int) checksum.getValue()).array();
  }

  private static byte[] digest(String algorithm, byte[] data) {
    return messageDigest(algorithm).digest(data);
  }

  private static MessageDigest messageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every JDK", e);
    }
  }

  /** Whether {@code needle} occurs in {@code hay} (for "this secret is stored nowhere" checks). */
  public static boolean contains(byte[] hay, byte[] needle) {
    return indexOf(hay, needle) >= 0;
  }

  /** Whether the file's bytes contain {@code needle}. */
  public static boolean fileContains(Path file, byte[] needle) {
    try {
      return contains(java.nio.file.Files.readAllBytes(file), needle);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
