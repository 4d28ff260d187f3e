package io.tarn.storage.objects;

import io.tarn.storage.DamagedBlob;
import io.tarn.storage.Integrity;
import io.tarn.storage.ScrubReport;
import io.tarn.storage.StorageException;
import io.tarn.storage.meta.MetaStore;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Integrity} of the store: the damage record, the object reader that verifies GETs, scrubs
 * on demand, and the background scrub: one low-priority thread that starts a full pass one
 * {@code interval} after the previous pass's start (remembered in {@code sys}, so restarts do not
 * restart the cycle) and reads at most {@code rate} bytes per second, so it never takes more than that
 * share of the disk from clients.
 */
public final class IntegrityService implements Integrity {
  private static final System.Logger LOG = System.getLogger(IntegrityService.class.getName());
  /** The start time (epoch millis) of the last complete background pass. */
  static final String LAST_PASS = "scrub.lastPassStart";

  private final StoreContext c;
  private final Damage damage;
  private final ObjectReader reader;
  private final Scrubber scrubber;
  private Thread background;

  public IntegrityService(StoreContext c) {
    this.c = c;
    this.damage = new Damage(c.meta(), c.clock());
    this.reader = new ObjectReader(c, damage);
    this.scrubber = new Scrubber(c, damage);
  }

  /** Opens objects for GET, verified if the store's options say so. */
  public ObjectReader reader() {
    return reader;
  }

  @Override
  public ScrubReport scrub(String bucket, long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("scrub rate must be 0 or more: " + bytesPerSecond);
    }
    try {
      return scrubber.pass(bucket, bytesPerSecond, "scrub");
    } catch (Scrubber.Stopped e) {
      throw new StorageException(StorageException.Kind.IO, "scrub stopped: the server is shutting down");
    }
  }

  @Override
  public List<DamagedBlob> damaged() {
    return damage.all();
  }

  @Override
  public long detections() {
    return damage.detections();
  }

  /**
   * Starts the background scrub.
   *
   * @param bytesPerSecond read rate; 0 or less: no background scrub
   * @param interval from the start of one pass to the start of the next (zero: back to back)
   */
  public synchronized void startBackground(long bytesPerSecond, Duration interval) {
    if (bytesPerSecond <= 0 || background != null) {
      return;
    }
    Thread t = new Thread(() -> loop(bytesPerSecond, interval), "tarn-scrub");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    background = t;
    t.start();
  }

  private void loop(long rate, Duration interval) {
    try {
      while (true) {
        byte[] last = c.meta().sys(LAST_PASS);
        long due = last == null ? 0 : ByteBuffer.wrap(last).getLong() + interval.toMillis();
        long wait = due - c.clock().millis();
        if (wait > 0) {
          // Wakes at least hourly: a wall clock set back does not postpone scrubbing for its whole step.
          TimeUnit.MILLISECONDS.sleep(Math.min(wait, TimeUnit.HOURS.toMillis(1)));
          continue;
        }
        long start = c.clock().millis();
        ScrubReport r = scrubber.pass(null, rate, "scrub");
        LOG.log(r.damaged().isEmpty() ? System.Logger.Level.INFO : System.Logger.Level.ERROR,
            "scrub pass done in " + r.took().toSeconds() + " s: " + r.blobs() + " blobs (" + r.bytes() + " bytes) of "
                + r.objects() + " objects and " + r.uploads() + " upload parts verified, " + r.inline() + " inline, "
                + r.damaged().size() + " damaged or missing");
        try (MetaStore.Batch b = c.meta().batch()) {
          b.putSys(LAST_PASS, ByteBuffer.allocate(8).putLong(start).array());
          c.meta().commitLazily(b, "record the scrub pass");
        }
        // At most one pass a second: with a zero interval, a store of a few small blobs (or none)
        // would otherwise be walked, logged and recorded in a tight loop.
        TimeUnit.MILLISECONDS.sleep(Math.max(0, 1000 - (c.clock().millis() - start)));
      }
    } catch (InterruptedException | Scrubber.Stopped e) {
      // The store is closing.
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "background scrub stopped", e);
    }
  }

  /** Stops scrubbing (passes end at their next blob) and waits for the background thread. */
  public void stop() {
    scrubber.stop();
    Thread t;
    synchronized (this) {
      t = background;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
