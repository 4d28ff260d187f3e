package io.tarn.notifications;

/** A refused webhook request: what kind, which field (if one is to blame) and why. */
public final class WebhookException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** No such rule, delivery or dead letter. */
    NOT_FOUND,
    /** Invalid input; {@link #field()} names the field. */
    INVALID,
    /** The caller may not do this (e.g. a private target address for a non-admin). */
    FORBIDDEN,
    /** Conflicts with the current state (e.g. too many rules). */
    CONFLICT,
    /** A limit of concurrent use was reached (e.g. too many live tails open): try again later. */
    TOO_MANY
  }

  private final Kind kind;
  private final String field;

  public WebhookException(Kind kind, String field, String message) {
    super(message);
    this.kind = kind;
    this.field = field;
  }

  public Kind kind() {
    return kind;
  }

  /** The request field to blame, or null. */
  public String field() {
    return field;
  }
}
