package io.tarn.console.webhooks;

import java.util.Map;

/** A POSIX shell {@code curl} command line that sends a request byte for byte. */
final class Curl {
  private Curl() {}

  /**
   * {@code curl -sS -X POST URL -H ... --data-binary BODY}: {@code --data-binary} sends the body as
   * given (no newline stripping, no URL-encoding), so a receiver verifying the signature sees the
   * signed bytes. Every argument is single-quoted, so nothing in a key or URL is expanded by a shell.
   */
  static String post(String url, Map<String, String> headers, String body) {
    StringBuilder b = new StringBuilder("curl -sS -X POST ").append(quote(url));
    for (Map.Entry<String, String> h : headers.entrySet()) {
      b.append(" \\\n  -H ").append(quote(h.getKey() + ": " + h.getValue()));
    }
    return b.append(" \\\n  --data-binary ").append(quote(body)).toString();
  }

  /** Single quotes, with each {@code '} written as {@code '\''} (POSIX: nothing is special inside '…'). */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
