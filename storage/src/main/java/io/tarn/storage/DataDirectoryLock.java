package io.tarn.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process per data directory: an OS lock on {@code <data>/tarn.lock}, which holds the pid of the
 * process that has it. Taken before anything is written into the directory (TLS files, root
 * credentials, the metadata store), so a second server is refused with its holder's pid instead of
 * RocksDB's "While lock file: .../LOCK: Resource temporarily unavailable" after it already wrote.
 *
 * <p>The lock is the kernel's (fcntl), not the file's existence: it goes with the process, also on
 * {@code kill -9} or a power loss, so there is never a stale lock to delete by hand. The file stays
 * after the process ends (removing it would race with a process that just opened it); the pid in it
 * is only what the refusal shows, never what decides.
 */
public final class DataDirectoryLock implements AutoCloseable {
  public static final String FILE = "tarn.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dataDir} (which must exist) for this process until {@link #close} or its end.
   *
   * @throws StorageException LOCKED if another process holds it (the message names its pid), IO if
   *     the lock file cannot be created or written (its cause the {@link IOException}, for example an
   *     {@link java.nio.file.AccessDeniedException} naming the file)
   */
  public static DataDirectoryLock acquire(Path dataDir, DataMode mode) {
    Path file = dataDir.resolve(FILE);
    FileChannel ch;
    try {
      ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE), mode.fileAttributes(dataDir));
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot open the lock file " + file + ": " + e, e);
    }
    try {
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this process has it already (a second open in one JVM): the same refusal
      }
      if (lock == null) {
        String pid = holder(file);
        ch.close();
        throw new StorageException(StorageException.Kind.LOCKED, "another Tarn is running on this data directory ("
            + (pid == null ? "pid unknown" : "pid " + pid) + "): " + dataDir);
      }
      byte[] me = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      ch.truncate(0);
      ByteBuffer b = ByteBuffer.wrap(me);
      while (b.hasRemaining()) {
        ch.write(b, b.position());
      }
      return new DataDirectoryLock(ch, lock);
    } catch (IOException e) {
      try {
        ch.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new StorageException(StorageException.Kind.IO, "cannot lock " + file + ": " + e, e);
    }
  }

  /** The pid the holder wrote, or null if there is none yet (it is between its lock and its write). */
  private static String holder(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return s.matches("\\d{1,19}") ? s : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The process is ending or the channel is gone: the kernel releases the lock with it either way.
    }
  }
}
