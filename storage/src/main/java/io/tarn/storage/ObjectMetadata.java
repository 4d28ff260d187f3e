package io.tarn.storage;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The HTTP-visible metadata stored with an object. Any field may be {@code null} (not set), except
 * {@code userMetadata}, whose keys are lower-case names without the {@code x-amz-meta-} prefix.
 */
public record ObjectMetadata(
    String contentType,
    String contentEncoding,
    String contentDisposition,
    String contentLanguage,
    String cacheControl,
    String expires,
    SortedMap<String, String> userMetadata) {

  public static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

  public ObjectMetadata {
    userMetadata = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(userMetadata));
  }

  public static ObjectMetadata of(String contentType, Map<String, String> userMetadata) {
    return new ObjectMetadata(contentType, null, null, null, null, null, new TreeMap<>(userMetadata));
  }

  /** Content type to serve: the stored one, or {@value #DEFAULT_CONTENT_TYPE}. */
  public String effectiveContentType() {
    return contentType == null ? DEFAULT_CONTENT_TYPE : contentType;
  }
}
