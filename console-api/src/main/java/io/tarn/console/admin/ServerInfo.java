package io.tarn.console.admin;

import io.tarn.notifications.RuleFigures;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Facts about the running server that {@code GET /info} reports.
 *
 * @param version the server's version
 * @param started when it started (for the uptime)
 * @param dataDir its data directory (for disk free/total)
 * @param notificationBacklog webhook deliveries waiting to be sent, or null when the server has no
 *     notifications (then {@code info} leaves the field out)
 * @param webhookRules every webhook rule with its figures, or null when the server has no
 *     notifications (then {@code info} leaves {@code webhooks} out)
 * @param errors the server's recent errors
 */
public record ServerInfo(String version, Instant started, Path dataDir, LongSupplier notificationBacklog,
    Supplier<List<RuleFigures>> webhookRules, RecentErrors errors) {
  public ServerInfo {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(errors, "errors");
  }

  public ServerInfo(String version, Instant started, Path dataDir) {
    this(version, started, dataDir, null, null, new RecentErrors());
  }
}
