package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Strangers cannot starve the server (issue 11): hundreds of connections trickling request heads a
 * byte at a time do not delay a normal client, and are closed with {@code 400 RequestTimeout} at the
 * head deadline; over the per-address cap new connections are closed at once. The long version
 * (5,000 or 20,000 connections) is {@code bench/slow-clients.sh}.
 */
class SlowClientsTest {
  private static final int TRICKLERS = 500;
  private static final int PER_ADDRESS = 600;
  private static final long HEAD_TIMEOUT_MS = 3000;

  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension(List.of(
      "--request-head-timeout", HEAD_TIMEOUT_MS + "ms", "--max-connections-per-address", Integer.toString(PER_ADDRESS)));

  private Socket connect(String from) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress("127.0.0.1", TARN.port()), 10_000);
    return s;
  }

  /** Everything the server sent before closing, or null if it is still open after {@code millis}. */
  private static String readToClose(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    byte[] buf = new byte[4096];
    StringBuilder got = new StringBuilder();
    try {
      int n;
      while ((n = s.getInputStream().read(buf)) >= 0) {
        got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      return got.toString();
    } catch (SocketTimeoutException stillOpen) {
      return null;
    } catch (SocketException reset) {
      return got.toString();
    }
  }

  @Test
  void tricklingHeadsDoNotDelayANormalClientAndAreClosedAtTheDeadline() throws Exception {
    String bucket = TestData.bucketName("slow");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    byte[] head = ("GET /" + bucket + "/k HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: " + "a".repeat(1000))
        .getBytes(StandardCharsets.US_ASCII);
    List<Socket> tricklers = new ArrayList<>();
    ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
    try {
      long start = System.nanoTime();
      for (int i = 0; i < TRICKLERS; i++) {
        Socket s = connect("127.0.0.2");
        s.getOutputStream().write(head, 0, 1);
        tricklers.add(s);
      }
      long opened = System.nanoTime();
      // One more byte on every connection every 200 ms: each would restart an idle timer.
      int[] at = {1};
      writer.scheduleAtFixedRate(() -> {
        for (Socket s : tricklers) {
          try {
            OutputStream out = s.getOutputStream();
            out.write(head, at[0], 1);
          } catch (IOException closed) {
            // closed by the server: expected at the deadline
          }
        }
        at[0]++;
      }, 200, 200, TimeUnit.MILLISECONDS);

      // A normal client is served promptly meanwhile.
      long[] millis = new long[5];
      for (int i = 0; i < millis.length; i++) {
        String key = "k" + i;
        long t0 = System.nanoTime();
        TARN.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("v" + i));
        assertEquals("v" + i, TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String());
        millis[i] = (System.nanoTime() - t0) / 1_000_000;
      }
      long[] sorted = millis.clone();
      Arrays.sort(sorted);
      assertTrue(sorted[sorted.length / 2] < 1000, "PUT+GET took " + Arrays.toString(millis) + " ms");

      // None closed well before its deadline (a sample; reads a few of them for 100 ms each).
      long elapsedMs = (System.nanoTime() - opened) / 1_000_000;
      if (elapsedMs < HEAD_TIMEOUT_MS - 1000) {
        for (Socket s : tricklers.subList(0, 5)) {
          assertEquals(null, readToClose(s, 100), "closed before the deadline");
        }
      }
      // All closed, with RequestTimeout, soon after the deadline.
      long waitMs = HEAD_TIMEOUT_MS + 3000 - (System.nanoTime() - start) / 1_000_000;
      if (waitMs > 0) {
        Thread.sleep(waitMs);
      }
      int open = 0;
      int answered = 0;
      for (Socket s : tricklers) {
        String got = readToClose(s, open > 0 ? 1 : 200);
        if (got == null) {
          open++;
        } else if (got.startsWith("HTTP/1.1 400 ") && got.contains("<Code>RequestTimeout</Code>")) {
          answered++;
        }
      }
      assertEquals(0, open, "trickling connections still open after the head deadline");
      // A few may be reset rather than answered (the client's unread bytes); nearly all get the error.
      assertTrue(answered > TRICKLERS * 9 / 10, answered + " of " + TRICKLERS + " answered RequestTimeout");
    } finally {
      writer.shutdownNow();
      for (Socket s : tricklers) {
        s.close();
      }
    }
  }

  @Test
  void overThePerAddressCapNewConnectionsAreClosedAtOnce() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < PER_ADDRESS; i++) {
        held.add(connect("127.0.0.3"));
      }
      // The event loops admit connections in parallel: which of the 601 is refused is not
      // certain, only that exactly one is, and at once.
      held.add(connect("127.0.0.3"));
      Thread.sleep(1000);
      int closed = 0;
      for (Socket s : held) {
        String got = readToClose(s, 1);
        if (got != null) {
          assertEquals("", got, "closed without a byte: nothing was read, nothing answered");
          closed++;
        }
      }
      assertEquals(1, closed, "connections closed of " + (PER_ADDRESS + 1) + " from one address");
      // Other addresses, the SDK's among them, are still served.
      TARN.s3().listBuckets();
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
