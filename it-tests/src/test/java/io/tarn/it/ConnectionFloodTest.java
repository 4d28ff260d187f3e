package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 11's flood, as the issue states it: 5,000 connections trickling request heads a byte a
 * second do not keep a normal client out (each signed request served within 1 s), and the
 * trickling connections are closed at the head deadline (5 s here). The server's global cap
 * (4,000) is below the flood, so that every normal connection gets in only by evicting the
 * connection waiting longest for a head: the first 1,000 tricklers while the flood connects, then
 * one per normal connection; without eviction the cap refuses the normal client until the deadline.
 * The flood is one thread on a selector; every socket is closed at the end, passed or failed. The
 * long version (up to 20,000 connections, the default limits) is {@code bench/slow-clients.sh}.
 */
class ConnectionFloodTest {
  private static final int TRICKLERS = 5000;
  private static final int MAX_CONNECTIONS = 4000;
  private static final long HEAD_TIMEOUT_MS = 5000;
  private static final long TRICKLE_EVERY_MS = 1000;
  private static final int SLICES = 10;
  private static final int MEASUREMENTS = 5;
  private static final long MEASURE_EVERY_MS = 400;
  /** The bound the issue pins for the normal client; no slack added. */
  private static final long SERVED_WITHIN_MS = 1000;
  /**
   * How late after its deadline a trickling connection may be seen closed. The server answers and
   * closes ~4,000 within one second; on this 2-core machine shared with other builds (load average
   * 15 to 27 while this was written) its answers came a median 0.6 s and at most 2.1 s late. The
   * failure this guards against is a connection never closed (issue 11: none of 500 after 80 s);
   * none closed before its deadline is checked exactly.
   */
  private static final long CLOSE_SLACK_MS = 3000;

  // All connections come from 127.0.0.1, the normal client's too: the per-address cap is raised
  // above the flood, so that only the global cap is at work.
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(List.of(
      "--request-head-timeout", HEAD_TIMEOUT_MS + "ms",
      "--max-connections", Integer.toString(MAX_CONNECTIONS),
      "--max-connections-per-address", Integer.toString(2 * TRICKLERS)));

  /** One trickling connection; fields are the flood thread's until it has been joined. */
  private static final class Trickler {
    final SocketChannel channel;
    int sent;
    long firstByteNanos = -1;
    long closedNanos = -1;
    final StringBuilder received = new StringBuilder();

    Trickler(SocketChannel channel) {
      this.channel = channel;
    }
  }

  /** The flood: sends every open trickler a byte of its head each second and notes closes. */
  private static final class Flood extends Thread {
    final Selector selector;
    final List<Trickler> tricklers;
    final byte[] head;
    final long untilNanos;
    volatile boolean started;
    volatile boolean stop;
    volatile Throwable failure;

    Flood(Selector selector, List<Trickler> tricklers, byte[] head, long untilNanos) {
      super("trickling-heads");
      this.selector = selector;
      this.tricklers = tricklers;
      this.head = head;
      this.untilNanos = untilNanos;
    }

