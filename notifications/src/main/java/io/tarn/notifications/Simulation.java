package io.tarn.notifications;

import io.tarn.core.EventName;
import java.util.Objects;

/**
 * A mutation to simulate against a bucket's rules ({@link WebhookService#simulate}): nothing is written,
 * nothing is sent.
 *
 * @param key the object key
 * @param event what happens to it (an event the server emits, not {@code s3:TestEvent})
 * @param size the object's size in bytes (ignored for removals, as their records carry none)
 * @param replacesExisting whether the write replaces (or the delete removes) an existing object: the
 *     aliases {@code object:created} and {@code object:updated} depend on it
 * @param contentType the object's content type, or null for the default S3 gives an object without one
 */
public record Simulation(String key, EventName event, long size, boolean replacesExisting, String contentType) {
  public Simulation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(event, "event");
  }
}
