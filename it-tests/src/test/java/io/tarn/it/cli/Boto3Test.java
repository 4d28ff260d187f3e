package io.tarn.it.cli;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** boto3 as Debian packages it (python3-boto3, run with /usr/bin/python3). */
class Boto3Test {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @Test
  void roundTripThroughBoto3(@TempDir Path work) throws IOException {
    Path python = Cli.require("python3", "apt-get install python3", PYTHON);
    Map<String, String> env = Map.of(
        "HOME", work.toString(),
        "AWS_CONFIG_FILE", Files.createFile(work.resolve("aws-config")).toString(),
        "AWS_SHARED_CREDENTIALS_FILE", Files.createFile(work.resolve("aws-credentials")).toString(),
        "AWS_EC2_METADATA_DISABLED", "true");
    Cli.Result probe = Cli.run(List.of(python.toString(), "-c", "import boto3; print(boto3.__version__)"), env, work,
        Duration.ofSeconds(30));
    if (probe.exitCode() != 0) {
      throw Cli.missing("boto3 is not importable by " + python + " (" + probe.stderr().strip()
          + "); install it with: apt-get install python3-boto3");
    }

    Path script = work.resolve("boto3_round_trip.py");
    try (InputStream in = Boto3Test.class.getResourceAsStream("/cli/boto3_round_trip.py")) {
      Files.copy(in, script);
    }
    String bucket = bucketName("boto3");
    Map<String, String> scriptEnv = new LinkedHashMap<>(env);
    scriptEnv.putAll(Map.of(
        "TARN_ENDPOINT", TARN.endpoint().toString(),
        "TARN_ACCESS_KEY", TARN.accessKey(),
        "TARN_SECRET_KEY", TARN.secretKey(),
        "TARN_BUCKET", bucket,
        "TARN_WORK", work.toString()));
    Cli.Result run = Cli.run(List.of(python.toString(), script.toString()), scriptEnv, work, Duration.ofMinutes(3))
        .assertSuccess();

    Map<String, String> seen = new LinkedHashMap<>();
    for (String line : run.lines()) {
      int eq = line.indexOf('=');
      assertTrue(eq > 0, () -> "unexpected output line '" + line + "'\n" + run.describe());
      seen.put(line.substring(0, eq), line.substring(eq + 1));
    }
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("buckets_contain", "True");
    expected.put("put_etag", TestData.etag("hello boto3".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    expected.put("head_length", "11");
    expected.put("head_type", "text/plain");
    expected.put("head_meta", "python");
    expected.put("get_body", "hello boto3");
    expected.put("range_body", "boto3");
    expected.put("range_status", "206");
    expected.put("list_keys", "top.txt");
    expected.put("list_prefixes", "docs/");
    expected.put("nested_keys", "docs/copy.txt,docs/hello.txt");
    expected.put("multipart_etag", seen.get("multipart_etag"));
    expected.put("multipart_same", "True");
    expected.put("missing_error", "NoSuchKey");
    expected.put("deleted", "big/file.bin,docs/copy.txt,docs/hello.txt,top.txt");
    expected.put("bucket_gone", "True");
    assertEquals(expected, seen, run::describe);
    assertTrue(seen.get("multipart_etag").matches("\"[0-9a-f]{32}-3\""), "multipart ETag " + seen.get("multipart_etag"));
  }
}
