package io.tarn.storage;

/**
 * A token just created: the only time its value is handed out (only its hash is stored).
 *
 * @param info the token
 * @param token the bearer value, {@code tarn_} and 43 URL-safe base64 characters
 */
public record NewApiToken(TokenInfo info, String token) {
  @Override
  public String toString() {
    return "NewApiToken[" + info + ", token hidden]";
  }
}
