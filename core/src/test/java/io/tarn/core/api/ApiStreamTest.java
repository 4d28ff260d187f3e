package io.tarn.core.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiStreamTest {
  /** A stream whose state the test sets. */
  static final class FakeStream implements ApiStream {
    final Queue<byte[]> chunks = new ArrayDeque<>();
    boolean finished;
    boolean backlogged;
    boolean authorized = true;
    Runnable wake;
    int closes;

    @Override
    public byte[] poll() {
      return chunks.poll();
    }

    @Override
    public boolean finished() {
      return finished;
    }

    @Override
    public void onReady(Runnable wake) {
      this.wake = wake;
    }

    @Override
    public boolean backlogged() {
      return backlogged;
    }

    @Override
    public boolean stillAuthorized() {
      return authorized;
    }

    @Override
    public void close() {
      closes++;
    }
  }

  @Test
  void backloggedIsFalseUnlessAStreamSaysOtherwise() {
    ApiStream minimal = new ApiStream() {
      @Override
      public byte[] poll() {
        return null;
      }

      @Override
      public boolean finished() {
        return true;
      }

      @Override
      public void onReady(Runnable wake) {}

      @Override
      public boolean stillAuthorized() {
        return true;
      }

      @Override
      public void close() {}
    };
    assertFalse(minimal.backlogged());
  }

  @Test
  void alsoRequiringAddsACheckAndHandsEverythingElseOn() {
    FakeStream inner = new FakeStream();
    AtomicBoolean sessionLive = new AtomicBoolean(true);
    ApiStream s = inner.alsoRequiring(sessionLive::get);

    assertTrue(s.stillAuthorized());
    sessionLive.set(false);
    assertFalse(s.stillAuthorized(), "the added check fails");
    sessionLive.set(true);
    inner.authorized = false;
    assertFalse(s.stillAuthorized(), "the stream's own check still counts");

    inner.chunks.add(new byte[] {1});
    assertArrayEquals(new byte[] {1}, s.poll());
    assertNull(s.poll());
    assertFalse(s.finished());
    inner.finished = true;
    assertTrue(s.finished());
    assertFalse(s.backlogged());
    inner.backlogged = true;
    assertTrue(s.backlogged());

    AtomicInteger woken = new AtomicInteger();
    s.onReady(woken::incrementAndGet);
    inner.wake.run();
    assertEquals(1, woken.get());

    s.close();
    assertEquals(1, inner.closes);
  }

  @Test
  void checksStack() {
    FakeStream inner = new FakeStream();
    AtomicBoolean first = new AtomicBoolean(true);
    AtomicBoolean second = new AtomicBoolean(true);
    ApiStream s = inner.alsoRequiring(first::get).alsoRequiring(second::get);
    assertTrue(s.stillAuthorized());
    second.set(false);
    assertFalse(s.stillAuthorized());
    second.set(true);
    first.set(false);
    assertFalse(s.stillAuthorized());
  }
}
