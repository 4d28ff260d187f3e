package io.tarn.core.checksum;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The additional checksums of S3
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html), plus MD5
 * for ETags. Values travel base64-encoded in {@code x-amz-checksum-*} headers.
 */
public enum ChecksumAlgorithm {
  CRC32(4),
  CRC32C(4),
  CRC64NVME(8),
  SHA1(20),
  SHA256(32),
  MD5(16);

  private final int length;

  ChecksumAlgorithm(int length) {
    this.length = length;
  }

  /** Digest length in bytes. */
  public int length() {
    return length;
  }

  /** The S3 name, e.g. {@code CRC64NVME}. */
  public String s3Name() {
    return name();
  }

  /** The header carrying this checksum, e.g. {@code x-amz-checksum-crc32c}; MD5 has none. */
  public String headerName() {
    return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
  }

  /** Whether this is one of the S3 additional checksums (not MD5). */
  public boolean isS3Checksum() {
    return this != MD5;
  }

  /** Parses an S3 algorithm name (case-insensitive), or returns {@code null}. */
  public static ChecksumAlgorithm fromS3Name(String name) {
    if (name == null) {
      return null;
    }
    for (ChecksumAlgorithm a : values()) {
      if (a != MD5 && a.name().equalsIgnoreCase(name)) {
        return a;
      }
    }
    return null;
  }

  /** Finds the algorithm for a header name like {@code x-amz-checksum-sha256}, or {@code null}. */
  public static ChecksumAlgorithm fromHeaderName(String header) {
    for (ChecksumAlgorithm a : values()) {
      if (a != MD5 && a.headerName().equalsIgnoreCase(header)) {
        return a;
      }
    }
    return null;
  }

  public Digest newDigest() {
    switch (this) {
      case CRC32:
        return new ChecksumDigest(new CRC32(), 4);
      case CRC32C:
        return new ChecksumDigest(new CRC32C(), 4);
      case CRC64NVME:
        return new Crc64Nvme();
      case SHA1:
        return new MessageDigestDigest("SHA-1");
      case SHA256:
        return new MessageDigestDigest("SHA-256");
      case MD5:
        return new MessageDigestDigest("MD5");
      default:
        throw new AssertionError(this);
    }
  }

  /** Digest of a whole byte array. */
  public byte[] digest(byte[] data) {
    Digest d = newDigest();
    d.update(data, 0, data.length);
    return d.finish();
  }

  private static final class ChecksumDigest implements Digest {
    private final Checksum checksum;
    private final int bytes;

    ChecksumDigest(Checksum checksum, int bytes) {
      this.checksum = checksum;
      this.bytes = bytes;
    }

    @Override
    public void update(byte[] b, int off, int len) {
      checksum.update(b, off, len);
    }

    @Override
    public void update(ByteBuffer buf) {
      checksum.update(buf);
    }

    @Override
    public byte[] finish() {
      long v = checksum.getValue();
      byte[] out = new byte[bytes];
      for (int i = 0; i < bytes; i++) {
        out[i] = (byte) (v >>> (8 * (bytes - 1 - i)));
      }
      return out;
    }
  }

  private static final class MessageDigestDigest implements Digest {
    private final MessageDigest md;

    MessageDigestDigest(String name) {
      try {
        md = MessageDigest.getInstance(name);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(name + " is required of every JDK", e);
      }
    }

    @Override
    public void update(byte[] b, int off, int len) {
      md.update(b, off, len);
    }

    @Override
    public void update(ByteBuffer buf) {
      md.update(buf);
    }

    @Override
    public byte[] finish() {
      return md.digest();
    }
  }
}
