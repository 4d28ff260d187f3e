package io.tarn.it.cli;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Boto3;
import io.tarn.it.support.Boto3.Generation;
import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Presigned URLs made by real clients with their default settings, fetched and uploaded with curl.
 * boto3 for us-east-1, aws-cli v1 and s3cmd still make Signature Version 2 URLs
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html#RESTAuthenticationQueryStringAuth);
 * aws-cli v2 and boto3 told to use s3v4 make SigV4 ones. Also s3cmd's header-signed SigV2 requests.
 */
class PresignTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  /** A key that needs escaping, so that clients and server must agree on the encoded path. */
  private static final String GET_KEY = "dir/a b+c~(1).bin";
  private static final byte[] BODY = TestData.bytes(300_000, 77);
  private static String bucket;

  @BeforeAll
  static void bucketWithAnObject() {
    bucket = bucketName("presign");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    TARN.s3().putObject(r -> r.bucket(bucket).key(GET_KEY), RequestBody.fromBytes(BODY));
  }

  @Test
  void currentBoto3DefaultMakesSigV2Urls(@TempDir Path work) throws IOException {
    Map<String, String> urls = boto3(work, Generation.CURRENT, "default", "boto3-current-v2.bin");
    assertTrue(urls.get("version").startsWith("1.37."), urls.toString());
    assertTrue(urls.get("get").contains("AWSAccessKeyId="), urls.get("get"));
    assertTrue(urls.get("put").contains("AWSAccessKeyId="), urls.get("put"));
    roundTrip(work, urls.get("get"), urls.get("put"), "boto3-current-v2.bin");
  }

  @Test
  void currentBoto3WithS3v4MakesSigV4Urls(@TempDir Path work) throws IOException {
    Map<String, String> urls = boto3(work, Generation.CURRENT, "s3v4", "boto3-current-v4.bin");
    assertTrue(urls.get("get").contains("X-Amz-Signature="), urls.get("get"));
    roundTrip(work, urls.get("get"), urls.get("put"), "boto3-current-v4.bin");
  }

  @Test
  void debianBoto3DefaultMakesSigV2Urls(@TempDir Path work) throws IOException {
    Map<String, String> urls = boto3(work, Generation.DEBIAN_12, "default", "boto3-debian.bin");
    assertTrue(urls.get("get").contains("AWSAccessKeyId="), urls.get("get"));
    roundTrip(work, urls.get("get"), urls.get("put"), "boto3-debian.bin");
  }

  @Test
  void s3cmdSignurlPathAndVirtualHostStyle(@TempDir Path work) throws IOException {
    Path s3cmd = Cli.require("s3cmd", "apt-get install s3cmd", Path.of("/usr/bin/s3cmd"));
    for (boolean virtualHost : List.of(false, true)) {
      Path config = s3cmdConfig(work, false, virtualHost);
      String url = single(Cli.run(List.of(s3cmd.toString(), "-c", config.toString(), "signurl",
          "s3://" + bucket + "/" + GET_KEY, "+600"), Map.of("HOME", work.toString()), work, TIMEOUT).assertSuccess());
      assertTrue(url.contains("AWSAccessKeyId="), url);
      String host = virtualHost ? bucket + ".localhost:" + TARN.port() : "localhost:" + TARN.port();
      assertTrue(url.startsWith("http://" + host + "/"), url);
      assertGet(work, url);
    }
  }

  @Test
  void awsCliV2Presign(@TempDir Path work) throws IOException {
    Path aws = Cli.require("aws-cli v2", "apt-get install awscli", Path.of("/usr/bin/aws"));
    String url = awsPresign(aws, work);
    assertTrue(url.contains("X-Amz-Signature="), url);
    assertGet(work, url);
  }

  @Test
  void awsCliV1Presign(@TempDir Path work) throws IOException {
    // aws-cli v1 is not packaged by Debian 12: the one earlier on PATH (e.g. pyenv's) is used when
    // there is one; CI without it fails here, as for any missing client.
    Path aws = Cli.onPath("aws").orElseThrow(() -> Cli.missing("no aws on PATH (aws-cli v1 is installed with pip)"));
    String version = Cli.run(List.of(aws.toString(), "--version"), awsEnv(work), work, TIMEOUT).assertSuccess()
        .stdout().strip();
    System.out.println("PresignTest: " + aws + " is " + version);
    if (!version.startsWith("aws-cli/1.")) {
      throw Cli.missing("the aws on PATH is not aws-cli v1: " + version);
    }
    String url = awsPresign(aws, work);
    assertTrue(url.contains("AWSAccessKeyId="), url);
    assertGet(work, url);
  }

  @Test
  void expiredAndTamperedSigV2UrlsAreRefused(@TempDir Path work) throws IOException {
    Path s3cmd = Cli.require("s3cmd", "apt-get install s3cmd", Path.of("/usr/bin/s3cmd"));
    Path config = s3cmdConfig(work, false, false);
    // s3cmd takes an absolute expiry in epoch seconds: one long past.
    String expired = single(Cli.run(List.of(s3cmd.toString(), "-c", config.toString(), "signurl",
        "s3://" + bucket + "/" + GET_KEY, "1000000000"), Map.of("HOME", work.toString()), work, TIMEOUT).assertSuccess());
    Curl r = curl(work, "GET", expired, null);
    assertEquals(403, r.status(), r.toString());
    assertTrue(r.text().contains("<Code>AccessDenied</Code>") && r.text().contains("<Message>Request has expired</Message>")
        && r.text().contains("<Expires>2001-09-09T01:46:40Z</Expires>"), r.toString());

    String good = single(Cli.run(List.of(s3cmd.toString(), "-c", config.toString(), "signurl",
        "s3://" + bucket + "/" + GET_KEY, "+600"), Map.of("HOME", work.toString()), work, TIMEOUT).assertSuccess());
    // Another object, or a later expiry, under the same signature.
    for (String tampered : List.of(good.replace("/dir/", "/dix/"), good.replaceFirst("Expires=(\\d+)", "Expires=$19"))) {
      Curl t = curl(work, "GET", tampered, null);
      assertEquals(403, t.status(), t.toString());
      assertTrue(t.text().contains("<Code>SignatureDoesNotMatch</Code>") && t.text().contains("<StringToSignBytes>"),
          t.toString());
      assertFalse(t.text().contains(TARN.secretKey()), t.toString());
    }
  }

  @Test
  void s3cmdWithSignatureV2Headers(@TempDir Path work) throws IOException {
    Path s3cmd = Cli.require("s3cmd", "apt-get install s3cmd", Path.of("/usr/bin/s3cmd"));
    Path config = s3cmdConfig(work, true, false);
    String url = "s3://" + bucket;
    Files.write(work.resolve("up.bin"), BODY);
    assertTrue(s3cmdV2(s3cmd, config, work, "ls", url + "/dir/").lines().stream()
        .anyMatch(l -> l.endsWith(url + "/" + GET_KEY)));
    s3cmdV2(s3cmd, config, work, "put", "up.bin", url + "/v2/up.bin");
    assertArrayEquals(BODY, TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key("v2/up.bin")).asByteArray());
    s3cmdV2(s3cmd, config, work, "get", url + "/v2/up.bin", "down.bin");
    assertArrayEquals(BODY, Files.readAllBytes(work.resolve("down.bin")));
    assertEquals(List.of("delete: '" + url + "/v2/up.bin'"), s3cmdV2(s3cmd, config, work, "del", url + "/v2/up.bin").lines());
    assertTrue(s3cmdV2(s3cmd, config, work, "ls", url + "/v2/").lines().isEmpty());
  }

  /**
   * s3cmd signed with Signature Version 2 only: it silently switches to version 4 when a server
   * answers "Please use AWS4-HMAC-SHA256", so its debug log must show v2 signing and no switch.
   */
  private static Cli.Result s3cmdV2(Path s3cmd, Path config, Path work, String... args) {
    List<String> cmd = new ArrayList<>(List.of(s3cmd.toString(), "--debug", "-c", config.toString()));
    cmd.addAll(List.of(args));
    Cli.Result r = Cli.run(cmd, Map.of("HOME", work.toString()), work, TIMEOUT).assertSuccess();
    assertTrue(r.stderr().contains("SignHeaders: "), r::describe);
    assertFalse(r.stderr().contains("Endpoint requires signature v4") || r.stderr().contains("Canonical Request"),
        r::describe);
    return r;
  }

  // ---- helpers

  /** Uploads with the PUT URL and downloads with the GET URL, both with curl, comparing bytes. */
  private void roundTrip(Path work, String getUrl, String putUrl, String putKey) throws IOException {
    assertGet(work, getUrl);
    byte[] up = TestData.bytes(250_000, putKey.hashCode());
    Curl put = curl(work, "PUT", putUrl, Files.write(work.resolve("up-" + putKey), up));
    assertEquals(200, put.status(), put.toString());
    assertArrayEquals(up, TARN.s3().getObjectAsBytes(r -> r.bucket(bucket).key(putKey)).asByteArray());
  }

  private void assertGet(Path work, String url) throws IOException {
    Curl got = curl(work, "GET", url, null);
    assertEquals(200, got.status(), got.toString());
    assertArrayEquals(BODY, got.body(), "the downloaded bytes differ: " + url);
  }

  private record Curl(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return status + " " + (body.length > 2000 ? body.length + " bytes" : text());
    }
  }

  /** curl, which sends the URL exactly as given (--globoff: no [] or {} expansion). */
  private static Curl curl(Path work, String method, String url, Path upload) throws IOException {
    Path curl = Cli.require("curl", "apt-get install curl", Path.of("/usr/bin/curl"));
    Path out = work.resolve("curl.out");
    Files.deleteIfExists(out);
    List<String> cmd = new ArrayList<>(List.of(curl.toString(), "-sS", "--globoff", "-o", out.toString(),
        "-w", "%{http_code}", "-X", method));
    if (upload != null) {
      cmd.addAll(List.of("--upload-file", upload.toString()));
    }
    cmd.add(url);
    Cli.Result r = Cli.run(cmd, Map.of(), work, TIMEOUT).assertSuccess();
    return new Curl(Integer.parseInt(r.stdout().strip()), Files.exists(out) ? Files.readAllBytes(out) : new byte[0]);
  }

  private Map<String, String> boto3(Path work, Generation generation, String signature, String putKey) {
    Map<String, String> env = new LinkedHashMap<>(Boto3.serverEnvironment(TARN, bucket, work));
    env.putAll(Map.of("TARN_GET_KEY", GET_KEY, "TARN_PUT_KEY", putKey, "TARN_SIGNATURE", signature));
    Map<String, String> out = Boto3.run(generation, "presign.py", work, env, TIMEOUT);
    System.out.println("PresignTest: boto3 " + out.get("version") + " (" + signature + "): " + out.get("get"));
    return out;
  }

  private String awsPresign(Path aws, Path work) throws IOException {
    Files.writeString(work.resolve("config"), "[default]\nregion = us-east-1\n");
    Files.writeString(work.resolve("credentials"), "[default]\naws_access_key_id = " + TARN.accessKey()
        + "\naws_secret_access_key = " + TARN.secretKey() + "\n");
    return single(Cli.run(List.of(aws.toString(), "--endpoint-url", TARN.endpoint().toString(), "s3", "presign",
        "s3://" + bucket + "/" + GET_KEY, "--expires-in", "600"), awsEnv(work), work, TIMEOUT).assertSuccess());
  }

  private static Map<String, String> awsEnv(Path work) {
    return Map.of("HOME", work.toString(), "AWS_CONFIG_FILE", work.resolve("config").toString(),
        "AWS_SHARED_CREDENTIALS_FILE", work.resolve("credentials").toString(), "AWS_EC2_METADATA_DISABLED", "true",
        "AWS_PAGER", "");
  }

  /** An s3cmd config for Tarn; s3cmd's own default is Signature Version 4. */
  private static Path s3cmdConfig(Path work, boolean signatureV2, boolean virtualHost) throws IOException {
    String hostPort = "localhost:" + TARN.port();
    return Files.writeString(work.resolve("s3cfg-" + signatureV2 + "-" + virtualHost), String.join("\n",
        "[default]",
        "access_key = " + TARN.accessKey(),
        "secret_key = " + TARN.secretKey(),
        "host_base = " + hostPort,
        "host_bucket = " + (virtualHost ? "%(bucket)s." + hostPort : hostPort),
        "bucket_location = us-east-1",
        "use_https = False",
        "signature_v2 = " + (signatureV2 ? "True" : "False"),
        "") + "\n");
  }

  private static String single(Cli.Result r) {
    assertEquals(1, r.lines().size(), r::describe);
    return r.lines().get(0);
  }
}
