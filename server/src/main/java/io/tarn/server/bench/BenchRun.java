package io.tarn.server.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import javax.net.ssl.SSLException;

/**
 * The machinery of a benchmark: the event loops, the shared payload, single setup requests and
 * timed or counted runs of many {@link Client}s.
 */
final class BenchRun implements AutoCloseable {
  /** Bodies are cut from this much random data; 1 MiB keeps each write large and cheap. */
  private static final int PAYLOAD_BYTES = 1024 * 1024;

  private final Endpoint endpoint;
  private final long timeoutNanos;
  private final EventLoopGroup group;
  private final SslContext ssl;
  private final ByteBuf payload;
  private final RequestSigner signer;

  /** Access key, secret and region; null for unsigned requests. */
  record Credentials(String accessKey, String secretKey, String region) {}

  /** A response to a single setup request. */
  record Response(int status, String body) {}

  BenchRun(Endpoint endpoint, Credentials credentials, int threads, Duration timeout,
      boolean insecure) throws SSLException {
    this.endpoint = endpoint;
    this.signer = credentials == null ? null : new SigV4Signer(
        credentials.accessKey(), credentials.secretKey(), credentials.region());
    this.timeoutNanos = timeout.toNanos();
    this.ssl = !endpoint.tls() ? null : insecure
        ? SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build()
        : SslContextBuilder.forClient().build();
    byte[] random = new byte[PAYLOAD_BYTES];
    new SplittableRandom(42).nextBytes(random);
    ByteBuf direct = Unpooled.directBuffer(PAYLOAD_BYTES).writeBytes(random);
    // Shared by every connection and thread: only ever sliced, never released.
    this.payload = Unpooled.unreleasableBuffer(direct);
    this.group = new NioEventLoopGroup(threads);
  }


  /** Sends one request on a connection of its own and waits for the answer. */
  Response once(Op op) throws IOException {
    EventLoop loop = group.next();
    HttpConnection connection = new HttpConnection(endpoint, loop, ssl, timeoutNanos);
    CompletableFuture<Response> result = new CompletableFuture<>();
    ByteBuf body = op.body() == null ? payload
        : Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(op.body()));
    long length = op.body() == null ? op.bodyLength() : op.body().length;
    loop.execute(() -> connection.send(
        Client.request(op, length, endpoint, signer, Client.amzDate(Instant.now())),
        body, length, op.collect(), new HttpConnection.Listener() {
          @Override
          public void onBytes(long sent, long received) {}

          @Override
          public void onResponse(int status, String text) {
            result.complete(new Response(status, text));
          }

          @Override
          public void onFailure(Throwable cause) {
            result.completeExceptionally(cause);
          }
        }));
    try {
      return result.get(timeoutNanos + TimeUnit.SECONDS.toNanos(15), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
    } catch (TimeoutException e) {
      throw new IOException(op.method() + " " + op.uri() + ": no answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      loop.execute(connection::close);
    }
  }

  /**
   * Runs {@code clients} clients. With {@code perClient == Long.MAX_VALUE} the run is timed:
   * requests started in the warm-up are not measured, the window is {@code duration} long, and
   * requests in flight at its end are let finish (their latency counts, their ops do not).
   * Otherwise each client makes {@code perClient} requests (or fewer, if its source runs dry),
   * everything is measured and the window lasts until the last client is done.
   */
  Measurement run(IntFunction<OpSource> workload, int clients, Duration warmup,
      Duration duration, long perClient) throws InterruptedException {
    boolean timed = perClient == Long.MAX_VALUE;
    CountDownLatch done = new CountDownLatch(clients);
    List<Client> all = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      HttpConnection connection =
          new HttpConnection(endpoint, group.next(), ssl, timeoutNanos);
      all.add(new Client(connection, endpoint, workload.apply(i), signer, payload, perClient,
          done::countDown));
    }
    long start = System.nanoTime();
    long warmupNanos = warmup.toNanos();
    long endNanos = warmupNanos + duration.toNanos();
    for (Client c : all) {
      EventLoop loop = c.connection().loop();
      boolean measureAtOnce = !timed || warmupNanos == 0;
      loop.execute(() -> {
        if (measureAtOnce) {
          c.markWindowStart();
        }
        c.start();
      });
      if (timed) {
        if (!measureAtOnce) {
          loop.schedule(c::markWindowStart, warmupNanos, TimeUnit.NANOSECONDS);
        }
        loop.schedule(c::markWindowEnd, endNanos, TimeUnit.NANOSECONDS);
      }
    }
    if (timed && !done.await(endNanos + timeoutNanos + TimeUnit.SECONDS.toNanos(5),
        TimeUnit.NANOSECONDS)) {
      // A request still hangs past its own timeout: cut it off (it fails, and the client stops).
      closeAll(all);
    }
    done.await();
    closeAll(all);
    long last = start;
    Map<OpType, OpStats> totals = new EnumMap<>(OpType.class);
    for (Client c : all) {
      last = Math.max(last, c.endNanos());
      for (OpType t : OpType.values()) {
        totals.computeIfAbsent(t, k -> new OpStats()).add(c.stats(t));
      }
    }
    double seconds = timed ? duration.toNanos() / 1e9 : (last - start) / 1e9;
    return new Measurement(totals, seconds, clients);
  }

  /** Closes every connection on its own loop and waits, so the stats are final afterwards. */
  private static void closeAll(List<Client> clients) throws InterruptedException {
    List<Future<?>> closing = new ArrayList<>(clients.size());
    for (Client c : clients) {
      closing.add(c.connection().loop().submit(c.connection()::close));
    }
    for (Future<?> f : closing) {
      f.await();
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
