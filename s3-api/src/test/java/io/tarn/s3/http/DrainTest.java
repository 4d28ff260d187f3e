package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The drain's state machine: serving, then draining once, and waiting for the requests in flight. */
class DrainTest {
  @Test
  void beginsOnceRunningItsActionsAndCountingWhatIsInFlight() {
    Drain d = new Drain();
    AtomicInteger began = new AtomicInteger();
    d.onBegin(began::incrementAndGet);
    d.requestStarted();
    d.requestStarted();
    d.requestEnded();
    assertFalse(d.draining());
    assertEquals(1, d.inFlight());
    assertEquals(0, began.get());

    assertEquals(1, d.begin(), "one request in flight when it began");
    assertTrue(d.draining());
    assertEquals(1, began.get());
    assertEquals(-1, d.begin(), "a second begin does nothing");
    assertEquals(1, began.get());
  }

  @Test
  void awaitIdleReturnsWhenTheLastRequestEnds() throws Exception {
    Drain d = new Drain();
    d.requestStarted();
    d.requestStarted();
    d.begin();
    CompletableFuture<Integer> left = CompletableFuture.supplyAsync(() -> {
      try {
        return d.awaitIdle(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    d.requestEnded();
    Thread.sleep(50);
    assertFalse(left.isDone(), "one request is still in flight");
    d.requestEnded();
    assertEquals(0, left.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aDrainWithNothingInFlightIsIdleAtOnce() throws Exception {
    Drain d = new Drain();
    assertEquals(0, d.begin());
    long t0 = System.nanoTime();
    assertEquals(0, d.awaitIdle(Duration.ofSeconds(30)));
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void whenTheGraceRunsOutItReportsWhatIsStillInFlight() throws Exception {
    Drain d = new Drain();
    d.requestStarted();
    d.requestStarted();
    d.requestStarted();
    d.begin();
    d.requestEnded();
    assertEquals(2, d.awaitIdle(Duration.ofMillis(50)));
  }

  @Test
  void requestsEndingBeforeTheDrainDoNotMakeItIdle() throws Exception {
    Drain d = new Drain();
    d.requestStarted();
    d.requestEnded(); // 0 in flight while serving: not a drain's end
    d.requestStarted();
    d.begin();
    assertEquals(1, d.awaitIdle(Duration.ofMillis(50)));
  }

  @Test
  void waitingBeforeTheDrainBeganIsAMistake() {
    assertThrows(IllegalStateException.class, () -> new Drain().awaitIdle(Duration.ZERO));
  }
}
