package io.tarn.s3.xml;

/**
 * GetBucketLocation response (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html):
 * the region as the element's text, and an empty element for us-east-1.
 *
 * @param region the bucket's region; {@code null}, {@code ""} or {@code us-east-1} give an empty element
 */
public record LocationConstraint(String region) implements XmlResponse {
  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("LocationConstraint");
    if (region != null && !region.isEmpty() && !region.equals("us-east-1")) {
      w.text(region);
    }
    return w.toBytes();
  }
}
