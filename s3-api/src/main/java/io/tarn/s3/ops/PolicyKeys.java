package io.tarn.s3.ops;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tarn.s3.route.S3Operation;
import io.tarn.s3.route.S3Operation.ListObjects;
import io.tarn.s3.route.S3Operation.ListObjectsV2;
import io.tarn.storage.access.policy.PolicyRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The condition keys of one request, as a bucket policy reads them: the global keys
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html) and S3's
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys).
 * docs/access/policies.md ("Keys Tarn fills") is the contract; a key the request does not have is
 * absent, so that {@code Null} and {@code ...IfExists} mean what they mean on AWS. Only computed for
 * buckets that have a policy.
 */
final class PolicyKeys {
  /** Request headers that are S3 condition keys of the same name, when present. */
  private static final List<String> HEADER_KEYS = List.of("x-amz-acl", "x-amz-grant-read", "x-amz-grant-write",
      "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control", "x-amz-copy-source",
      "x-amz-metadata-directive", "x-amz-storage-class", "x-amz-content-sha256",
      "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-object-ownership");

  private PolicyKeys() {}

  static Map<String, List<String>> of(S3Operation op, Call call, Instant now) {
    return of(op, call, now, null);
  }

  /**
   * The keys of {@code wanted} (lower-cased names; null: every key): a policy's conditions and variables
   * name a few keys, and computing the rest (the time as text, header lookups, the query) for every
   * request cost more than evaluating the policy.
   */
  static Map<String, List<String>> of(S3Operation op, Call call, Instant now, Set<String> wanted) {
    Map<String, List<String>> keys = new HashMap<>();
    HttpHeaders h = call.headers();
    PolicyRequest.addGlobalKeys(keys, call.head().sourceIp(), call.head().tls(), now, wanted);
    if (wants(wanted, "aws:referer")) {
      put(keys, "aws:Referer", h.get("Referer"));
    }
    if (wants(wanted, "aws:useragent")) {
      put(keys, "aws:UserAgent", h.get("User-Agent"));
    }
    for (String name : HEADER_KEYS) {
      if (wants(wanted, "s3:" + name)) {
        put(keys, "s3:" + name, h.get(name));
      }
    }
    boolean form = call.head().method() == HttpMethod.POST && op instanceof S3Operation.PutObject;
    if (call.auth() != null && call.auth().accessKey() != null) { // an unsigned request has neither key
      // https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html. A form's
      // signature is in its fields, which the keys do not see: its signature version is left absent.
      if (!form && wants(wanted, "s3:signatureversion")) {
        put(keys, "s3:signatureversion", signatureVersion(call));
      }
      if (wants(wanted, "s3:authtype")) {
        put(keys, "s3:authType", form ? "POST" : call.auth().presigned() ? "REST-QUERY-STRING" : "REST-HEADER");
      }
    }
    if (!(wants(wanted, "s3:prefix") || wants(wanted, "s3:delimiter") || wants(wanted, "s3:max-keys")
        || wants(wanted, "s3:versionid"))) {
      return keys;
    }
    String query = call.head().rawQuery();
    Map<String, List<String>> params = query == null ? Map.of()
        : new QueryStringDecoder(query, false).parameters();
    if (op instanceof ListObjects l) {
      listing(keys, l.prefix(), l.delimiter(), params);
    } else if (op instanceof ListObjectsV2 l) {
      listing(keys, l.prefix(), l.delimiter(), params);
    }
    if (op instanceof S3Operation.ObjectOperation && params.containsKey("versionId")) {
      put(keys, "s3:VersionId", params.get("versionId").get(0));
    }
    return keys;
  }

  private static boolean wants(Set<String> wanted, String lowerKey) {
    return wanted == null || wanted.contains(lowerKey);
  }

  /**
   * s3:prefix is always there (empty when the request has none: AWS's examples allow listing the root
   * with {@code "s3:prefix": ""}); s3:delimiter and s3:max-keys only when the request has them.
   */
  private static void listing(Map<String, List<String>> keys, String prefix, String delimiter,
      Map<String, List<String>> params) {
    put(keys, "s3:prefix", prefix);
    put(keys, "s3:delimiter", delimiter);
    List<String> max = params.get("max-keys");
    if (max != null && !max.isEmpty()) {
      put(keys, "s3:max-keys", max.get(0));
    }
  }

  /** {@code AWS4-HMAC-SHA256} for Signature Version 4, {@code AWS} for version 2, by the request's form. */
  private static String signatureVersion(Call call) {
    String auth = call.headers().get("Authorization");
    if (auth != null) {
      return auth.regionMatches(true, 0, "AWS4-", 0, 5) ? "AWS4-HMAC-SHA256" : "AWS";
    }
    String q = call.head().rawQuery();
    return q != null && q.toLowerCase(Locale.ROOT).contains("x-amz-algorithm=") ? "AWS4-HMAC-SHA256" : "AWS";
  }

  private static void put(Map<String, List<String>> keys, String key, String value) {
    if (value != null) {
      keys.put(key, List.of(value));
    }
  }
}
