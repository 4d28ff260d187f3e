package io.tarn.s3.xml;

/**
 * GetBucketOwnershipControls' answer
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketOwnershipControls.html).
 *
 * @param objectOwnership the setting's S3 name ({@code BucketOwnerEnforced}...)
 */
public record OwnershipControls(String objectOwnership) implements XmlResponse {
  @Override
  public byte[] toXml() {
    return XmlWriter.s3Document("OwnershipControls").start("Rule").element("ObjectOwnership", objectOwnership).end()
        .end().toBytes();
  }
}
