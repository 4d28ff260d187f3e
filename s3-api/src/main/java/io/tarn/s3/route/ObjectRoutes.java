package io.tarn.s3.route;

import io.tarn.core.ObjectKeys;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Dispatch of object-level ({@code /bucket/key}) requests. */
final class ObjectRoutes {
  static final String COPY_SOURCE = "x-amz-copy-source";
  private static final int MAX_PART_NUMBER = 10000;

  private ObjectRoutes() {}

  static S3Operation route(Method method, String bucket, String key, Query q, RequestHeaders h) {
    checkVersion(q.get("versionId"));
    for (String name : Subresources.BUCKET) {
      if (!Subresources.OBJECT.contains(name) && q.has(name)) {
        throw Subresources.methodNotAllowed(); // ?location, ?notification, ?delete on an object
      }
    }
    String sub = Subresources.single(q, Subresources.OBJECT);
    if (sub == null) {
      return plain(method, bucket, key, q, h);
    }
    S3Operation op = switch (sub) {
      case "acl" -> method == Method.GET ? new S3Operation.GetObjectAcl(bucket, key)
          : method == Method.PUT ? new S3Operation.PutObjectAcl(bucket, key) : null;
      case "attributes" -> method == Method.GET ? attributes(bucket, key, h) : null;
      case "uploads" -> method == Method.POST ? new S3Operation.CreateMultipartUpload(bucket, key) : null;
      case "uploadId" -> upload(method, bucket, key, q.get("uploadId"), q, h);
      default -> throw new AssertionError(sub);
    };
    if (op == null) {
      throw Subresources.methodNotAllowed();
    }
    return op;
  }

  private static S3Operation plain(Method method, String bucket, String key, Query q, RequestHeaders h) {
    return switch (method) {
      case GET -> new S3Operation.GetObject(bucket, key, readPartNumber(q, h), overrides(q));
      case HEAD -> new S3Operation.HeadObject(bucket, key, readPartNumber(q, h), overrides(q));
      case PUT -> {
        if (q.has("partNumber")) {
          // Most likely an UploadPart that lost its uploadId: storing the part as the object would
          // silently replace it.
          throw new S3Exception(S3Error.INVALID_REQUEST, "The partNumber parameter requires an uploadId.");
        }
        String copy = h.get(COPY_SOURCE);
        yield copy == null ? new S3Operation.PutObject(bucket, key)
            : new S3Operation.CopyObject(bucket, key, copySource(copy));
      }
      case DELETE -> new S3Operation.DeleteObject(bucket, key);
      case POST -> throw Subresources.methodNotAllowed();
    };
  }

  /** Multipart operations on one upload, selected by method (UploadPart is PUT). */
  private static S3Operation upload(Method method, String bucket, String key, String uploadId, Query q, RequestHeaders h) {
    return switch (method) {
      case PUT -> {
        String pn = q.get("partNumber");
        if (pn == null) {
          throw new S3Exception(S3Error.INVALID_ARGUMENT, "UploadPart requires a partNumber.",
              Map.of("ArgumentName", "partNumber", "ArgumentValue", ""));
        }
        int partNumber = partNumber(pn);
        String copy = h.get(COPY_SOURCE);
        yield copy == null ? new S3Operation.UploadPart(bucket, key, uploadId, partNumber)
            : new S3Operation.UploadPartCopy(bucket, key, uploadId, partNumber, copySource(copy));
      }
      case POST -> new S3Operation.CompleteMultipartUpload(bucket, key, uploadId);
      case DELETE -> new S3Operation.AbortMultipartUpload(bucket, key, uploadId);
      case GET -> new S3Operation.ListParts(bucket, key, uploadId,
          q.intParam("part-number-marker", 0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE),
          q.intParam("max-parts", BucketRoutes.MAX_LIST, 0, Integer.MAX_VALUE, BucketRoutes.MAX_LIST));
      case HEAD -> null;
    };
  }

  /** {@code partNumber} of GetObject/HeadObject, 0 when absent; it excludes a Range header. */
  private static int readPartNumber(Query q, RequestHeaders h) {
    String pn = q.get("partNumber");
    if (pn == null) {
      return 0;
    }
    int n = partNumber(pn);
    if (h.get("Range") != null) {
      throw new S3Exception(S3Error.INVALID_REQUEST, "Cannot specify both Range header and partNumber query parameter");
    }
    return n;
  }

