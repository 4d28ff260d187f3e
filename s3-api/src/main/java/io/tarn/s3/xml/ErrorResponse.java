package io.tarn.s3.xml;

import io.tarn.core.S3Exception;
import java.util.Map;
import java.util.TreeMap;

/**
 * The S3 error document (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses).
 * Its root has no namespace, as on S3. Elements: Code, Message, the extra elements in name order,
 * Resource, RequestId, HostId.
 *
 * @param code wire code, e.g. {@code NoSuchKey}
 * @param message human-readable message
 * @param extra additional elements such as {@code BucketName}, {@code Key}, {@code ArgumentName}
 * @param resource the bucket or object path, or {@code null} to omit
 * @param requestId the request id
 * @param hostId the host id, or {@code null} to omit
 */
public record ErrorResponse(
    String code, String message, Map<String, String> extra, String resource, String requestId, String hostId)
    implements XmlResponse {

  public ErrorResponse {
    extra = Map.copyOf(extra);
  }

  /** The document for an {@link S3Exception}; its HTTP status is {@code e.error().httpStatus()}. */
  public static ErrorResponse of(S3Exception e, String resource, String requestId, String hostId) {
    return new ErrorResponse(e.error().code(), e.getMessage(), e.extra(), resource, requestId, hostId);
  }

  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.plainDocument("Error").element("Code", code).element("Message", message);
    new TreeMap<>(extra).forEach(w::element);
    return w.optional("Resource", resource).element("RequestId", requestId).optional("HostId", hostId).toBytes();
  }
}
