package io.tarn.console.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Slows down guessing of secrets at the console's sign-in. Failures are counted per client address
 * and per access key id (whether or not the key exists, so the answers do not tell); after
 * {@link #FREE_FAILURES} failures in a row, each further failure opens a window, 1 s doubling up to
 * 5 min, during which attempts are refused with 429 before any secret is compared. A success resets
 * its address's and its key's counts. Each table is capped (the entry changed longest ago goes
 * first) and forgets an entry an hour after its last failure. Thread-safe; time from the injected clock.
 */
public final class SignInThrottle {
  /** Failures in a row that cost nothing. */
  public static final int FREE_FAILURES = 5;
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofMinutes(5);
  static final Duration FORGET_AFTER = Duration.ofHours(1);
  /** Key ids are the client's choice: only this many characters of one are kept. */
  private static final int MAX_KEY_CHARS = 128;

  private final Clock clock;
  private final Table byAddress;
  private final Table byKey;

  /** @param capacity entries per table (addresses; key ids) */
  public SignInThrottle(Clock clock, int capacity) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.byAddress = new Table(capacity);
    this.byKey = new Table(capacity);
  }

  /** @return zero if an attempt may proceed, else how long until it may */
  public synchronized Duration wait(String address, String accessKeyId) {
    Instant now = clock.instant();
    Duration a = byAddress.wait(address, now);
    Duration k = byKey.wait(key(accessKeyId), now);
    return a.compareTo(k) >= 0 ? a : k;
  }

  public synchronized void failed(String address, String accessKeyId) {
    Instant now = clock.instant();
    byAddress.failed(address, now);
    byKey.failed(key(accessKeyId), now);
  }

  public synchronized void succeeded(String address, String accessKeyId) {
    byAddress.entries.remove(address);
    byKey.entries.remove(key(accessKeyId));
  }

  /** Entries held (both tables), for the bound's test. */
  synchronized int size() {
    return byAddress.entries.size() + byKey.entries.size();
  }

  private static String key(String accessKeyId) {
    String k = accessKeyId == null ? "" : accessKeyId;
    return k.length() > MAX_KEY_CHARS ? k.substring(0, MAX_KEY_CHARS) : k;
  }

  /** @param failures in a row @param last the last failure */
  private record Entry(int failures, Instant last) {
    Instant blockedUntil() {
      int over = failures - FREE_FAILURES;
      if (over < 0) {
        return Instant.MIN;
      }
      // 1 s, 2 s, 4 s ... capped at 5 min; the shift is bounded so it cannot overflow.
      long seconds = Math.min(MAX_DELAY.toSeconds(), FIRST_DELAY.toSeconds() << Math.min(over, 20));
      return last.plusSeconds(seconds);
    }
  }

  private static final class Table {
    private final int capacity;
    /** In order of last change (access order off: re-put on change), the first the stalest. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    Table(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be at least 1");
      }
      this.capacity = capacity;
    }

    Duration wait(String name, Instant now) {
      Entry e = current(name, now);
      if (e == null) {
        return Duration.ZERO;
      }
      Instant until = e.blockedUntil();
      return now.isBefore(until) ? Duration.between(now, until) : Duration.ZERO;
    }

    void failed(String name, Instant now) {
      Entry e = current(name, now);
      entries.remove(name);
      entries.put(name, new Entry(e == null ? 1 : e.failures() + 1, now));
      while (entries.size() > capacity) {
        Map.Entry<String, Entry> oldest = entries.entrySet().iterator().next();
        entries.remove(oldest.getKey());
      }
    }

    /** The entry, or null if there is none or it is forgotten. */
    private Entry current(String name, Instant now) {
      Entry e = entries.get(name);
      if (e != null && !now.isBefore(e.last().plus(FORGET_AFTER))) {
        entries.remove(name);
        return null;
      }
      return e;
    }
  }
}
