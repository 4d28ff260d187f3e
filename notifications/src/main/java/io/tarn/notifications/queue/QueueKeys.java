package io.tarn.notifications.queue;

import io.tarn.core.MutationEvent;
import io.tarn.notifications.rules.Wire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Key layouts of the queue's tables. Rule ids are written as their 36-character text, so a rule's
 * entries share the prefix {@code <rule id> 0x00} and sort by what follows.
 *
 * <ul>
 *   <li>{@code DELIVERIES}: the delivery id ({@code <sequencer>-<rule id>} for events).
 *   <li>{@code EVENT_PAYLOADS}: bucket name, 0x00, the event's sequencer (16 hex digits): each
 *       bucket's event log, in sequencer order.
 *   <li>{@code DUE}: rule id, 0x00, 8-byte big-endian due millis, delivery id: deliveries with a
 *       record of their own (retries, redeliveries, test events). Grouped by rule (one lane per rule)
 *       rather than globally by time, so the dispatcher looks at the head of each rule's lane: a rule
 *       with a deep backlog or a slow receiver costs one short scan per pass and never hides other
 *       rules' due deliveries behind its own.
 *   <li>{@code ATTEMPTS}: rule id, 0x00, 8-byte big-endian {@code Long.MAX_VALUE - time}, delivery id,
 *       0x00, 4-byte attempt. The time is inverted so a forward scan lists newest first. And rule id,
 *       0x00, 0xFF, delivery id: the delivery's request body (once per delivery, not per attempt),
 *       after every attempt of the rule (an inverted time's first byte is at most 0x7F).
 *   <li>{@code DEAD_LETTERS}: rule id, 0x00, {@code 'd'}, delivery id (the dead letter); and rule id,
 *       0x00, {@code 't'}, 8-byte dead-lettering time, delivery id (empty value: the purge index).
 *   <li>{@code RULE_STATS}: rule id, 0x00 (the figures); rule id, 0x00, {@code 'c'} (the rule's
 *       cursor in its bucket's event log); rule id, 0x00, {@code 'm'}, 8-byte sequence (an event
 *       after the cursor that the rule is done with).
 * </ul>
 */
final class QueueKeys {
  static final int RULE_ID_LENGTH = 36;
  private static final byte DEAD = 'd';
  private static final byte DEAD_BY_TIME = 't';
  private static final byte LOG_LETTER = 'q';
  private static final byte CURSOR = 'c';
  private static final byte DONE_MARK = 'm';

  private QueueKeys() {}

  static byte[] delivery(String id) {
    return Wire.utf8(id);
  }

  static byte[] logPrefix(String bucket) {
    return Wire.concat(Wire.utf8(bucket), new byte[] {0});
  }

  static byte[] payload(String bucket, String sequencer) {
    return Wire.concat(logPrefix(bucket), Wire.utf8(sequencer));
  }

  static byte[] payload(String bucket, long sequence) {
    return payload(bucket, MutationEvent.sequencer(sequence));
  }

  /** The sequence number of an event-log key. */
  static long sequenceOfPayload(byte[] key) {
    int at = key.length - 16;
    return Long.parseUnsignedLong(new String(key, at, 16, StandardCharsets.US_ASCII), 16);
  }

  /** The sequencer an event's delivery id starts with, or null for other ids (test events). */
  static String sequencerOf(String deliveryId) {
    UUID rule = DeliveryRecord.ruleIdOf(deliveryId);
    if (rule == null || deliveryId.startsWith("test-")) {
      return null;
    }
    return deliveryId.substring(0, deliveryId.length() - RULE_ID_LENGTH - 1);
  }

  static byte[] rulePrefix(UUID rule) {
    return Wire.concat(Wire.utf8(rule.toString()), new byte[] {0});
  }

  static byte[] due(UUID rule, long dueMillis, String deliveryId) {
    return Wire.concat(rulePrefix(rule), Wire.long8(dueMillis), Wire.utf8(deliveryId));
  }

  static long dueMillisOf(byte[] dueKey) {
    return ByteBuffer.wrap(dueKey, RULE_ID_LENGTH + 1, 8).getLong();
  }

  static String deliveryIdOfDue(byte[] dueKey) {
    int at = RULE_ID_LENGTH + 1 + 8;
    return new String(dueKey, at, dueKey.length - at, StandardCharsets.UTF_8);
  }

  /** The rule id every key of these tables starts with, or null if the key is not one of ours. */
  static UUID ruleOf(byte[] key) {
    if (key.length <= RULE_ID_LENGTH || key[RULE_ID_LENGTH] != 0) {
      return null;
    }
    try {
      return UUID.fromString(new String(key, 0, RULE_ID_LENGTH, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The smallest key after every key of {@code rule}: to jump to the next rule in a scan. */
  static byte[] afterRule(UUID rule) {
    return Wire.concat(Wire.utf8(rule.toString()), new byte[] {1});
  }

  static byte[] attempt(UUID rule, long timeMillis, String deliveryId, int attempt) {
    return Wire.concat(rulePrefix(rule), Wire.long8(Long.MAX_VALUE - timeMillis), Wire.utf8(deliveryId),
        new byte[] {0}, ByteBuffer.allocate(4).putInt(attempt).array());
  }

  private static final byte ATTEMPT_BODY = (byte) 0xFF;

  /** The key of a delivery's request body in {@code ATTEMPTS}. */
  static byte[] attemptBody(UUID rule, String deliveryId) {
    return Wire.concat(rulePrefix(rule), new byte[] {ATTEMPT_BODY}, Wire.utf8(deliveryId));
  }

  static boolean isAttemptBody(byte[] key) {
    return key.length > RULE_ID_LENGTH + 1 && key[RULE_ID_LENGTH + 1] == ATTEMPT_BODY;
  }

  static String deliveryIdOfAttemptBody(byte[] key) {
    int at = RULE_ID_LENGTH + 2;
    return new String(key, at, key.length - at, StandardCharsets.UTF_8);
  }

  /** The delivery id of an attempt entry's key. */
  static String deliveryIdOfAttempt(byte[] attemptKey) {
    int at = RULE_ID_LENGTH + 1 + 8;
    return new String(attemptKey, at, attemptKey.length - at - 5, StandardCharsets.UTF_8);
  }

  /** The first attempt key of a rule at or before {@code timeMillis} (newest first). */
  static byte[] attemptsAtOrBefore(UUID rule, long timeMillis) {
    return Wire.concat(rulePrefix(rule), Wire.long8(Long.MAX_VALUE - timeMillis));
  }

  static long attemptTimeOf(byte[] attemptKey) {
    return Long.MAX_VALUE - ByteBuffer.wrap(attemptKey, RULE_ID_LENGTH + 1, 8).getLong();
  }

  static byte[] deadPrefix(UUID rule) {
    return Wire.concat(rulePrefix(rule), new byte[] {DEAD});
  }

  static byte[] dead(UUID rule, String deliveryId) {
    return Wire.concat(deadPrefix(rule), Wire.utf8(deliveryId));
  }

  /** A listing cursor at a rule's {@code queue_full} letter kept in the event log (never stored). */
  static byte[] logLetter(UUID rule, long sequence) {
    return Wire.concat(rulePrefix(rule), new byte[] {LOG_LETTER}, Wire.long8(sequence));
  }

  static boolean isLogLetter(byte[] key) {
    return key.length == RULE_ID_LENGTH + 10 && key[RULE_ID_LENGTH + 1] == LOG_LETTER;
  }

  static long sequenceOfLogLetter(byte[] key) {
    return ByteBuffer.wrap(key, RULE_ID_LENGTH + 2, 8).getLong();
  }

  static byte[] deadByTimePrefix(UUID rule) {
    return Wire.concat(rulePrefix(rule), new byte[] {DEAD_BY_TIME});
  }

  static byte[] deadByTime(UUID rule, long deadMillis, String deliveryId) {
    return Wire.concat(deadByTimePrefix(rule), Wire.long8(deadMillis), Wire.utf8(deliveryId));
  }

  static long deadTimeOf(byte[] deadByTimeKey) {
    return ByteBuffer.wrap(deadByTimeKey, RULE_ID_LENGTH + 2, 8).getLong();
  }

  static String deliveryIdOfDeadByTime(byte[] key) {
    int at = RULE_ID_LENGTH + 2 + 8;
    return new String(key, at, key.length - at, StandardCharsets.UTF_8);
  }

  static byte[] stats(UUID rule) {
    return rulePrefix(rule);
  }

  static byte[] cursor(UUID rule) {
    return Wire.concat(rulePrefix(rule), new byte[] {CURSOR});
  }

  static byte[] doneMark(UUID rule, long sequence) {
    return Wire.concat(rulePrefix(rule), new byte[] {DONE_MARK}, Wire.long8(sequence));
  }

  /** What a {@code RULE_STATS} key of a rule is: 's' figures, 'c' cursor, 'm' done mark, 0 unknown. */
  static byte statsKind(byte[] key) {
    if (key.length == RULE_ID_LENGTH + 1) {
      return 's';
    }
    if (key.length == RULE_ID_LENGTH + 2 && key[RULE_ID_LENGTH + 1] == CURSOR) {
      return CURSOR;
    }
    if (key.length == RULE_ID_LENGTH + 10 && key[RULE_ID_LENGTH + 1] == DONE_MARK) {
      return DONE_MARK;
    }
    return 0;
  }

  static long sequenceOfDoneMark(byte[] key) {
    return ByteBuffer.wrap(key, RULE_ID_LENGTH + 2, 8).getLong();
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
