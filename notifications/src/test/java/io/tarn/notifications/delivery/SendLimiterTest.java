package io.tarn.notifications.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendLimiterTest {
  private final List<String> started = new ArrayList<>();
  private final List<String> aborted = new ArrayList<>();
  private final Map<String, Runnable> releases = new LinkedHashMap<>();

  private void submit(SendLimiter limiter, String host, String name) {
    limiter.submit(host, new SendLimiter.Waiter(release -> {
      started.add(name);
      releases.put(name, release);
    }, () -> aborted.add(name)));
  }

  @Test
  void perHostBoundQueuesTheRestAndStartsThemOnRelease() {
    SendLimiter limiter = new SendLimiter(10, 2);
    for (int i = 1; i <= 5; i++) {
      submit(limiter, "a:80", "a" + i);
    }
    assertEquals(List.of("a1", "a2"), started);
    assertEquals(2, limiter.active());
    assertEquals(3, limiter.waiting());
    releases.get("a1").run();
    assertEquals(List.of("a1", "a2", "a3"), started);
    releases.get("a1").run(); // a second release of the same permit is ignored
    assertEquals(List.of("a1", "a2", "a3"), started);
    assertEquals(2, limiter.active());
  }

  @Test
  void otherHostsAreNotHeldUpByABusyOne() {
    SendLimiter limiter = new SendLimiter(10, 1);
    submit(limiter, "slow:80", "s1");
    submit(limiter, "slow:80", "s2");
    submit(limiter, "fast:80", "f1");
    assertEquals(List.of("s1", "f1"), started);
  }

  @Test
  void totalBoundIsSharedRoundRobinAcrossHosts() {
    SendLimiter limiter = new SendLimiter(2, 8);
    for (int i = 1; i <= 4; i++) {
      submit(limiter, "a:80", "a" + i);
    }
    submit(limiter, "b:80", "b1");
    submit(limiter, "b:80", "b2");
    assertEquals(List.of("a1", "a2"), started);
    // A backlog on a does not make b wait for all of it: freed permits alternate between hosts.
    for (String done : List.of("a1", "a2", "a3", "b1")) {
      releases.get(done).run();
    }
    assertEquals(List.of("a1", "a2", "a3", "b1", "a4", "b2"), started);
    assertEquals(2, limiter.active());
    assertEquals(0, limiter.waiting());
  }

  @Test
  void closeAbortsWaitersAndRefusesNewOnes() {
    SendLimiter limiter = new SendLimiter(1, 1);
    submit(limiter, "a:80", "a1");
    submit(limiter, "a:80", "a2");
    limiter.close();
    assertEquals(List.of("a2"), aborted);
    submit(limiter, "a:80", "a3");
    assertEquals(List.of("a2", "a3"), aborted);
    releases.get("a1").run();
    assertEquals(List.of("a1"), started);
  }

  @Test
  void aStartThatThrowsGivesItsPermitBack() {
    SendLimiter limiter = new SendLimiter(1, 1);
    limiter.submit("a:80", new SendLimiter.Waiter(release -> {
      throw new IllegalStateException("boom");
    }, () -> {}));
    submit(limiter, "a:80", "a2");
    assertEquals(List.of("a2"), started);
  }
}
