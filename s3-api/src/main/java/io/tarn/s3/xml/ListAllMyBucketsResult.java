package io.tarn.s3.xml;

import java.time.Instant;
import java.util.List;

/**
 * ListBuckets response (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html).
 *
 * @param owner the caller
 * @param buckets buckets in name order
 * @param continuationToken when more buckets follow, the token for the next page, else {@code null}
 * @param prefix the {@code prefix} of the request, or {@code null}
 */
public record ListAllMyBucketsResult(Owner owner, List<Bucket> buckets, String continuationToken, String prefix)
    implements XmlResponse {

  public ListAllMyBucketsResult {
    buckets = List.copyOf(buckets);
  }

  /**
   * @param name bucket name
   * @param creationDate creation time
   * @param bucketRegion the bucket's region, or {@code null} to omit
   */
  public record Bucket(String name, Instant creationDate, String bucketRegion) {}

  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("ListAllMyBucketsResult");
    owner.write(w, "Owner");
    w.start("Buckets");
    for (Bucket b : buckets) {
      w.start("Bucket").element("Name", b.name()).element("CreationDate", b.creationDate())
          .optional("BucketRegion", b.bucketRegion()).end();
    }
    w.end();
    return w.optional("ContinuationToken", continuationToken).optional("Prefix", prefix).toBytes();
  }
}
