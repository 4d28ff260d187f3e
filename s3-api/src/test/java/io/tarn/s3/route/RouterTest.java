package io.tarn.s3.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Router cases that do not fit the golden table: long keys, raw bytes, whole lists of names. */
class RouterTest {
  private final Router router = new Router(List.of("s3.example.com"));

  private S3Operation route(String method, String uri) {
    return router.route(method, "localhost", uri, RequestHeaders.NONE);
  }

  private S3Error error(String method, String uri) {
    return assertThrows(S3Exception.class, () -> route(method, uri)).error();
  }

  @Test
  void keyOf1024BytesIsAcceptedAnd1025Rejected() {
    String key = "k".repeat(1021) + "%E2%82%AC"; // 1021 + 3 bytes
    assertEquals("k".repeat(1021) + "€", ((S3Operation.PutObject) route("PUT", "/b/" + key)).key());
    assertEquals(S3Error.KEY_TOO_LONG, error("PUT", "/b/x" + key));
  }

  /** Netty hands the request line over one char per byte: raw UTF-8 arrives as Latin-1 chars. */
  @Test
  void rawUtf8BytesInTheRequestLineAreDecoded() {
    String raw = new String("/b/€ x".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        java.nio.charset.StandardCharsets.ISO_8859_1);
    assertEquals("€ x", ((S3Operation.GetObject) route("GET", raw)).key());
    assertEquals(S3Error.INVALID_URI, error("GET", "/b/\u20ac")); // not a wire byte
    assertEquals(S3Error.INVALID_URI, error("GET", "/b/\u00ff")); // a lone 0xFF byte is not UTF-8
  }

  @Test
  void everyUnsupportedSubresourceIsNotImplementedForEveryMethod() {
    for (String sub : Subresources.UNSUPPORTED) {
      for (String method : List.of("GET", "HEAD", "PUT", "POST", "DELETE")) {
        for (String path : List.of("/b", "/b/k")) {
          assertEquals(S3Error.NOT_IMPLEMENTED, error(method, path + "?" + sub + "=x"), method + " " + path + "?" + sub);
        }
      }
    }
  }

  @Test
  void knownParametersAreAcceptedOnWrites() {
    for (String param : Subresources.PARAMETERS) {
      if (!param.equals("partNumber") && !param.equals("versionId")) {
        assertInstanceOf(S3Operation.DeleteObject.class, route("DELETE", "/b/k?" + param + "=v"), param);
      }
    }
    assertInstanceOf(S3Operation.PutObject.class, route("PUT", "/b/k?x-amz-checksum-crc32=AAAAAA%3D%3D"));
  }

  @Test
  void errorsCarryTheArgument() {
    S3Exception e = assertThrows(S3Exception.class, () -> route("GET", "/b?max-keys=-5"));
    assertEquals(Map.of("ArgumentName", "max-keys", "ArgumentValue", "-5"), e.extra());
    S3Exception v = assertThrows(S3Exception.class, () -> route("GET", "/b/k?versionId=v1"));
    assertEquals(Map.of("VersionId", "v1"), v.extra());
  }

  @Test
  void nullOrEmptyTargetIsInvalidUri() {
    assertEquals(S3Error.INVALID_URI, error("GET", ""));
    assertEquals(S3Error.INVALID_URI, assertThrows(S3Exception.class,
        () -> router.route("GET", "localhost", null, RequestHeaders.NONE)).error());
  }

  @Test
  void nullHeadersAndNullHostMeanNone() {
    assertEquals(new S3Operation.PutObject("b", "k"), router.route("PUT", null, "/b/k", null));
  }

  @Test
  void visitorDispatchesToTheMatchingMethod() {
    S3Operation op = router.route("GET", "b.s3.example.com", "/k?uploadId=u", RequestHeaders.NONE);
    assertEquals("ListParts", op.operationName());
    assertEquals("b/k/u", op.accept(new NameVisitor()));
    assertInstanceOf(S3Operation.ObjectOperation.class, op);
  }

  @Test
  void objectAttributesIterateInEnumOrder() {
    S3Operation.GetObjectAttributes op = (S3Operation.GetObjectAttributes) router.route("GET", "localhost", "/b/k?attributes",
        RequestHeaders.of(Map.of("X-Amz-Object-Attributes", "objectsize,etag")));
    assertEquals(List.of(ObjectAttribute.ETAG, ObjectAttribute.OBJECT_SIZE), List.copyOf(op.attributes()));
  }

