package io.tarn.notifications.delivery;

import java.nio.channels.ClosedChannelException;

/** One-line error texts for the delivery log. */
final class Errors {
  private static final int MAX = 300;

  private Errors() {}

  /** The innermost cause's message, without Netty's repeated ": /1.2.3.4:80" address suffix. */
  static String describe(Throwable t) {
    if (t == null) {
      return "unknown error";
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof ClosedChannelException) {
      return "connection closed";
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      return root.getClass().getSimpleName();
    }
    int annotated = message.indexOf(": /");
    return annotated > 0 ? message.substring(0, annotated) : message;
  }

  static String oneLine(String text) {
    String line = text == null ? "unknown error" : text.replaceAll("[\\r\\n\\t]+", " ").strip();
    return line.length() <= MAX ? line : line.substring(0, MAX - 3) + "...";
  }
}
