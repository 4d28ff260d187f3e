package io.tarn.s3.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.tarn.core.AccessKey;
import io.tarn.core.Principal;
import io.tarn.core.Role;
import io.tarn.s3.auth.AuthResult;
import io.tarn.s3.auth.PayloadMode;
import io.tarn.s3.http.RequestHead;
import io.tarn.s3.route.S3Operation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The condition keys of a request: the table "Keys Tarn fills" of docs/access/policies.md. */
class PolicyKeysTest {
  private static final Instant NOW = Instant.parse("2026-12-06T15:00:00.750Z");
  private static final AccessKey KEY = new AccessKey("AKID", "secret", new Principal("a".repeat(64), "alice", "AKID",
      Role.USER));

  private static Call call(String uri, boolean tls, String ip, boolean presigned, String... headers) {
    DefaultHttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    for (int i = 0; i < headers.length; i += 2) {
      req.headers().add(headers[i], headers[i + 1]);
    }
    AuthResult auth = new AuthResult(KEY, PayloadMode.UNSIGNED, null, null, NOW, presigned);
    return new Call(new RequestHead("REQ", req, ip, tls), auth, Map.of());
  }

  private static Map<String, List<String>> keys(S3Operation op, Call call) {
    return PolicyKeys.of(op, call, NOW);
  }

  /** Only the keys a policy reads are computed: its conditions' keys and its variables'. */
  @Test
  void onlyTheKeysThePolicyReadsAreComputed() throws Exception {
    io.tarn.storage.access.policy.BucketPolicy policy = io.tarn.storage.access.policy.BucketPolicy.parse("""
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::b/home/${aws:username}/*",
          "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                        "StringLike": {"aws:Referer": "https://${s3:x-amz-acl}/*"}}}]}""", "b");
    assertEquals(java.util.Set.of("aws:sourceip", "aws:referer", "aws:username", "s3:x-amz-acl"), policy.keysUsed());
    S3Operation get = new S3Operation.GetObject("b", "k", 0, io.tarn.s3.route.ResponseOverrides.NONE);
    Map<String, List<String>> k = PolicyKeys.of(get, call("/b/k?versionId=1", false, "192.0.2.1", false,
        "Referer", "https://example.com/", "User-Agent", "curl"), NOW, policy.keysUsed());
    assertEquals(Map.of("aws:SourceIp", List.of("192.0.2.1"), "aws:Referer", List.of("https://example.com/")), k);
  }

  @Test
  void globalKeysComeFromTheConnectionTheClockAndTheHeaders() {
    S3Operation get = new S3Operation.GetObject("b", "k", 0, io.tarn.s3.route.ResponseOverrides.NONE);
    Map<String, List<String>> k = keys(get, call("/b/k", true, "fe80::1%eth0", false,
        "Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261206/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
        "Referer", "https://example.com/", "User-Agent", "aws-cli/2", "x-amz-content-sha256", "UNSIGNED-PAYLOAD"));
    assertEquals(List.of("fe80::1"), k.get("aws:SourceIp"));
    assertEquals(List.of("true"), k.get("aws:SecureTransport"));
    assertEquals(List.of("2026-12-06T15:00:00Z"), k.get("aws:CurrentTime"));
    assertEquals(List.of(Long.toString(NOW.getEpochSecond())), k.get("aws:EpochTime"));
    assertEquals(List.of("https://example.com/"), k.get("aws:Referer"));
    assertEquals(List.of("aws-cli/2"), k.get("aws:UserAgent"));
    assertEquals(List.of("AWS4-HMAC-SHA256"), k.get("s3:signatureversion"));
    assertEquals(List.of("REST-HEADER"), k.get("s3:authType"));
    assertEquals(List.of("UNSIGNED-PAYLOAD"), k.get("s3:x-amz-content-sha256"));
    assertFalse(k.containsKey("s3:x-amz-acl"), "absent headers are absent keys");
    assertFalse(k.containsKey("s3:prefix"), "only listings have s3:prefix");
    assertFalse(k.containsKey("s3:VersionId"));
  }

  @Test
  void signatureVersionAndAuthTypeFollowTheRequestsForm() {
    S3Operation get = new S3Operation.GetObject("b", "k", 0, io.tarn.s3.route.ResponseOverrides.NONE);
    Map<String, List<String>> v2 = keys(get, call("/b/k", false, "10.0.0.1", false, "Authorization", "AWS AKID:c2ln"));
    assertEquals(List.of("AWS"), v2.get("s3:signatureversion"));
    assertEquals(List.of("false"), v2.get("aws:SecureTransport"));
    Map<String, List<String>> v4q = keys(get, call("/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00&versionId=null",
        false, "10.0.0.1", true));
    assertEquals(List.of("AWS4-HMAC-SHA256"), v4q.get("s3:signatureversion"));
    assertEquals(List.of("REST-QUERY-STRING"), v4q.get("s3:authType"));
    assertEquals(List.of("null"), v4q.get("s3:VersionId"));
    Map<String, List<String>> v2q = keys(get, call("/b/k?AWSAccessKeyId=AKID&Signature=x&Expires=1", false,
        "10.0.0.1", true));
    assertEquals(List.of("AWS"), v2q.get("s3:signatureversion"));
  }

  @Test
  void anUnsignedRequestHasNoSignatureKeys() {
    S3Operation get = new S3Operation.GetObject("b", "k", 0, io.tarn.s3.route.ResponseOverrides.NONE);
    DefaultHttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/b/k");
    AuthResult anonymous = new AuthResult(null, PayloadMode.UNSIGNED, null, null, null, false);
    Map<String, List<String>> k = keys(get, new Call(new RequestHead("REQ", req, "10.0.0.1", false), anonymous,
        Map.of()));
    assertFalse(k.containsKey("s3:signatureversion"));
    assertFalse(k.containsKey("s3:authType"));
    assertEquals(List.of("10.0.0.1"), k.get("aws:SourceIp"));
  }

  @Test
  void listingsHavePrefixAndTheDelimiterAndMaxKeysTheyWereSent() {
    S3Operation list = new S3Operation.ListObjectsV2("b", "home/", "/", null, null, 1000, false, false);
    Map<String, List<String>> k = keys(list, call("/b?list-type=2&prefix=home/&delimiter=/&max-keys=20", false,
        "10.0.0.1", false, "x-amz-acl", "private"));
    assertEquals(List.of("home/"), k.get("s3:prefix"));
    assertEquals(List.of("/"), k.get("s3:delimiter"));
    assertEquals(List.of("20"), k.get("s3:max-keys"));
    assertEquals(List.of("private"), k.get("s3:x-amz-acl"));
    S3Operation plain = new S3Operation.ListObjects("b", "", null, null, 1000, false);
    Map<String, List<String>> p = keys(plain, call("/b", false, "10.0.0.1", false));
    assertEquals(List.of(""), p.get("s3:prefix"), "no prefix is the empty prefix, as AWS's examples read it");
    assertFalse(p.containsKey("s3:delimiter"));
    assertFalse(p.containsKey("s3:max-keys"), "the default is not a value the client sent");
  }
}
