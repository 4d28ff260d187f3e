package io.tarn.notifications;

import java.util.List;

/**
 * A rule as a client gives it (create) or changes it (update: null fields are left alone).
 *
 * @param url http(s) URL without user-info
 * @param events event names: S3 names with or without {@code s3:}, wildcards such as
 *     {@code ObjectCreated:*}, {@code s3:TestEvent}, or the aliases {@code object:created},
 *     {@code object:updated}, {@code object:deleted}, {@code multipart:completed}
 * @param prefix key prefix filter, or null
 * @param suffix key suffix filter, or null
 * @param secret HMAC secret (write-only), or null; empty removes it on update
 * @param enabled whether deliveries are made (default true)
 * @param format {@code s3} (default) or {@code compact}
 * @param signature {@code tarn} (default: X-Tarn-Signature-256 headers), {@code standard-webhooks} or
 *     {@code elasticlake} (Tarn's headers and {@code X-ElasticLake-Signature})
 * @param description free text, or null
 */
public record RuleSpec(
    String url,
    List<String> events,
    String prefix,
    String suffix,
    String secret,
    Boolean enabled,
    String format,
    String signature,
    String description) {
  @Override
  public String toString() {
    return "RuleSpec[url=" + url + ", events=" + events + ", prefix=" + prefix + ", suffix=" + suffix
        + ", secret=" + (secret == null ? null : "***") + ", enabled=" + enabled + ", format=" + format
        + ", signature=" + signature + ", description=" + description + "]";
  }
}
