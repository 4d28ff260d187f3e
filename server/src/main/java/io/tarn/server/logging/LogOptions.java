package io.tarn.server.logging;

import io.tarn.server.bench.ByteSize;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The logging options of {@code tarn server}, a Picocli mixin: the access log (one line per request)
 * and the server log (what the server reports), each with its environment variable.
 */
public final class LogOptions {
  private static final System.Logger LOG = System.getLogger(AccessLog.class.getName());

  @Option(names = "--access-log", paramLabel = "PATH|stdout|off", defaultValue = "${env:TARN_ACCESS_LOG:-off}",
      description = "Where the access log (one line per request) goes: a file, rotated by size; stdout; or off"
          + " (env TARN_ACCESS_LOG; default ${DEFAULT-VALUE}).")
  String accessLog;

  @Option(names = "--access-log-format", paramLabel = "text|json", defaultValue = "${env:TARN_ACCESS_LOG_FORMAT:-text}",
      description = "Access log lines as space-separated text or as JSON objects (env TARN_ACCESS_LOG_FORMAT; default ${DEFAULT-VALUE}).")
  String accessLogFormat;

  @Option(names = "--access-log-max-size", paramLabel = "SIZE", converter = ByteSize.Converter.class,
      defaultValue = "${env:TARN_ACCESS_LOG_MAX_SIZE:-100MiB}",
      description = "An access log file past this size is renamed PATH.1 (PATH.1 to PATH.2, ...) and a new one started;"
          + " 0: never (env TARN_ACCESS_LOG_MAX_SIZE; default ${DEFAULT-VALUE}).")
  ByteSize accessLogMaxSize;

  @Option(names = "--access-log-keep", paramLabel = "N", defaultValue = "${env:TARN_ACCESS_LOG_KEEP:-5}",
      description = "Rotated access log files kept (env TARN_ACCESS_LOG_KEEP; default ${DEFAULT-VALUE}).")
  int accessLogKeep;

  @Option(names = "--log-level", paramLabel = "error|warn|info|debug", defaultValue = "${env:TARN_LOG_LEVEL:-info}",
      description = "Least severe server log lines written (env TARN_LOG_LEVEL; default ${DEFAULT-VALUE}).")
  String logLevel;

  @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "${env:TARN_LOG_FORMAT:-text}",
      description = "Server log lines as text or as JSON objects (env TARN_LOG_FORMAT; default ${DEFAULT-VALUE}).")
  String logFormat;

  @Option(names = "--log-file", paramLabel = "PATH", defaultValue = "${env:TARN_LOG_FILE}",
      description = "Write the server log to this file, rotated by --log-max-size, instead of stderr (env TARN_LOG_FILE).")
  Path logFile;

  @Option(names = "--log-max-size", paramLabel = "SIZE", converter = ByteSize.Converter.class,
      defaultValue = "${env:TARN_LOG_MAX_SIZE:-100MiB}",
      description = "A --log-file past this size is rotated as the access log is; 0: never (env TARN_LOG_MAX_SIZE; default ${DEFAULT-VALUE}).")
  ByteSize logMaxSize;

  @Option(names = "--log-keep", paramLabel = "N", defaultValue = "${env:TARN_LOG_KEEP:-5}",
      description = "Rotated --log-file files kept (env TARN_LOG_KEEP; default ${DEFAULT-VALUE}).")
  int logKeep;

  /** The first problem with these options, naming its flag, or null. */
  public String problem() {
    try {
      ServerLog.LogLevel.parse(logLevel);
    } catch (IllegalArgumentException e) {
      return "--log-level " + e.getMessage();
    }
    for (String[] f : new String[][] {{"--log-format", logFormat}, {"--access-log-format", accessLogFormat}}) {
      try {
        AccessLogFormat.parse(f[1]);
      } catch (IllegalArgumentException e) {
        return f[0] + " " + e.getMessage();
      }
    }
    if (accessLog == null || accessLog.isBlank()) {
      return "--access-log must be a file, stdout or off";
    }
    if (accessLogKeep < 0) {
      return "--access-log-keep must be 0 or more, not " + accessLogKeep;
    }
    if (logKeep < 0) {
      return "--log-keep must be 0 or more, not " + logKeep;
    }
    return null;
  }

  /**
   * Sends the server log where these options say; call {@link #problem()} first.
   *
   * @throws IOException when the log file cannot be opened
   */
  public ServerLog installServerLog() throws IOException {
    LineSink sink = logFile == null ? LineSink.of(System.err, "stderr")
        : new RotatingFileWriter(logFile, logMaxSize.bytes(), logKeep);
    return ServerLog.install(sink, AccessLogFormat.parse(logFormat) == AccessLogFormat.JSON,
        ServerLog.LogLevel.parse(logLevel));
  }

  /**
   * Starts the access log, or nothing when it is off; call {@link #problem()} first.
   *
   * @throws IOException when the log file cannot be opened
   */
  public Optional<AccessLog> openAccessLog() throws IOException {
    String where = accessLog.strip();
    if (where.toLowerCase(Locale.ROOT).equals("off")) {
      return Optional.empty();
    }
    LineSink sink = where.toLowerCase(Locale.ROOT).equals("stdout") ? LineSink.of(System.out, "stdout")
        : new RotatingFileWriter(Path.of(where), accessLogMaxSize.bytes(), accessLogKeep);
    return Optional.of(new AccessLog(sink, AccessLogFormat.parse(accessLogFormat), AccessLog.DEFAULT_QUEUE,
        Duration.ofMinutes(1), message -> LOG.log(System.Logger.Level.WARNING, message)));
  }

  /** The file the access log option names, for messages. */
  public String accessLogOption() {
    return accessLog;
  }
}
