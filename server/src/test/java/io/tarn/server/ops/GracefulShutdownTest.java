package io.tarn.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.s3.http.Drain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The order of a graceful stop, its messages, and what a second signal does. */
class GracefulShutdownTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
  private final List<String> ran = new ArrayList<>();
  private final List<Integer> halted = new ArrayList<>();

  private GracefulShutdown shutdown(Drain drain, List<GracefulShutdown.Step> steps) {
    return new GracefulShutdown(drain, Duration.ofSeconds(30), steps, GracefulShutdown.Say.printing(out), halted::add);
  }

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aSignalDrainsThenRunsEveryStepInOrderAndExitsZero() throws Exception {
    Drain drain = new Drain();
    GracefulShutdown s = shutdown(drain, List.of(
        new GracefulShutdown.Step("one", () -> ran.add("one " + drain.draining())),
        new GracefulShutdown.Step("two", () -> {
          throw new IllegalStateException("boom");
        }),
        new GracefulShutdown.Step("three", () -> ran.add("three"))));
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> {
      try {
        return s.awaitAndStop();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(50);
    assertFalse(code.isDone(), "waits for a signal");
    s.signal(15);
    assertEquals(0, code.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("one true", "three"), ran, "the drain began first; a failed step does not stop the others");
    assertEquals("Tarn draining (0 requests in flight, grace 30s)\n"
        + "Tarn stopping: two failed: java.lang.IllegalStateException: boom\n"
        + "Tarn stopped\n", output().replace("\r\n", "\n"));
    assertTrue(halted.isEmpty());
  }

  @Test
  void aSecondSignalHaltsAtOnceWith128PlusItsNumber() {
    Drain drain = new Drain();
    GracefulShutdown s = shutdown(drain, List.of());
    s.signal(15);
    assertTrue(halted.isEmpty(), "the first signal only asks for the stop");
    s.signal(2);
    assertEquals(List.of(130), halted);
    assertTrue(output().startsWith("WARNING: Tarn stopping at once (a second signal): 0 requests in flight are cut"), output());
  }
}
