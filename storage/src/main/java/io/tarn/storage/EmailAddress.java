package io.tarn.storage;

import java.util.Locale;

/**
 * The e-mail address a user may have (S3 ACL grantees by e-mail resolve to it). Checked simply, not
 * against RFC 5322 in full: what matters is that an address is one unambiguous token an admin typed,
 * which an ACL grant can name. Compared case-insensitively: {@link #key} is the form the uniqueness
 * index holds, while the address itself is kept as given, for display.
 */
public final class EmailAddress {
  /** The longest address: RFC 5321's limit on a forward path, less its angle brackets. */
  public static final int MAX_LENGTH = 254;

  private EmailAddress() {}

  /**
   * What is wrong with {@code address} as a user's e-mail address, in words that follow the address
   * (e.g. "must contain exactly one @"), or null if it is acceptable.
   */
  public static String problem(String address) {
    if (address == null || address.isEmpty()) {
      return "must not be empty";
    }
    if (address.length() > MAX_LENGTH) {
      return "must be at most " + MAX_LENGTH + " characters";
    }
    for (int i = 0; i < address.length(); i++) {
      char ch = address.charAt(i);
      if (Character.isWhitespace(ch) || Character.isISOControl(ch) || Character.isSpaceChar(ch)) {
        return "must not contain spaces or control characters";
      }
    }
    int at = address.indexOf('@');
    if (at < 0 || address.indexOf('@', at + 1) >= 0) {
      return "must contain exactly one @";
    }
    if (at == 0 || at == address.length() - 1) {
      return "needs a name before the @ and a domain after it";
    }
    return null;
  }

  /** The form addresses are compared (and indexed) in: lower case, so Bob@Example.com is bob@example.com. */
  public static String key(String address) {
    return address.toLowerCase(Locale.ROOT);
  }
}
