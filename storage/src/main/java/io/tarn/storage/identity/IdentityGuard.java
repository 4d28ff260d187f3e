package io.tarn.storage.identity;

import io.tarn.storage.ResolvedKey;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * How identity operations run: every one inside the store's lifecycle guard (nothing runs on a
 * closed store); mutations, rare admin operations, serialised on one lock, which keeps
 * read-check-write sequences (unique names, bucket reassignment) simple. Lock order: lifecycle, this
 * lock, bucket locks; bucket operations never take this lock. Reads take no lock.
 *
 * <p>It also keeps the cache of {@link AccessKeys#resolve}, which runs once per request. A cached
 * entry carries the mutation generation read before its records were read; every mutation bumps the
 * generation after its commit, so an entry read before a commit is never served after it, even if
 * its reader stores it late.
 */
public final class IdentityGuard {
  /** The store's lifecycle guard ({@code TarnStore.run}); public for TarnStore, the rest of this class is not. */
  public interface Lifecycle {
    <T> T run(Supplier<T> op);
  }

  private record Cached(long generation, ResolvedKey key) {}

  private final Lifecycle lifecycle;
  /** Runs after each mutation that returned, under the mutation lock: rewrites the identity mirror. */
  private final Runnable afterMutation;
  private final ReentrantLock mutations = new ReentrantLock();
  private final AtomicLong generation = new AtomicLong();
  private final ConcurrentHashMap<String, Cached> resolved = new ConcurrentHashMap<>();

  IdentityGuard(Lifecycle lifecycle, Runnable afterMutation) {
    this.lifecycle = lifecycle;
    this.afterMutation = afterMutation;
  }

  <T> T read(Supplier<T> op) {
    return lifecycle.run(op);
  }

  <T> T mutate(Supplier<T> op) {
    return lifecycle.run(() -> {
      mutations.lock();
      try {
        T result = op.get();
        afterMutation.run();
        return result;
      } finally {
        // After the commit, so no reader that read before it can have its entry served (class comment).
        generation.incrementAndGet();
        resolved.clear();
        mutations.unlock();
      }
    });
  }

  void mutateVoid(Runnable op) {
    mutate(() -> {
      op.run();
      return null;
    });
  }

  /** The generation to read a cache entry's records under: read it before reading them. */
  long generation() {
    return generation.get();
  }

  /** The cached resolution of {@code accessKeyId} if it was read under {@code gen}, else null. */
  ResolvedKey cached(String accessKeyId, long gen) {
    Cached hit = resolved.get(accessKeyId);
    return hit != null && hit.generation() == gen ? hit.key() : null;
  }

  void cache(String accessKeyId, long gen, ResolvedKey key) {
    resolved.put(accessKeyId, new Cached(gen, key));
  }
}
