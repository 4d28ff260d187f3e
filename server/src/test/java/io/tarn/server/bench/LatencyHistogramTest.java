package io.tarn.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  /** A bucket's highest value is within this fraction above any value in it. */
  private static final double PRECISION = 1.0 / LatencyHistogram.SUB_BUCKETS;

  @Test
  void emptyHistogramReportsZeros() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.count());
    assertEquals(0, h.percentile(50));
    assertEquals(0, h.percentile(99));
    assertEquals(0, h.min());
    assertEquals(0, h.max());
    assertEquals(0.0, h.mean());
  }

  @Test
  void smallValuesAreExact() {
    LatencyHistogram h = new LatencyHistogram();
    for (int v = 1; v <= 100; v++) {
      h.record(v);
    }
    assertEquals(50, h.percentile(50));
    assertEquals(99, h.percentile(99));
    assertEquals(100, h.percentile(100));
    assertEquals(1, h.percentile(0));
    assertEquals(1, h.min());
    assertEquals(100, h.max());
    assertEquals(50.5, h.mean(), 1e-9);
  }

  @Test
  void singleValueIsReportedExactlyAtEveryPercentile() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(1_234_567);
    for (double p : new double[] {0, 1, 50, 99, 99.9, 100}) {
      assertEquals(1_234_567, h.percentile(p), "p" + p);
    }
  }

  @Test
  void percentilesOfRandomValuesAreWithinPrecision() {
    SplittableRandom random = new SplittableRandom(3);
    long[] values = new long[100_000];
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < values.length; i++) {
      // Log-uniform from 1 microsecond to 10 seconds, as latencies spread.
      values[i] = (long) Math.pow(10, 3 + 7 * random.nextDouble());
      h.record(values[i]);
    }
    Arrays.sort(values);
    for (double p : new double[] {1, 10, 50, 90, 99, 99.9}) {
      long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
      long reported = h.percentile(p);
      assertTrue(reported >= exact && reported <= exact + exact * PRECISION + 1,
          "p" + p + ": exact " + exact + ", reported " + reported);
    }
    assertEquals(values[0], h.min());
    assertEquals(values[values.length - 1], h.max());
    assertEquals(values[values.length - 1], h.percentile(100));
  }

  @Test
  void everyValueLandsInABucketWhoseTopIsNotBelowIt() {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 100_000; i++) {
      long v = random.nextLong(Long.MAX_VALUE) >>> random.nextInt(63);
      long top = LatencyHistogram.highestInBucket(LatencyHistogram.index(v));
      assertTrue(top >= v && top - v <= v * PRECISION, v + " -> " + top);
    }
    long max = Long.MAX_VALUE;
    assertEquals(max, LatencyHistogram.highestInBucket(LatencyHistogram.index(max)));
  }

  @Test
  void bucketIndexesGrowWithValues() {
    int previous = -1;
    for (long v = 0; v < 1 << 20; v++) {
      int index = LatencyHistogram.index(v);
      assertTrue(index == previous || index == previous + 1, "gap at " + v);
      previous = index;
    }
  }

  @Test
  void mergedHistogramEqualsOneThatSawEverything() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    LatencyHistogram all = new LatencyHistogram();
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < 10_000; i++) {
      long v = random.nextLong(1_000, 1_000_000_000);
      (i % 3 == 0 ? a : b).record(v);
      all.record(v);
    }
    a.add(b);
    assertEquals(all.count(), a.count());
    assertEquals(all.min(), a.min());
    assertEquals(all.max(), a.max());
    assertEquals(all.mean(), a.mean(), 1e-6);
    for (double p : new double[] {0, 25, 50, 75, 99, 100}) {
      assertEquals(all.percentile(p), a.percentile(p), "p" + p);
    }
  }

  @Test
  void mergingAnEmptyHistogramChangesNothing() {
    LatencyHistogram a = new LatencyHistogram();
    a.record(500);
    a.record(700);
    a.add(new LatencyHistogram());
    assertEquals(2, a.count());
    assertEquals(500, a.min());
    assertEquals(700, a.max());
  }

  @Test
  void refusesNegativeValuesAndBadPercentiles() {
    LatencyHistogram h = new LatencyHistogram();
    assertThrows(IllegalArgumentException.class, () -> h.record(-1));
    assertThrows(IllegalArgumentException.class, () -> h.percentile(-0.1));
    assertThrows(IllegalArgumentException.class, () -> h.percentile(100.1));
    assertThrows(IllegalArgumentException.class, () -> h.percentile(Double.NaN));
  }
}
