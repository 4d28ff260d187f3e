package io.tarn.server.logging;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Log lines appended to a file that is rotated by size: once a line would take it past
 * {@code maxBytes}, {@code FILE} becomes {@code FILE.1}, {@code FILE.1} becomes {@code FILE.2} and so
 * on up to {@code FILE.<keep>}, the oldest is deleted, and a new {@code FILE} is started; a line is
 * never split between two files. The one rotating writer of the server: the access log and the
 * server log both use it. Thread-safe (one lock; the access log has a single writer thread, the
 * server log's records are few).
 *
 * <p>Rotation is by renaming, so a process tailing {@code FILE} by name ({@code tail -F}) follows
 * it. An existing file is appended to, so a restart continues the same log.
 */
public final class RotatingFileWriter implements LineSink {
  private static final int BUFFER = 64 << 10;

  private final Path file;
  private final long maxBytes;
  private final int keep;
  private OutputStream out;
  private long size;

  /**
   * Opens (creating it and its directory if needed) {@code file} for appending.
   *
   * @param maxBytes size past which the file is rotated; 0: never
   * @param keep rotated files kept ({@code FILE.1} .. {@code FILE.<keep>}); 0: the full file is
   *     deleted rather than kept
   * @throws IOException naming the file when it cannot be opened
   */
  public RotatingFileWriter(Path file, long maxBytes, int keep) throws IOException {
    if (maxBytes < 0 || keep < 0) {
      throw new IllegalArgumentException("maxBytes and keep must be 0 or more");
    }
    this.file = file.toAbsolutePath().normalize();
    this.maxBytes = maxBytes;
    this.keep = keep;
    Path dir = this.file.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    open();
  }

  private void open() throws IOException {
    // A FileOutputStream, not a FileChannel: an interrupted thread must not close the log under a writer.
    out = new BufferedOutputStream(new FileOutputStream(file.toFile(), true), BUFFER);
    size = Files.size(file);
  }

  @Override
  public synchronized void write(byte[] line, int off, int len) throws IOException {
    if (out == null) {
      open(); // a rotation failed to reopen earlier: try again rather than lose every later line
    }
    if (maxBytes > 0 && size > 0 && size + len > maxBytes) {
      rotate();
    }
    out.write(line, off, len);
    size += len;
  }

  private void rotate() throws IOException {
    OutputStream old = out;
    out = null;
    old.close();
    if (keep == 0) {
      Files.deleteIfExists(file);
    } else {
      Files.deleteIfExists(numbered(keep));
      for (int i = keep - 1; i >= 1; i--) {
        Path from = numbered(i);
        if (Files.exists(from)) {
          Files.move(from, numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    }
    open();
  }

  /** {@code FILE.<n>}. */
  Path numbered(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  @Override
  public synchronized void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  @Override
  public String describe() {
    return file.toString();
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
