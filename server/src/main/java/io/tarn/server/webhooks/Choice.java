package io.tarn.server.webhooks;

import io.tarn.server.admin.Choices;

/** The closed sets of words a webhook option takes ({@link Choices} for each). */
final class Choice {
  private Choice() {}

  /** A payload format. */
  static final class Formats extends Choices {
    Formats() {
      super("the format", "s3", "compact");
    }
  }

  /** A signature scheme. */
  static final class Signatures extends Choices {
    Signatures() {
      super("the signature", "tarn", "standard-webhooks", "elasticlake");
    }
  }
}
