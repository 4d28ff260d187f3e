package io.tarn.notifications.live;

import io.tarn.notifications.WebhookException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live tails of buckets' committed events: who watches which bucket, and the fan-out of each
 * message to them. Publishing is a map lookup when nobody watches the bucket, else one store into the
 * bucket's {@link LiveFeed} and a cheap signal per viewer, so it may run on the commit path (under a
 * key's lock). Viewers are capped per bucket, per user and overall, so tails cannot exhaust the
 * server's memory or connections; a watched bucket's feed holds at most {@link Limits#queue} messages,
 * however many watch it and however slowly they read. Thread-safe.
 */
public final class LiveEvents implements AutoCloseable {
  /**
   * @param perBucket viewers of one bucket at once
   * @param perUser tails one user has open at once (over all buckets)
   * @param total tails open on the server at once
   * @param queue messages a viewer may fall behind before it misses the oldest (a watched bucket's feed holds that many)
   */
  public record Limits(int perBucket, int perUser, int total, int queue) {
    public Limits {
      if (perBucket < 1 || perUser < 1 || total < 1 || queue < 2) {
        throw new IllegalArgumentException("live tail limits must be positive (queue at least 2)");
      }
    }

    /** 32 per bucket, 8 per user, 256 on the server, 1,000 messages (about 0.5 MiB at most per watched bucket). */
    public static Limits defaults() {
      return new Limits(32, 8, 256, 1000);
    }
  }

  private final Limits limits;
  private final ConcurrentHashMap<String, LiveFeed> byBucket = new ConcurrentHashMap<>();
  private final Map<String, Integer> perUser = new java.util.HashMap<>();
  private int total;
  private boolean closed;

  public LiveEvents(Limits limits) {
    this.limits = limits;
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Opens a tail of {@code bucket} for user {@code userId}; its first message says it is open.
   *
   * @throws WebhookException TOO_MANY when a cap is reached or the server is stopping
   */
  public synchronized LiveViewer open(String bucket, String userId) {
    if (closed) {
      throw new WebhookException(WebhookException.Kind.TOO_MANY, null, "the server is stopping");
    }
    LiveFeed feed = byBucket.get(bucket);
    if (feed != null && feed.viewers().size() >= limits.perBucket()) {
      throw tooMany(limits.perBucket() + " live tails of bucket " + bucket + " are open");
    }
    if (perUser.getOrDefault(userId, 0) >= limits.perUser()) {
      throw tooMany("you have " + limits.perUser() + " live tails open");
    }
    if (total >= limits.total()) {
      throw tooMany(limits.total() + " live tails are open on this server");
    }
    if (feed == null) {
      feed = new LiveFeed(limits.queue());
      byBucket.put(bucket, feed);
    }
    LiveViewer v = new LiveViewer(this, feed, bucket, userId);
    feed.viewers().add(v);
    perUser.merge(userId, 1, Integer::sum);
    total++;
    return v;
  }

  private static WebhookException tooMany(String what) {
    return new WebhookException(WebhookException.Kind.TOO_MANY, null, what + ": close one or try again later");
  }

  /** Whether anyone watches {@code bucket}: the commit path builds nothing when not. */
  public boolean watching(String bucket) {
    return byBucket.containsKey(bucket);
  }

  /** Hands {@code message} to every viewer of {@code bucket}; never blocks. */
  public void publish(String bucket, byte[] message) {
    LiveFeed feed = byBucket.get(bucket);
    if (feed != null) {
      feed.publish(message);
    }
  }

  /** Viewers of {@code bucket} now (tests and figures). */
  public List<LiveViewer> viewers(String bucket) {
    LiveFeed feed = byBucket.get(bucket);
    return feed == null ? List.of() : List.copyOf(feed.viewers());
  }

  synchronized void remove(LiveViewer v) {
    LiveFeed feed = byBucket.get(v.bucket());
    if (feed == null || !feed.viewers().remove(v)) {
      return;
    }
    if (feed.viewers().isEmpty()) {
      byBucket.remove(v.bucket());
    }
    perUser.computeIfPresent(v.userId(), (u, n) -> n == 1 ? null : n - 1);
    total--;
  }

  /** The server stops: every tail ends after what it has queued, and no new one opens. */
  @Override
  public synchronized void close() {
    closed = true;
    byBucket.values().forEach(feed -> feed.viewers().forEach(LiveViewer::finish));
  }
}
