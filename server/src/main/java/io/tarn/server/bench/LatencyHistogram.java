package io.tarn.server.bench;

/**
 * A log-linear histogram of non-negative longs (latencies in nanoseconds), in the manner of
 * HdrHistogram but a page long: every power of two is split into {@value #SUB_BUCKETS} equal
 * buckets, so a recorded value is known to within 1/{@value #SUB_BUCKETS} (under 1%) of itself,
 * whatever its magnitude, in a fixed 57 KiB. Values below {@value #SUB_BUCKETS} are exact.
 *
 * <p>Not thread-safe: each client records into its own and the results are {@link #add merged}.
 */
public final class LatencyHistogram {
  private static final int SUB_BITS = 7;
  static final int SUB_BUCKETS = 1 << SUB_BITS;
  private static final int BUCKETS = (64 - SUB_BITS) * SUB_BUCKETS;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long min = Long.MAX_VALUE;
  private long max;
  private double sum;

  public void record(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative value: " + value);
    }
    counts[index(value)]++;
    total++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }

  /** Adds every value recorded in {@code other} to this one. */
  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  public long count() {
    return total;
  }

  /** The smallest value recorded, or 0 if none. */
  public long min() {
    return total == 0 ? 0 : min;
  }

  /** The largest value recorded, or 0 if none. */
  public long max() {
    return max;
  }

  public double mean() {
    return total == 0 ? 0 : sum / total;
  }

  /**
   * The value at or below which {@code percentile} percent of the recorded values lie (nearest
   * rank), given as the highest value of its bucket but never beyond the recorded min and max;
   * 0 if nothing was recorded.
   */
  public long percentile(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile out of [0, 100]: " + percentile);
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percentile / 100 * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.max(min, Math.min(max, highestInBucket(i)));
      }
    }
    return max;
  }

  static int index(long value) {
    if (value < SUB_BUCKETS) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value);
    int shift = exponent - SUB_BITS;
    int mantissa = (int) (value >>> shift);
    return (shift + 1) * SUB_BUCKETS + (mantissa - SUB_BUCKETS);
  }

  static long highestInBucket(int index) {
    if (index < SUB_BUCKETS) {
      return index;
    }
    int shift = index / SUB_BUCKETS - 1;
    long mantissa = SUB_BUCKETS + index % SUB_BUCKETS;
    long lowest = mantissa << shift;
    return lowest + ((1L << shift) - 1);
  }
}
