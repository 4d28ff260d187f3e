package io.tarn.server.metrics;

import io.tarn.console.TarnApi;
import io.tarn.console.metrics.MetricsApi;
import io.tarn.notifications.Notifications;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.BucketStats;
import io.tarn.storage.StorageException;
import io.tarn.storage.TarnStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Wires the metrics into the server, so {@code ServerCommand.call()} needs a line per step. */
public final class ServerMetrics {
  private ServerMetrics() {}

  /**
   * The metrics over {@code store} and {@code notifications}, with the store's fsync hook and the
   * notifications' attempt hook installed; empty when {@code --metrics false}.
   */
  public static Optional<TarnMetrics> start(MetricsOptions options, String version, Clock clock, Path data,
      TarnStore store, Notifications notifications) {
    if (!options.enabled()) {
      return Optional.empty();
    }
    java.nio.file.FileStore disk;
    try {
      disk = Files.getFileStore(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the file system of " + data, e);
    }
    TarnMetrics metrics = new TarnMetrics(version, clock, new TarnMetrics.Sources(
        new StorageMetrics.Sources(() -> bucketStats(store), store::metaFigures, disk),
        notifications::figures, notifications::backlog));
    store.onBlobSync(metrics.blobFsyncTimer());
    notifications.observeAttempts(metrics.webhookAttempts());
    return Optional.of(metrics);
  }

  /** {@code api} with {@code /_tarn/metrics} mounted, if metrics are on. */
  public static TarnApi mount(TarnApi api, Optional<TarnMetrics> metrics, MetricsOptions options, TarnStore store,
      Clock clock) {
    return metrics.map(m -> api.with(MetricsApi.PREFIX, new MetricsApi(store.identity(), clock, m, options.open())))
        .orElse(api);
  }

  private static List<BucketStats> bucketStats(TarnStore store) {
    List<BucketStats> out = new ArrayList<>();
    for (BucketInfo b : store.listBuckets()) {
      try {
        out.add(store.identity().stats(b.name()));
      } catch (StorageException e) {
        // Deleted since it was listed: not in this scrape.
      }
    }
    return out;
  }
}
