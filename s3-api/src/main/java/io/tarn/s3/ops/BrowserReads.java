package io.tarn.s3.ops;

import io.tarn.s3.http.S3Response;
import java.util.Locale;
import java.util.Set;

/**
 * Object reads through presigned URLs, which is how browsers read objects: the console's previews,
 * downloads and share links. Tarn serves them from the same origin as its console (AWS serves
 * objects from their own hosts), so an HTML, SVG or XML object opened in a browser would otherwise run
 * its scripts with the console's origin: read the session's CSRF token from {@code /_tarn/api/v1/session}
 * and act as whoever opened the link. Such a response gets {@code Content-Security-Policy: sandbox}
 * (https://www.w3.org/TR/CSP3/#directive-sandbox: the document gets an opaque origin and no scripts;
 * images and media embedded elsewhere are unaffected, CSP governs documents), and every presigned read
 * gets {@code X-Content-Type-Options: nosniff}, so that no other type is sniffed into HTML. S3 clients,
 * which sign headers, get S3's headers unchanged.
 */
public final class BrowserReads {
  /** Types a browser runs as a document with scripts; any {@code +xml} type too. */
  private static final Set<String> ACTIVE = Set.of("text/html", "application/xhtml+xml", "image/svg+xml", "text/xml",
      "application/xml", "text/xsl", "application/xslt+xml", "multipart/x-mixed-replace");

  private BrowserReads() {}

  /** {@code r} as a presigned read answers it. */
  static S3Response confine(S3Response r) {
    r.header("X-Content-Type-Options", "nosniff");
    String type = r.headers().get("Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (media.isEmpty() || ACTIVE.contains(media) || media.endsWith("+xml")) {
      r.header("Content-Security-Policy", "sandbox");
    }
    return r;
  }

  /** As {@link #confine} when the call was presigned, else {@code r} unchanged. */
  public static S3Response forCall(Call call, S3Response r) {
    return call.auth() != null && call.auth().presigned() ? confine(r) : r;
  }
}
