package io.tarn.notifications;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tarn.notifications.delivery.SendRequest;
import io.tarn.notifications.delivery.SendResult;
import io.tarn.notifications.delivery.Sender;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted {@link Sender}: records every request with the clock's time, answers from a script
 * (then 200), or holds the answers back until the test completes them; tracks concurrency.
 */
final class FakeSender implements Sender {
  static final SendResult OK = new SendResult.Response(200, 3, "");

  /** One request. */
  record Call(SendRequest request, long clockMillis, CompletableFuture<SendResult> future, String host) {
    String header(String name) {
      return request.headers().get(name);
    }

    String body() {
      return new String(request.body(), StandardCharsets.UTF_8);
    }
  }

  private final Clock clock;
  private final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  final List<Call> all = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<SendResult> script = new ConcurrentLinkedDeque<>();
  volatile boolean hold;
  volatile boolean closed;
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  final Map<String, AtomicInteger> hostInFlight = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> hostMax = new ConcurrentHashMap<>();
  /** Delivery ids in flight now: a second concurrent attempt of one is recorded here. */
  final Map<String, Boolean> active = new ConcurrentHashMap<>();
  final AtomicInteger duplicatesInFlight = new AtomicInteger();

  FakeSender(Clock clock) {
    this.clock = clock;
  }

  /** The next answers, in order; afterwards 200. */
  void respond(SendResult... results) {
    script.addAll(List.of(results));
  }

  @Override
  public CompletableFuture<SendResult> send(SendRequest request) {
    String host = request.url().getHost();
    Call call = new Call(request, clock.millis(), new CompletableFuture<>(), host);
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    int h = hostInFlight.computeIfAbsent(host, k -> new AtomicInteger()).incrementAndGet();
    hostMax.computeIfAbsent(host, k -> new AtomicInteger()).accumulateAndGet(h, Math::max);
    if (active.put(call.header("X-Tarn-Delivery"), true) != null) {
      duplicatesInFlight.incrementAndGet();
    }
    all.add(call);
    calls.add(call);
    if (!hold) {
      SendResult r = script.poll();
      complete(call, r == null ? OK : r);
    }
    return call.future();
  }

  void complete(Call call, SendResult result) {
    active.remove(call.header("X-Tarn-Delivery"));
    hostInFlight.get(call.host()).decrementAndGet();
    inFlight.decrementAndGet();
    call.future().complete(result);
  }

  /** The next request, waiting up to 5 s. */
  Call take() {
    try {
      Call c = calls.poll(5, TimeUnit.SECONDS);
      assertNotNull(c, "expected a webhook request");
      return c;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Asserts that no request arrives within {@code millis}. */
  void assertNoCall(long millis) {
    try {
      Call c = calls.poll(millis, TimeUnit.MILLISECONDS);
      assertNull(c, () -> "unexpected webhook request " + c.request().headers());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  int waiting() {
    return calls.size();
  }

  @Override
  public void close() {
    closed = true;
  }
}
