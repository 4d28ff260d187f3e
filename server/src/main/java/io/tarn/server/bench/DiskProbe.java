package io.tarn.server.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The machine's own limits, to compare a server against: what the disk gives a single writer
 * that syncs, and how many small files it can durably create per second in the way an object
 * store commits one (write a temp file, fsync it, rename it into place, fsync the directory).
 */
final class DiskProbe {
  private static final int BLOCK = 1024 * 1024;
  private static final int SMALL = 4096;

  /** The three rates; {@code createRenamePerSecond} is files per second. */
  record Result(String dir, long bytes, double writeMiBps, double readMiBps,
      double createRenamePerSecond, long files) {}

  private DiskProbe() {}

  /**
   * Runs the probe in a fresh sub-directory of {@code dir}, removed afterwards.
   *
   * @param bytes how much to write and read back sequentially
   * @param smallFor how long to keep creating 4 KiB files
   */
  static Result run(Path dir, long bytes, Duration smallFor) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("not a directory: " + dir);
    }
    Path work = Files.createTempDirectory(dir, "tarn-probe-");
    try {
      ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
      byte[] random = new byte[BLOCK];
      new SplittableRandom(7).nextBytes(random);
      block.put(random).flip();
      Path big = work.resolve("sequential.bin");
      double write = sequentialWrite(big, block, bytes);
      double read = sequentialRead(big, block, bytes);
      Files.delete(big);
      long[] files = new long[1];
      double rate = createAndRename(work, smallFor, files);
      return new Result(dir.toString(), bytes, write, read, rate, files[0]);
    } finally {
      deleteTree(work);
    }
  }

  /** MiB/s of writing {@code bytes} and making them durable with one fdatasync at the end. */
  private static double sequentialWrite(Path file, ByteBuffer block, long bytes)
      throws IOException {
    long start = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      for (long done = 0; done < bytes; ) {
        ByteBuffer b = block.duplicate();
        b.limit((int) Math.min(BLOCK, bytes - done));
        while (b.hasRemaining()) {
          done += ch.write(b);
        }
      }
      ch.force(false); // fdatasync: data and the size, which is what a reader needs
    }
    return mibps(bytes, System.nanoTime() - start);
  }

  /** MiB/s of reading the file back; caches are not dropped, so this is mostly the page cache. */
  private static double sequentialRead(Path file, ByteBuffer block, long bytes)
      throws IOException {
    long start = System.nanoTime();
    long total = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = block.duplicate();
      for (int n; (n = ch.read(b.clear())) >= 0; ) {
        total += n;
      }
    }
    if (total != bytes) {
      throw new IOException("read back " + total + " bytes of " + bytes);
    }
    return mibps(bytes, System.nanoTime() - start);
  }

  /**
   * 4 KiB files per second, each written to a temp name, fsynced, renamed to its final name
   * and made durable by an fsync of the directory: the commit sequence of one small PUT.
   */
  private static double createAndRename(Path dir, Duration duration, long[] count)
      throws IOException {
    ByteBuffer data = ByteBuffer.allocateDirect(SMALL);
    byte[] random = new byte[SMALL];
    new SplittableRandom(11).nextBytes(random);
    data.put(random).flip();
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    long n = 0;
    long now;
    try (FileChannel dirChannel = FileChannel.open(dir, StandardOpenOption.READ)) {
      do {
        Path tmp = dir.resolve("f" + n + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
          ByteBuffer b = data.duplicate();
          while (b.hasRemaining()) {
            ch.write(b);
          }
          ch.force(true);
        }
        Files.move(tmp, dir.resolve("f" + n), StandardCopyOption.ATOMIC_MOVE);
        dirChannel.force(true);
        n++;
        now = System.nanoTime();
      } while (now < deadline);
    }
    count[0] = n;
    return n / ((now - start) / 1e9);
  }

  private static double mibps(long bytes, long nanos) {
    return bytes / (1024.0 * 1024.0) / (nanos / 1e9);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }
}
