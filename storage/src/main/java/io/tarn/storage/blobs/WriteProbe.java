package io.tarn.storage.blobs;

import io.tarn.storage.DataMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the data directory can be written, as a cached result, so that a readiness probe costs no
 * disk I/O: every {@code interval} a background thread creates {@code <data>/.write-probe}, writes
 * one byte, syncs it (when the store syncs) and deletes it. A file system remounted read-only, a
 * failing disk (EIO) or a directory whose permissions were taken away fail it; the result stands
 * until the next probe. A probe that hangs (a disk that stopped answering) leaves the last result,
 * and {@link #problem()} reports a probe running for longer than {@code 3 x interval} as a failure.
 */
public final class WriteProbe implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(WriteProbe.class.getName());
  static final String FILE = ".write-probe";

  private final Path file;
  private final boolean fsync;
  private final DataMode mode;
  private final long intervalNanos;
  private ScheduledExecutorService thread;
  /** The last probe's failure, or null when it passed. */
  private volatile String problem;
  /** When the running probe started (System.nanoTime), or 0 when none runs. */
  private volatile long runningSince;

  public WriteProbe(Path dataDir, boolean fsync, DataMode mode, Duration interval) {
    this.file = dataDir.resolve(FILE);
    this.fsync = fsync;
    this.mode = mode;
    this.intervalNanos = interval.toNanos();
  }

  /** Probes once now, then every interval on a daemon thread until {@link #close()}. */
  public synchronized void start() {
    probe();
    thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tarn-write-probe");
      t.setDaemon(true);
      return t;
    });
    thread.scheduleWithFixedDelay(this::probe, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
  }

  /** Null when the data directory can be written, else why not. Two volatile reads. */
  public String problem() {
    long since = runningSince;
    if (since != 0 && System.nanoTime() - since > 3 * intervalNanos) {
      return "a write to " + file.getParent() + " has not completed for "
          + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since) + " s";
    }
    return problem;
  }

  /** Writes, syncs and deletes the probe file; records the outcome. */
  void probe() {
    runningSince = Math.max(1, System.nanoTime());
    String failed = null;
    try {
      Files.deleteIfExists(file); // a leftover of a probe cut by a crash
      try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          mode.fileAttributes(file))) {
        ch.write(ByteBuffer.wrap(new byte[] {'t'}));
        if (fsync) {
          ch.force(true);
        }
      }
      Files.delete(file);
    } catch (IOException | RuntimeException e) {
      failed = "cannot write " + file + ": " + e;
    } finally {
      runningSince = 0;
    }
    String before = problem;
    problem = failed;
    if (failed != null && before == null) {
      LOG.log(System.Logger.Level.WARNING, failed + " (the server reports itself not ready until a write succeeds)");
    } else if (failed == null && before != null) {
      LOG.log(System.Logger.Level.INFO, "the data directory " + file.getParent() + " is writable again");
    }
  }

  @Override
  public synchronized void close() {
    if (thread != null) {
      thread.shutdownNow();
      thread = null;
    }
  }
}
