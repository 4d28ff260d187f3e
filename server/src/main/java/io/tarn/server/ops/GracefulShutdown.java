package io.tarn.server.ops;

import io.tarn.s3.http.Drain;
import io.tarn.server.bench.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How {@code tarn server} stops (docs/ops/health-and-drain.md). The first SIGTERM or SIGINT begins
 * the {@link Drain}: the listener closes, idle connections close, event streams end, new requests on
 * open connections get 503 and {@code Connection: close}, readiness turns 503; requests in flight
 * (uploads included) have the grace to finish. Then the steps run in order (close the front end and
 * every connection left, stop the workers, persist the webhook queue's state, sync and close the
 * store) and the process exits 0, also when the grace ran out (a WARNING line says how many requests
 * were cut: the stop was still orderly, and a supervisor must not count it as a crash).
 *
 * <p>A second signal exits at once ({@link Runtime#halt}, 128 + its number). That is safe for what
 * was acknowledged: a write is answered 200 only after its blob is fsynced and its metadata batch is
 * in the synced write-ahead log, so a halt (like a crash or SIGKILL) loses only requests not yet
 * answered, whose temp files the next start removes.
 *
 * <p>Messages go to the server log ({@code TarnLogManager} keeps its handlers through the JVM's
 * shutdown), so that they land wherever {@code --log-file} sends the rest.
 */
public final class GracefulShutdown {
  /** One step of the stop after the drain, named for the message if it fails. */
  public record Step(String name, Runnable action) {}

  /** Where the stop's messages go. */
  @FunctionalInterface
  public interface Say {
    void say(System.Logger.Level level, String message);

    /** To the server log. */
    static Say log() {
      System.Logger log = System.getLogger(GracefulShutdown.class.getName());
      return log::log;
    }

    /** Printed, a warning prefixed with {@code WARNING: } (tests). */
    static Say printing(PrintStream out) {
      return (level, message) -> {
        out.println((level == System.Logger.Level.WARNING ? "WARNING: " : "") + message);
        out.flush();
      };
    }
  }

  private final Drain drain;
  private final Duration grace;
  private final List<Step> steps;
  private final Say out;
  private final CountDownLatch requested = new CountDownLatch(1);
  private final AtomicInteger signals = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Halt halt;

  /** Ends the process at once (tests replace it). */
  @FunctionalInterface
  interface Halt {
    void halt(int status);
  }

  public GracefulShutdown(Drain drain, Duration grace, List<Step> steps, Say out) {
    this(drain, grace, steps, out, status -> Runtime.getRuntime().halt(status));
  }

  GracefulShutdown(Drain drain, Duration grace, List<Step> steps, Say out, Halt halt) {
    this.drain = drain;
    this.grace = grace;
    this.steps = List.copyOf(steps);
    this.out = out;
    this.halt = halt;
  }

  /**
   * Takes SIGTERM and SIGINT from the JVM, and adds a shutdown hook for any other way the JVM ends
   * (System.exit elsewhere, SIGHUP), which stops without waiting for a drain.
   */
  public void install() {
    if (!Signals.handleTermAndInt(this::signal)) {
      // The JVM's own handling: its hook runs the whole graceful stop (a second signal is ignored).
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        requested.countDown();
        stop();
      }, "tarn-shutdown"));
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopNow, "tarn-shutdown"));
  }

  /** A signal arrived (on the JVM's signal thread): the first asks for a stop, the second halts. */
  void signal(int number) {
    if (signals.incrementAndGet() == 1) {
      requested.countDown();
      return;
    }
    out.say(System.Logger.Level.WARNING, "Tarn stopping at once (a second signal): " + drain.inFlight()
        + " requests in flight are cut; every acknowledged write is already durable");
    halt.halt(128 + number);
  }

  /** Blocks until a signal asks for a stop, then stops gracefully; returns the exit code. */
  public int awaitAndStop() throws InterruptedException {
    requested.await();
    return stop();
  }

  /** Drains, then runs the steps. Once; returns 0. */
  int stop() {
    if (!stopped.compareAndSet(false, true)) {
      return 0;
    }
    int inFlight = Math.max(0, drain.begin());
    out.say(System.Logger.Level.INFO, "Tarn draining (" + inFlight + " requests in flight, grace "
        + Durations.format(grace) + ")");
    int cut;
    try {
      cut = drain.awaitIdle(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cut = drain.inFlight();
    }
    if (cut > 0) {
      out.say(System.Logger.Level.WARNING, "the shutdown grace of " + Durations.format(grace) + " ran out: cutting "
          + cut + " requests still in flight (their clients see the connection close; none of them was acknowledged)");
    }
    runSteps();
    return 0;
  }

  /** The JVM is ending some other way: no drain, but the store is still closed in order. */
  private void stopNow() {
    if (stopped.compareAndSet(false, true)) {
      drain.begin();
      runSteps();
    }
  }

  /** The stop's steps in order, then the last line. */
  private void runSteps() {
    for (Step s : steps) {
      try {
        s.action().run();
      } catch (RuntimeException e) {
        // The next steps still run: a failed sender close must not keep the store from closing.
        out.say(System.Logger.Level.ERROR, "Tarn stopping: " + s.name() + " failed: " + e);
      }
    }
    out.say(System.Logger.Level.INFO, "Tarn stopped");
  }
}
