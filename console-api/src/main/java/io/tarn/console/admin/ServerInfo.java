package io.tarn.console.admin;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * Facts about the running server that {@code GET /info} reports.
 *
 * @param version the server's version
 * @param started when it started (for the uptime)
 * @param dataDir its data directory (for disk free/total)
 */
public record ServerInfo(String version, Instant started, Path dataDir) {
  public ServerInfo {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(dataDir, "dataDir");
  }
}
