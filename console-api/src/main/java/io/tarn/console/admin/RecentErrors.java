package io.tarn.console.admin;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's most recent errors, in memory only, for {@code GET /info} (the console's server page
 * and {@code tarn admin info}): a bounded list, so a storm of failures costs a fixed amount of memory
 * and the oldest are forgotten first. The server fills it from its log (every ERROR line: the 5xx
 * answers {@code ServerErrorLog} logs with their request id, and failures of background work such
 * as the webhook recorder); lost at a restart, as the log's tail would be. Thread-safe.
 */
public final class RecentErrors {
  /** How many are kept. */
  public static final int CAPACITY = 50;
  /** Longest message kept, in characters: a line to read, not a dump. */
  static final int MAX_MESSAGE = 500;

  /**
   * One error.
   *
   * @param time when it was logged
   * @param source what logged it (the logger's simple name, e.g. {@code ServerErrorLog})
   * @param message its line, with the cause's class and message when there is one
   */
  public record Entry(Instant time, String source, String message) {}

  private final ArrayDeque<Entry> entries = new ArrayDeque<>(CAPACITY);

  public synchronized void add(Instant time, String source, String message) {
    String m = message == null ? "" : message;
    if (m.length() > MAX_MESSAGE) {
      m = m.substring(0, MAX_MESSAGE - 1) + "…";
    }
    if (entries.size() == CAPACITY) {
      entries.removeLast();
    }
    entries.addFirst(new Entry(time, source, m));
  }

  /** Newest first. */
  public synchronized List<Entry> list() {
    return new ArrayList<>(entries);
  }
}
