package io.tarn.s3.xml;

import java.util.List;

/**
 * ListObjects (version 1) response, root {@code ListBucketResult}
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html). With {@code urlEncoding},
 * Prefix, Marker, NextMarker, Delimiter, Key and CommonPrefixes/Prefix are URL-encoded
 * ({@link UrlEncoding}) and {@code <EncodingType>url</EncodingType>} is added.
 *
 * @param bucket bucket name
 * @param prefix the request's prefix ({@code ""} when none)
 * @param marker the request's marker, or {@code null} (written empty)
 * @param nextMarker when truncated, where to resume (S3 sends it when a delimiter was given), or {@code null}
 * @param maxKeys the effective max-keys
 * @param delimiter the request's delimiter, or {@code null} to omit
 * @param urlEncoding {@code encoding-type=url} was requested
 * @param truncated whether more entries follow
 * @param contents objects (V1 listings include owners)
 * @param commonPrefixes common prefixes
 */
public record ListObjectsResult(
    String bucket,
    String prefix,
    String marker,
    String nextMarker,
    int maxKeys,
    String delimiter,
    boolean urlEncoding,
    boolean truncated,
    List<ObjectEntry> contents,
    List<String> commonPrefixes) implements XmlResponse {

  public ListObjectsResult {
    contents = List.copyOf(contents);
    commonPrefixes = List.copyOf(commonPrefixes);
  }

  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("ListBucketResult")
        .element("Name", bucket)
        .element("Prefix", UrlEncoding.encodeIf(urlEncoding, prefix))
        .element("Marker", UrlEncoding.encodeIf(urlEncoding, marker))
        .optional("NextMarker", UrlEncoding.encodeIf(urlEncoding, nextMarker))
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
