package io.tarn.server.logging;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The server log: what the server's {@code System.Logger}s (java.util.logging underneath) report,
 * one record per line (a stack trace follows its line in text), to stderr or a rotating file, at
 * the level {@code --log-level} asks. Not per request: that is the {@link AccessLog}.
 */
public final class ServerLog extends Handler {
  /** {@code --log-level}, and the java.util.logging level each means. */
  public enum LogLevel {
    ERROR(Level.SEVERE), WARN(Level.WARNING), INFO(Level.INFO), DEBUG(Level.FINE);

    final Level jul;

    LogLevel(Level jul) {
      this.jul = jul;
    }

    public static LogLevel parse(String s) {
      try {
        return valueOf(s.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("must be error, warn, info or debug, not '" + s + "'", e);
      }
    }
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final String OWN_LOGGERS = "io.tarn";

  private final LineSink sink;
  private final boolean json;

  ServerLog(LineSink sink, boolean json, Level level) {
    this.sink = sink;
    this.json = json;
    setLevel(level);
  }

  /**
   * Sends the root logger's records to {@code sink} instead of java.util.logging's console handler.
   * {@code debug} applies to Tarn's own loggers only: the libraries' debug output (Netty's, per
   * connection) would bury Tarn's. Other handlers on the root logger (the recent-errors capture) stay.
   */
  public static ServerLog install(LineSink sink, boolean json, LogLevel level) {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      if (h instanceof java.util.logging.ConsoleHandler || h instanceof ServerLog) {
        root.removeHandler(h);
      }
    }
    ServerLog handler = new ServerLog(sink, json, level.jul);
    root.addHandler(handler);
    Level rootLevel = level == LogLevel.DEBUG ? Level.INFO : level.jul;
    root.setLevel(rootLevel);
    // Kept in a field of the class: java.util.logging holds loggers weakly, and a configured level
    // is lost with a collected logger.
    OWN.setLevel(level.jul);
    return handler;
  }

  private static final Logger OWN = Logger.getLogger(OWN_LOGGERS);

  @Override
  public void publish(LogRecord record) {
    if (record == null || !isLoggable(record)) {
      return;
    }
    StringBuilder line = new StringBuilder(160);
    if (json) {
      json(record, line);
    } else {
      text(record, line);
    }
    byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
    try {
      sink.write(bytes, 0, bytes.length);
      sink.flush(); // server events are few; each is seen at once and survives a crash
    } catch (IOException e) {
      reportError("cannot write the server log to " + sink.describe(), e, java.util.logging.ErrorManager.WRITE_FAILURE);
    }
  }

  private static final Formatter MESSAGES = new Formatter() {
    @Override
    public String format(LogRecord record) {
      return formatMessage(record);
    }
  };

  /** As before this option existed: {@code time LEVEL logger: message}, java.util.logging's level names. */
  private static void text(LogRecord r, StringBuilder out) {
    out.append(TIME.format(r.getInstant())).append(' ').append(r.getLevel().getName()).append(' ')
        .append(r.getLoggerName()).append(": ").append(MESSAGES.formatMessage(r));
    if (r.getThrown() != null) {
      out.append(System.lineSeparator()).append(stackTrace(r.getThrown()).stripTrailing());
    }
    out.append('\n');
  }

  /** One JSON object: time, level (ERROR, WARN, INFO, DEBUG), logger, message, and the stack trace if any. */
  private static void json(LogRecord r, StringBuilder out) {
    out.append("{\"time\":\"").append(TIME.format(r.getInstant())).append("\",\"level\":\"").append(levelName(r.getLevel()))
        .append('"');
    string(out, "logger", r.getLoggerName());
    string(out, "message", MESSAGES.formatMessage(r));
    if (r.getThrown() != null) {
      string(out, "thrown", stackTrace(r.getThrown()));
    }
    out.append("}\n");
  }

  static String levelName(Level level) {
    int v = level.intValue();
    return v >= Level.SEVERE.intValue() ? "ERROR" : v >= Level.WARNING.intValue() ? "WARN"
        : v >= Level.INFO.intValue() ? "INFO" : "DEBUG";
  }

  private static void string(StringBuilder out, String name, String value) {
    out.append(",\"").append(name).append("\":");
    if (value == null) {
      out.append("null");
      return;
    }
    out.append('"');
    JsonStringEncoder.getInstance().quoteAsString(value, out);
    out.append('"');
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  public String destination() {
    return sink.describe();
  }

  @Override
  public void flush() {
    try {
      sink.flush();
    } catch (IOException e) {
      reportError("cannot flush the server log", e, java.util.logging.ErrorManager.FLUSH_FAILURE);
    }
  }

  @Override
  public void close() {
    flush();
  }
}
