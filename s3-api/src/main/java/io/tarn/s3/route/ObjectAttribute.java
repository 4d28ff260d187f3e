package io.tarn.s3.route;

/**
 * Values of the {@code x-amz-object-attributes} header of GetObjectAttributes
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html).
 */
public enum ObjectAttribute {
  ETAG("ETag"),
  CHECKSUM("Checksum"),
  OBJECT_PARTS("ObjectParts"),
  STORAGE_CLASS("StorageClass"),
  OBJECT_SIZE("ObjectSize");

  private final String wireName;

  ObjectAttribute(String wireName) {
    this.wireName = wireName;
  }

  /** The name as it appears in the header and as the response element, e.g. {@code ObjectParts}. */
  public String wireName() {
    return wireName;
  }

  /** The attribute with this wire name (case-insensitive), or {@code null}. */
  public static ObjectAttribute fromWireName(String name) {
    for (ObjectAttribute a : values()) {
      if (a.wireName.equalsIgnoreCase(name)) {
        return a;
      }
    }
    return null;
  }
}
