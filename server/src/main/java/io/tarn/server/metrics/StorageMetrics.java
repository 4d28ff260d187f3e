package io.tarn.server.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tarn.storage.BucketStats;
import io.tarn.storage.MetaFigures;
import java.io.IOException;
import java.nio.file.FileStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The store's families: objects and bytes per bucket, the data directory's disk, RocksDB's
 * compaction and memory figures, and the blob fsync latency. Everything but the fsync histogram is
 * read when scraped: the per-bucket figures are the {@code usage} counters (one O(1) read per
 * bucket), RocksDB's are properties it keeps, the disk's a {@code statvfs}.
 *
 * <p><b>Cardinality.</b> At most {@link #MAX_BUCKET_LABELS} buckets get a series of their own (the
 * first by name); the others are summed into {@code bucket="_other"}, so a store with a million
 * buckets still exports a bounded number of series and {@code sum(...)} is still the store's total.
 */
final class StorageMetrics implements MultiCollector {
  static final int MAX_BUCKET_LABELS = 100;
  static final String OTHER = "_other";
  /** From 100 µs (a write-back cache) to 2.5 s (a disk that is failing or saturated). */
  static final double[] FSYNC_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
      0.25, 0.5, 1, 2.5};

  /** What the store offers, read at each scrape. */
  record Sources(Supplier<List<BucketStats>> buckets, Supplier<MetaFigures> meta, FileStore disk) {}

  private final Sources sources;
  private final DistributionDataPoint fsync;

  StorageMetrics(PrometheusRegistry registry, Sources sources) {
    this.sources = sources;
    this.fsync = Histogram.builder().name("tarn_blob_fsync_seconds")
        .help("Time an fsync of a new blob file (an object or part body) took, before its commit.")
        .classicOnly().classicUpperBounds(FSYNC_BUCKETS).withoutExemplars().register(registry);
    registry.register(this);
  }

  /** The store's fsync hook ({@code TarnStore.onBlobSync}): nanoseconds in, no allocation. */
  LongConsumer fsyncTimer() {
    return nanos -> fsync.observe(nanos / 1e9);
  }

  @Override
  public MetricSnapshots collect() {
    List<MetricSnapshot> out = new ArrayList<>();
    List<BucketStats> stats = new ArrayList<>(sources.buckets().get());
    stats.sort(Comparator.comparing(BucketStats::bucket));
    GaugeSnapshot.Builder objects = gauge("tarn_storage_objects",
        "Objects stored (current versions), by bucket; buckets past the first 100 by name are summed as _other.");
    GaugeSnapshot.Builder bytes = gauge("tarn_storage_bytes",
        "Bytes of object data stored, by bucket; buckets past the first 100 by name are summed as _other.");
    long otherObjects = 0;
    long otherBytes = 0;
    for (int i = 0; i < stats.size(); i++) {
      BucketStats s = stats.get(i);
      if (i < MAX_BUCKET_LABELS) {
        objects.dataPoint(point(s.objects(), "bucket", s.bucket()));
        bytes.dataPoint(point(s.bytes(), "bucket", s.bucket()));
      } else {
        otherObjects += s.objects();
        otherBytes += s.bytes();
      }
    }
    if (stats.size() > MAX_BUCKET_LABELS) {
      objects.dataPoint(point(otherObjects, "bucket", OTHER));
      bytes.dataPoint(point(otherBytes, "bucket", OTHER));
    }
    out.add(objects.build());
    out.add(bytes.build());
    out.add(single("tarn_storage_buckets", "Buckets.", stats.size()));
    try {
      out.add(single("tarn_disk_free_bytes",
          "Bytes free for Tarn on the data directory's file system (what a write can use).",
          sources.disk().getUsableSpace()));
      out.add(single("tarn_disk_total_bytes", "Size of the data directory's file system.",
          sources.disk().getTotalSpace()));
    } catch (IOException e) {
      // Left out of this scrape: an absent series is what an alert on absent() looks for.
    }
    MetaFigures m;
    try {
      m = sources.meta().get();
    } catch (RuntimeException e) {
      // The metadata store is closed (a reopen after a full disk failed): the scrape goes on without
      // these series, since a full disk is exactly when the others are wanted.
      return new MetricSnapshots(out);
    }
    out.add(single("tarn_rocksdb_pending_compaction_bytes",
        "Bytes RocksDB estimates compaction still has to rewrite (rocksdb.estimate-pending-compaction-bytes).",
        m.pendingCompactionBytes()));
    out.add(single("tarn_rocksdb_running_compactions", "Compactions running now (rocksdb.num-running-compactions).",
        m.runningCompactions()));
    out.add(single("tarn_rocksdb_live_sst_bytes", "Size of the SST files in use (rocksdb.live-sst-files-size).",
        m.liveSstBytes()));
    out.add(single("tarn_rocksdb_memtable_bytes", "Size of all memtables (rocksdb.cur-size-all-mem-tables).",
        m.memtableBytes()));
    return new MetricSnapshots(out);
  }


  static GaugeSnapshot.Builder gauge(String name, String help) {
    return GaugeSnapshot.builder().name(name).help(help);
  }

  static GaugeDataPointSnapshot point(double value, String... labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
  }

  static GaugeSnapshot single(String name, String help, double value) {
    return gauge(name, help).dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
  }
}