  @Test
  void domainsAreNormalized() {
    Router r = new Router(List.of(" S3.Example.COM. "));
    assertEquals("b", ((S3Operation.HeadBucket) r.route("HEAD", "b.s3.example.com", "/", null)).bucket());
    assertThrows(IllegalArgumentException.class, () -> new Router(List.of(" ")));
  }

  /** Exercises every Visitor method through the compiler: a missing one would not compile. */
  private static final class NameVisitor implements S3Operation.Visitor<String> {
    @Override public String listBuckets(S3Operation.ListBuckets op) { return "service"; }
    @Override public String console(S3Operation.Console op) { return op.rawUri(); }
    @Override public String createBucket(S3Operation.CreateBucket op) { return op.bucket(); }
    @Override public String headBucket(S3Operation.HeadBucket op) { return op.bucket(); }
    @Override public String deleteBucket(S3Operation.DeleteBucket op) { return op.bucket(); }
    @Override public String getBucketLocation(S3Operation.GetBucketLocation op) { return op.bucket(); }
    @Override public String listObjects(S3Operation.ListObjects op) { return op.bucket(); }
    @Override public String listObjectsV2(S3Operation.ListObjectsV2 op) { return op.bucket(); }
    @Override public String listMultipartUploads(S3Operation.ListMultipartUploads op) { return op.bucket(); }
    @Override public String deleteObjects(S3Operation.DeleteObjects op) { return op.bucket(); }
    @Override public String postObject(S3Operation.PostObject op) { return op.bucket(); }
    @Override public String getBucketAcl(S3Operation.GetBucketAcl op) { return op.bucket(); }
    @Override public String putBucketAcl(S3Operation.PutBucketAcl op) { return op.bucket(); }
    @Override public String getBucketOwnershipControls(S3Operation.GetBucketOwnershipControls op) { return op.bucket(); }
    @Override public String putBucketOwnershipControls(S3Operation.PutBucketOwnershipControls op) { return op.bucket(); }
    @Override public String deleteBucketOwnershipControls(S3Operation.DeleteBucketOwnershipControls op) {
      return op.bucket();
    }
    @Override public String getBucketNotification(S3Operation.GetBucketNotification op) { return op.bucket(); }
    @Override public String getBucketVersioning(S3Operation.GetBucketVersioning op) { return op.bucket(); }
    @Override public String putObject(S3Operation.PutObject op) { return op.key(); }
    @Override public String copyObject(S3Operation.CopyObject op) { return op.key(); }
    @Override public String getObject(S3Operation.GetObject op) { return op.key(); }
    @Override public String headObject(S3Operation.HeadObject op) { return op.key(); }
    @Override public String deleteObject(S3Operation.DeleteObject op) { return op.key(); }
    @Override public String getObjectAcl(S3Operation.GetObjectAcl op) { return op.key(); }
    @Override public String putObjectAcl(S3Operation.PutObjectAcl op) { return op.key(); }
    @Override public String getObjectAttributes(S3Operation.GetObjectAttributes op) { return op.key(); }
    @Override public String createMultipartUpload(S3Operation.CreateMultipartUpload op) { return op.key(); }
    @Override public String uploadPart(S3Operation.UploadPart op) { return op.uploadId(); }
    @Override public String uploadPartCopy(S3Operation.UploadPartCopy op) { return op.uploadId(); }
    @Override public String completeMultipartUpload(S3Operation.CompleteMultipartUpload op) { return op.uploadId(); }
    @Override public String abortMultipartUpload(S3Operation.AbortMultipartUpload op) { return op.uploadId(); }
    @Override public String listParts(S3Operation.ListParts op) { return op.bucket() + "/" + op.key() + "/" + op.uploadId(); }
    @Override public String getBucketPolicy(S3Operation.GetBucketPolicy op) { return op.bucket(); }
    @Override public String putBucketPolicy(S3Operation.PutBucketPolicy op) { return op.bucket(); }
    @Override public String deleteBucketPolicy(S3Operation.DeleteBucketPolicy op) { return op.bucket(); }
    @Override public String getBucketPolicyStatus(S3Operation.GetBucketPolicyStatus op) { return op.bucket(); }
    @Override public String getPublicAccessBlock(S3Operation.GetPublicAccessBlock op) { return op.bucket(); }
    @Override public String putPublicAccessBlock(S3Operation.PutPublicAccessBlock op) { return op.bucket(); }
    @Override public String deletePublicAccessBlock(S3Operation.DeletePublicAccessBlock op) { return op.bucket(); }
  }
}
