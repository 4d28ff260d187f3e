package io.tarn.it.cli;

import static io.tarn.it.support.TestData.MIB;
import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** s3cmd with its own --config file (path-style: host_bucket without %(bucket)s). */
class S3cmdTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private static Path config(Path work) throws IOException {
    return config(work, "s3cfg", TARN.accessKey(), TARN.secretKey());
  }

  private static Path config(Path work, String file, String accessKey, String secretKey) throws IOException {
    String hostPort = "127.0.0.1:" + TARN.port();
    return Files.writeString(work.resolve(file), String.join("\n",
        "[default]",
        "access_key = " + accessKey,
        "secret_key = " + secretKey,
        "host_base = " + hostPort,
        "host_bucket = " + hostPort,
        "bucket_location = us-east-1",
        "use_https = False",
        "signature_v2 = False",
        "") + "\n");
  }

  @Test
  void bucketObjectAndMultipartCommands(@TempDir Path work) throws IOException {
    Path s3cmd = Cli.require("s3cmd", "apt-get install s3cmd", Path.of("/usr/bin/s3cmd"));
    Path config = config(work);
    String bucket = bucketName("s3cmd");
    String url = "s3://" + bucket;

    assertEquals(List.of("Bucket '" + url + "/' created"), s3cmd(s3cmd, config, work, "mb", url).assertSuccess().lines());
    assertTrue(s3cmd(s3cmd, config, work, "ls").assertSuccess().lines().stream().anyMatch(l -> l.endsWith("  " + url)));

    Files.writeString(work.resolve("note.txt"), "hello from s3cmd\n");
    List<String> put = s3cmd(s3cmd, config, work, "put", "note.txt", url + "/dir/note.txt").assertSuccess().lines();
    assertEquals(1, uploadLines(put).size(), put.toString());
    assertTrue(uploadLines(put).get(0).startsWith("upload: 'note.txt' -> '" + url + "/dir/note.txt' (17 bytes"),
        put.toString());

    List<String> listing = s3cmd(s3cmd, config, work, "ls", url + "/dir/").assertSuccess().lines();
    assertEquals(1, listing.size(), listing.toString());
    assertTrue(listing.get(0).matches("\\S+ \\S+\\s+17\\s+" + java.util.regex.Pattern.quote(url + "/dir/note.txt")),
        listing.get(0));

    s3cmd(s3cmd, config, work, "get", url + "/dir/note.txt", "note.down").assertSuccess();
    assertEquals("hello from s3cmd\n", Files.readString(work.resolve("note.down")));

    // 12 MiB in 5 MiB chunks: a three-part multipart upload.
    Path big = TestData.writeFile(work.resolve("big.bin"), 12L * MIB + 1, 12);
    List<String> multipart = s3cmd(s3cmd, config, work, "put", "--multipart-chunk-size-mb=5", "big.bin", url + "/big.bin")
        .assertSuccess().lines();
    assertEquals(1, uploadLines(multipart).size(), multipart.toString());
    assertTrue(uploadLines(multipart).get(0).startsWith("upload: 'big.bin' -> '" + url + "/big.bin' (12582913 bytes"),
        multipart.toString());
    s3cmd(s3cmd, config, work, "get", url + "/big.bin", "big.down").assertSuccess();
    assertEquals(TestData.sha256Hex(big), TestData.sha256Hex(work.resolve("big.down")));
    // The ETag tells it was a three-part upload.
    String etag = TARN.s3().headObject(r -> r.bucket(bucket).key("big.bin")).eTag();
    assertTrue(etag.matches("\"[0-9a-f]{32}-3\""), etag);

    assertEquals(List.of("delete: '" + url + "/dir/note.txt'"),
        s3cmd(s3cmd, config, work, "del", url + "/dir/note.txt").assertSuccess().lines());
    assertEquals(List.of("delete: '" + url + "/big.bin'"),
        s3cmd(s3cmd, config, work, "del", url + "/big.bin").assertSuccess().lines());
    assertEquals(List.of(), s3cmd(s3cmd, config, work, "ls", url).assertSuccess().lines());
    assertEquals(List.of("Bucket '" + url + "/' removed"), s3cmd(s3cmd, config, work, "rb", url).assertSuccess().lines());
    assertTrue(s3cmd(s3cmd, config, work, "ls").assertSuccess().lines().stream().noneMatch(l -> l.endsWith("  " + url)));
  }

  /**
   * {@code s3cmd setacl --acl-public} (GET ?acl, add AllUsers READ, PUT ?acl with the document) makes an
   * object readable by an unsigned {@code curl}; {@code --acl-private} takes it back; {@code put -P}
   * uploads it public at once ({@code x-amz-acl: public-read}).
   */
  @Test
  void setaclMakesAnObjectPublicAndPrivateAgain(@TempDir Path work) throws IOException {
    Path s3cmd = Cli.require("s3cmd", "apt-get install s3cmd", Path.of("/usr/bin/s3cmd"));
    Path curl = Cli.require("curl", "apt-get install curl", Path.of("/usr/bin/curl"));
    Path config = config(work);
    String bucket = bucketName("s3cmd-acl");
    String url = "s3://" + bucket;
    String publicUrl = TARN.endpoint() + "/" + bucket + "/note.txt";
    s3cmd(s3cmd, config, work, "mb", url).assertSuccess();
    Files.writeString(work.resolve("note.txt"), "public note\n");
    s3cmd(s3cmd, config, work, "put", "note.txt", url + "/note.txt").assertSuccess();
    assertEquals("403", anonymousGet(curl, work, publicUrl, work.resolve("denied")), "private by default");

    s3cmd(s3cmd, config, work, "setacl", "--acl-public", url + "/note.txt").assertSuccess();
    assertEquals("200", anonymousGet(curl, work, publicUrl, work.resolve("got")));
    assertEquals("public note\n", Files.readString(work.resolve("got")));
    List<String> info = s3cmd(s3cmd, config, work, "info", url + "/note.txt").assertSuccess().lines();
    assertTrue(info.stream().anyMatch(l -> l.strip().equals("ACL:       *anon*: READ")), info.toString());

    s3cmd(s3cmd, config, work, "setacl", "--acl-private", url + "/note.txt").assertSuccess();
    assertEquals("403", anonymousGet(curl, work, publicUrl, work.resolve("denied")));

    s3cmd(s3cmd, config, work, "put", "-P", "note.txt", url + "/put-public.txt").assertSuccess();
    assertEquals("200", anonymousGet(curl, work, TARN.endpoint() + "/" + bucket + "/put-public.txt",
        work.resolve("got2")));
  }

  /**
   * {@code s3cmd setacl --acl-grant=read:ADDR}: for a value with an '@', s3cmd (S3/ACL.py) adds an
   * {@code AmazonCustomerByEmail} grantee with the address lower-cased to the ACL it read and puts the
   * document back; Tarn resolves it to the user with that address, who can then get the object, and
   * {@code s3cmd info} lists that user by name.
   */
  @Test
  void setaclGrantsReadToTheUserWithAnEmailAddress(@TempDir Path work) throws IOException {
    Path s3cmd = Cli.require("s3cmd", "apt-get install s3cmd", Path.of("/usr/bin/s3cmd"));
    Path config = config(work);
    String bucket = bucketName("s3cmd-mail");
    String url = "s3://" + bucket;
    s3cmd(s3cmd, config, work, "mb", url).assertSuccess();
    Files.writeString(work.resolve("note.txt"), "for bob\n");
    s3cmd(s3cmd, config, work, "put", "note.txt", url + "/note.txt").assertSuccess();
    String run = Long.toString(System.nanoTime() & 0xfffff, 36);
    AdminClient.User bob = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey())
        .createUser("s3cmdbob-" + run, "user", "Bob." + run + "@Example.com");
    Path bobConfig = config(work, "bob.s3cfg", bob.accessKey(), bob.secretKey());
    Cli.Result denied = s3cmd(s3cmd, bobConfig, work, "get", url + "/note.txt", "denied.txt");
    assertTrue(denied.exitCode() != 0 && denied.stderr().contains("403"), denied::describe);

    s3cmd(s3cmd, config, work, "setacl", "--acl-grant=read:Bob." + run + "@Example.com", url + "/note.txt")
        .assertSuccess();
    List<String> info = s3cmd(s3cmd, config, work, "info", url + "/note.txt").assertSuccess().lines();
    assertTrue(info.stream().anyMatch(l -> l.strip().equals("ACL:       " + bob.name() + ": READ")), info.toString());
    s3cmd(s3cmd, bobConfig, work, "get", url + "/note.txt", "got.txt").assertSuccess();
    assertEquals("for bob\n", Files.readString(work.resolve("got.txt")));

    Cli.Result unknown = s3cmd(s3cmd, config, work, "setacl", "--acl-grant=read:nobody." + run + "@example.com",
        url + "/note.txt");
    assertTrue(unknown.exitCode() != 0 && unknown.stderr().contains("UnresolvableGrantByEmailAddress"),
        unknown::describe);
  }

  /** An unsigned GET with curl; its status code, the body saved to {@code out}. */
  static String anonymousGet(Path curl, Path work, String url, Path out) {
    return Cli.run(List.of(curl.toString(), "-s", "-o", out.toString(), "-w", "%{http_code}", url), Map.of(), work,
        TIMEOUT).assertSuccess().stdout().strip();
  }

  private static List<String> uploadLines(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("upload: ")).toList();
  }

  private static Cli.Result s3cmd(Path s3cmd, Path config, Path work, String... args) {
    List<String> command = new ArrayList<>(List.of(s3cmd.toString(), "--config=" + config, "--no-progress"));
    command.addAll(List.of(args));
    return Cli.run(command, Map.of("HOME", work.toString()), work, TIMEOUT);
  }
}
