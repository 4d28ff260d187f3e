package io.tarn.server.logging;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Where log lines go: a {@link RotatingFileWriter}, or a standard stream. Lines are whole (they end
 * with a newline) and reach the destination whole, never split between two writes of the stream.
 * Thread-safe.
 */
public interface LineSink extends Closeable {
  /** Writes one line ({@code len} bytes, its newline included), buffered until {@link #flush()}. */
  void write(byte[] line, int off, int len) throws IOException;

  void flush() throws IOException;

  /** What the lines go to, for messages ("stdout", a path). */
  String describe();

  /**
   * Lines to a standard stream, buffered and written a batch at a time. The stream is shared with
   * other writers ({@code System.out} prints the start banner): {@link PrintStream}'s own lock keeps
   * each batch whole. Closing flushes and leaves the stream open.
   */
  static LineSink of(PrintStream stream, String name) {
    return new LineSink() {
      private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 << 10);

      @Override
      public synchronized void write(byte[] line, int off, int len) {
        buffer.write(line, off, len);
        if (buffer.size() >= 64 << 10) {
          flush();
        }
      }

      @Override
      public synchronized void flush() {
        if (buffer.size() > 0) {
          stream.write(buffer.toByteArray(), 0, buffer.size());
          buffer.reset();
        }
        stream.flush();
      }

      @Override
      public String describe() {
        return name;
      }

      @Override
      public void close() {
        flush();
      }
    };
  }
}
