package io.tarn.s3.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.StoredChecksum;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every response document against its golden file under {@code golden/}. Values come from the
 * examples of the AWS API reference page of each operation where there is one.
 */
class XmlGoldenTest {
  private static final String OWNER_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";
  private static final Instant T0 = Instant.parse("2009-10-12T17:50:30Z");
  private static final Instant T_NANOS = Instant.parse("2023-01-02T03:04:05.123456789Z");
  private static final StoredChecksum CRC32 =
      new StoredChecksum(ChecksumAlgorithm.CRC32, new byte[] {0x0B, (byte) 0xAD, (byte) 0xF0, 0x0D}, 0);
  private static final StoredChecksum CRC32_B = new StoredChecksum(ChecksumAlgorithm.CRC32, new byte[] {1, 2, 3, 4}, 0);

  private static void assertGolden(String file, XmlResponse response) {
    assertEquals(Golden.document(file), new String(response.toXml(), StandardCharsets.UTF_8), file);
  }

  @Test
  void error() {
    S3Exception e = new S3Exception(S3Error.NO_SUCH_KEY, S3Error.NO_SUCH_KEY.defaultMessage(),
        Map.of("Key", "myfoto.jpg", "BucketName", "mybucket"));
    assertGolden("error-no-such-key.xml", ErrorResponse.of(e, "/mybucket/myfoto.jpg", "4442587FB7D0A2F9", "tarn-1"));
  }

  @Test
  void listAllMyBuckets() {
    assertGolden("list-all-my-buckets-result.xml", new ListAllMyBucketsResult(
        new Owner("bcaf1ffd86f461ca5fb16fd081034f", "webfile"),
        List.of(new ListAllMyBucketsResult.Bucket("quotes", Instant.parse("2006-02-03T16:45:09Z"), "us-east-1"),
            new ListAllMyBucketsResult.Bucket("samples", Instant.parse("2006-02-03T16:41:58.123999Z"), null)),
        "c2FtcGxlcw", "s"));
  }

  @Test
  void locationConstraint() {
    assertGolden("location-constraint-us-west-2.xml", new LocationConstraint("us-west-2"));
    assertGolden("location-constraint-us-east-1.xml", new LocationConstraint("us-east-1"));
    assertGolden("location-constraint-us-east-1.xml", new LocationConstraint(null));
  }

  @Test
  void notificationConfiguration() {
    assertGolden("notification-configuration.xml", new NotificationConfiguration());
  }

  @Test
  void listObjectsV1() {
    Owner owner = new Owner(OWNER_ID, "mtd@amazon.com");
    assertGolden("list-objects-v1.xml", new ListObjectsResult("bucket", "", null, null, 1000, null, false, false,
        List.of(new ObjectEntry("my-image.jpg", T0, "fba9dede5f27731c9771645a39863328", 434234, null, null, owner),
            new ObjectEntry("my-third-image.jpg", T0, "1b2cf535f27731c974343645a3985328-2", 64994,
                ChecksumAlgorithm.CRC32, "COMPOSITE", owner)),
        List.of()));
  }

  @Test
  void listObjectsV1WithDelimiter() {
    assertGolden("list-objects-v1-delimiter.xml", new ListObjectsResult("example-bucket", "photos/2006/",
        "photos/2006/A", "photos/2006/February/", 2, "/", false, true, List.of(),
        List.of("photos/2006/February/", "photos/2006/January/")));
  }

  @Test
  void listObjectsV2() {
    assertGolden("list-objects-v2.xml", new ListObjectsV2Result("quotes", "E", "ExampleGuide.pdf",
        "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=", "2ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=", 1, null,
        false, true,
        List.of(new ObjectEntry("ExampleObject.txt", Instant.parse("2013-09-17T18:07:53Z"),
            "599bab3ed2c697f1d26842727561fd94", 857, ChecksumAlgorithm.CRC64NVME, "FULL_OBJECT", null)),
        List.of()));
  }

  /** encoding-type=url: '+' -> %2B, ' ' -> %20, '/' kept (s3-tests test_bucket_list_encoding_basic). */
  @Test
  void listObjectsV2UrlEncoded() {
    String empty = "d41d8cd98f00b204e9800998ecf8427e";
    assertGolden("list-objects-v2-url-encoded.xml", new ListObjectsV2Result("bucket", "€ ", "a+b", null, null, 1000,
        "/", true, false,
        List.of(new ObjectEntry("€ asdf+b", T_NANOS, empty, 0, null, null, null),
            new ObjectEntry("€ test_file(3).png", T_NANOS, empty, 0, null, null, null),
            new ObjectEntry("€ \u0001\r\n%~-_.<>&\"'", T_NANOS, empty, 0, null, null, null)),
        List.of("€ foo+1/", "€ quux ab/")));
  }

  /** Without encoding-type, characters XML 1.0 cannot carry become character references, as on S3. */
  @Test
  void listObjectsV2ControlCharacters() {
    assertGolden("list-objects-v2-control-chars.xml", new ListObjectsV2Result("bucket", "", null, null, null, 1000,
        null, false, false,
        List.of(new ObjectEntry("a\u0001b\rc\td<e>f&g\"h'i€😀", T_NANOS, "d41d8cd98f00b204e9800998ecf8427e", 0,
            null, null, new Owner(OWNER_ID, null))),
        List.of()));
  }

