package io.tarn.notifications;

import java.time.Instant;
import java.util.List;

/**
 * A rule as shown to clients: never its secret.
 *
 * @param id UUID
 * @param bucket its bucket
 * @param url target URL
 * @param events the event names as given, normalised to the {@code s3:} form where they are S3
 *     names (aliases stay aliases)
 * @param s3Events what the rule delivers in S3's terms (for {@code GET ?notification}): {@code s3:}
 *     names, wildcards kept where the rule used them, each alias as the exact names the server emits
 *     that it can match; {@code s3:TestEvent} left out (not an S3 configuration event)
 * @param prefix key prefix filter, or null
 * @param suffix key suffix filter, or null
 * @param secret the secret masked (e.g. {@code "****"}), or null when there is none
 * @param enabled whether deliveries are made
 * @param format {@code s3} or {@code compact}
 * @param signature {@code tarn}, {@code standard-webhooks} or {@code elasticlake}
 * @param description free text, or null
 * @param created creation time
 * @param updated last change
 * @param createdBy canonical id of the user who created it
 */
public record RuleView(
    String id,
    String bucket,
    String url,
    List<String> events,
    List<String> s3Events,
    String prefix,
    String suffix,
    String secret,
    boolean enabled,
    String format,
    String signature,
    String description,
    Instant created,
    Instant updated,
    String createdBy) {}
