package io.tarn.server.logging;

import io.tarn.s3.http.ExchangeListener;
import io.tarn.s3.http.ExchangeRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The access log: one line per exchange, written off the event loop. {@link #ended} (on an event
 * loop) only offers the record to a bounded queue; one writer thread formats and writes the lines
 * and flushes whenever the queue runs dry. A request never waits for the disk: when the queue is
 * full (the destination is slower than the requests), the record is dropped and counted, and a
 * WARNING says how many were dropped, at most once per {@code reportEvery}. Lines that could not be
 * written (disk full, file deleted with its directory) are counted and reported the same way.
 */
public final class AccessLog implements ExchangeListener, AutoCloseable {
  /** Lines waiting at most: a few seconds of a busy server, ~2 MiB of records. */
  public static final int DEFAULT_QUEUE = 16_384;
  private static final int BATCH = 1024;
  private static final long WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long FLUSH_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final LineSink sink;
  private final AccessLogFormat format;
  private final BlockingQueue<ExchangeRecord> queue;
  private final long reportEveryNanos;
  private final Consumer<String> warn;
  private final LongSupplier nanoTime;
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private volatile boolean closing;
  private long lost; // writer thread only: lines a failed write lost since the last report
  private String lastError; // writer thread only
  private long lastReport;

  /**
   * Starts the writer thread.
   *
   * @param capacity records that may wait for the writer
   * @param reportEvery least time between two WARNINGs about dropped or lost lines
   * @param warn where those WARNINGs go (the server log)
   */
  public AccessLog(LineSink sink, AccessLogFormat format, int capacity, Duration reportEvery, Consumer<String> warn) {
    this(sink, format, capacity, reportEvery, warn, System::nanoTime);
  }

  AccessLog(LineSink sink, AccessLogFormat format, int capacity, Duration reportEvery, Consumer<String> warn,
      LongSupplier nanoTime) {
    this.sink = sink;
    this.format = format;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.reportEveryNanos = reportEvery.toNanos();
    this.warn = warn;
    this.nanoTime = nanoTime;
    this.lastReport = nanoTime.getAsLong();
    this.writer = new Thread(this::run, "tarn-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  /** On an event loop: never blocks. */
  @Override
  public void ended(ExchangeRecord r) {
    if (!queue.offer(r)) {
      dropped.incrementAndGet();
    }
  }

  /** Records dropped because the queue was full, since the start. */
  public long dropped() {
    return dropped.get() + reportedDrops;
  }

  private volatile long reportedDrops;

  public String destination() {
    return sink.describe();
  }

  /**
   * Drains the queue in batches, pausing {@link #PACE_NANOS} after a partial batch so that the next
   * one gathers meanwhile: under load the writer wakes a few hundred times a second, not once per
   * request, and an event loop's offer finds no sleeping thread to wake (waking one is a system call).
   * Flushes when the queue runs dry, and at least every {@link #FLUSH_NANOS} under steady load.
   */
  private void run() {
    List<ExchangeRecord> batch = new ArrayList<>(BATCH);
    StringBuilder line = new StringBuilder(256);
    long lastFlush = nanoTime.getAsLong();
    boolean unflushed = false;
    while (true) {
      boolean stopping = closing; // read before draining: a record queued before close() is still written
      queue.drainTo(batch, BATCH - batch.size()); // after the record an idle wait returned, if any
      int n = batch.size();
      if (n > 0) {
        write(batch, line);
        batch.clear();
        unflushed = true;
        if (nanoTime.getAsLong() - lastFlush >= FLUSH_NANOS) {
          flush();
          lastFlush = nanoTime.getAsLong();
          unflushed = false;
        }
        report(false);
        if (n < BATCH && !stopping) {
          pause();
        }
        continue;
      }
      if (unflushed) {
        flush();
        lastFlush = nanoTime.getAsLong();
        unflushed = false;
      }
      report(false);
      if (stopping) {
        break;
      }
      try {
        // Idle: wait for a record, or every WAKE to report drops and see close(). Never interrupted:
        // an interrupt would close a file channel in the middle of a write.
        ExchangeRecord first = queue.poll(WAKE_NANOS, TimeUnit.NANOSECONDS);
        if (first != null) {
          batch.add(first);
        }
      } catch (InterruptedException e) {
        // not used to stop this thread; go on
      }
    }
    report(true);
    try {
      sink.close();
    } catch (IOException e) {
      warn.accept("access log: closing " + sink.describe() + " failed: " + e.getMessage());
    }
  }

  private static void pause() {
    try {
      Thread.sleep(PACE_NANOS / 1_000_000);
    } catch (InterruptedException e) {
      // not used to stop this thread
    }
  }

  private void write(List<ExchangeRecord> batch, StringBuilder line) {
    for (int i = 0; i < batch.size(); i++) {
      line.setLength(0);
      format.append(batch.get(i), line);
      line.append('\n');
      byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
      try {
        sink.write(bytes, 0, bytes.length);
      } catch (IOException e) {
        lost += batch.size() - i;
        lastError = e.toString();
        return;
      }
    }
  }

  private void flush() {
    try {
      sink.flush();
    } catch (IOException e) {
      lastError = e.toString(); // the buffered lines' fate is unknown; the next write reports again
    }
  }

  /** The periodic WARNING about dropped and lost lines, if any; {@code now}: regardless of the period. */
  private void report(boolean now) {
    long t = nanoTime.getAsLong();
    if (!now && t - lastReport < reportEveryNanos) {
      return;
    }
    lastReport = t;
    long d = dropped.getAndSet(0);
    reportedDrops += d;
    if (d > 0) {
      warn.accept("access log: " + d + " lines dropped in the last " + seconds(reportEveryNanos)
          + " (the queue of " + (queue.remainingCapacity() + queue.size()) + " was full: " + sink.describe()
          + " is slower than the requests)");
    }
    if (lost > 0) {
      warn.accept("access log: " + lost + " lines could not be written to " + sink.describe() + ": " + lastError);
      lost = 0;
    }
  }

  private static String seconds(long nanos) {
    return Duration.ofNanos(nanos).toSeconds() + " s";
  }

  /** Writes what is queued, flushes and closes the destination; waits up to 5 seconds for it. */
  @Override
  public void close() {
    closing = true;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
