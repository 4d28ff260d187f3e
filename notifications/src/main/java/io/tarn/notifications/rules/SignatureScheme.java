package io.tarn.notifications.rules;

/** How a rule's deliveries are signed (when it has a secret). */
public enum SignatureScheme {
  /** {@code X-Tarn-Signature-256: <hex HMAC-SHA256 of the body>} and {@code X-Tarn-Signature: sha256=<hex>}. */
  TARN("tarn"),
  /** Standard Webhooks (https://www.standardwebhooks.com/): {@code webhook-id}, {@code -timestamp}, {@code -signature}. */
  STANDARD_WEBHOOKS("standard-webhooks"),
  /**
   * Tarn's headers plus {@code X-ElasticLake-Signature: sha256=<hex>} (the same HMAC-SHA256 of the
   * body), which receivers written to ElasticLake's webhooks document verify
   * (https://elasticlake.com/blog/webhooks-event-driven). The compatibility endpoint's default.
   */
  ELASTICLAKE("elasticlake");

  private final String wire;

  SignatureScheme(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** @throws IllegalArgumentException for anything but {@code tarn}, {@code standard-webhooks} or {@code elasticlake} (any case) */
  public static SignatureScheme parse(String s) {
    for (SignatureScheme f : values()) {
      if (f.wire.equalsIgnoreCase(s == null ? "" : s.strip())) {
        return f;
      }
    }
    throw new IllegalArgumentException("signature must be tarn, standard-webhooks or elasticlake, not " + s);
  }
}
