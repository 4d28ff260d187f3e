package io.tarn.notifications.queue;

import io.tarn.notifications.rules.Wire;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where one rule is in its bucket's event log ({@code EVENT_PAYLOADS}). First attempts are not queued
 * per rule: the rule reads the log after its cursor and picks the events that list it.
 *
 * <ul>
 *   <li>{@link #cursor} (persisted): the rule is done with every event of the log up to it.
 *   <li>{@link #done} (persisted as marks): events after the cursor the rule is done with (attempts
 *       end in any order).
 *   <li>{@link #readPos} (memory): every event up to it was handed to the dispatcher, is done, or is
 *       not for this rule, and no event can commit below it any more. Events after it may have been
 *       handed out too (they committed before an earlier one). Starts at the cursor, so after a
 *       restart the events handed out but not done are read and sent again.
 *   <li>{@link #outstanding} (memory): handed out, outcome not recorded yet.
 * </ul>
 *
 * "Done" means its first attempt's outcome was recorded: delivered, dead-lettered, or turned into a
 * delivery record of its own for the retries. Guarded by its own monitor.
 */
final class LogCursor {
  private static final int FORMAT = 1;

  final UUID rule;
  final String bucket;
  long cursor = -1;
  long readPos = -1;
  /**
   * (memory) Every event of the log below it was looked at as at {@link #readPos}: the last read of
   * the log reached its end with all it saw settled. Lets a rule take what follows from the log's
   * in-memory tail even when its read position lags behind because the bucket had no events.
   */
  long logReadTo;
  final TreeMap<Long, EventPayload> outstanding = new TreeMap<>();
  /** Outstanding events whose outcome could not be recorded: handed out again first. */
  final ArrayDeque<Long> resend = new ArrayDeque<>();
  /** How many of the log's events hold a {@code queue_full} letter of this rule. */
  final AtomicLong letters = new AtomicLong();
  /** Done events after the cursor. */
  final TreeSet<Long> done = new TreeSet<>();

  LogCursor(UUID rule, String bucket) {
    this.rule = rule;
    this.bucket = bucket;
  }

  /** Whether the rule is done with the event {@code sequence} (or it is before the rule's cursor). */
  boolean isDone(long sequence) {
    return sequence <= cursor || done.contains(sequence);
  }

  /**
   * The cursor once the outcomes of {@code completing} (outstanding ones) are recorded: up to the read
   * position, but before the first event still outstanding. (Outstanding events may lie after the read
   * position, which stops at an event that may still commit: the cursor must not pass that one.)
   */
  long cursorAfter(Set<Long> completing) {
    long bound = readPos;
    for (Long s : outstanding.keySet()) {
      if (!completing.contains(s)) {
        bound = Math.min(bound, s - 1);
        break;
      }
    }
    return Math.max(cursor, bound);
  }

  /** The persisted cursor: format, sequence, bucket. */
  byte[] encode(long value) {
    return new Wire.Writer(FORMAT).str(bucket).i64(value).toByteArray();
  }

  static LogCursor decode(UUID rule, byte[] v) {
    Wire.Reader r = new Wire.Reader(v, FORMAT, "log cursor");
    LogCursor c = new LogCursor(rule, r.str());
    c.cursor = r.i64();
    r.end();
    c.readPos = c.cursor;
    return c;
  }
}
