package io.tarn.server;

import io.tarn.console.admin.RecentErrors;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Where the server's recent errors ({@code GET /_tarn/admin/v1/info}'s {@code recentErrors}) are
 * captured: a handler on the root logger that copies every ERROR line ({@code System.Logger}'s
 * ERROR is java.util.logging's SEVERE) into a {@link RecentErrors}. Hooking the log rather than each
 * failure site means every error the server reports is there, and only those: ServerErrorLog's 5xx
 * answers (with their request id; it never logs headers or query strings, so no credential gets in),
 * failures after a response head, and background work such as the webhook recorder.
 */
final class ErrorCapture extends Handler {
  private final RecentErrors errors;
  private final Formatter formatter = new SimpleFormatter();

  private ErrorCapture(RecentErrors errors) {
    this.errors = errors;
    setLevel(Level.SEVERE);
  }

  /** Adds a capture into {@code errors} to the root logger. */
  static void install(RecentErrors errors) {
    Logger root = LogManager.getLogManager().getLogger("");
    root.addHandler(new ErrorCapture(errors));
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null || record.getLevel().intValue() < Level.SEVERE.intValue()) {
      return;
    }
    String message = formatter.formatMessage(record);
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      Throwable root = thrown;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      message += " (" + root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }
    String name = record.getLoggerName() == null ? "" : record.getLoggerName();
    errors.add(record.getInstant(), name.substring(name.lastIndexOf('.') + 1), firstLine(message));
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
