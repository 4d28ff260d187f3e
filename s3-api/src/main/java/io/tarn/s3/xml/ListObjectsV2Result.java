package io.tarn.s3.xml;

import java.util.List;

/**
 * ListObjectsV2 response, root {@code ListBucketResult}
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html). Element order follows
 * the examples on that page: Name, Prefix, StartAfter, ContinuationToken, NextContinuationToken,
 * KeyCount, MaxKeys, Delimiter, EncodingType, IsTruncated, Contents, CommonPrefixes. KeyCount is
 * computed: objects plus common prefixes. With {@code urlEncoding}, Prefix, StartAfter, Delimiter,
 * Key and CommonPrefixes/Prefix are URL-encoded; the tokens are opaque and never encoded.
 *
 * @param bucket bucket name
 * @param prefix the request's prefix ({@code ""} when none)
 * @param startAfter the request's start-after, or {@code null} to omit
 * @param continuationToken the request's continuation-token, or {@code null} to omit
 * @param nextContinuationToken when truncated, the token of the next page, else {@code null}
 * @param maxKeys the effective max-keys
 * @param delimiter the request's delimiter, or {@code null} to omit
 * @param urlEncoding {@code encoding-type=url} was requested
 * @param truncated whether more entries follow
 * @param contents objects (with owners only when fetch-owner was requested)
 * @param commonPrefixes common prefixes
 */
public record ListObjectsV2Result(
    String bucket,
    String prefix,
    String startAfter,
    String continuationToken,
    String nextContinuationToken,
    int maxKeys,
    String delimiter,
    boolean urlEncoding,
    boolean truncated,
    List<ObjectEntry> contents,
    List<String> commonPrefixes) implements XmlResponse {

  public ListObjectsV2Result {
    contents = List.copyOf(contents);
    commonPrefixes = List.copyOf(commonPrefixes);
  }

  public int keyCount() {
    return contents.size() + commonPrefixes.size();
  }

  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("ListBucketResult")
        .element("Name", bucket)
        .element("Prefix", UrlEncoding.encodeIf(urlEncoding, prefix))
        .optional("StartAfter", UrlEncoding.encodeIf(urlEncoding, startAfter))
        .optional("ContinuationToken", continuationToken)
        .optional("NextContinuationToken", nextContinuationToken)
        .element("KeyCount", keyCount())
        .element("MaxKeys", maxKeys)
        .optional("Delimiter", UrlEncoding.encodeIf(urlEncoding, delimiter))
        .optional("EncodingType", urlEncoding ? "url" : null)
        .element("IsTruncated", truncated);
    for (ObjectEntry e : contents) {
      e.write(w, urlEncoding);
    }
    ObjectEntry.writeCommonPrefixes(w, commonPrefixes, urlEncoding);
    return w.toBytes();
  }
}
