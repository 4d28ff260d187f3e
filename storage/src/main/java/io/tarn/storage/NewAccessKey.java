package io.tarn.storage;

/**
 * A key just created: the only time its secret is handed out.
 *
 * @param info the key
 * @param secretAccessKey its secret
 */
public record NewAccessKey(AccessKeyInfo info, String secretAccessKey) {
  @Override
  public String toString() {
    return "NewAccessKey[" + info + ", secret hidden]";
  }
}
