package io.tarn.notifications.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * https against a receiver with a self-signed certificate for {@code hook.test} (and IP 127.0.0.1),
 * made at test time with the JDK's own keytool: the connection goes to the checked address while
 * SNI and hostname verification use the URL's name.
 */
@Timeout(60)
class NettySenderTlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static X509Certificate cert;
  private static TestReceiver receiver;
  private static final Resolver RESOLVER = host -> {
    if (host.equals("hook.test") || host.equals("other.test")) {
      return List.of(InetAddress.getLoopbackAddress());
    }
    throw new UnknownHostException(host);
  };

  @BeforeAll
  static void startReceiver(@TempDir Path dir) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Assumptions.assumeTrue(Files.isExecutable(keytool), "no keytool in " + keytool + ": https test skipped");
    Path store = dir.resolve("hook.p12");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "hook", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=hook.test", "-ext", "SAN=dns:hook.test,ip:127.0.0.1",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD);
    }
    cert = (X509Certificate) ks.getCertificate("hook");
    PrivateKey key = (PrivateKey) ks.getKey("hook", PASSWORD);
    SslContext server = SslContextBuilder.forServer(key, cert).sslProvider(SslProvider.JDK).build();
    receiver = new TestReceiver(server);
  }

  @AfterAll
  static void stopReceiver() {
    if (receiver != null) {
      receiver.close();
    }
  }

  private static SendRequest request(String host) {
    return new SendRequest(URI.create("https://" + host + ":" + receiver.port() + "/tls"),
        Map.of("Content-Type", "application/json"), "{}".getBytes(), true);
  }

  @Test
  void httpsToTheCheckedAddressKeepsSniAndHostAndVerifiesTheName() throws Exception {
    try (NettySender sender = new NettySender(TransportOptions.defaults(), RESOLVER, List.of(cert))) {
      SendResult result = sender.send(request("hook.test")).get(20, TimeUnit.SECONDS);
      assertTrue(result.delivered(), result.toString());
      assertTrue(receiver.sniNames.contains("hook.test"), receiver.sniNames.toString());
      TestReceiver.Received last = receiver.received.get(receiver.received.size() - 1);
      assertEquals("hook.test:" + receiver.port(), last.headers().get("Host"));
      assertEquals("{}", new String(last.body()));
    }
  }

  @Test
  void httpsToAnIpLiteralVerifiesTheIpSubjectAltName() throws Exception {
    try (NettySender sender = new NettySender(TransportOptions.defaults(), RESOLVER, List.of(cert))) {
      SendResult result = sender.send(request("127.0.0.1")).get(20, TimeUnit.SECONDS);
      assertTrue(result.delivered(), result.toString());
    }
  }

  @Test
  void certificateForAnotherNameFails() throws Exception {
    try (NettySender sender = new NettySender(TransportOptions.defaults(), RESOLVER, List.of(cert))) {
      SendResult result = sender.send(request("other.test")).get(20, TimeUnit.SECONDS);
      SendResult.Failure failure = assertInstanceOf(SendResult.Failure.class, result);
      assertTrue(failure.error().startsWith("TLS handshake with other.test failed: "), failure.error());
    }
  }

  @Test
  void untrustedCertificateFails() throws Exception {
    try (NettySender sender = new NettySender(TransportOptions.defaults(), RESOLVER, List.of())) {
      SendResult result = sender.send(request("hook.test")).get(20, TimeUnit.SECONDS);
      SendResult.Failure failure = assertInstanceOf(SendResult.Failure.class, result);
      assertTrue(failure.error().startsWith("TLS handshake with hook.test failed: "), failure.error());
    }
  }
}
