package io.tarn.console.session;

import io.tarn.core.Hex;
import io.tarn.core.Ids;
import io.tarn.core.Principal;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.ResolvedKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The console's sessions, in memory only: they end when the server restarts (the browser signs in
 * again), and nothing about them reaches the disk. A session's id is 32 random bytes from
 * {@link Ids#randomBytes} (SecureRandom), sent once as the cookie (base64url); the table keeps only its SHA-256.
 *
 * <p>Every use re-checks the session's timeouts and, through the identity store (the lookup the S3
 * front end's SigV4 check uses), that its access key still exists, is enabled and unexpired and
 * belongs to an enabled user: a key disabled in another tab ends the session at its next request.
 * Bounded: at most {@link SessionOptions#maxPerUser()} live sessions per user and
 * {@link SessionOptions#maxTotal()} in all (the oldest end first); ended ones are swept. Thread-safe.
 */
public final class SessionStore {
  private static final int ID_BYTES = 32;
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  /** A new session and the cookie value that names it (returned once, never stored). */
  public record Issued(String cookieValue, Session session) {
    @Override
    public String toString() {
      return "Issued[" + session + "]";
    }
  }

  /** A session that passed every check, and the principal a SigV4 request with its key would get. */
  public record Live(Session session, Principal principal) {}

  private final IdentityStore identity;
  private final Clock clock;
  private final SessionOptions options;
  /** By id hash, in creation order (the first is the oldest). Guarded by this. */
  private final LinkedHashMap<String, Session> byHash = new LinkedHashMap<>();
  /** Each user's id hashes, oldest first. Guarded by this. */
  private final Map<String, ArrayDeque<String>> byUser = new HashMap<>();
  private Instant nextSweep = Instant.MIN;

  public SessionStore(IdentityStore identity, Clock clock, SessionOptions options) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
  }

  public SessionOptions options() {
    return options;
  }

  /** Starts a session for a key whose secret the caller has just verified. */
  public Issued create(String userId, String accessKeyId) {
    byte[] id = Ids.randomBytes(ID_BYTES);
    String csrf = B64URL.encodeToString(Ids.randomBytes(ID_BYTES));
    Instant now = clock.instant();
    Session s = new Session(Hex.encode(sha256(id)), userId, accessKeyId, csrf, now, now.plus(options.lifetime()), now);
    synchronized (this) {
      sweep(now);
      byHash.put(s.idHash(), s);
      ArrayDeque<String> mine = byUser.computeIfAbsent(userId, u -> new ArrayDeque<>());
      mine.addLast(s.idHash());
      while (mine.size() > options.maxPerUser()) {
        byHash.remove(mine.removeFirst());
      }
      while (byHash.size() > options.maxTotal()) {
        remove(byHash.keySet().iterator().next());
      }
    }
    return new Issued(B64URL.encodeToString(id), s);
  }

  /**
   * The live session a cookie value names, marked as used now; empty if there is none. A session
   * found dead (timed out, its key or user no longer usable) is ended here.
   */
  public Optional<Live> resolve(String cookieValue) {
    String hash = hashOf(cookieValue);
    if (hash == null) {
      return Optional.empty();
    }
    Session s;
    synchronized (this) {
      s = byHash.get(hash);
    }
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!alive(s, now)) {
      end(hash);
      return Optional.empty();
    }
    // Outside the lock: the identity store may read RocksDB. Its cache is invalidated by every
    // identity change, so a key disabled a moment ago is seen here.
    Optional<ResolvedKey> key = identity.resolve(s.accessKeyId());
    if (key.isEmpty() || !key.get().usableAt(now) || !key.get().user().id().equals(s.userId())) {
      end(hash);
      return Optional.empty();
    }
    Session seen = s.seenAt(now);
    synchronized (this) {
      if (byHash.replace(hash, seen) == null) {
        return Optional.empty(); // signed out meanwhile
      }
    }
    return Optional.of(new Live(seen, key.get().principal()));
  }

  /**
   * Whether session {@code s} is still live (not ended, not timed out, its key and user still usable),
   * without marking it used: a stream that stays open must not keep its session alive by itself.
   */
  public boolean isLive(Session s) {
    Session cur;
    synchronized (this) {
      cur = byHash.get(s.idHash());
    }
    Instant now = clock.instant();
    if (cur == null || !alive(cur, now)) {
      return false;
    }
    Optional<ResolvedKey> key = identity.resolve(cur.accessKeyId());
    return key.isPresent() && key.get().usableAt(now) && key.get().user().id().equals(cur.userId());
  }

  /** Ends a session (sign-out); whether it was still live. */
  public boolean end(Session s) {
    return end(s.idHash());
  }

  private synchronized boolean end(String hash) {
    return remove(hash) != null;
  }

  /** Ends every session of {@code userId} ("sign out everywhere"); how many there were. */
  public synchronized int endAll(String userId) {
    ArrayDeque<String> mine = byUser.remove(userId);
    if (mine == null) {
      return 0;
    }
    int n = 0;
    for (String h : mine) {
      n += byHash.remove(h) != null ? 1 : 0;
    }
    return n;
  }

  /** Live sessions in the table (ended ones may linger until the next sweep). */
  public synchronized int size() {
    return byHash.size();
  }

  private boolean alive(Session s, Instant now) {
    return now.isBefore(s.expires()) && now.isBefore(s.lastSeen().plus(options.idleTimeout()));
  }

  private Session remove(String hash) {
    Session s = byHash.remove(hash);
    if (s != null) {
      ArrayDeque<String> mine = byUser.get(s.userId());
      if (mine != null) {
        mine.remove(hash);
        if (mine.isEmpty()) {
          byUser.remove(s.userId());
        }
      }
    }
    return s;
  }

  /** Drops timed-out sessions, at most once a minute (the caps bound the table meanwhile). Holds the lock. */
  private void sweep(Instant now) {
    if (now.isBefore(nextSweep)) {
      return;
    }
    nextSweep = now.plus(SWEEP_EVERY);
    for (Session s : new ArrayList<>(byHash.values())) {
      if (!alive(s, now)) {
        remove(s.idHash());
      }
    }
  }


  /** The hash of a well-formed cookie value (43 base64url characters), else null. */
  static String hashOf(String cookieValue) {
    if (cookieValue == null || cookieValue.length() != 43) {
      return null;
    }
    try {
      return Hex.encode(sha256(Base64.getUrlDecoder().decode(cookieValue.getBytes(StandardCharsets.US_ASCII))));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static byte[] sha256(byte[] data) {
    return ChecksumAlgorithm.SHA256.digest(data);
  }
}
