package io.tarn.notifications.payload;

import io.tarn.core.Hex;
import io.tarn.notifications.rules.RuleValidator;
import io.tarn.notifications.rules.SignatureScheme;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The headers of a delivery attempt, signatures included. */
public final class Signatures {
  public static final String TARN_SIGNATURE_256 = "X-Tarn-Signature-256";
  public static final String TARN_SIGNATURE = "X-Tarn-Signature";
  public static final String DELIVERY = "X-Tarn-Delivery";
  public static final String EVENT = "X-Tarn-Event";
  public static final String ELASTICLAKE_SIGNATURE = "X-ElasticLake-Signature";
  public static final String WEBHOOK_ID = "webhook-id";
  public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
  public static final String WEBHOOK_SIGNATURE = "webhook-signature";

  private Signatures() {}

  /**
   * Every header of one attempt: {@code Content-Type}, {@code User-Agent}, {@code X-Tarn-Delivery}
   * (the same on every retry), {@code X-Tarn-Event}, then the scheme's headers. With the
   * {@code tarn} scheme the signature headers appear only when there is a secret; {@code elasticlake}
   * adds {@code X-ElasticLake-Signature} (same value as {@code X-Tarn-Signature}) to them. With Standard
   * Webhooks {@code webhook-id} (the delivery id) and {@code webhook-timestamp} (the attempt's time:
   * a retry gets a fresh one, which is the scheme's replay protection) are always sent, and
   * {@code webhook-signature} when there is a secret.
   */
  public static Map<String, String> headers(SignatureScheme scheme, String secret, String deliveryId,
      String eventName, byte[] body, Instant attemptTime) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    h.put("User-Agent", "Tarn-Webhook");
    h.put(DELIVERY, deliveryId);
    h.put(EVENT, eventName);
    switch (scheme) {
      case TARN, ELASTICLAKE -> {
        if (secret != null) {
          String hex = tarn(secret, body);
          h.put(TARN_SIGNATURE_256, hex);
          h.put(TARN_SIGNATURE, "sha256=" + hex);
          if (scheme == SignatureScheme.ELASTICLAKE) {
            // What ElasticLake's document verifies: compare_digest(f'sha256={hex}', header)
            // (https://elasticlake.com/blog/webhooks-event-driven).
            h.put(ELASTICLAKE_SIGNATURE, "sha256=" + hex);
          }
        }
      }
      case STANDARD_WEBHOOKS -> {
        long seconds = attemptTime.getEpochSecond();
        h.put(WEBHOOK_ID, deliveryId);
        h.put(WEBHOOK_TIMESTAMP, Long.toString(seconds));
        if (secret != null) {
          h.put(WEBHOOK_SIGNATURE, standardWebhooks(secret, deliveryId, seconds, body));
        }
      }
    }
    return h;
  }

  /** Lower-case hex HMAC-SHA256 of the exact body, keyed with the secret's UTF-8 bytes. */
  public static String tarn(String secret, byte[] body) {
    return Hex.encode(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
  }

  /**
   * {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}
   * (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md). A
   * {@code whsec_} secret is base64 of the key; any other secret is used as its UTF-8 bytes.
   */
  public static String standardWebhooks(String secret, String id, long timestampSeconds, byte[] body) {
    byte[] prefix = (id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, signed, 0, prefix.length);
    System.arraycopy(body, 0, signed, prefix.length, body.length);
    return "v1," + Base64.getEncoder().encodeToString(hmac(standardWebhooksKey(secret), signed));
  }

  static byte[] standardWebhooksKey(String secret) {
    return secret.startsWith(RuleValidator.WHSEC_PREFIX)
        ? Base64.getDecoder().decode(secret.substring(RuleValidator.WHSEC_PREFIX.length()))
        : secret.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e); // every JDK has it
    }
  }
}
