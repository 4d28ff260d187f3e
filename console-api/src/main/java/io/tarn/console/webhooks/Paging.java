package io.tarn.console.webhooks;

/**
 * The {@code after} and {@code limit} query parameters of the listings: {@code after} is the
 * service's opaque cursor (the {@code next} of the previous page), {@code limit} 1 to
 * {@value #MAX} (default {@value #DEFAULT}).
 *
 * @param after the cursor, or null for the first page
 * @param limit most entries in the page
 */
record Paging(String after, int limit) {
  static final int DEFAULT = 100;
  static final int MAX = 1000;

  /** @throws io.tarn.notifications.WebhookException INVALID naming {@code limit} */
  static Paging of(Call c) {
    String after = c.query("after").filter(s -> !s.isEmpty()).orElse(null);
    String text = c.query("limit").orElse(null);
    if (text == null) {
      return new Paging(after, DEFAULT);
    }
    int limit;
    try {
      limit = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      limit = 0;
    }
    if (limit < 1 || limit > MAX) {
      throw Fields.invalid("limit", "\"limit\" must be an integer from 1 to " + MAX + ", not \"" + text + "\"");
    }
    return new Paging(after, limit);
  }
}
