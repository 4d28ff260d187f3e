package io.tarn.storage.identity;

import io.tarn.storage.EmailAddress;
import io.tarn.storage.StorageException;
import java.time.Instant;
import java.util.regex.Pattern;

/** The checks that identity operations share: names, ids, expiry times. */
final class IdentityRules {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@+-]{1,64}");
  /**
   * Visible ASCII without the separators of a SigV4 Credential ('/' and ',') and without ':' (SigV2's
   * {@code AWS id:signature} separator, and what marks a token where a key id would stand: an access key
   * id {@code token:…} would be read as a token's).
   */
  static final Pattern KEY_ID = Pattern.compile("[\\x21-\\x7e&&[^/,:]]{1,128}");
  static final Pattern USER_ID = Pattern.compile("[0-9a-f]{64}");

  private IdentityRules() {}

  static StorageException error(StorageException.Kind kind, String message) {
    return new StorageException(kind, message);
  }

  static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "invalid user name \"" + name
          + "\": use 1 to 64 characters of A-Z a-z 0-9 . _ @ + -");
    }
    if (USER_ID.matcher(name).matches()) {
      // Lookups try ids before names: such a name could shadow another user's id.
      throw error(StorageException.Kind.INVALID_ARGUMENT, "invalid user name \"" + name
          + "\": it looks like a user id (64 hex characters)");
    }
  }

  /**
   * A user's e-mail address as stored: null for none (null or ""), else {@code email} as given.
   *
   * @throws StorageException INVALID_ARGUMENT saying what is wrong with it ({@link EmailAddress#problem})
   */
  static String email(String email) {
    if (email == null || email.isEmpty()) {
      return null;
    }
    String problem = EmailAddress.problem(email);
    if (problem != null) {
      // Not an arbitrarily long address back in the message.
      String shown = email.length() > EmailAddress.MAX_LENGTH ? email.substring(0, 64) + "..." : email;
      throw error(StorageException.Kind.INVALID_ARGUMENT, "invalid e-mail address \"" + shown + "\": it " + problem);
    }
    return email;
  }

  /** An expiry time as stored: epoch milliseconds, or null for never. */
  static Long millis(Instant t) {
    if (t == null) {
      return null;
    }
    try {
      return t.toEpochMilli();
    } catch (ArithmeticException e) {
      throw error(StorageException.Kind.INVALID_ARGUMENT, "expiry out of range: " + t);
    }
  }
}
