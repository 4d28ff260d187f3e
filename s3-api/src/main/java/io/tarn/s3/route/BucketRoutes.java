package io.tarn.s3.route;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.util.Map;

/** Dispatch of service-level ({@code /}) and bucket-level ({@code /bucket}) requests. */
final class BucketRoutes {
  static final int MAX_LIST = 1000;

  private BucketRoutes() {}

  /** {@code /}: only ListBuckets (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html). */
  static S3Operation service(Method method, Query q) {
    if (method != Method.GET) {
      throw Subresources.methodNotAllowed();
    }
    int maxBuckets = q.has("max-buckets") ? Query.parseInt("max-buckets", q.get("max-buckets"), 1, 10000) : 0;
    return new S3Operation.ListBuckets(
        q.nonEmpty("prefix"), maxBuckets, q.nonEmpty("continuation-token"), q.nonEmpty("bucket-region"));
  }

  static S3Operation route(Method method, String bucket, Query q, RequestHeaders h) {
    for (String name : Subresources.OBJECT_ONLY) {
      if (q.has(name)) {
        throw new S3Exception(S3Error.INVALID_REQUEST, "The ?" + name + " parameter requires an object key.");
      }
    }
    String sub = Subresources.single(q, Subresources.BUCKET);
    if (sub == null) {
      return plain(method, bucket, q, h);
    }
    switch (sub) {
      case "location":
        if (method == Method.GET) {
          return new S3Operation.GetBucketLocation(bucket);
        }
        break;
      case "acl":
        if (method == Method.GET) {
          return new S3Operation.GetBucketAcl(bucket);
        }
        if (method == Method.PUT) {
          return new S3Operation.PutBucketAcl(bucket);
        }
        break;
      case "ownershipControls":
        switch (method) {
          case GET:
            return new S3Operation.GetBucketOwnershipControls(bucket);
          case PUT:
            return new S3Operation.PutBucketOwnershipControls(bucket);
          case DELETE:
            return new S3Operation.DeleteBucketOwnershipControls(bucket);
          default:
            break;
        }
        break;
      case "notification":
        if (method == Method.GET) {
          return new S3Operation.GetBucketNotification(bucket);
        }
        break;
      case "versioning":
        if (method == Method.GET) {
          return new S3Operation.GetBucketVersioning(bucket);
        }
        break;
      case "delete":
        if (method == Method.POST) {
          return new S3Operation.DeleteObjects(bucket);
        }
        break;
      case "uploads":
        if (method == Method.GET) {
          return listUploads(bucket, q);
        }
        break;
      case "policy":
        switch (method) {
          case GET:
            return new S3Operation.GetBucketPolicy(bucket);
          case PUT:
            return new S3Operation.PutBucketPolicy(bucket);
          case DELETE:
            return new S3Operation.DeleteBucketPolicy(bucket);
          default:
            break;
        }
        break;
      case "policyStatus":
        if (method == Method.GET) {
          return new S3Operation.GetBucketPolicyStatus(bucket);
        }
        break;
      case "publicAccessBlock":
        switch (method) {
          case GET:
            return new S3Operation.GetPublicAccessBlock(bucket);
          case PUT:
            return new S3Operation.PutPublicAccessBlock(bucket);
          case DELETE:
            return new S3Operation.DeletePublicAccessBlock(bucket);
          default:
            break;
        }
        break;
      default:
        throw new AssertionError(sub);
    }
    throw Subresources.methodNotAllowed();
  }

  private static S3Operation plain(Method method, String bucket, Query q, RequestHeaders h) {
    return switch (method) {
      case GET -> list(bucket, q);
      case HEAD -> new S3Operation.HeadBucket(bucket);
      case PUT -> new S3Operation.CreateBucket(Router.validBucketName(bucket));
      case DELETE -> new S3Operation.DeleteBucket(bucket);
      case POST -> new S3Operation.PostObject(bucket, formBoundary(h.get("Content-Type")));
    };
  }

  /**
   * The boundary of a POST Object form: S3 takes only {@code multipart/form-data} at {@code POST
   * /bucket}, and answers anything else with 412 PreconditionFailed naming that condition
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html: "The enclosure type
   * (enctype) must be specified and must be set to multipart/form-data").
   */
  static String formBoundary(String contentType) {
    String type = contentType == null ? "" : contentType;
    int semi = type.indexOf(';');
    if (!(semi < 0 ? type : type.substring(0, semi)).trim().equalsIgnoreCase("multipart/form-data")) {
      throw new S3Exception(S3Error.PRECONDITION_FAILED,
          "At least one of the pre-conditions you specified did not hold",
          Map.of("Condition", "Bucket POST must be of the enclosure-type multipart/form-data"));
    }
    for (String param : type.substring(semi + 1).split(";")) {
      int eq = param.indexOf('=');
      if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
        String b = param.substring(eq + 1).trim();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        if (!b.isEmpty() && b.length() <= 70) {
          return b;
        }
      }
    }
    throw new S3Exception(S3Error.MALFORMED_POST_REQUEST);
  }

  private static S3Operation list(String bucket, Query q) {
    String listType = q.get("list-type");
    String prefix = q.get("prefix") == null ? "" : q.get("prefix");
    int maxKeys = q.intParam("max-keys", MAX_LIST, 0, Integer.MAX_VALUE, MAX_LIST);
    boolean url = urlEncoding(q);
    if (listType == null) {
      return new S3Operation.ListObjects(bucket, prefix, q.nonEmpty("delimiter"), q.nonEmpty("marker"), maxKeys, url);
    }
    if (!listType.equals("2")) {
      throw Query.invalidArgument("list-type", listType, "Invalid list type specified in Request");
    }
    // An empty continuation-token is treated as absent, as S3 does: SDKs that pass the previous page's
    // (empty) token through unchanged must get the first page, not an error.
    return new S3Operation.ListObjectsV2(bucket, prefix, q.nonEmpty("delimiter"), q.nonEmpty("continuation-token"),
        q.nonEmpty("start-after"),
        maxKeys, url, bool(q, "fetch-owner"));
  }

  private static S3Operation listUploads(String bucket, Query q) {
    String prefix = q.get("prefix") == null ? "" : q.get("prefix");
    int maxUploads = q.intParam("max-uploads", MAX_LIST, 0, Integer.MAX_VALUE, MAX_LIST);
    return new S3Operation.ListMultipartUploads(bucket, prefix, q.nonEmpty("delimiter"), q.nonEmpty("key-marker"),
        q.nonEmpty("upload-id-marker"), maxUploads, urlEncoding(q));
  }

  /**
   * {@code encoding-type}: S3 accepts only {@code url}
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html#API_ListObjectsV2_RequestSyntax).
   */
  static boolean urlEncoding(Query q) {
    String v = q.get("encoding-type");
    if (v == null) {
      return false;
    }
    if (!v.equals("url")) {
      throw Query.invalidArgument("encoding-type", v, "Invalid Encoding Method specified in Request");
    }
    return true;
  }

  private static boolean bool(Query q, String name) {
    String v = q.get(name);
    if (v == null) {
      return false;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid " + name + " value: expected true or false.",
        Map.of("ArgumentName", name, "ArgumentValue", v));
  }
}