  @Test
  void deleteResult() {
    assertGolden("delete-result.xml", new DeleteResult(List.of(
        new DeleteResult.Deleted("sample1.txt", null),
        new DeleteResult.Failed("sample2.txt", null, "AccessDenied", "Access Denied"),
        new DeleteResult.Deleted("sample3.txt", "null"),
        DeleteResult.Failed.of("sample4.txt", "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", S3Error.NO_SUCH_VERSION))));
  }

  @Test
  void copyResults() {
    Instant t = Instant.parse("2009-10-28T22:32:00Z");
    assertGolden("copy-object-result.xml", new CopyObjectResult("9b2cf535f27731c974343645a3985328", t, CRC32));
    assertGolden("copy-part-result.xml", new CopyPartResult("\"9b2cf535f27731c974343645a3985328\"", t, null));
  }

  @Test
  void multipartUploadResults() {
    assertGolden("initiate-multipart-upload-result.xml", new InitiateMultipartUploadResult("example-bucket",
        "example-object", "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA"));
    byte[] sha = new byte[32];
    for (int i = 0; i < sha.length; i++) {
      sha[i] = (byte) i;
    }
    assertGolden("complete-multipart-upload-result.xml", new CompleteMultipartUploadResult(
        "http://example-bucket.s3.example.com/example-object", "example-bucket", "example-object",
        "3858f62230ac3c915f300c664312c11f-9", new StoredChecksum(ChecksumAlgorithm.SHA256, sha, 9)));
  }

  @Test
  void listParts() {
    assertGolden("list-parts-result.xml", new ListPartsResult("example-bucket", "example-object",
        "XXBsb2FkIElEIGZvciBlbHZpbmcncyVcdS1tb3ZpZS5tMnRzEEEwbG9hZA", new Owner(OWNER_ID, "umat-user"),
        new Owner(OWNER_ID, "someName"), 1, 3, 2, true, ChecksumAlgorithm.CRC32, "COMPOSITE",
        List.of(new ListPartsResult.Part(2, Instant.parse("2010-11-10T20:48:34Z"), "7778aef83f66abc1fa1e8477f296d394",
                10485760, CRC32),
            new ListPartsResult.Part(3, Instant.parse("2010-11-10T20:48:33Z"), "aaaa18db4cc2f85cedef654fccc4a4x8",
                10485760, CRC32_B))));
  }

  @Test
  void listMultipartUploads() {
    String id = "Xgw4MJT6ZPAVxpY0SAuGN7q4uWJJM22ZYg1W99trdp4tpO88.PT6.MhO0w2E17eutfAvQfQWoajgE_W2gpcxQw--";
    assertGolden("list-multipart-uploads-result.xml", new ListMultipartUploadsResult("example-bucket", null, null,
        "photos/2006/sample.jpg", id, "/", "photos/2006/", 2, false, true,
        List.of(new ListMultipartUploadsResult.Upload("photos/2006/sample.jpg", id,
            new Owner("arn:aws:iam::111122223333:user/some-user", "some-user"), new Owner(OWNER_ID, "OwnerDisplayName"),
            Instant.parse("2010-11-26T19:24:17Z"), ChecksumAlgorithm.SHA256, "COMPOSITE")),
        List.of("photos/2006/February/")));
  }

  @Test
  void listMultipartUploadsUrlEncoded() {
    Owner o = new Owner(OWNER_ID, null);
    assertGolden("list-multipart-uploads-result-url-encoded.xml", new ListMultipartUploadsResult("example-bucket",
        "a b", "u1", null, null, null, "", 1000, true, false,
        List.of(new ListMultipartUploadsResult.Upload("c+d", "u2", o, o, Instant.parse("2010-11-26T19:24:17Z"), null,
            null)),
        List.of()));
  }

  @Test
  void accessControlPolicy() {
    assertGolden("access-control-policy.xml", new AccessControlPolicy(new Owner(OWNER_ID, "CustomersName@amazon.com"),
        List.of(new AccessControlPolicy.Grant(
            AccessControlPolicy.Grantee.canonicalUser(OWNER_ID, "CustomersName@amazon.com"),
            AccessControlPolicy.Permission.FULL_CONTROL))));
  }

  @Test
  void getObjectAttributes() {
    assertGolden("get-object-attributes-response.xml", new GetObjectAttributesResponse(
        "3858f62230ac3c915f300c664312c11f-2", new StoredChecksum(ChecksumAlgorithm.CRC32, new byte[] {1, 2, 3, 4}, 2),
        new GetObjectAttributesResponse.ObjectParts(2, 0, 1, 1, true,
            List.of(new GetObjectAttributesResponse.Part(1, 5242880, CRC32))),
        "STANDARD", 5242890L));
    assertGolden("get-object-attributes-response-size-only.xml",
        new GetObjectAttributesResponse(null, null, null, null, 0L));
  }
}
