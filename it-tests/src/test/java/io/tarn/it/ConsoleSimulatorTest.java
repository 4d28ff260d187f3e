package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.AdminClient;
import io.tarn.it.support.Browser;
import io.tarn.it.support.Cli;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.WebhookReceiver;
import io.tarn.it.support.WebhookReceiver.Received;
import io.tarn.it.support.console.SignInPage;
import io.tarn.it.support.console.SimulatorPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The rule simulator in a real browser: reached from the object browser's Webhooks link, it shows what
 * each rule would send for a key; the body it shows is what a real receiver then gets for that key
 * (apart from the per-event values), and its Python, Node and Java snippets verify the real delivery's signature.
 */
class ConsoleSimulatorTest {
  @RegisterExtension static final TarnServerExtension TARN = new TarnServerExtension();
  @RegisterExtension final Browser browser = new Browser();
  @TempDir Path dir;
  private static final String SECRET = "console-sim-secret";
  /** The values only a real commit decides (see WebhookSimulatorTest). */
  private static final Pattern PER_EVENT = Pattern.compile("\"(eventTime|sequencer|x-amz-request-id|eTag)\":\"[^\"]*\"");

  private static String normalised(String body) {
    return PER_EVENT.matcher(body).replaceAll("\"$1\":\"*\"");
  }

  @Test
  void theSimulatorShowsTheBodyTheReceiverGetsAndItsSnippetVerifiesTheRealSignature() throws Exception {
    Path python = Cli.require("python3", "apt-get install python3", Path.of("/usr/bin/python3"));
    Path node = Cli.require("node", "apt-get install nodejs", Path.of("/usr/bin/node"));
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      AdminClient api = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey()).webhooksApi();
      String bucket = TestData.bucketName("console-sim");
      TARN.s3().createBucket(r -> r.bucket(bucket));
      String hit = api.expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url",
          receiver.url("/hit").toString(), "events", List.of("s3:ObjectCreated:*"), "secret", SECRET)).path("id").asText();
      String miss = api.expect(201, "POST", "/buckets/" + bucket + "/webhooks", Map.of("url",
          receiver.url("/miss").toString(), "events", List.of("s3:ObjectCreated:*"), "prefix", "logs/")).path("id")
          .asText();
      String key = "in/<b>photo</b> 1.txt";

      SimulatorPage sim = SignInPage.open(browser, TARN.endpoint()).signIn(TARN.accessKey(), TARN.secretKey())
          .open(bucket).webhooksSimulator().simulate(key, "ObjectCreated:Put", 5);
      assertEquals("", sim.error());
      assertEquals(List.of(hit, miss), sim.ruleIds());
      assertTrue(sim.matched(hit));
      assertFalse(sim.matched(miss));
      assertEquals(List.of("prefix"), List.copyOf(sim.reasons(miss).keySet()));
      assertTrue(sim.reasons(miss).get("prefix").contains("does not start with \"logs/\""), sim.reasons(miss).toString());
      String shown = sim.body(hit);
      assertTrue(sim.curl(hit).startsWith("curl -sS -X POST '" + receiver.url("/hit") + "'"), sim.curl(hit));
      assertFalse(browser.driver().getPageSource().contains(SECRET), "never the secret");
      browser.screenshot("simulator");

      TARN.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("hello"));
      Received real = receiver.take(Duration.ofSeconds(20));
      assertEquals("/hit", real.path());
      assertEquals(normalised(real.text()), normalised(shown));
      assertEquals(sim.headers(hit).keySet(), sim.headers(hit).keySet().stream()
          .filter(h -> real.header(h) != null).collect(java.util.stream.Collectors.toCollection(
              java.util.LinkedHashSet::new)), "the receiver got every header the simulator shows");

      // The page's Python snippet, run as written, accepts the real delivery and refuses a changed body.
      Path body = dir.resolve("body.json");
      Files.write(body, real.body());
      Path script = dir.resolve("verify.py");
      Files.writeString(script, sim.snippet(hit, "python") + "\n\nimport sys\n"
          + "body = open(sys.argv[1], 'rb').read()\n"
          + "print(verify(sys.argv[2], body, sys.argv[3]), verify(sys.argv[2], body + b' ', sys.argv[3]))\n");
      Cli.Result ran = Cli.run(List.of(python.toString(), script.toString(), body.toString(), SECRET,
          real.header("X-Tarn-Signature-256")), Map.of(), dir, Duration.ofSeconds(30)).assertSuccess();
      assertEquals("True False", ran.stdout().strip(), ran.describe());

      // So do its Node and Java snippets.
      Path js = dir.resolve("verify.js");
      Files.writeString(js, sim.snippet(hit, "node") + "\n\nconst body = require('node:fs').readFileSync(process.argv[2]);\n"
          + "console.log(verify(process.argv[3], body, process.argv[4]),"
          + " verify(process.argv[3], Buffer.concat([body, Buffer.from(' ')]), process.argv[4]));\n");
      Cli.Result ranNode = Cli.run(List.of(node.toString(), js.toString(), body.toString(), SECRET,
          real.header("X-Tarn-Signature-256")), Map.of(), dir, Duration.ofSeconds(30)).assertSuccess();
      assertEquals("true false", ranNode.stdout().strip(), ranNode.describe());
      Path java = dir.resolve("Verify.java");
      List<String> javaLines = sim.snippet(hit, "java").lines().toList();
      Files.writeString(java, String.join("\n", javaLines.stream().filter(l -> l.startsWith("import ")).toList())
          + "\n\npublic class Verify {\n"
          + String.join("\n", javaLines.stream().filter(l -> !l.startsWith("import ")).toList())
          + "\n\n  public static void main(String[] a) throws Exception {\n"
          + "    byte[] body = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(a[0]));\n"
          + "    byte[] more = java.util.Arrays.copyOf(body, body.length + 1);\n"
          + "    more[body.length] = ' ';\n"
          + "    System.out.println(verify(a[1], body, a[2]) + \" \" + verify(a[1], more, a[2]));\n"
          + "  }\n}\n");
      Cli.Result ranJava = Cli.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          java.toString(), body.toString(), SECRET, real.header("X-Tarn-Signature-256")), Map.of(), dir,
          Duration.ofSeconds(60)).assertSuccess();
      assertEquals("true false", ranJava.stdout().strip(), ranJava.describe());
    }
  }

  /** A user with a read grant is not offered the tab, and the API refuses it the simulator. */
  @Test
  void aReaderIsNotOfferedWebhooksAndTheApiRefusesItTheSimulator() {
    AdminClient admin = new AdminClient(TARN.port(), TARN.accessKey(), TARN.secretKey());
    AdminClient.User reader = admin.createUser("sim-reader-" + TestData.bucketName("r"), "user");
    String bucket = TestData.bucketName("console-sim-read");
    TARN.s3().createBucket(r -> r.bucket(bucket));
    admin.expect(200, "PUT", "/buckets/" + bucket + "/grants/" + reader.name(), Map.of("permission", "read"));

    boolean offered = SignInPage.open(browser, TARN.endpoint()).signIn(reader.accessKey(), reader.secretKey())
        .open(bucket).offersWebhooks();
    assertFalse(offered, "a reader may not manage webhooks");
    AdminClient.Response refused = new AdminClient(TARN.port(), reader.accessKey(), reader.secretKey()).webhooksApi()
        .call("POST", "/buckets/" + bucket + "/webhooks/simulate", Map.of("key", "k", "event", "ObjectCreated:Put"));
    assertEquals(403, refused.status(), refused.text());
  }
}
