package io.tarn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Browser;
import io.tarn.it.support.ResponseHeaderAudit;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServer;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import io.tarn.it.support.TlsTerminatingProxy;
import io.tarn.it.support.console.BucketsPage;
import io.tarn.it.support.console.ObjectBrowserPage;
import io.tarn.it.support.console.SignInPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The console behind a reverse proxy that terminates TLS (https://127.0.0.1:P to a plain-http Tarn),
 * as self-hosters run it: started with {@code --public-url https://127.0.0.1:P}, a chromium that trusts
 * the proxy's certificate signs in through the proxy with {@code Secure} cookies, lists buckets, uploads
 * a file that the SDK reads back through the proxy. The same server started without the option refuses
 * that sign-in as cross-site: the page's origin is https, the listener's http.
 */
class ConsoleBehindProxyTest {
  private static TlsTerminatingProxy proxy;
  private static Path proxyDir;

  @RegisterExtension final Browser browser = new Browser().trusting(() -> proxy.certificate());

  @BeforeAll
  static void startProxy() throws IOException {
    Path target = TarnServerExtension.targetDir();
    Files.createDirectories(target.resolve("it-data"));
    proxyDir = Files.createTempDirectory(target.resolve("it-data"), "ConsoleBehindProxyTest-proxy-");
    proxy = new TlsTerminatingProxy(proxyDir);
  }

  @AfterAll
  static void stopProxy() {
    proxy.close();
  }

  @Test
  void theConsoleWorksThroughTheProxyWithThePublicUrlAndIsRefusedWithout(@TempDir Path tmp) throws IOException {
    Path target = TarnServerExtension.targetDir();
    Path data = Files.createTempDirectory(target.resolve("it-data"), "ConsoleBehindProxyTest-");
    String publicUrl = proxy.endpoint().toString();
    ResponseHeaderAudit audit = new ResponseHeaderAudit();
    try (TarnServer server = new TarnServer("ConsoleBehindProxyTest", data, target.resolve("it-servers"),
        TarnServer.Credentials.random())) {
      server.start(List.of("--public-url", publicUrl));
      assertEquals("http", server.scheme(), "the listener speaks plain http; TLS ends at the proxy");
      proxy.forwardTo(server.port());
      assertTrue(server.output().contains("public URL " + publicUrl + "), console: " + publicUrl + "/_tarn/console/"),
          server.outputTail());

      String bucket = TestData.bucketName("proxied");
      String content = "uploaded through a TLS-terminating proxy\n";
      try (S3Client s3 = S3Clients.https(proxy.port(), proxy.certificate(),
          S3Clients.credentials(server.root().accessKey(), server.root().secretKey()), audit)) {
        // The S3 API needs nothing: SigV4 signs the Host the proxy passes through.
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(p -> p.bucket(bucket).key("already.txt"), RequestBody.fromString("put by the SDK"));

        browser.driver().get(publicUrl + "/");
        SignInPage signIn = SignInPage.shown(browser);
        assertTrue(browser.driver().getCurrentUrl().startsWith(publicUrl + "/_tarn/console/"),
            browser.driver().getCurrentUrl());
        BucketsPage buckets = signIn.signIn(server.root().accessKey(), server.root().secretKey());
        Cookie session = browser.driver().manage().getCookieNamed("tarn_session");
        assertNotNull(session, "no session cookie after signing in through the proxy");
        assertTrue(session.isSecure(), "the browser speaks https: the session cookie must be Secure");
        assertTrue(buckets.bucketNames().contains(bucket), buckets.bucketNames().toString());

        ObjectBrowserPage objects = buckets.open(bucket);
        assertEquals(List.of("already.txt"), objects.objectKeys());
        Path file = Files.writeString(tmp.resolve("proxied.txt"), content);
        String summary = objects.uploadFiles(List.of(file)).awaitUploads(1);
        assertTrue(summary.contains("1 of 1 file uploaded"), summary);
        assertEquals(content, s3.getObjectAsBytes(g -> g.bucket(bucket).key("proxied.txt")).asUtf8String());
      }
      assertEquals(List.of(), audit.drain(), "responses without the S3 request-id headers");

      // The same server and proxy without --public-url: the sign-in is cross-site to it.
      server.stop();
      server.start();
      proxy.forwardTo(server.port());
      assertTrue(server.output().contains("console: http://127.0.0.1:" + server.port() + "/_tarn/console/"),
          server.outputTail());
      browser.driver().get(publicUrl + "/_tarn/console/");
      String refused = SignInPage.shown(browser).signInExpectingError(server.root().accessKey(), server.root().secretKey());
      assertTrue(refused.contains("came from another site"), refused);
    }
  }
}
