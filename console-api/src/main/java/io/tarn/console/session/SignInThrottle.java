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
 * 5 min, during which attempts are refused with 429 before any secret is compared.
 *
 * <p>Key ids are not secret (every share link carries one), so the per-key count alone would let anyone
 * keep a key's owner out by failing sign-ins with its id. An attempt that presents a trusted device
 * (a valid {@link DeviceCookies device cookie} issued for the same key id) is therefore not held by
 * the key's count, and its failures are counted for the device instead: after {@link #FREE_FAILURES}
 * of them the device is no longer trusted (the key's rule applies to it, and its failures count for
 * the key again) until it is forgotten. The address's count applies to every attempt.
 *
 * <p>A success resets its address's count and its device's; it resets the key's count only when it
 * came without a trusted device (an owner signing in through the device says nothing about who is
 * failing without one, and must not reopen the key to them). Each table is capped (the entry changed
 * longest ago goes first) and forgets an entry an hour after its last failure. Thread-safe; time from
 * the injected clock.
 */
public final class SignInThrottle {
  /** Failures in a row that cost nothing; also the failures a trusted device may have. */
  public static final int FREE_FAILURES = 5;
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofMinutes(5);
  static final Duration FORGET_AFTER = Duration.ofHours(1);
  /** Key ids are the client's choice: only this many characters of one are kept. */
  private static final int MAX_KEY_CHARS = 128;

  private final Clock clock;
  private final Table byAddress;
  private final Table byKey;
  private final Table byDevice;

  /** @param capacity entries per table (addresses; key ids; devices) */
  public SignInThrottle(Clock clock, int capacity) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.byAddress = new Table(capacity);
    this.byKey = new Table(capacity);
    this.byDevice = new Table(capacity);
  }

  /** {@link #wait(String, String, String)} without a device. */
  public synchronized Duration wait(String address, String accessKeyId) {
    return wait(address, accessKeyId, null);
  }

  /**
   * @param device the nonce of a verified device cookie issued for {@code accessKeyId}, or null
   * @return zero if an attempt may proceed, else how long until it may
   */
  public synchronized Duration wait(String address, String accessKeyId, String device) {
    Instant now = clock.instant();
    Duration a = byAddress.wait(address, now);
    Duration k = trusted(device, now) ? Duration.ZERO : byKey.wait(key(accessKeyId), now);
    return a.compareTo(k) >= 0 ? a : k;
  }

  public synchronized void failed(String address, String accessKeyId) {
    failed(address, accessKeyId, null);
  }

  /** @param device as for {@link #wait(String, String, String)} */
  public synchronized void failed(String address, String accessKeyId, String device) {
    Instant now = clock.instant();
    byAddress.failed(address, now);
    boolean trusted = trusted(device, now);
    if (device != null) {
      // Counted for an untrusted device too: it stays untrusted an hour after its last failure.
      byDevice.failed(key(device), now);
    }
    if (!trusted) {
      byKey.failed(key(accessKeyId), now);
    }
  }

  public synchronized void succeeded(String address, String accessKeyId) {
    succeeded(address, accessKeyId, null);
  }

  /** @param device as for {@link #wait(String, String, String)} */
  public synchronized void succeeded(String address, String accessKeyId, String device) {
    boolean trusted = trusted(device, clock.instant());
    byAddress.entries.remove(address);
    if (device != null) {
      byDevice.entries.remove(key(device));
    }
    if (!trusted) {
      byKey.entries.remove(key(accessKeyId));
    }
  }

  /** Entries held (all tables), for the bound's test. */
  synchronized int size() {
    return byAddress.entries.size() + byKey.entries.size() + byDevice.entries.size();
  }

  /** Whether {@code device} (null: none) may pass the key's count: fewer than the free failures. */
  private boolean trusted(String device, Instant now) {
    return device != null && byDevice.failures(key(device), now) < FREE_FAILURES;
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

    /** Failures in a row of {@code name} not yet forgotten. */
    int failures(String name, Instant now) {
      Entry e = current(name, now);
      return e == null ? 0 : e.failures();
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
