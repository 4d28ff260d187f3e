package io.tarn.server.bench;

import io.tarn.s3.auth.SigV4;

/**
 * Just enough of a ListObjectsV2 response to walk the pages
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html): whether it is
 * truncated and the token for the next page. The elements are flat text without attributes, so
 * plain string search is enough and keeps the LIST client as cheap as the others.
 */
final class ListPages {
  private ListPages() {}

  /**
   * The query for one page under {@code prefix}, in SigV4 canonical order (sorted by name).
   *
   * @param token the continuation token from the previous page, or null for the first page
   */
  static String query(String prefix, int maxKeys, String token) {
    StringBuilder q = new StringBuilder(128);
    if (token != null) {
      q.append("continuation-token=").append(SigV4.uriEncode(token, false)).append('&');
    }
    q.append("list-type=2&max-keys=").append(maxKeys)
        .append("&prefix=").append(SigV4.uriEncode(prefix, false));
    return q.toString();
  }

  /**
   * The token for the next page, or null when {@code xml} is the last page.
   *
   * @throws IllegalArgumentException if the page says it is truncated but gives no token, or
   *     is not a ListBucketResult at all
   */
  static String nextToken(String xml) {
    if (!xml.contains("<ListBucketResult")) {
      throw new IllegalArgumentException("not a ListBucketResult");
    }
    if (!"true".equals(element(xml, "IsTruncated"))) {
      return null;
    }
    String token = element(xml, "NextContinuationToken");
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("truncated page without a NextContinuationToken");
    }
    return unescape(token);
  }

  /** The number of {@code <Contents>} entries of a page. */
  static int keyCount(String xml) {
    int n = 0;
    for (int i = xml.indexOf("<Contents>"); i >= 0; i = xml.indexOf("<Contents>", i + 10)) {
      n++;
    }
    return n;
  }

  /** The text of the first {@code <name>} element that is a direct value, or null. */
  static String element(String xml, String name) {
    String open = "<" + name + ">";
    int start = xml.indexOf(open);
    if (start < 0) {
      return null;
    }
    start += open.length();
    int end = xml.indexOf("</" + name + ">", start);
    return end < 0 ? null : xml.substring(start, end).strip();
  }

  /** XML's five predefined entities and numeric references; tokens are opaque text. */
  static String unescape(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int semi = c == '&' ? s.indexOf(';', i) : -1;
      if (semi < 0) {
        out.append(c);
        continue;
      }
      String entity = s.substring(i + 1, semi);
      switch (entity) {
        case "amp" -> out.append('&');
        case "lt" -> out.append('<');
        case "gt" -> out.append('>');
        case "quot" -> out.append('"');
        case "apos" -> out.append('\'');
        default -> {
          if (entity.startsWith("#x")) {
            out.appendCodePoint(Integer.parseInt(entity.substring(2), 16));
          } else if (entity.startsWith("#")) {
            out.appendCodePoint(Integer.parseInt(entity.substring(1)));
          } else {
            throw new IllegalArgumentException("unknown XML entity &" + entity + ";");
          }
        }
      }
      i = semi;
    }
    return out.toString();
  }
}
