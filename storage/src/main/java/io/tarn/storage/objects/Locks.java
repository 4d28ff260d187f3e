package io.tarn.storage.objects;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Striped locks. Acquisition order, to rule out deadlock: bucket, then upload, then one key or part
 * stripe. Nothing holds two different stripes of the same array at once (re-entering the bucket
 * lock it already holds is fine: the locks are reentrant), except {@link #bucketsShared}, which takes
 * several bucket stripes in ascending stripe order and nothing else after them.
 *
 * <ul>
 *   <li>bucket (read/write): object and upload mutations share it; create and delete bucket take it
 *       exclusively, so a bucket cannot vanish under a commit.
 *   <li>upload (read/write): part uploads share it; complete and abort take it exclusively, so no
 *       part is committed into an upload that is being completed.
 *   <li>key: read-check-write of one object key (conditions, the replaced body, its sequencer).
 *   <li>part: replacing one part number of one upload.
 * </ul>
 *
 * Shared acquisitions do not serialise writers, so concurrent commits still group into one WAL sync.
 */
public final class Locks {
  /** A held lock; closing releases it. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  private static final int KEY_STRIPES = 1024;
  private static final int PART_STRIPES = 256;
  private static final int BUCKET_STRIPES = 64;
  private static final int UPLOAD_STRIPES = 256;

  private final ReentrantLock[] keys = newLocks(KEY_STRIPES);
  private final ReentrantLock[] parts = newLocks(PART_STRIPES);
  private final ReentrantReadWriteLock[] buckets = newRwLocks(BUCKET_STRIPES);
  private final ReentrantReadWriteLock[] uploads = newRwLocks(UPLOAD_STRIPES);

  private static ReentrantLock[] newLocks(int n) {
    ReentrantLock[] a = new ReentrantLock[n];
    for (int i = 0; i < n; i++) {
      a[i] = new ReentrantLock();
    }
    return a;
  }

  private static ReentrantReadWriteLock[] newRwLocks(int n) {
    ReentrantReadWriteLock[] a = new ReentrantReadWriteLock[n];
    for (int i = 0; i < n; i++) {
      a[i] = new ReentrantReadWriteLock();
    }
    return a;
  }

  /** Spreads a hash over a power-of-two number of stripes. */
  private static int stripe(int hash, int stripes) {
    int h = hash * 0x9E3779B9;
    return (h ^ (h >>> 16)) & (stripes - 1);
  }

  private static Held hold(Lock lock) {
    lock.lock();
    return lock::unlock;
  }

  Held key(String bucket, String key) {
    return hold(keys[stripe(bucket.hashCode() * 31 + key.hashCode(), KEY_STRIPES)]);
  }

  Held part(String uploadId, int partNumber) {
    return hold(parts[stripe(uploadId.hashCode() * 31 + partNumber, PART_STRIPES)]);
  }

  public Held bucketShared(String bucket) {
    return hold(buckets[stripe(bucket.hashCode(), BUCKET_STRIPES)].readLock());
  }

  Held bucketExclusive(String bucket) {
    return hold(buckets[stripe(bucket.hashCode(), BUCKET_STRIPES)].writeLock());
  }

  /**
   * Shared locks on several buckets at once (reassigning a user's buckets in one batch). Stripes are
   * taken in ascending order, each once; as every other holder of a bucket stripe holds just that
   * one, no cycle can form.
   */
  public Held bucketsShared(Collection<String> names) {
    TreeSet<Integer> stripes = new TreeSet<>();
    for (String name : names) {
      stripes.add(stripe(name.hashCode(), BUCKET_STRIPES));
    }
    List<Lock> held = new ArrayList<>(stripes.size());
    for (int s : stripes) {
      Lock l = buckets[s].readLock();
      l.lock();
      held.add(l);
    }
    return () -> {
      for (int i = held.size() - 1; i >= 0; i--) {
        held.get(i).unlock();
      }
    };
  }

  Held uploadShared(String uploadId) {
    return hold(uploads[stripe(uploadId.hashCode(), UPLOAD_STRIPES)].readLock());
  }

  Held uploadExclusive(String uploadId) {
    return hold(uploads[stripe(uploadId.hashCode(), UPLOAD_STRIPES)].writeLock());
  }
}
