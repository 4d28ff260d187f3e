package io.tarn.console.admin;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Facts about the running server that {@code GET /info} reports.
 *
 * @param version the server's version
 * @param started when it started (for the uptime)
 * @param dataDir its data directory (for disk free/total)
 * @param notificationBacklog webhook deliveries waiting to be sent, or null when the server has no
 *     notifications (then {@code info} leaves the field out)
 */
public record ServerInfo(String version, Instant started, Path dataDir, LongSupplier notificationBacklog) {
  public ServerInfo {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(dataDir, "dataDir");
  }

  public ServerInfo(String version, Instant started, Path dataDir) {
    this(version, started, dataDir, null);
  }
}
