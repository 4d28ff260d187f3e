package io.tarn.console.session;

import io.tarn.core.Ids;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that signed
 * in with an access key gets {@code tarn_device}, which says "this browser signed in with this key id
 * before". {@link SignInThrottle} lets a sign-in carrying a valid one for the same key id past the
 * key's lock-out (counting that device's failures instead), so that someone failing sign-ins with a
 * key id they merely know cannot keep the key's owner out.
 *
 * <p>The value is self-verifying, so the server stores nothing per device:
 * {@code v1.<key id, base64url>.<issued, epoch seconds>.<nonce, 16 random bytes base64url>.<HMAC-SHA256>},
 * the MAC over the first four parts under a secret held in memory, random per process: sessions end
 * at a restart anyway, and a restart only turns old device cookies into plain sign-ins (the per-key
 * rule applies to them again). The cookie goes only to the sign-in endpoint ({@code Path}), never to
 * script ({@code HttpOnly}), never cross-site ({@code SameSite=Strict}), over TLS only when browsers
 * reach the server over TLS ({@code Secure}, {@link SessionOptions#secureCookies}). Neither a value nor the secret is ever logged. Thread-safe.
 */
final class DeviceCookies {
  static final String NAME = "tarn_device";
  /** The sign-in endpoint: the only request that needs the cookie. */
  static final String PATH = "/_tarn/api/v1/session";
  static final Duration MAX_AGE = Duration.ofDays(30);
  /** A cookie dated this far after now is not ours (a clock step back at most). */
  private static final Duration FUTURE_SKEW = Duration.ofMinutes(5);
  private static final String VERSION = "v1";
  private static final int NONCE_BYTES = 16;
  /** Longer values are not ours; bounds the work a request can ask for. */
  private static final int MAX_VALUE_CHARS = 512;
  /** At most this many {@code tarn_device} cookies of one request are checked. */
  private static final int MAX_CANDIDATES = 4;
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec secret;

  /** A verified device cookie: the key id it was issued for and its nonce, the device's name. */
  record Device(String accessKeyId, String nonce) {
    @Override
    public String toString() {
      return "Device[" + accessKeyId + ", nonce hidden]";
    }
  }

  /** @param secret the MAC key (32 bytes or more) */
  DeviceCookies(byte[] secret) {
    if (Objects.requireNonNull(secret, "secret").length < 32) {
      throw new IllegalArgumentException("a device cookie secret has at least 32 bytes");
    }
    this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
  }

  /** With a random secret of this process's own. */
  static DeviceCookies withRandomSecret() {
    return new DeviceCookies(Ids.randomBytes(32));
  }

  /** A new cookie value (fresh nonce) for a browser that just signed in with {@code accessKeyId}. */
  String issue(String accessKeyId, Instant now) {
    String payload = VERSION + "." + B64URL.encodeToString(accessKeyId.getBytes(StandardCharsets.UTF_8)) + "."
        + now.getEpochSecond() + "." + B64URL.encodeToString(Ids.randomBytes(NONCE_BYTES));
    return payload + "." + B64URL.encodeToString(mac(payload));
  }

  /** The {@code Set-Cookie} value that gives the browser {@code value}. */
  static String setCookie(String value, boolean secure) {
    return NAME + "=" + value + "; Path=" + PATH + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
        + "; Max-Age=" + MAX_AGE.toSeconds();
  }

  /**
   * The device of a {@code tarn_device} cookie in {@code cookieHeader} issued by this process for
   * {@code accessKeyId} and not expired at {@code now}; empty when there is none (no cookie, a forged,
   * altered, expired or malformed one, or one for another key id: all alike).
   */
  Optional<Device> verify(String cookieHeader, String accessKeyId, Instant now) {
    List<String> values = Cookies.values(cookieHeader, NAME);
    for (int i = 0; i < values.size() && i < MAX_CANDIDATES; i++) {
      Optional<Device> d = verifyValue(values.get(i), now);
      if (d.isPresent() && d.get().accessKeyId().equals(accessKeyId)) {
        return d;
      }
    }
    return Optional.empty();
  }

  /** The device of one cookie value, whatever its key id, if this process issued it and it has not expired. */
  Optional<Device> verifyValue(String value, Instant now) {
    if (value.length() > MAX_VALUE_CHARS) {
      return Optional.empty();
    }
    int macDot = value.lastIndexOf('.');
    if (macDot < 0) {
      return Optional.empty();
    }
    String payload = value.substring(0, macDot);
    // Checked before anything in the payload is believed; constant time in the MAC's content. The text
    // is compared, not its decoding: a decoder ignores the last character's spare bits, so two spellings
    // would decode to the same MAC, and a cookie has exactly one.
    byte[] expected = B64URL.encodeToString(mac(payload)).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, value.substring(macDot + 1).getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    String[] parts = payload.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals(VERSION)) {
      return Optional.empty();
    }
    try {
      Instant issued = Instant.ofEpochSecond(Long.parseLong(parts[2]));
      if (issued.isAfter(now.plus(FUTURE_SKEW)) || !now.isBefore(issued.plus(MAX_AGE))) {
        return Optional.empty();
      }
      return Optional.of(new Device(new String(B64URL_DECODER.decode(parts[1]), StandardCharsets.UTF_8), parts[3]));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      return Optional.empty(); // cannot happen for a value we signed; kept total all the same
    }
  }

  private byte[] mac(String payload) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(secret);
      return m.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
