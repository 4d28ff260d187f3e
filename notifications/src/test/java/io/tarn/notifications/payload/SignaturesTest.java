package io.tarn.notifications.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tarn.notifications.rules.SignatureScheme;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Signatures against an independent HMAC computation and the Standard Webhooks reference vector. */
class SignaturesTest {
  private static final byte[] BODY = "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\"}]}".getBytes(StandardCharsets.UTF_8);
  private static final Instant AT = Instant.parse("2026-11-29T18:00:00.999Z");

  private static byte[] hmac(byte[] key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  @Test
  void tarnSchemeSignsTheExactBodyInLowerCaseHex() throws Exception {
    Map<String, String> h = Signatures.headers(SignatureScheme.TARN, "s3cr3t", "00000000000000A1-rule", "ObjectCreated:Put",
        BODY, AT);
    String expected = HexFormat.of().formatHex(hmac("s3cr3t".getBytes(StandardCharsets.UTF_8), BODY));
    assertEquals(expected, h.get("X-Tarn-Signature-256"));
    assertEquals("sha256=" + expected, h.get("X-Tarn-Signature"));
    assertEquals(List.of("Content-Type", "User-Agent", "X-Tarn-Delivery", "X-Tarn-Event", "X-Tarn-Signature-256",
        "X-Tarn-Signature"), List.copyOf(h.keySet()));
    assertEquals("application/json", h.get("Content-Type"));
    assertEquals("Tarn-Webhook", h.get("User-Agent"));
    assertEquals("00000000000000A1-rule", h.get("X-Tarn-Delivery"));
    assertEquals("ObjectCreated:Put", h.get("X-Tarn-Event"));
    assertEquals(h, Signatures.headers(SignatureScheme.TARN, "s3cr3t", "00000000000000A1-rule", "ObjectCreated:Put", BODY,
        AT.plusSeconds(3600)), "the tarn scheme does not depend on the attempt's time");
  }

  /**
   * ElasticLake's receivers check {@code compare_digest(f'sha256={expected}', X-ElasticLake-Signature)}
   * with expected the hex HMAC-SHA256 of the body (https://elasticlake.com/blog/webhooks-event-driven);
   * Tarn's own headers stay.
   */
  @Test
  void elasticLakeSchemeAddsTheDocumentsHeaderToTarns() throws Exception {
    Map<String, String> h = Signatures.headers(SignatureScheme.ELASTICLAKE, "my-webhook-secret", "d", "object:created",
        BODY, AT);
    String expected = HexFormat.of().formatHex(hmac("my-webhook-secret".getBytes(StandardCharsets.UTF_8), BODY));
    assertEquals("sha256=" + expected, h.get("X-ElasticLake-Signature"));
    assertEquals(expected, h.get("X-Tarn-Signature-256"));
    assertEquals("sha256=" + expected, h.get("X-Tarn-Signature"));
    assertEquals("object:created", h.get("X-Tarn-Event"));
    assertFalse(Signatures.headers(SignatureScheme.ELASTICLAKE, null, "d", "object:created", BODY, AT)
        .containsKey("X-ElasticLake-Signature"), "no secret, no signature");
  }

  @Test
  void withoutSecretNoSignature() {
    Map<String, String> h = Signatures.headers(SignatureScheme.TARN, null, "d", "s3:TestEvent", BODY, AT);
    assertFalse(h.containsKey("X-Tarn-Signature-256"));
    assertFalse(h.containsKey("X-Tarn-Signature"));
    Map<String, String> sw = Signatures.headers(SignatureScheme.STANDARD_WEBHOOKS, null, "d", "s3:TestEvent", BODY, AT);
    assertEquals("d", sw.get("webhook-id"));
    assertFalse(sw.containsKey("webhook-signature"));
  }

  /** The reference vector of the Standard Webhooks libraries. */
  @Test
  void standardWebhooksReferenceVector() {
    assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", Signatures.standardWebhooks(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
        "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void standardWebhooksHeadersUseTheAttemptTime() throws Exception {
    String secret = "whsec_" + Base64.getEncoder().encodeToString("key-bytes".getBytes(StandardCharsets.UTF_8));
    Map<String, String> h = Signatures.headers(SignatureScheme.STANDARD_WEBHOOKS, secret, "seq-rule", "ObjectRemoved:Delete",
        BODY, AT);
    assertEquals("seq-rule", h.get("webhook-id"));
    assertEquals(Long.toString(AT.getEpochSecond()), h.get("webhook-timestamp"));
    byte[] signed = ("seq-rule." + AT.getEpochSecond() + "." + new String(BODY, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
    assertEquals("v1," + Base64.getEncoder().encodeToString(hmac("key-bytes".getBytes(StandardCharsets.UTF_8), signed)),
        h.get("webhook-signature"));
    assertFalse(h.containsKey("X-Tarn-Signature-256"));
    assertEquals("seq-rule", h.get("X-Tarn-Delivery"));

    Map<String, String> retry = Signatures.headers(SignatureScheme.STANDARD_WEBHOOKS, secret, "seq-rule",
        "ObjectRemoved:Delete", BODY, AT.plusSeconds(60));
    assertEquals(Long.toString(AT.getEpochSecond() + 60), retry.get("webhook-timestamp"));
    assertNotEquals(h.get("webhook-signature"), retry.get("webhook-signature"), "a retry is signed at its own time");

    // A secret without the whsec_ prefix is used as its bytes.
    String plain = Signatures.standardWebhooks("plain", "i", 5, BODY);
    byte[] plainSigned = ("i.5." + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    assertEquals("v1," + Base64.getEncoder().encodeToString(hmac("plain".getBytes(StandardCharsets.UTF_8), plainSigned)),
        plain);
  }
}
