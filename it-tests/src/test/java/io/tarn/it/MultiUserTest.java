package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.AdminClient;
import io.tarn.it.support.AdminClient.User;
import io.tarn.it.support.ResponseHeaderAudit;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Tarn is multi-user: every S3 operation of the core issue, tried by the bucket's owner, a user
 * granted read, a user granted read-write, a user with no grant and an anonymous caller, has the
 * result its access allows; key and user changes take effect on the next request; secrets are
 * encrypted at rest.
 */
class MultiUserTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();

  private static AdminClient admin;
  private static User alice;
  private static User bob;
  private static String aliceBucket;
  private static String bobBucket;
  private static final List<S3Client> CLIENTS = new ArrayList<>();

  /** What an operation needs on its bucket. */
  enum Need { READ, WRITE, OWNER }

  /** One S3 operation on {@code bucket} (whose object "obj" exists), run by {@code s3}. */
  record Op(String name, Need need, BiConsumer<S3Client, String> run) {}

  @BeforeAll
  static void users() {
    admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    String run = Long.toString(System.nanoTime() & 0xfffff, 36);
    alice = admin.createUser("alice-" + run, "user");
    bob = admin.createUser("bob-" + run, "user");
    aliceBucket = TestData.bucketName("alice");
    bobBucket = TestData.bucketName("bob");
    client(alice).createBucket(r -> r.bucket(aliceBucket));
    client(bob).createBucket(r -> r.bucket(bobBucket));
    // bob may read alice's bucket; alice may read and write bob's.
    admin.expect(200, "PUT", "/buckets/" + aliceBucket + "/grants/" + bob.name(), Map.of("permission", "read"));
    admin.expect(200, "PUT", "/buckets/" + bobBucket + "/grants/" + alice.name(), Map.of("permission", "read-write"));
  }

  @AfterAll
  static void closeClients() {
    CLIENTS.forEach(S3Client::close);
  }

  private static S3Client client(User u) {
    S3Client c = S3Clients.pathStyle(TARN.port(), S3Clients.credentials(u.accessKey(), u.secretKey()), new ResponseHeaderAudit());
    CLIENTS.add(c);
    return c;
  }

  private static S3Client anonymous() {
    S3Client c = S3Clients.pathStyle(TARN.port(), AnonymousCredentialsProvider.create(), new ResponseHeaderAudit());
    CLIENTS.add(c);
    return c;
  }

  /** Puts "obj" (and "victim", which write operations may delete) into {@code bucket} as root. */
  private static void seed(String bucket) {
    TARN.s3().putObject(r -> r.bucket(bucket).key("obj"), RequestBody.fromString("original"));
    TARN.s3().putObject(r -> r.bucket(bucket).key("victim"), RequestBody.fromString("victim"));
  }

  private static String upload(String bucket) {
    return TARN.s3().createMultipartUpload(r -> r.bucket(bucket).key("mp")).uploadId();
  }

  private static List<Op> operations() {
    return List.of(
        new Op("HeadBucket", Need.READ, (s3, b) -> s3.headBucket(r -> r.bucket(b))),
        new Op("GetBucketLocation", Need.READ, (s3, b) -> s3.getBucketLocation(r -> r.bucket(b))),
        new Op("ListObjects", Need.READ, (s3, b) -> s3.listObjects(r -> r.bucket(b))),
        new Op("ListObjectsV2", Need.READ, (s3, b) -> s3.listObjectsV2(r -> r.bucket(b))),
        new Op("ListMultipartUploads", Need.READ, (s3, b) -> s3.listMultipartUploads(r -> r.bucket(b))),
        // Tarn's read and read-write grants are the ACL's READ and WRITE, which do not include reading or
        // writing ACLs (READ_ACP, WRITE_ACP): only the owner may, as on S3.
        new Op("GetBucketAcl", Need.OWNER, (s3, b) -> s3.getBucketAcl(r -> r.bucket(b))),
        new Op("GetObject", Need.READ, (s3, b) -> s3.getObjectAsBytes(r -> r.bucket(b).key("obj"))),
        new Op("HeadObject", Need.READ, (s3, b) -> s3.headObject(r -> r.bucket(b).key("obj"))),
        new Op("GetObjectAcl", Need.OWNER, (s3, b) -> s3.getObjectAcl(r -> r.bucket(b).key("obj"))),
        new Op("GetObjectAttributes", Need.READ, (s3, b) -> s3.getObjectAttributes(r -> r.bucket(b).key("obj")
            .objectAttributes(ObjectAttributes.E_TAG))),
        new Op("ListParts", Need.READ, (s3, b) -> {
          String id = upload(b);
          s3.listParts(r -> r.bucket(b).key("mp").uploadId(id));
        }),
        new Op("PutObject", Need.WRITE, (s3, b) -> s3.putObject(r -> r.bucket(b).key("new"), RequestBody.fromString("x"))),
        new Op("CopyObject", Need.WRITE, (s3, b) -> s3.copyObject(r -> r.sourceBucket(b).sourceKey("obj")
            .destinationBucket(b).destinationKey("copy"))),
        new Op("DeleteObject", Need.WRITE, (s3, b) -> s3.deleteObject(r -> r.bucket(b).key("victim"))),
        new Op("DeleteObjects", Need.WRITE, (s3, b) -> s3.deleteObjects(r -> r.bucket(b)
            .delete(d -> d.objects(ObjectIdentifier.builder().key("victim").build())))),
        new Op("PutObjectAcl", Need.OWNER, (s3, b) -> s3.putObjectAcl(r -> r.bucket(b).key("obj").acl("private"))),
        new Op("CreateMultipartUpload", Need.WRITE, (s3, b) -> s3.createMultipartUpload(r -> r.bucket(b).key("mp2"))),
        new Op("UploadPart", Need.WRITE, (s3, b) -> {
          String id = upload(b);
          s3.uploadPart(r -> r.bucket(b).key("mp").uploadId(id).partNumber(1), RequestBody.fromString("part"));
        }),
        new Op("UploadPartCopy", Need.WRITE, (s3, b) -> {
          String id = upload(b);
          s3.uploadPartCopy(r -> r.sourceBucket(b).sourceKey("obj").destinationBucket(b).destinationKey("mp")
              .uploadId(id).partNumber(1));
        }),
        new Op("CompleteMultipartUpload", Need.WRITE, (s3, b) -> {
          String id = upload(b);
          String etag = TARN.s3().uploadPart(r -> r.bucket(b).key("mp").uploadId(id).partNumber(1),
              RequestBody.fromString("part")).eTag();
          s3.completeMultipartUpload(r -> r.bucket(b).key("mp").uploadId(id)
              .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        }),
        new Op("AbortMultipartUpload", Need.WRITE, (s3, b) -> {
          String id = upload(b);
          s3.abortMultipartUpload(r -> r.bucket(b).key("mp").uploadId(id));
        }),
        new Op("PutBucketAcl", Need.OWNER, (s3, b) -> s3.putBucketAcl(r -> r.bucket(b).acl("private"))),
        // Authorized, the bucket is refused as not empty: the matrix only cares who gets that far.
        new Op("DeleteBucket", Need.OWNER, (s3, b) -> s3.deleteBucket(r -> r.bucket(b))));
  }

  /** Runs the op and answers whether the caller got past authorization (anything but AccessDenied). */
  private static boolean allowed(Op op, S3Client s3, String bucket) {
    seed(bucket);
    try {
      op.run().accept(s3, bucket);
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 403) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
          assertEquals("AccessDenied", e.awsErrorDetails().errorCode(), op.name());
        }
        return false;
      }
      if (op.name().equals("DeleteBucket") && "BucketNotEmpty".equals(e.awsErrorDetails().errorCode())) {
        return true;
      }
      throw new AssertionError(op.name() + " on " + bucket + ": unexpected " + e.statusCode() + " "
          + (e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode()), e);
    }
  }

  @Test
  void everyOperationAnswersAsTheCallersAccessAllows() {
    S3Client asAlice = client(alice);
    S3Client asBob = client(bob);
    S3Client nobody = anonymous();
    String foreign = TestData.bucketName("root");
    TARN.s3().createBucket(r -> r.bucket(foreign));

    List<String> wrong = new ArrayList<>();
    for (Op op : operations()) {
      Map<String, Boolean> expected = new HashMap<>();
      Map<String, Boolean> actual = new HashMap<>();
      expected.put("owner", true);
      actual.put("owner", allowed(op, asAlice, aliceBucket));
      expected.put("granted read", op.need() == Need.READ);
      actual.put("granted read", allowed(op, asBob, aliceBucket));
      expected.put("granted read-write", op.need() != Need.OWNER);
      actual.put("granted read-write", allowed(op, asAlice, bobBucket));
      expected.put("foreign", false);
      actual.put("foreign", allowed(op, asAlice, foreign));
      expected.put("anonymous", false);
      actual.put("anonymous", allowed(op, nobody, aliceBucket));
      if (!expected.equals(actual)) {
        wrong.add(op.name() + ": expected " + expected + " but was " + actual);
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    // Refused writes changed nothing.
    assertEquals("original", TARN.s3().getObjectAsBytes(r -> r.bucket(foreign).key("obj")).asUtf8String());
  }

  @Test
  void listBucketsShowsOwnedAndGrantedBucketsOnly() {
    assertEquals(List.of(aliceBucket, bobBucket).stream().sorted().collect(Collectors.toList()), names(client(alice)));
    assertEquals(List.of(aliceBucket, bobBucket).stream().sorted().collect(Collectors.toList()), names(client(bob)));
    User carol = admin.createUser("carol-" + Long.toString(System.nanoTime() & 0xfffff, 36), "user");
    assertEquals(List.of(), names(client(carol)));
    List<String> all = names(TARN.s3());
    assertTrue(all.containsAll(List.of(aliceBucket, bobBucket)), "admins see every bucket: " + all);
  }

  private static List<String> names(S3Client s3) {
    return s3.listBuckets().buckets().stream().map(Bucket::name).sorted().collect(Collectors.toList());
  }

  @Test
  void disablingDeletingAndExpiringKeysTakeEffectOnTheNextRequest() throws InterruptedException {
    User dave = admin.createUser("dave-" + Long.toString(System.nanoTime() & 0xfffff, 36), "user");
    S3Client s3 = client(dave);
    s3.listBuckets();

    admin.expect(200, "PATCH", "/keys/" + dave.accessKey(), Map.of("enabled", false));
    assertEquals("InvalidAccessKeyId", code(() -> s3.listBuckets()));
    admin.expect(200, "PATCH", "/keys/" + dave.accessKey(), Map.of("enabled", true));
    s3.listBuckets();

    admin.expect(200, "PATCH", "/users/" + dave.name(), Map.of("enabled", false));
    assertEquals("AccessDenied", code(() -> s3.listBuckets()));
    admin.expect(200, "PATCH", "/users/" + dave.name(), Map.of("enabled", true));
    s3.listBuckets();

    Instant soon = Instant.now().plusSeconds(2);
    admin.expect(200, "PATCH", "/keys/" + dave.accessKey(), Map.of("expires", soon.toString()));
    s3.listBuckets();
    while (Instant.now().isBefore(soon.plusMillis(200))) {
      Thread.sleep(100);
    }
    assertEquals("InvalidAccessKeyId", code(() -> s3.listBuckets()));

    AdminClient.Response created = admin.call("POST", "/keys", Map.of("user", dave.name()));
    assertEquals(201, created.status(), created.text());
    S3Client second = S3Clients.pathStyle(TARN.port(), S3Clients.credentials(
        created.json().path("accessKeyId").asText(), created.json().path("secretAccessKey").asText()), new ResponseHeaderAudit());
    CLIENTS.add(second);
    second.listBuckets();
    admin.expect(204, "DELETE", "/keys/" + created.json().path("accessKeyId").asText(), null);
    assertEquals("InvalidAccessKeyId", code(() -> second.listBuckets()));
  }

  @Test
  void aUserManagesItsOwnKeysButNothingElse() {
    AdminClient asAlice = new AdminClient(TARN.port(), alice.accessKey(), alice.secretKey());
    assertEquals(alice.name(), asAlice.expect(200, "GET", "/whoami", null).path("user").path("name").asText());
    String key = asAlice.expect(201, "POST", "/keys", Map.of()).path("accessKeyId").asText();
    assertTrue(asAlice.expect(200, "GET", "/keys", null).toString().contains(key));
    assertEquals(403, asAlice.call("GET", "/users", null).status());
    assertEquals("AccessDenied", asAlice.call("POST", "/users", Map.of("name", "mallory")).errorCode());
    assertEquals(404, asAlice.call("PATCH", "/keys/" + bob.accessKey(), Map.of("enabled", false)).status());
    asAlice.expect(204, "DELETE", "/keys/" + key, null);
  }

  @Test
  void secretsAreEncryptedAtRest() throws IOException {
    User erin = admin.createUser("erin-" + Long.toString(System.nanoTime() & 0xfffff, 36), "user");
    byte[] secret = erin.secretKey().getBytes(StandardCharsets.UTF_8);
    List<Path> holding;
    try (Stream<Path> files = Files.walk(TARN.dataDir())) {
      holding = files.filter(Files::isRegularFile).filter(f -> TestData.fileContains(f, secret)).collect(Collectors.toList());
    }
    assertTrue(holding.isEmpty(), "the plain secret was found in " + holding);
    assertFalse(Files.walk(TARN.dataDir().resolve("meta")).filter(Files::isRegularFile).findAny().isEmpty(),
        "the metadata store should hold files");
  }

  private static String code(Runnable call) {
    S3Exception e = assertThrows(S3Exception.class, call::run);
    assertEquals(403, e.statusCode());
    return e.awsErrorDetails().errorCode();
  }
}
