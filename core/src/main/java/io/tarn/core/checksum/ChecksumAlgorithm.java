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

  private static final CrcCombine CRC32_COMBINE = new CrcCombine(0xEDB88320L, 32);
  private static final CrcCombine CRC32C_COMBINE = new CrcCombine(0x82F63B78L, 32);
  private static final CrcCombine CRC64NVME_COMBINE = new CrcCombine(Long.reverse(0xad93d23594c93659L), 64);

  /**
   * Whether a multipart upload may have a full-object checksum of this algorithm: the CRCs, whose
   * value for the whole object follows from the parts' values ({@link #combine}).
   */
  public boolean fullObjectCapable() {
    return this == CRC32 || this == CRC32C || this == CRC64NVME;
  }

  /** Whether a multipart upload may have a composite checksum (checksum of the parts' checksums) of it. */
  public boolean compositeCapable() {
    return this != CRC64NVME && this != MD5;
  }

  /** Whether a multipart upload may have a checksum of this algorithm of the type {@code fullObject} says. */
  public boolean allowsMultipartType(boolean fullObject) {
    return fullObject ? fullObjectCapable() : compositeCapable();
  }

  /** S3's type when a multipart upload names none: full-object where composite is impossible (CRC64NVME). */
  public boolean multipartFullObjectByDefault() {
    return !compositeCapable();
  }

  /**
   * The checksum of A followed by B, from the checksums of A and B (raw, big-endian) and the length of
   * B in bytes; only for {@link #fullObjectCapable} algorithms.
   */
  public byte[] combine(byte[] a, byte[] b, long lengthB) {
    CrcCombine c = switch (this) {
      case CRC32 -> CRC32_COMBINE;
      case CRC32C -> CRC32C_COMBINE;
      case CRC64NVME -> CRC64NVME_COMBINE;
      default -> throw new UnsupportedOperationException(this + " checksums cannot be combined");
    };
    long v = c.combine(toLong(a), toLong(b), lengthB);
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) (v >>> (8 * (length - 1 - i)));
    }
    return out;
  }

  private long toLong(byte[] raw) {
    if (raw.length != length) {
      throw new IllegalArgumentException(this + " checksum must be " + length + " bytes, not " + raw.length);
    }
    long v = 0;
    for (byte x : raw) {
      v = (v << 8) | (x & 0xff);
    }
    return v;
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
