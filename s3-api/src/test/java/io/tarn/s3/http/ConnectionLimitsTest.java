package io.tarn.s3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The connection caps on their own, with connections played by the test: a full global cap evicts
 * the connection that has waited longest for a request and never one with a request in progress;
 * the per-address cap refuses; and under threads racing as event loops do, no busy connection is
 * evicted and no place is counted twice.
 */
class ConnectionLimitsTest {
  /** A connection as the caps see it: closed by an eviction, or by itself. */
  private static final class Conn {
    final String name;
    ConnectionLimits.Place place;
    volatile boolean closeRequested;
    volatile boolean inRequest;

    Conn(String name) {
      this.name = name;
    }

    /** What an eviction does to a channel: asks it to close. */
    void close() {
      closeRequested = true;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Conn admit(ConnectionLimits caps, String name, InetAddress from) {
    Conn c = new Conn(name);
    c.place = caps.admit(from, c::close);
    return c.place == null ? null : c;
  }

  private static Conn admit(ConnectionLimits caps, String name) {
    return admit(caps, name, null);
  }

  /** One request: the head arrives, the response is written, the connection waits again. */
  private static void request(Conn c) {
    assertTrue(c.place.requestStarted(), c + " was evicted");
    c.place.waitForRequest();
  }

  private static InetAddress address(int last) throws Exception {
    return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
  }

  @Test
  void aFullCapEvictsTheConnectionWaitingLongestForARequestHead() {
    ConnectionLimits caps = new ConnectionLimits(3, 0);
    Conn a = admit(caps, "a");
    Conn b = admit(caps, "b");
    Conn c = admit(caps, "c");
    request(b); // b has waited since its response, after c was accepted: a, c, b
    Conn d = admit(caps, "d");
    assertNotNull(d, "admitted in the place of the longest waiting");
    assertTrue(a.closeRequested && a.place.evicted());
    assertFalse(b.closeRequested || c.closeRequested);
    assertFalse(a.place.requestStarted(), "a head arriving on an evicted connection is dropped");
    assertEquals(3, caps.open());
    a.place.closed(); // its place is d's: not freed a second time
    assertEquals(3, caps.open());

    assertNotNull(admit(caps, "e"));
    assertTrue(c.closeRequested, "then c");
    assertFalse(b.closeRequested);
    assertNotNull(admit(caps, "f"));
    assertTrue(b.closeRequested, "then b, whose wait began last of the three");
    assertFalse(d.closeRequested);
    assertEquals(3, caps.evictions());
    assertEquals(3, caps.open());
  }

  @Test
  void aConnectionWithARequestInProgressIsNeverEvictedAndANewcomerIsRefusedWhenAllHaveOne() {
    ConnectionLimits caps = new ConnectionLimits(2, 0);
    Conn a = admit(caps, "a");
    Conn b = admit(caps, "b");
    assertTrue(a.place.requestStarted()); // e.g. a body upload
    assertTrue(b.place.requestStarted()); // e.g. a response being written
    assertNull(admit(caps, "c"), "nothing to evict: refused");
    assertFalse(a.closeRequested || b.closeRequested);
    assertEquals(2, caps.open(), "the refused one is not counted");
    assertEquals(0, caps.evictions());

    b.place.waitForRequest(); // b's response is written: it waits for the next request
    Conn d = admit(caps, "d");
    assertNotNull(d);
    assertTrue(b.closeRequested);
    assertFalse(a.closeRequested, "a's request is still in progress");
  }

  @Test
  void aClosedConnectionFreesItsPlaceAndLeavesNothingToEvict() {
    ConnectionLimits caps = new ConnectionLimits(1, 0);
    Conn a = admit(caps, "a");
    assertEquals(1, caps.waiting());
    a.place.closed();
    a.place.closed(); // reported once by Netty, but harmless twice
    assertEquals(0, caps.open());
    assertEquals(0, caps.waiting());
    assertNotNull(admit(caps, "b"));
    assertEquals(0, caps.evictions());
  }

  @Test
  void overThePerAddressCapANewcomerIsRefusedWithoutEvictingAnyone() throws Exception {
    ConnectionLimits caps = new ConnectionLimits(2, 1);
    Conn a = admit(caps, "a", address(1));
    assertNull(admit(caps, "a2", address(1)), "a second connection from the same address");
    assertFalse(a.closeRequested);
    assertEquals(1, caps.open());
    assertEquals(1, caps.open(address(1)));
    Conn b = admit(caps, "b", address(2));
    Conn c = admit(caps, "c", address(3));
    assertNotNull(c, "the global cap evicts");
    assertTrue(a.closeRequested);
    assertFalse(b.closeRequested);
    a.place.closed();
    assertEquals(0, caps.open(address(1)), "the evicted connection's address has its place back");
    assertNotNull(admit(caps, "a3", address(1)));
    assertTrue(b.closeRequested);
  }

  /**
   * Threads playing event loops, each with its own connections that start and end requests, close,
   * and are evicted by the other threads' newcomers. An eviction of a connection in the middle of a
   * request, or more connections counted than the cap, is a failure.
   */
  @Test
  void racingEventLoopsNeverEvictABusyConnectionNorExceedTheCap() throws Exception {
    int max = 16;
    int threads = 4;
    ConnectionLimits caps = new ConnectionLimits(max, 0);
    AtomicReference<String> violation = new AtomicReference<>();
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> loops = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread loop = new Thread(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Conn> mine = new ArrayList<>();
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 100_000; i++) {
          // Closes requested by other loops' evictions take effect on this loop, as in Netty.
          mine.removeIf(c -> {
            if (c.closeRequested) {
              c.place.closed();
              return true;
            }
            return false;
          });
          int action = random.nextInt(10);
          if (action < 3 || mine.isEmpty()) {
            Conn c = new Conn(id + "-" + i);
            // Another loop may evict it before admit returns: the close must not need the place.
            c.place = caps.admit(null, () -> {
              if (c.inRequest) {
                violation.compareAndSet(null, "evicted in the middle of a request");
              }
              c.close();
            });
            if (c.place != null) {
              mine.add(c);
              admitted.incrementAndGet();
            }
          } else if (action < 9) {
            Conn c = mine.get(random.nextInt(mine.size()));
            if (c.place.requestStarted()) {
              c.inRequest = true;
              for (int spin = random.nextInt(50); spin > 0; spin--) {
                Thread.onSpinWait();
              }
              if (c.closeRequested || c.place.evicted()) {
                violation.compareAndSet(null, "evicted after its request started");
              }
              c.inRequest = false;
              c.place.waitForRequest();
            } else if (!c.place.evicted()) { // its close may not be requested yet
              violation.compareAndSet(null, "a head refused on a connection that was not evicted");
            }
          } else {
            mine.remove(random.nextInt(mine.size())).place.closed();
          }
          if (caps.open() > max) {
            violation.compareAndSet(null, caps.open() + " connections counted, over the cap of " + max);
          }
        }
        mine.forEach(c -> c.place.closed());
      });
      loops.add(loop);
      loop.start();
    }
    start.countDown();
    for (Thread loop : loops) {
      loop.join(TimeUnit.MINUTES.toMillis(2));
      assertFalse(loop.isAlive(), "a loop did not finish");
    }
    assertNull(violation.get());
    assertTrue(caps.evictions() > 1000, "the race was exercised: " + caps.evictions() + " evictions of "
        + admitted.get() + " connections");
    assertEquals(0, caps.open(), "every place is free again");
    assertEquals(0, caps.waiting());
  }
}