    @Override
    public void run() {
      try {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        long sliceNanos = TimeUnit.MILLISECONDS.toNanos(TRICKLE_EVERY_MS) / SLICES;
        long nextSlice = System.nanoTime();
        int slice = 0;
        int open = tricklers.size();
        while (!stop && open > 0 && System.nanoTime() < untilNanos) {
          if (System.nanoTime() >= nextSlice) {
            // Each trickler's byte in its slice of the second, as strangers' bytes would spread.
            for (int i = slice; i < tricklers.size(); i += SLICES) {
              Trickler t = tricklers.get(i);
              if (t.closedNanos < 0 && t.sent < head.length) {
                // Taken before the write: the server's deadline cannot start before it.
                long now = System.nanoTime();
                try {
                  t.channel.write(ByteBuffer.wrap(head, t.sent, 1));
                  t.sent++;
                  if (t.firstByteNanos < 0) {
                    t.firstByteNanos = now;
                  }
                } catch (IOException closed) {
                  // closed by the server: the read side notes when
                }
              }
            }
            started = true;
            slice = (slice + 1) % SLICES;
            nextSlice += sliceNanos;
          }
          selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextSlice - System.nanoTime())));
          for (SelectionKey key : selector.selectedKeys()) {
            Trickler t = (Trickler) key.attachment();
            int n;
            do {
              buf.clear();
              try {
                n = t.channel.read(buf);
              } catch (IOException reset) {
                n = -1;
              }
              if (n > 0 && t.received.length() < 4096) {
                t.received.append(new String(buf.array(), 0, n, StandardCharsets.US_ASCII));
              }
            } while (n > 0);
            if (n < 0) {
              t.closedNanos = System.nanoTime();
              key.cancel();
              t.channel.close();
              open--;
            }
          }
          selector.selectedKeys().clear();
        }
      } catch (Throwable e) {
        failure = e;
        started = true;
      }
    }
  }

  private static long fileDescriptorLimit() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u) {
      return u.getMaxFileDescriptorCount();
    }
    return -1;
  }

  @Test
  void fiveThousandTricklingHeadsDoNotKeepANormalClientOutAndAreClosedAtTheHeadDeadline() throws Exception {
    long fds = fileDescriptorLimit();
    long needed = TRICKLERS + 1024L; // the flood, plus this JVM's own files and the SDK's sockets
    assertTrue(fds >= needed, "the open-file limit (ulimit -n) is " + fds + ": this test holds " + TRICKLERS
        + " connections and needs at least " + needed + " descriptors (and the server as many as "
        + MAX_CONNECTIONS + " plus its own); raise it, e.g. ulimit -n 20000");

    String bucket = TestData.bucketName("flood");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    // Warm both JVMs' code for the requests measured (class loading and compilation of the SDK's
    // PUT and GET took ~1 s on their first use here), so that the bound measures the server.
    S3Client warm = TARN.s3With(TARN.credentials());
    for (int i = 0; i < 10; i++) {
      warm.putObject(r -> r.bucket(bucket).key("warm"), RequestBody.fromString("warm"));
      warm.getObjectAsBytes(r -> r.bucket(bucket).key("warm"));
    }
    // Built before the flood; each measurement's first request opens its client's first connection.
    List<S3Client> clients = new ArrayList<>();
    for (int i = 0; i < MEASUREMENTS; i++) {
      clients.add(TARN.s3With(TARN.credentials()));
    }
    byte[] head = ("GET /" + bucket + "/k HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: " + "a".repeat(1000))
        .getBytes(StandardCharsets.US_ASCII);
    InetSocketAddress server = new InetSocketAddress("127.0.0.1", TARN.port());
    List<Trickler> tricklers = new ArrayList<>();
    Selector selector = Selector.open();
    Flood flood = null;
    try {
      // Connected first, trickling after, so that every head deadline starts in the same second
      // however long the connects take; the first 1,000 are evicted by the last ones meanwhile.
      for (int i = 0; i < TRICKLERS; i++) {
        SocketChannel ch = SocketChannel.open();
        tricklers.add(new Trickler(ch));
        ch.connect(server);
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.register(selector, SelectionKey.OP_READ, tricklers.get(i));
      }
      long latest = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEAD_TIMEOUT_MS + CLOSE_SLACK_MS + 5000);
      flood = new Flood(selector, tricklers, head, latest);
      flood.start();
      while (!flood.started) {
        Thread.sleep(1);
      }

      // A normal client meanwhile, from the flood's second round on (once every trickler sends),
      // every 400 ms: each time a new connection, a signed PUT, then a GET on it.
      long flooding = System.nanoTime();
      long[] putMs = new long[MEASUREMENTS];
      long[] getMs = new long[MEASUREMENTS];
      long measuredUntil = 0;
      for (int i = 0; i < MEASUREMENTS; i++) {
        long due = flooding + TimeUnit.MILLISECONDS.toNanos(TRICKLE_EVERY_MS + MEASURE_EVERY_MS * i);
        while (System.nanoTime() < due) {
          Thread.sleep(10);
        }
        S3Client s3 = clients.get(i);
        String key = "k" + i;
        long t0 = System.nanoTime();
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("v" + i));
        long t1 = System.nanoTime();
        String got = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
        long t2 = System.nanoTime();
        assertEquals("v" + i, got);
        putMs[i] = TimeUnit.NANOSECONDS.toMillis(t1 - t0);
        getMs[i] = TimeUnit.NANOSECONDS.toMillis(t2 - t1);
        measuredUntil = t2;
      }
      flood.join(TimeUnit.MILLISECONDS.toMillis(HEAD_TIMEOUT_MS + CLOSE_SLACK_MS + 10_000));
      if (flood.isAlive()) {
        fail("the flood thread did not end");
      }
      if (flood.failure != null) {
        throw new AssertionError("the flood failed", flood.failure);
      }

      // Each connection closed: before the deadline without a byte (evicted), or at it, answered.
      long headNanos = TimeUnit.MILLISECONDS.toNanos(HEAD_TIMEOUT_MS);
      int open = 0;
      int evicted = 0;
      int atDeadline = 0;
      int answered = 0;
      List<Long> lateMs = new ArrayList<>();
      long firstDeadline = Long.MAX_VALUE;
      for (Trickler t : tricklers) {
        if (t.closedNanos < 0) {
          open++;
        } else if (t.firstByteNanos < 0 || t.closedNanos - t.firstByteNanos < headNanos - TimeUnit.MILLISECONDS.toNanos(100)) {
          assertEquals("", t.received.toString(), "an evicted connection is closed without an answer");
          evicted++;
        } else {
          atDeadline++;
          lateMs.add(TimeUnit.NANOSECONDS.toMillis(t.closedNanos - t.firstByteNanos - headNanos));
          firstDeadline = Math.min(firstDeadline, t.firstByteNanos + headNanos);
          String got = t.received.toString();
          if (got.startsWith("HTTP/1.1 400 ") && got.contains("<Code>RequestTimeout</Code>")) {
            answered++;
          }
        }
      }
      lateMs.sort(null);
      long maxLateMs = lateMs.isEmpty() ? 0 : lateMs.get(lateMs.size() - 1);
      String late = lateMs.isEmpty() ? "none" : lateMs.get(0) + " / " + lateMs.get(lateMs.size() / 2) + " / "
          + lateMs.get(lateMs.size() * 9 / 10) + " / " + maxLateMs;
      String summary = "PUT on a new connection " + Arrays.toString(putMs) + " ms, GET " + Arrays.toString(getMs)
          + " ms; of " + TRICKLERS + " trickling connections " + evicted + " evicted, " + atDeadline
          + " closed at the deadline (min / p50 / p90 / max " + late + " ms after it, " + answered
          + " answered RequestTimeout), " + open + " still open";
      System.out.println("ConnectionFloodTest: " + summary);

      assertEquals(0, open, "trickling connections still open after the deadline: " + summary);
      // The server held a full cap of tricklers while the normal client was measured.
      assertTrue(measuredUntil < firstDeadline, "measured after the first deadline: " + summary);
      long slowest = Math.max(Arrays.stream(putMs).max().getAsLong(), Arrays.stream(getMs).max().getAsLong());
      assertTrue(slowest < SERVED_WITHIN_MS, "a request of the normal client took " + slowest + " ms: " + summary);
      // The last 4,000 connected were admitted, less one per measurement's new connection.
      assertEquals(TRICKLERS - MAX_CONNECTIONS + MEASUREMENTS, evicted, summary);
      assertEquals(MAX_CONNECTIONS - MEASUREMENTS, atDeadline, summary);
      assertTrue(maxLateMs <= CLOSE_SLACK_MS, "closed too long after the deadline: " + summary);
      // A few may be reset before their answer is read (a byte of theirs crossing the close).
      assertTrue(answered >= atDeadline * 9 / 10, summary);
    } finally {
      if (flood != null) {
        flood.stop = true;
        flood.join(10_000);
      }
      for (Trickler t : tricklers) {
        t.channel.close();
      }
      selector.close();
    }
  }
}
