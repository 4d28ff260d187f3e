package io.tarn.it.cli;

import static io.tarn.it.support.TestData.MIB;
import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real aws-cli: {@code aws s3} and {@code aws s3api}, with its own config and credentials files.
 * Debian's awscli (v2) is /usr/bin/aws; an {@code aws} earlier on PATH (e.g. a pyenv aws-cli v1)
 * gets a shorter round trip of its own.
 */
class AwsCliTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path home;
  private static Path aws;

  @BeforeAll
  static void configure() throws IOException {
    aws = Cli.require("aws-cli", "apt-get install awscli", candidates());
    Files.writeString(home.resolve("config"), """
        [default]
        region = us-east-1
        output = json
        s3 =
          addressing_style = path
        """);
    Files.writeString(home.resolve("credentials"), "[default]\naws_access_key_id = " + TARN.accessKey()
        + "\naws_secret_access_key = " + TARN.secretKey() + "\n");
  }

  private static Path[] candidates() {
    List<Path> c = new ArrayList<>(List.of(Path.of("/usr/bin/aws")));
    Cli.onPath("aws").ifPresent(c::add);
    return c.toArray(Path[]::new);
  }

  @Test
  void bucketAndObjectCommands(@TempDir Path work) throws IOException {
    String bucket = bucketName("awscli");
    String url = "s3://" + bucket;
    assertEquals(List.of("make_bucket: " + bucket), aws(work, "s3", "mb", url).assertSuccess().lines());
    assertTrue(aws(work, "s3", "ls").assertSuccess().lines().stream().anyMatch(l -> l.endsWith(" " + bucket)));

    Path file = Files.writeString(work.resolve("hello.txt"), "hello from aws-cli\n");
    assertEquals(List.of("upload: ./hello.txt to " + url + "/dir/hello.txt"),
        aws(work, "s3", "cp", "--no-progress", "hello.txt", url + "/dir/hello.txt").assertSuccess().lines());
    List<String> listing = aws(work, "s3", "ls", url + "/dir/").assertSuccess().lines();
    assertEquals(1, listing.size(), listing.toString());
    assertTrue(listing.get(0).matches("\\S+ \\S+\\s+19 hello.txt"), listing.get(0));

    assertEquals(List.of("download: " + url + "/dir/hello.txt to ./copy.txt"),
        aws(work, "s3", "cp", "--no-progress", url + "/dir/hello.txt", "copy.txt").assertSuccess().lines());
    assertEquals(Files.readString(file), Files.readString(work.resolve("copy.txt")));

    assertEquals(List.of("delete: " + url + "/dir/hello.txt"),
        aws(work, "s3", "rm", url + "/dir/hello.txt").assertSuccess().lines());
    // "aws s3 ls" of a prefix with nothing under it prints nothing and exits 1.
    Cli.Result empty = aws(work, "s3", "ls", url + "/dir/");
    assertEquals(1, empty.exitCode(), empty::describe);
    assertEquals(List.of(), empty.lines());

    assertEquals(List.of("remove_bucket: " + bucket), aws(work, "s3", "rb", url).assertSuccess().lines());
    assertTrue(aws(work, "s3", "ls").assertSuccess().lines().stream().noneMatch(l -> l.endsWith(" " + bucket)));
  }

  /**
   * ACLs through aws-cli: {@code put-object --acl public-read} opens an object to an unsigned curl;
   * {@code get-bucket-acl}/{@code get-object-acl} show the real owner and grants; a second user granted
   * READ by an AccessControlPolicy document reads but cannot write; BucketOwnerEnforced then refuses a
   * public-read ACL (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html).
   */
  @Test
  void aclsAndOwnershipControls(@TempDir Path work) throws IOException {
    Path curl = Cli.require("curl", "apt-get install curl", Path.of("/usr/bin/curl"));
    String bucket = bucketName("awscli-acl");
    aws(work, "s3api", "create-bucket", "--bucket", bucket).assertSuccess();
    Files.writeString(work.resolve("body.txt"), "shared\n");
    aws(work, "s3api", "put-object", "--bucket", bucket, "--key", "pub.txt", "--body", "body.txt", "--acl",
        "public-read").assertSuccess();
    aws(work, "s3api", "put-object", "--bucket", bucket, "--key", "priv.txt", "--body", "body.txt").assertSuccess();
    String base = TARN.endpoint() + "/" + bucket + "/";
    assertEquals("200", S3cmdTest.anonymousGet(curl, work, base + "pub.txt", work.resolve("got")));
    assertEquals("shared\n", Files.readString(work.resolve("got")));
    assertEquals("403", S3cmdTest.anonymousGet(curl, work, base + "priv.txt", work.resolve("no")));

    String rootId = json(aws(work, "s3api", "list-buckets").assertSuccess()).path("Owner").path("ID").asText();
    assertTrue(rootId.matches("[0-9a-f]{64}"), rootId);
    JsonNode bucketAcl = json(aws(work, "s3api", "get-bucket-acl", "--bucket", bucket).assertSuccess());
    assertEquals(rootId, bucketAcl.path("Owner").path("ID").asText());
    assertEquals(1, bucketAcl.path("Grants").size(), bucketAcl.toString());
    assertEquals("CanonicalUser", bucketAcl.path("Grants").get(0).path("Grantee").path("Type").asText());
    assertEquals(rootId, bucketAcl.path("Grants").get(0).path("Grantee").path("ID").asText());
    assertEquals("FULL_CONTROL", bucketAcl.path("Grants").get(0).path("Permission").asText());
    JsonNode objectAcl = json(aws(work, "s3api", "get-object-acl", "--bucket", bucket, "--key", "pub.txt")
        .assertSuccess());
    assertEquals(rootId, objectAcl.path("Owner").path("ID").asText());
    assertEquals(List.of("FULL_CONTROL", "READ"), texts(objectAcl.path("Grants"), "Permission"));
    assertEquals("http://acs.amazonaws.com/groups/global/AllUsers",
        objectAcl.path("Grants").get(1).path("Grantee").path("URI").asText());

    // A second user, granted READ on the bucket by an AccessControlPolicy document.
    AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    AdminClient.User reader = admin.createUser("acl-reader-" + Long.toString(System.nanoTime() & 0xfffff, 36), "user");
    Files.writeString(home.resolve("credentials"), "\n[reader]\naws_access_key_id = " + reader.accessKey()
        + "\naws_secret_access_key = " + reader.secretKey() + "\n", java.nio.file.StandardOpenOption.APPEND);
    Path policy = Files.writeString(work.resolve("policy.json"), JSON.writeValueAsString(Map.of(
        "Owner", Map.of("ID", rootId),
        "Grants", List.of(
            Map.of("Grantee", Map.of("Type", "CanonicalUser", "ID", rootId), "Permission", "FULL_CONTROL"),
            Map.of("Grantee", Map.of("Type", "CanonicalUser", "ID", reader.id()), "Permission", "READ")))));
    aws(work, "s3api", "put-bucket-acl", "--bucket", bucket, "--access-control-policy", "file://" + policy)
        .assertSuccess();
    JsonNode granted = json(aws(work, "s3api", "get-bucket-acl", "--bucket", bucket).assertSuccess());
    assertEquals(List.of("FULL_CONTROL", "READ"), texts(granted.path("Grants"), "Permission"));
    assertEquals(reader.id(), granted.path("Grants").get(1).path("Grantee").path("ID").asText());
    assertEquals(reader.name(), granted.path("Grants").get(1).path("Grantee").path("DisplayName").asText());
    aws(work, "--profile", "reader", "s3api", "get-object", "--bucket", bucket, "--key", "priv.txt", "read.txt")
        .assertSuccess();
    assertEquals("shared\n", Files.readString(work.resolve("read.txt")));
    Cli.Result write = aws(work, "--profile", "reader", "s3api", "put-object", "--bucket", bucket, "--key", "w.txt",
        "--body", "body.txt");
    assertEquals(254, write.exitCode(), write::describe);
    assertTrue(write.stderr().contains("AccessDenied"), write::describe);

    // BucketOwnerEnforced needs a private bucket ACL, then refuses ACLs other than the owner's.
    String enforced = "Rules=[{ObjectOwnership=BucketOwnerEnforced}]";
    Cli.Result notYet = aws(work, "s3api", "put-bucket-ownership-controls", "--bucket", bucket,
        "--ownership-controls", enforced);
    assertTrue(notYet.stderr().contains("InvalidBucketAclWithObjectOwnership"), notYet::describe);
    aws(work, "s3api", "put-bucket-acl", "--bucket", bucket, "--acl", "private").assertSuccess();
    aws(work, "s3api", "put-bucket-ownership-controls", "--bucket", bucket, "--ownership-controls", enforced)
        .assertSuccess();
    assertEquals("BucketOwnerEnforced", json(aws(work, "s3api", "get-bucket-ownership-controls", "--bucket", bucket)
        .assertSuccess()).path("OwnershipControls").path("Rules").get(0).path("ObjectOwnership").asText());
    Cli.Result refused = aws(work, "s3api", "put-object", "--bucket", bucket, "--key", "x.txt", "--body", "body.txt",
        "--acl", "public-read");
    assertEquals(254, refused.exitCode(), refused::describe);
    assertTrue(refused.stderr().contains("AccessControlListNotSupported"), refused::describe);
    assertEquals("403", S3cmdTest.anonymousGet(curl, work, base + "pub.txt", work.resolve("no")),
        "ACLs disabled: the public-read grant counts no more");
  }

  /**
   * Bucket policies and the public access block through aws-cli (docs/access/policies.md): a policy
   * making a prefix public-read opens it, and only it, to an unsigned curl; get-bucket-policy returns
   * the document, get-bucket-policy-status says it is public; a malformed policy is MalformedPolicy; a
   * Deny on s3:DeleteObject refuses the admin who owns the bucket, who can still delete the policy; with
   * BlockPublicPolicy a public policy is refused
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
   */
  @Test
  void bucketPoliciesAndPublicAccessBlock(@TempDir Path work) throws IOException {
    Path curl = Cli.require("curl", "apt-get install curl", Path.of("/usr/bin/curl"));
    String bucket = bucketName("awscli-policy");
    aws(work, "s3api", "create-bucket", "--bucket", bucket).assertSuccess();
    Files.writeString(work.resolve("body.txt"), "policy\n");
    aws(work, "s3api", "put-object", "--bucket", bucket, "--key", "public/a.txt", "--body", "body.txt").assertSuccess();
    aws(work, "s3api", "put-object", "--bucket", bucket, "--key", "private.txt", "--body", "body.txt").assertSuccess();
    String base = TARN.endpoint() + "/" + bucket + "/";
    assertEquals("403", S3cmdTest.anonymousGet(curl, work, base + "public/a.txt", work.resolve("no")));

    String publicRead = JSON.writeValueAsString(Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
        "Sid", "PublicRead", "Effect", "Allow", "Principal", "*", "Action", "s3:GetObject",
        "Resource", "arn:aws:s3:::" + bucket + "/public/*"))));
    aws(work, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", publicRead).assertSuccess();
    assertEquals("200", S3cmdTest.anonymousGet(curl, work, base + "public/a.txt", work.resolve("got")));
    assertEquals("policy\n", Files.readString(work.resolve("got")));
    assertEquals("403", S3cmdTest.anonymousGet(curl, work, base + "private.txt", work.resolve("no")));
    assertEquals("403", S3cmdTest.anonymousGet(curl, work, base + "?list-type=2", work.resolve("no")));
    JsonNode stored = json(aws(work, "s3api", "get-bucket-policy", "--bucket", bucket).assertSuccess());
    assertEquals(JSON.readTree(publicRead), JSON.readTree(stored.path("Policy").asText()));
    assertTrue(json(aws(work, "s3api", "get-bucket-policy-status", "--bucket", bucket).assertSuccess())
        .path("PolicyStatus").path("IsPublic").asBoolean());

    Cli.Result malformed = aws(work, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy",
        "{\"Version\":\"2012-10-17\"}");
    assertEquals(254, malformed.exitCode(), malformed::describe);
    assertTrue(malformed.stderr().contains("MalformedPolicy") && malformed.stderr().contains("Statement"),
        malformed::describe);

    // A Deny binds the admin who owns the bucket too; deleting the policy is the way out.
    String denyDelete = JSON.writeValueAsString(Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
        "Effect", "Deny", "Principal", "*", "Action", "s3:DeleteObject", "Resource", "arn:aws:s3:::" + bucket + "/*"))));
    aws(work, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", denyDelete).assertSuccess();
    Cli.Result refused = aws(work, "s3api", "delete-object", "--bucket", bucket, "--key", "private.txt");
    assertEquals(254, refused.exitCode(), refused::describe);
    assertTrue(refused.stderr().contains("AccessDenied"), refused::describe);
    assertFalse(json(aws(work, "s3api", "get-bucket-policy-status", "--bucket", bucket).assertSuccess())
        .path("PolicyStatus").path("IsPublic").asBoolean());
    aws(work, "s3api", "delete-bucket-policy", "--bucket", bucket).assertSuccess();
    aws(work, "s3api", "delete-object", "--bucket", bucket, "--key", "private.txt").assertSuccess();
    Cli.Result none = aws(work, "s3api", "get-bucket-policy", "--bucket", bucket);
    assertTrue(none.stderr().contains("NoSuchBucketPolicy"), none::describe);

    aws(work, "s3api", "put-public-access-block", "--bucket", bucket, "--public-access-block-configuration",
        "BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=true,RestrictPublicBuckets=false")
        .assertSuccess();
    JsonNode block = json(aws(work, "s3api", "get-public-access-block", "--bucket", bucket).assertSuccess())
        .path("PublicAccessBlockConfiguration");
    assertTrue(block.path("BlockPublicPolicy").asBoolean(), block.toString());
    assertFalse(block.path("BlockPublicAcls").asBoolean(), block.toString());
    Cli.Result blocked = aws(work, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", publicRead);
    assertEquals(254, blocked.exitCode(), blocked::describe);
    assertTrue(blocked.stderr().contains("AccessDenied"), blocked::describe);
    assertEquals("403", S3cmdTest.anonymousGet(curl, work, base + "public/a.txt", work.resolve("no")));
    aws(work, "s3api", "delete-public-access-block", "--bucket", bucket).assertSuccess();
    Cli.Result noBlock = aws(work, "s3api", "get-public-access-block", "--bucket", bucket);
    assertTrue(noBlock.stderr().contains("NoSuchPublicAccessBlockConfiguration"), noBlock::describe);
    aws(work, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", publicRead).assertSuccess();
  }

  /**
   * A second user's access through a policy grant, Object Ownership deciding who owns what it uploads,
   * and the public access block's BlockPublicAcls refusing a public ACL, all through aws-cli
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html).
   */
  @Test
  void aPolicyGrantOwnershipOfUploadsAndBlockedPublicAcls(@TempDir Path work) throws IOException {
    String bucket = bucketName("awscli-own");
    aws(work, "s3api", "create-bucket", "--bucket", bucket).assertSuccess();
    Files.writeString(work.resolve("body.txt"), "mine\n");
    AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    AdminClient.User writer = admin.createUser("writer-" + Long.toString(System.nanoTime() & 0xfffff, 36), "user");
    Files.writeString(home.resolve("credentials"), "\n[writer]\naws_access_key_id = " + writer.accessKey()
        + "\naws_secret_access_key = " + writer.secretKey() + "\n", java.nio.file.StandardOpenOption.APPEND);
    String rootId = json(aws(work, "s3api", "list-buckets").assertSuccess()).path("Owner").path("ID").asText();

    // No grant: the writer may not upload, until the bucket policy names it.
    Cli.Result before = aws(work, "--profile", "writer", "s3api", "put-object", "--bucket", bucket, "--key", "a.txt",
        "--body", "body.txt");
    assertTrue(before.stderr().contains("AccessDenied"), before::describe);
    String grant = JSON.writeValueAsString(Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
        "Effect", "Allow", "Principal", Map.of("AWS", "arn:aws:iam:::user/" + writer.name()),
        "Action", List.of("s3:PutObject", "s3:GetObject", "s3:GetObjectAcl"),
        "Resource", "arn:aws:s3:::" + bucket + "/*"))));
    aws(work, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", grant).assertSuccess();

    // ObjectWriter (the default): the writer owns what it uploads.
    aws(work, "--profile", "writer", "s3api", "put-object", "--bucket", bucket, "--key", "a.txt", "--body", "body.txt")
        .assertSuccess();
    assertEquals(writer.id(), json(aws(work, "s3api", "get-object-acl", "--bucket", bucket, "--key", "a.txt")
        .assertSuccess()).path("Owner").path("ID").asText());
    // BucketOwnerPreferred: an upload with bucket-owner-full-control is the bucket owner's, one without the writer's.
    aws(work, "s3api", "put-bucket-ownership-controls", "--bucket", bucket, "--ownership-controls",
        "Rules=[{ObjectOwnership=BucketOwnerPreferred}]").assertSuccess();
    aws(work, "--profile", "writer", "s3api", "put-object", "--bucket", bucket, "--key", "b.txt", "--body", "body.txt",
        "--acl", "bucket-owner-full-control").assertSuccess();
    assertEquals(rootId, json(aws(work, "s3api", "get-object-acl", "--bucket", bucket, "--key", "b.txt")
        .assertSuccess()).path("Owner").path("ID").asText());
    aws(work, "--profile", "writer", "s3api", "put-object", "--bucket", bucket, "--key", "c.txt", "--body", "body.txt")
        .assertSuccess();
    assertEquals(writer.id(), json(aws(work, "s3api", "get-object-acl", "--bucket", bucket, "--key", "c.txt")
        .assertSuccess()).path("Owner").path("ID").asText());

    // BlockPublicAcls: a public ACL is refused, a private one still stored.
    aws(work, "s3api", "put-public-access-block", "--bucket", bucket, "--public-access-block-configuration",
        "BlockPublicAcls=true,IgnorePublicAcls=false,BlockPublicPolicy=false,RestrictPublicBuckets=false")
        .assertSuccess();
    Cli.Result blocked = aws(work, "s3api", "put-object", "--bucket", bucket, "--key", "d.txt", "--body", "body.txt",
        "--acl", "public-read");
    assertEquals(254, blocked.exitCode(), blocked::describe);
    assertTrue(blocked.stderr().contains("AccessDenied"), blocked::describe);
    Cli.Result blockedAcl = aws(work, "s3api", "put-object-acl", "--bucket", bucket, "--key", "b.txt", "--acl",
        "public-read");
    assertTrue(blockedAcl.stderr().contains("AccessDenied"), blockedAcl::describe);
    aws(work, "s3api", "put-object", "--bucket", bucket, "--key", "d.txt", "--body", "body.txt", "--acl", "private")
        .assertSuccess();
  }

  /**
   * A grant by e-mail address through aws-cli ({@code --grant-read emailaddress=...}, sent as the
   * {@code x-amz-grant-read} header): it names the Tarn user with that address (in any case), who can then
   * read; get-object-acl shows that user as a CanonicalUser with its id and name, as AWS stores e-mail
   * grants (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html); an address no user
   * has is UnresolvableGrantByEmailAddress.
   */
  @Test
  void aGrantByEmailAddressReachesTheUserWithIt(@TempDir Path work) throws IOException {
    String bucket = bucketName("awscli-mail");
    aws(work, "s3api", "create-bucket", "--bucket", bucket).assertSuccess();
    Files.writeString(work.resolve("body.txt"), "for bob\n");
    aws(work, "s3api", "put-object", "--bucket", bucket, "--key", "k.txt", "--body", "body.txt").assertSuccess();
    String run = Long.toString(System.nanoTime() & 0xfffff, 36);
    AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    AdminClient.User bob = admin.createUser("mailbob-" + run, "user", "Bob." + run + "@Example.com");
    Files.writeString(home.resolve("credentials"), "\n[mailbob]\naws_access_key_id = " + bob.accessKey()
        + "\naws_secret_access_key = " + bob.secretKey() + "\n", java.nio.file.StandardOpenOption.APPEND);
    Cli.Result before = aws(work, "--profile", "mailbob", "s3api", "get-object", "--bucket", bucket, "--key", "k.txt",
        "no.txt");
    assertTrue(before.stderr().contains("AccessDenied"), before::describe);

    String rootId = json(aws(work, "s3api", "list-buckets").assertSuccess()).path("Owner").path("ID").asText();
    aws(work, "s3api", "put-object-acl", "--bucket", bucket, "--key", "k.txt", "--grant-full-control", "id=" + rootId,
        "--grant-read", "emailaddress=bob." + run + "@example.com").assertSuccess();
    JsonNode acl = json(aws(work, "s3api", "get-object-acl", "--bucket", bucket, "--key", "k.txt").assertSuccess());
    assertEquals(List.of("FULL_CONTROL", "READ"), texts(acl.path("Grants"), "Permission"), acl.toString());
    JsonNode grantee = acl.path("Grants").get(1).path("Grantee");
    assertEquals("CanonicalUser", grantee.path("Type").asText(), acl.toString());
    assertEquals(bob.id(), grantee.path("ID").asText(), acl.toString());
    assertEquals(bob.name(), grantee.path("DisplayName").asText(), acl.toString());
    assertTrue(grantee.path("EmailAddress").isMissingNode(), "stored as the user, not the address: " + acl);
    aws(work, "--profile", "mailbob", "s3api", "get-object", "--bucket", bucket, "--key", "k.txt", "read.txt")
        .assertSuccess();
    assertEquals("for bob\n", Files.readString(work.resolve("read.txt")));

    Cli.Result unknown = aws(work, "s3api", "put-object-acl", "--bucket", bucket, "--key", "k.txt", "--grant-read",
        "emailaddress=nobody." + run + "@example.com");
    assertEquals(254, unknown.exitCode(), unknown::describe);
    assertTrue(unknown.stderr().contains("UnresolvableGrantByEmailAddress"), unknown::describe);
    assertEquals(List.of("FULL_CONTROL", "READ"), texts(json(aws(work, "s3api", "get-object-acl", "--bucket", bucket,
        "--key", "k.txt").assertSuccess()).path("Grants"), "Permission"), "the refused put changed nothing");
  }

  /** 100 MiB goes multipart with the CLI's defaults: 8 MiB parts, so 13 of them. */
  @Test
  void aLargeCopyGoesMultipart(@TempDir Path work) throws IOException {
    String bucket = bucketName("awscli-big");
    assertEquals(List.of("make_bucket: " + bucket), aws(work, "s3", "mb", "s3://" + bucket).assertSuccess().lines());
    Path big = TestData.writeFile(work.resolve("big.bin"), 100L * MIB, 100);
    assertEquals(List.of("upload: ./big.bin to s3://" + bucket + "/big.bin"), aws(work, Duration.ofMinutes(5),
        "s3", "cp", "--no-progress", "big.bin", "s3://" + bucket + "/big.bin").assertSuccess().lines());

    JsonNode head = json(aws(work, "s3api", "head-object", "--bucket", bucket, "--key", "big.bin").assertSuccess());
    assertEquals(100L * MIB, head.get("ContentLength").asLong());
    assertEquals(multipartEtag(big, 8 * MIB), head.get("ETag").asText());

    assertEquals(List.of("download: s3://" + bucket + "/big.bin to ./down.bin"), aws(work, Duration.ofMinutes(5),
        "s3", "cp", "--no-progress", "s3://" + bucket + "/big.bin", "down.bin").assertSuccess().lines());
    assertEquals(TestData.sha256Hex(big), TestData.sha256Hex(work.resolve("down.bin")));
    assertEquals(List.of("delete: s3://" + bucket + "/big.bin", "remove_bucket: " + bucket),
        aws(work, "s3", "rb", "--force", "s3://" + bucket).assertSuccess().lines());
  }

  @Test
  void syncBothWays(@TempDir Path work) throws IOException {
    String bucket = bucketName("awscli-sync");
    String url = "s3://" + bucket + "/tree/";
    assertEquals(List.of("make_bucket: " + bucket), aws(work, "s3", "mb", "s3://" + bucket).assertSuccess().lines());
    Path local = work.resolve("local");
    Files.createDirectories(local.resolve("sub/deeper"));
    Files.writeString(local.resolve("a.txt"), "a");
    Files.writeString(local.resolve("sub/b.txt"), "bb");
    Files.write(local.resolve("sub/deeper/c.bin"), TestData.bytes(300_000, 3));

    assertEquals(Set.of("upload: local/a.txt to " + url + "a.txt", "upload: local/sub/b.txt to " + url + "sub/b.txt",
        "upload: local/sub/deeper/c.bin to " + url + "sub/deeper/c.bin"),
        Set.copyOf(aws(work, "s3", "sync", "--no-progress", "local", url).assertSuccess().lines()));
    assertEquals(List.of(), aws(work, "s3", "sync", "--no-progress", "local", url).assertSuccess().lines(),
        "nothing changed");

    Files.writeString(local.resolve("a.txt"), "a changed, and longer");
    Files.writeString(local.resolve("d.txt"), "new");
    assertEquals(Set.of("upload: local/a.txt to " + url + "a.txt", "upload: local/d.txt to " + url + "d.txt"),
        Set.copyOf(aws(work, "s3", "sync", "--no-progress", "local", url).assertSuccess().lines()));

    List<String> down = aws(work, "s3", "sync", "--no-progress", url, "mirror").assertSuccess().lines();
    assertEquals(4, down.size(), down.toString());
    assertTrue(down.stream().allMatch(l -> l.startsWith("download: " + url)), down.toString());
    assertEquals(tree(local), tree(work.resolve("mirror")));

    List<String> removed = aws(work, "s3", "rb", "--force", "s3://" + bucket).assertSuccess().lines();
    assertEquals(5, removed.size(), removed.toString());
    assertEquals("remove_bucket: " + bucket, removed.get(4));
  }

  @Test
  void s3apiCommands(@TempDir Path work) throws IOException {
    String bucket = bucketName("awscli-api");
    JsonNode created = json(aws(work, "s3api", "create-bucket", "--bucket", bucket).assertSuccess());
    assertEquals("/" + bucket, created.get("Location").asText());

    byte[] body = TestData.bytes(50_000, 4);
    Files.write(work.resolve("body.bin"), body);
    JsonNode put = json(aws(work, "s3api", "put-object", "--bucket", bucket, "--key", "api/obj.bin", "--body", "body.bin",
        "--content-type", "application/x-test", "--metadata", "color=green").assertSuccess());
    assertEquals(TestData.etag(body), put.get("ETag").asText());

    JsonNode head = json(aws(work, "s3api", "head-object", "--bucket", bucket, "--key", "api/obj.bin").assertSuccess());
    assertEquals(body.length, head.get("ContentLength").asLong());
    assertEquals("application/x-test", head.get("ContentType").asText());
    assertEquals("green", head.get("Metadata").get("color").asText());

    JsonNode get = json(aws(work, "s3api", "get-object", "--bucket", bucket, "--key", "api/obj.bin", "out.bin")
        .assertSuccess());
    assertEquals(body.length, get.get("ContentLength").asLong());
    assertEquals(TestData.sha256Hex(body), TestData.sha256Hex(work.resolve("out.bin")));

    JsonNode second = json(aws(work, "s3api", "put-object", "--bucket", bucket, "--key", "api/second", "--body", "body.bin")
        .assertSuccess());
    assertEquals(TestData.etag(body), second.get("ETag").asText());
    JsonNode list = json(aws(work, "s3api", "list-objects-v2", "--no-paginate", "--bucket", bucket, "--prefix", "api/")
        .assertSuccess());
    assertEquals(List.of("api/obj.bin", "api/second"), texts(list.get("Contents"), "Key"));
    assertEquals(2, list.get("KeyCount").asInt());

    JsonNode deleted = json(aws(work, "s3api", "delete-objects", "--bucket", bucket, "--delete",
        "{\"Objects\":[{\"Key\":\"api/obj.bin\"},{\"Key\":\"api/second\"},{\"Key\":\"api/missing\"}]}").assertSuccess());
    assertEquals(Set.of("api/obj.bin", "api/second", "api/missing"), Set.copyOf(texts(deleted.get("Deleted"), "Key")));

    Cli.Result missing = aws(work, "s3api", "head-object", "--bucket", bucket, "--key", "api/obj.bin").assertFailure();
    assertTrue(missing.stderr().contains("(404)"), missing::describe);
    assertEquals("", aws(work, "s3api", "delete-bucket", "--bucket", bucket).assertSuccess().stdout().strip());
  }

  /** A second aws-cli found earlier on PATH (typically a pyenv aws-cli v1): a short round trip. */
  @Test
  void anotherAwsCliOnPath(@TempDir Path work) throws IOException {
    Optional<Path> other = Cli.onPath("aws").filter(p -> !p.equals(aws));
    Assumptions.assumeTrue(other.isPresent(), "no second aws-cli on PATH besides " + aws);
    String bucket = bucketName("awscli-other");
    Path cli = other.get();
    assertEquals(List.of("make_bucket: " + bucket), run(cli, work, TIMEOUT, "s3", "mb", "s3://" + bucket)
        .assertSuccess().lines());
    Path file = TestData.writeFile(work.resolve("f.bin"), 20L * MIB, 5);
    assertEquals(List.of("upload: ./f.bin to s3://" + bucket + "/f.bin"),
        run(cli, work, TIMEOUT, "s3", "cp", "--no-progress", "f.bin", "s3://" + bucket + "/f.bin").assertSuccess().lines());
    assertEquals(List.of("download: s3://" + bucket + "/f.bin to ./g.bin"),
        run(cli, work, TIMEOUT, "s3", "cp", "--no-progress", "s3://" + bucket + "/f.bin", "g.bin").assertSuccess().lines());
    assertEquals(TestData.sha256Hex(file), TestData.sha256Hex(work.resolve("g.bin")));
    JsonNode head = json(run(cli, work, TIMEOUT, "s3api", "head-object", "--bucket", bucket, "--key", "f.bin")
        .assertSuccess());
    assertEquals(20L * MIB, head.get("ContentLength").asLong());
    assertEquals(List.of("delete: s3://" + bucket + "/f.bin", "remove_bucket: " + bucket),
        run(cli, work, TIMEOUT, "s3", "rb", "--force", "s3://" + bucket).assertSuccess().lines());
  }

  private static Cli.Result aws(Path work, String... args) {
    return aws(work, TIMEOUT, args);
  }

  private static Cli.Result aws(Path work, Duration timeout, String... args) {
    return run(aws, work, timeout, args);
  }

  private static Cli.Result run(Path cli, Path work, Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of(cli.toString(), "--endpoint-url", TARN.endpoint().toString()));
    command.addAll(List.of(args));
    return Cli.run(command, Map.of(
        "AWS_CONFIG_FILE", home.resolve("config").toString(),
        "AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString(),
        "HOME", home.toString(),
        "AWS_EC2_METADATA_DISABLED", "true",
        "AWS_PAGER", "",
        "AWS_MAX_ATTEMPTS", "1"), work, timeout);
  }

  private static JsonNode json(Cli.Result result) throws IOException {
    return JSON.readTree(result.stdout());
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get(field).asText()));
    return out;
  }

  /** Relative path -> SHA-256 of every file under {@code root}. */
  static Map<String, String> tree(Path root) throws IOException {
    try (var files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).collect(Collectors.toMap(
          p -> root.relativize(p).toString(), TestData::sha256Hex));
    }
  }

  /** The multipart ETag of {@code file} uploaded in {@code partSize} parts. */
  static String multipartEtag(Path file, int partSize) throws IOException {
    try {
      MessageDigest all = MessageDigest.getInstance("MD5");
      int parts = 0;
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buf;
        while ((buf = in.readNBytes(partSize)).length > 0) {
          all.update(MessageDigest.getInstance("MD5").digest(buf));
          parts++;
        }
      }
      return "\"" + HexFormat.of().formatHex(all.digest()) + "-" + parts + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
