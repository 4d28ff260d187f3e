package io.tarn.notifications.rules;

/** The body a rule's deliveries carry. */
public enum Format {
  /** The Amazon S3 event message structure, version 2.4. */
  S3("s3"),
  /** Tarn's short form: {@code {"event":"object:created",...}}. */
  COMPACT("compact");

  private final String wire;

  Format(String wire) {
    this.wire = wire;
  }

  /** As clients write it. */
  public String wire() {
    return wire;
  }

  /** @throws IllegalArgumentException for anything but {@code s3} or {@code compact} (any case) */
  public static Format parse(String s) {
    for (Format f : values()) {
      if (f.wire.equalsIgnoreCase(s == null ? "" : s.strip())) {
        return f;
      }
    }
    throw new IllegalArgumentException("format must be s3 or compact, not " + s);
  }
}
