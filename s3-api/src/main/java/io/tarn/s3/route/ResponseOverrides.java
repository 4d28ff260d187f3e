package io.tarn.s3.route;

/**
 * The {@code response-*} query parameters of GetObject and HeadObject, which override response
 * headers (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax).
 * Each field is the decoded value, or {@code null} when the parameter was absent.
 */
public record ResponseOverrides(
    String contentType,
    String contentLanguage,
    String expires,
    String cacheControl,
    String contentDisposition,
    String contentEncoding) {

  public static final ResponseOverrides NONE = new ResponseOverrides(null, null, null, null, null, null);

  /** Whether no override was given. */
  public boolean isEmpty() {
    return equals(NONE);
  }
}
