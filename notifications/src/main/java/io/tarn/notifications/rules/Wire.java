package io.tarn.notifications.rules;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The binary building blocks of the notifications module's persisted records (rules, deliveries,
 * dead letters, attempts, stats). Every record starts with a format byte so that a later version can
 * read what an earlier one wrote; the blocks here are big-endian fixed-width numbers and
 * length-prefixed UTF-8 strings, with a presence byte for nullable fields.
 */
public final class Wire {
  private Wire() {}

  /** Thrown when stored bytes do not decode: a corrupt record or one written by an unknown version. */
  public static final class CorruptRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Builds one record. */
  public static final class Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    private final DataOutputStream out = new DataOutputStream(bytes);

    public Writer(int format) {
      u8(format);
    }

    public Writer u8(int v) {
      return io(() -> out.writeByte(v));
    }

    public Writer bool(boolean v) {
      return io(() -> out.writeBoolean(v));
    }

    public Writer i32(int v) {
      return io(() -> out.writeInt(v));
    }

    public Writer i64(long v) {
      return io(() -> out.writeLong(v));
    }

    /** A non-null string. */
    public Writer str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      return i32(b.length).raw(b);
    }

    /** A string or null. */
    public Writer nstr(String s) {
      bool(s != null);
      return s == null ? this : str(s);
    }

    public Writer nlong(Long v) {
      bool(v != null);
      return v == null ? this : i64(v);
    }

    public Writer nint(Integer v) {
      bool(v != null);
      return v == null ? this : i32(v);
    }

    /** Length-prefixed bytes. */
    public Writer bytes(byte[] b) {
      return i32(b.length).raw(b);
    }

    private Writer raw(byte[] b) {
      return io(() -> out.write(b));
    }

    private Writer io(IoAction a) {
      try {
        a.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e); // cannot happen: in memory
      }
      return this;
    }

    public byte[] toByteArray() {
      return bytes.toByteArray();
    }

    private interface IoAction {
      void run() throws IOException;
    }
  }

  /** Reads one record; every read checks bounds and reports corruption as {@link CorruptRecordException}. */
  public static final class Reader {
    private final ByteBuffer in;
    private final String what;

    private final int format;

    /** Reads the format byte and refuses any other than {@code expectedFormat}. */
    public Reader(byte[] record, int expectedFormat, String what) {
      this(record, expectedFormat, expectedFormat, what);
    }

    /** Reads the format byte and refuses any outside {@code [oldest, newest]}. */
    public Reader(byte[] record, int oldest, int newest, String what) {
      this.in = ByteBuffer.wrap(record);
      this.what = what;
      this.format = record.length == 0 ? -1 : u8();
      if (format < oldest || format > newest) {
        throw new CorruptRecordException(what + ": unknown format " + format, null);
      }
    }

    /** The record's format byte. */
    public int format() {
      return format;
    }

    public int u8() {
      return get(() -> in.get() & 0xff);
    }

    public boolean bool() {
      return u8() != 0;
    }

    public int i32() {
      return get(in::getInt);
    }

    public long i64() {
      return get(in::getLong);
    }

    public String str() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    public String nstr() {
      return bool() ? str() : null;
    }

    public Long nlong() {
      return bool() ? i64() : null;
    }

    public Integer nint() {
      return bool() ? i32() : null;
    }

    public byte[] bytes() {
      int n = i32();
      if (n < 0 || n > in.remaining()) {
        throw new CorruptRecordException(what + ": bad length " + n, null);
      }
      byte[] b = new byte[n];
      in.get(b);
      return b;
    }

    /** Call after the last field: trailing bytes mean the record is not what we think it is. */
    public void end() {
      if (in.hasRemaining()) {
        throw new CorruptRecordException(what + ": " + in.remaining() + " trailing bytes", null);
      }
    }

    private <T> T get(java.util.function.Supplier<T> read) {
      try {
        return read.get();
      } catch (BufferUnderflowException e) {
        throw new CorruptRecordException(what + ": truncated", e);
      }
    }
  }

  /** Big-endian bytes of {@code v}. */
  public static byte[] long8(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  /** Concatenates key parts. */
  public static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
