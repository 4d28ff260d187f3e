package io.tarn.it.cli;

import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServerExtension;
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

/**
 * A current boto3 (1.37, as Debian 13 packages it; Debian 12's 1.26 predates conditional deletes),
 * made importable by the team's {@code current-boto3.sh}, with its default settings.
 */
class CurrentBoto3Test {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  /** https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html */
  @Test
  void conditionalDeleteObject(@TempDir Path work) throws IOException {
    Path python = Cli.require("python3", "apt-get install python3", PYTHON);
    Map<String, String> env = new LinkedHashMap<>(Map.of(
        "HOME", work.toString(),
        "AWS_CONFIG_FILE", Files.createFile(work.resolve("aws-config")).toString(),
        "AWS_SHARED_CREDENTIALS_FILE", Files.createFile(work.resolve("aws-credentials")).toString(),
        "AWS_EC2_METADATA_DISABLED", "true",
        "PYTHONPATH", Cli.currentBoto3Path(work)));
    Path script = work.resolve("boto3_conditional_delete.py");
    try (InputStream in = CurrentBoto3Test.class.getResourceAsStream("/cli/boto3_conditional_delete.py")) {
      Files.copy(in, script);
    }
    env.putAll(Map.of(
        "TARN_ENDPOINT", TARN.endpoint().toString(),
        "TARN_ACCESS_KEY", TARN.accessKey(),
        "TARN_SECRET_KEY", TARN.secretKey(),
        "TARN_BUCKET", bucketName("boto3cur")));
    Cli.Result run = Cli.run(List.of(python.toString(), script.toString()), env, work, Duration.ofMinutes(2))
        .assertSuccess();

    Map<String, String> seen = new LinkedHashMap<>();
    for (String line : run.lines()) {
      int eq = line.indexOf('=');
      assertTrue(eq > 0, () -> "unexpected output line '" + line + "'\n" + run.describe());
      seen.put(line.substring(0, eq), line.substring(eq + 1));
    }
    // Any botocore whose model has DeleteObject's IfMatch (an older one refuses the parameter).
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("botocore", seen.get("botocore"));
    expected.put("stale_if_match", "412 PreconditionFailed");
    expected.put("still_there", "True");
    expected.put("matching_if_match", "204");
    expected.put("missing_if_match", "404 NoSuchKey");
    assertEquals(expected, seen, run::describe);
  }
}