  private static int partNumber(String value) {
    if (!value.matches("[0-9]{1,5}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_PART_NUMBER) {
      throw Query.invalidArgument("partNumber", value, "Part number must be an integer between 1 and 10000, inclusive");
    }
    return Integer.parseInt(value);
  }

  /**
   * Only the {@code null} version exists until versioning is implemented: any other version id names
   * a version that does not exist.
   */
  static void checkVersion(String versionId) {
    if (versionId != null && !versionId.equals("null")) {
      throw new S3Exception(S3Error.NO_SUCH_VERSION, S3Error.NO_SUCH_VERSION.defaultMessage(),
          Map.of("VersionId", versionId));
    }
  }

  private static ResponseOverrides overrides(Query q) {
    return new ResponseOverrides(override(q, "response-content-type"), override(q, "response-content-language"),
        override(q, "response-expires"), override(q, "response-cache-control"),
        override(q, "response-content-disposition"), override(q, "response-content-encoding"));
  }

  /**
   * A {@code response-*} value becomes a response header as given, so it must be a valid field value
   * (RFC 9110 section 5.5): a CR or LF would split the header, and any other control character is
   * refused by Netty's header validation. The AWS documentation does not say what S3 answers; this is
   * the client's mistake, so it is a 400 InvalidArgument naming the parameter (the value is not echoed:
   * XML 1.0 cannot carry most control characters). Leading and trailing blanks are not part of a field
   * value (RFC 9110 section 5.5) and are dropped.
   */
  private static String override(Query q, String name) {
    String value = q.get(name);
    if (value == null) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw new S3Exception(S3Error.INVALID_ARGUMENT,
            "The value of " + name + " contains a control character, which cannot be sent in a response header.",
            Map.of("ArgumentName", name));
      }
    }
    return value.strip();
  }

  /**
   * {@code x-amz-copy-source}: {@code [/]bucket/key[?versionId=id]}, URL-encoded
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html#API_CopyObject_RequestSyntax).
   * A '?' inside the key must be encoded, so the first raw '?' starts the version id.
   */
  static CopySource copySource(String header) {
    String raw = header.startsWith("/") ? header.substring(1) : header;
    if (raw.startsWith("arn:")) {
      throw new S3Exception(S3Error.NOT_IMPLEMENTED, "Access point and Outposts copy sources are not implemented.");
    }
    int question = raw.indexOf('?');
    String path = question < 0 ? raw : raw.substring(0, question);
    if (question >= 0) {
      Query sourceQuery = Query.parse(raw.substring(question + 1));
      for (String name : sourceQuery.names()) {
        if (!name.equals("versionId")) {
          throw Query.invalidArgument(COPY_SOURCE, header, "Unsupported parameter in x-amz-copy-source: " + name);
        }
      }
      checkVersion(sourceQuery.get("versionId"));
    }
    int slash = path.indexOf('/');
    if (slash <= 0 || slash == path.length() - 1) {
      throw Query.invalidArgument(COPY_SOURCE, header,
          "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
    }
    String bucket = PercentDecoder.decode(path, 0, slash, S3Error.INVALID_ARGUMENT, "x-amz-copy-source bucket");
    String key = PercentDecoder.decode(path, slash + 1, path.length(), S3Error.INVALID_ARGUMENT, "x-amz-copy-source key");
    ObjectKeys.validate(key);
    return new CopySource(bucket, key);
  }

  /**
   * GetObjectAttributes takes its parameters as headers
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html#API_GetObjectAttributes_RequestSyntax).
   */
  private static S3Operation attributes(String bucket, String key, RequestHeaders h) {
    String header = h.get("x-amz-object-attributes");
    if (header == null || header.isBlank()) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty",
          Map.of("ArgumentName", "x-amz-object-attributes", "ArgumentValue", header == null ? "" : header));
    }
    Set<ObjectAttribute> attributes = EnumSet.noneOf(ObjectAttribute.class);
    for (String name : header.split(",")) {
      ObjectAttribute a = ObjectAttribute.fromWireName(name.trim());
      if (a == null) {
        throw Query.invalidArgument("x-amz-object-attributes", header, "Invalid attribute name specified.");
      }
      attributes.add(a);
    }
    int maxParts = headerInt(h, "x-amz-max-parts", BucketRoutes.MAX_LIST, BucketRoutes.MAX_LIST);
    int marker = headerInt(h, "x-amz-part-number-marker", 0, Integer.MAX_VALUE);
    return new S3Operation.GetObjectAttributes(bucket, key, attributes, maxParts, marker);
  }

  private static int headerInt(RequestHeaders h, String name, int dflt, int cap) {
    String v = h.get(name);
    return v == null ? dflt : Math.min(cap, Query.parseInt(name, v.trim(), 0, Integer.MAX_VALUE));
  }
}
