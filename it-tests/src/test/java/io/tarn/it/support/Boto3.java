package io.tarn.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * boto3 in the two generations users run: Debian 12's (1.26, 2022, what {@code apt-get install
 * python3-boto3} gives) and a current one (1.37, with the default integrity checks SDKs turned on in
 * early 2025: CRC checksums on uploads through aws-chunked trailers, response checksum validation on
 * every GET), unpacked privately by {@code .ci/current-boto3.sh}. Both run with {@code /usr/bin/python3}
 * and a clean client environment; scripts are the resources under {@code /cli/} and print one
 * {@code name=value} line per observation.
 */
public final class Boto3 {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  /** .ci/run exports it so the tests do not unpack the packages again. */
  private static final String CURRENT_PATH_VARIABLE = "TARN_IT_CURRENT_BOTO3";
  /** The scripts' shared module (output protocol, digests, the client), copied beside each script. */
  private static final String SHARED_MODULE = "tarn_it.py";
  private static volatile String currentSitePackages;

  /** Which boto3. */
  public enum Generation {
    /** Debian 12's python3-boto3 (1.26). */
    DEBIAN_12,
    /** Debian 13's boto3/botocore/s3transfer (1.37), today's defaults. */
    CURRENT
  }

  private Boto3() {}

  /**
   * The environment for running {@code generation} in {@code work}: no user config or credentials,
   * and PYTHONPATH for the current one. Fails the test when that boto3 cannot be imported and
   * {@code CI=true}, otherwise skips it.
   */
  public static Map<String, String> environment(Generation generation, Path work) {
    Path python = Cli.require("python3", "apt-get install python3", PYTHON);
    Map<String, String> env = new LinkedHashMap<>();
    try {
      env.put("HOME", work.toString());
      env.put("AWS_CONFIG_FILE", touch(work.resolve("aws-config")).toString());
      env.put("AWS_SHARED_CREDENTIALS_FILE", touch(work.resolve("aws-credentials")).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    if (generation == Generation.CURRENT) {
      env.put("PYTHONPATH", currentSitePackages());
    } else {
      env.put("PYTHONPATH", "");
    }
    Cli.Result probe = Cli.run(List.of(python.toString(), "-c",
        "import boto3, botocore; print(boto3.__version__, botocore.__version__)"), env, work, Duration.ofSeconds(30));
    if (probe.exitCode() != 0) {
      throw Cli.missing("boto3 (" + generation + ") is not importable by " + python + " ("
          + probe.stderr().strip() + "); install it with: apt-get install python3-boto3"
          + (generation == Generation.CURRENT ? " and run .ci/current-boto3.sh" : ""));
    }
    // Default checksums came with botocore 1.36 (January 2025): each generation must be on its side of it.
    String version = probe.stdout().strip();
    String[] parts = version.split("[. ]");
    boolean withDefaultChecksums = Integer.parseInt(parts[0]) > 1 || Integer.parseInt(parts[1]) >= 36;
    assertTrue(withDefaultChecksums == (generation == Generation.CURRENT), () -> generation + " boto3 is " + version);
    return env;
  }

  /**
   * Runs the resource script {@code /cli/<script>} with {@code generation}'s boto3 and {@code extra}
   * environment; fails the test if it exits non-zero.
   *
   * @return its observations, in order
   */
  public static Map<String, String> run(Generation generation, String script, Path work, Map<String, String> extra,
      Duration timeout) {
    Map<String, String> env = new LinkedHashMap<>(environment(generation, work));
    env.putAll(extra);
    copyResource(SHARED_MODULE, work);
    Path file = copyResource(script, work);
    Cli.Result result = Cli.run(List.of(PYTHON.toString(), file.toString()), env, work, timeout).assertSuccess();
    Map<String, String> seen = new LinkedHashMap<>();
    for (String line : result.lines()) {
      int eq = line.indexOf('=');
      assertTrue(eq > 0, () -> "unexpected output line '" + line + "'\n" + result.describe());
      seen.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return seen;
  }

  /** A browser form made by boto3's {@code generate_presigned_post}: where to post it, and its fields in boto3's order. */
  public record Form(String url, Map<String, String> fields) {}

  /**
   * Runs {@code generate_presigned_post} (cli/presigned_post.py) for {@code key} in {@code bucket}, with boto3's
   * default settings unless {@code extra} sets TARN_SIGNATURE, TARN_POST_FIELDS, TARN_POST_CONDITIONS or
   * TARN_POST_EXPIRES (see the script).
   */
  public static Form presignedPost(Generation generation, TarnServerExtension tarn, Path work, String bucket,
      String key, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(serverEnvironment(tarn, bucket, work));
    env.put("TARN_POST_KEY", key);
    env.putAll(extra);
    Map<String, String> out = run(generation, "presigned_post.py", work, env, Duration.ofMinutes(2));
    Map<String, String> fields = new LinkedHashMap<>();
    try {
      JsonNode f = new ObjectMapper().readTree(out.get("fields"));
      for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        fields.put(e.getKey(), e.getValue().asText());
      }
    } catch (IOException e) {
      throw new IllegalStateException(out.toString(), e);
    }
    return new Form(out.get("url"), fields);
  }

  /** The usual variables for the scripts: endpoint, root credentials, bucket and work directory. */
  public static Map<String, String> serverEnvironment(TarnServerExtension tarn, String bucket, Path work) {
    return Map.of(
        "TARN_ENDPOINT", tarn.endpoint().toString(),
        "TARN_ACCESS_KEY", tarn.accessKey(),
        "TARN_SECRET_KEY", tarn.secretKey(),
        "TARN_BUCKET", bucket,
        "TARN_WORK", work.toString());
  }

  /** Where the current boto3 is unpacked: from .ci/run's export, else by running the script once. */
  private static String currentSitePackages() {
    String known = currentSitePackages;
    if (known != null) {
      return known;
    }
    synchronized (Boto3.class) {
      if (currentSitePackages == null) {
        String exported = System.getenv(CURRENT_PATH_VARIABLE);
        if (exported != null && !exported.isBlank()) {
          currentSitePackages = exported.strip();
        } else {
          Path script = TarnServerExtension.targetDir().getParent().getParent().resolve(".ci/current-boto3.sh");
          Cli.Result r = Cli.run(List.of("bash", script.toString()), Map.of(), script.getParent(),
              Duration.ofMinutes(5));
          if (r.exitCode() != 0) {
            throw Cli.missing("a current boto3 could not be unpacked by " + script + ":\n" + r.describe());
          }
          List<String> lines = r.lines();
          currentSitePackages = lines.get(lines.size() - 1).strip();
        }
      }
      return currentSitePackages;
    }
  }

  private static Path copyResource(String name, Path dir) {
    Path file = dir.resolve(name);
    try (InputStream in = Boto3.class.getResourceAsStream("/cli/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource /cli/" + name);
      }
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path touch(Path p) throws IOException {
    if (!Files.exists(p)) {
      Files.createFile(p);
    }
    return p;
  }
}
