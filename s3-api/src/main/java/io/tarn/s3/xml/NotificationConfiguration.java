package io.tarn.s3.xml;

/**
 * GetBucketNotificationConfiguration response: always empty, since Tarn's webhooks are configured
 * through the console API and are not S3 notification targets
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html).
 */
public record NotificationConfiguration() implements XmlResponse {
  @Override
  public byte[] toXml() {
    return XmlWriter.s3Document("NotificationConfiguration").toBytes();
  }
}
