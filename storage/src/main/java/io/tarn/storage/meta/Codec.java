package io.tarn.storage.meta;

import io.tarn.core.Hex;
import io.tarn.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The compact binary encoding of every persisted value (STYLE.md 8): a leading format byte, then the
 * fields in a fixed order. Lengths and counts are unsigned LEB128 varints; a nullable string is
 * written as {@code varint(length + 1)} with 0 meaning null. A value that cannot be decoded is a
 * {@link StorageException.Kind#IO} failure naming the record type, never a silent default.
 */
public final class Codec {
  private Codec() {}

  /** Appends fields to a growing byte array. */
  public static final class Out {
    private byte[] buf = new byte[64];
    private int len;

    public Out(int format) {
      u8(format);
    }

    private void ensure(int n) {
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    public Out u8(int v) {
      ensure(1);
      buf[len++] = (byte) v;
      return this;
    }

    public Out bool(boolean v) {
      return u8(v ? 1 : 0);
    }

    public Out varint(long v) {
      if (v < 0) {
        throw new IllegalArgumentException("negative varint " + v);
      }
      while ((v & ~0x7fL) != 0) {
        u8((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      return u8((int) v);
    }

    public Out i64(long v) {
      ensure(8);
      for (int i = 7; i >= 0; i--) {
        buf[len++] = (byte) (v >>> (8 * i));
      }
      return this;
    }

    public Out bytes(byte[] b) {
      varint(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    public Out string(String s) {
      if (s == null) {
        return varint(0);
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      varint(b.length + 1L);
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    /** A blob id: 32 hex characters as 16 raw bytes. */
    public Out blobId(String id) {
      byte[] raw = Hex.decode(id);
      if (raw.length != 16) {
        throw new IllegalArgumentException("blob id must be 16 bytes: " + id);
      }
      ensure(16);
      System.arraycopy(raw, 0, buf, len, 16);
      len += 16;
      return this;
    }

    public byte[] toBytes() {
      return Arrays.copyOf(buf, len);
    }
  }

  /** Reads fields back; every read checks bounds so corrupt input fails cleanly. */
  public static final class In {
    private final byte[] buf;
    private final String what;
    private int pos;
    private final int format;

    /**
     * @param value the stored bytes
     * @param what the record type, for error messages
     * @param format the only format byte this code reads
     */
    public In(byte[] value, String what, int format) {
      this(value, what, format, format);
    }

    /** A record of any format from {@code oldest} to {@code newest}; {@link #format()} says which. */
    public In(byte[] value, String what, int oldest, int newest) {
      this.buf = value;
      this.what = what;
      int got = u8();
      if (got < oldest || got > newest) {
        throw corrupt("unsupported format " + got + " (expected " + (oldest == newest ? "" + newest
            : oldest + " to " + newest) + ")");
      }
      this.format = got;
    }

    /** The record's format. */
    public int format() {
      return format;
    }

    public StorageException corrupt(String detail) {
      return new StorageException(StorageException.Kind.IO, "corrupt " + what + " record: " + detail);
    }

    private void need(long n) {
      if (n < 0 || n > buf.length - pos) {
        throw corrupt("truncated at byte " + pos);
      }
    }

    public int u8() {
      need(1);
      return buf[pos++] & 0xff;
    }

    public boolean bool() {
      int v = u8();
      if (v > 1) {
        throw corrupt("bad boolean " + v);
      }
      return v == 1;
    }

    public long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = u8();
        v |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          if (v < 0) {
            throw corrupt("varint overflow");
          }
          return v;
        }
      }
      throw corrupt("varint too long");
    }

    /** A varint that must fit an int and be at most {@code max}. */
    public int count(int max) {
      long v = varint();
      if (v > max) {
        throw corrupt("count " + v + " exceeds " + max);
      }
      return (int) v;
    }

    public long i64() {
      need(8);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (buf[pos++] & 0xffL);
      }
      return v;
    }

    public byte[] bytes() {
      long n = varint();
      need(n);
      byte[] b = Arrays.copyOfRange(buf, pos, pos + (int) n);
      pos += (int) n;
      return b;
    }

    public String string() {
      long n = varint();
      if (n == 0) {
        return null;
      }
      need(n - 1);
      String s = new String(buf, pos, (int) (n - 1), StandardCharsets.UTF_8);
      pos += (int) (n - 1);
      return s;
    }

    public String requiredString() {
      String s = string();
      if (s == null) {
        throw corrupt("missing required string at byte " + pos);
      }
      return s;
    }

    public String blobId() {
      need(16);
      String id = Hex.encode(Arrays.copyOfRange(buf, pos, pos + 16));
      pos += 16;
      return id;
    }

    /** Checks that every byte was consumed: trailing bytes mean a format this code does not know. */
    public void end() {
      if (pos != buf.length) {
        throw corrupt((buf.length - pos) + " trailing bytes");
      }
    }
  }
}
