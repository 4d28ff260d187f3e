package io.tarn.server.admin;

import static io.tarn.server.admin.FakeAdminApi.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.server.admin.AdminCli.Result;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https with a self-signed server certificate: trusted through --ca-bundle, refused (exit 3) without. */
final class AdminTlsTest {
  @TempDir
  Path dir;
  FakeAdminApi fake;
  Path certPem;

  @BeforeEach
  void start() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=Tarn test");
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
        new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic())
            .addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", pair.getPrivate(), new char[0], new X509Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    certPem = dir.resolve("server-cert.pem");
    Files.writeString(certPem, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
    // The fake's verifier uses the real clock here: the CLI signs with it too (context below).
    fake = FakeAdminApi.startHttps(java.time.Clock.systemUTC(), ssl);
    fake.json("GET", "/whoami", 200, "{\"user\":" + AdminCommandsTest.ROOT + ",\"accessKeyId\":\"" + ADMIN.accessKeyId() + "\"}");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private Result run(Map<String, String> env, String... args) {
    return AdminCli.run(new CliContext(env, dir, java.time.Clock.systemUTC(), AdminCli.noConsole()),
        AdminCli.with(fake, ADMIN, args));
  }

  @Test
  void caBundleFlagTrustsTheServer() {
    Result r = run(Map.of(), "whoami", "--ca-bundle", certPem.toString());
    assertEquals(0, r.exit(), r::toString);
    assertTrue(fake.endpoint().startsWith("https://"));
    assertTrue(r.out().contains("User:           root"), r::toString);
  }

  @Test
  void caBundleFromTheEnvironment() {
    Result r = run(Map.of("TARN_CA_BUNDLE", certPem.toString()), "whoami");
    assertEquals(0, r.exit(), r::toString);
  }

  @Test
  void untrustedCertificateIsUnreachableAndSuggestsCaBundle() {
    Result r = run(Map.of(), "whoami");
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().contains("TLS connection to " + fake.endpoint() + " failed"), r::toString);
    assertTrue(r.err().contains("--ca-bundle"), r::toString);
    assertTrue(!r.err().contains("\tat "), r::toString);
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void plainHttpToATlsPortIsUnreachable() {
    Result r = AdminCli.run(new CliContext(Map.of(), dir, java.time.Clock.systemUTC(), AdminCli.noConsole()),
        "whoami", "--endpoint", fake.endpoint().replace("https://", "http://"),
        "--access-key", ADMIN.accessKeyId(), "--secret-key", ADMIN.secretKey());
    assertEquals(3, r.exit(), r::toString);
    assertTrue(r.err().contains("cannot reach") || r.err().contains("does not look like a Tarn admin API"), r::toString);
  }

  /** A peer that accepts and then says nothing: the TLS handshake stalls, and the command must still end. */
  @Test
  void silentPeerHitsTheDeadline() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ClientConfig config = new ClientConfig(URI.create("https://127.0.0.1:" + silent.getLocalPort()), "a", "b",
          "us-east-1", certPem, "default");
      ApiClient api = new ApiClient(config, java.time.Clock.systemUTC(), Duration.ofMillis(500));
      long start = System.nanoTime();
      CliException e = assertThrows(CliException.class, () -> api.get(AdminCommand.path("info")));
      assertEquals(Exit.UNREACHABLE, e.exit());
      assertTrue(e.getMessage().contains("no answer within"), e.getMessage());
      assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
    }
  }

  @Test
  void missingOrBadBundleIsReported() throws Exception {
    Result missing = run(Map.of(), "whoami", "--ca-bundle", dir.resolve("nope.pem").toString());
    assertEquals(1, missing.exit(), missing::toString);
    assertTrue(missing.err().contains("nope.pem does not exist"), missing::toString);
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
    Result bad = run(Map.of(), "whoami", "--ca-bundle", junk.toString());
    assertEquals(1, bad.exit(), bad::toString);
    assertTrue(bad.err().contains("junk.pem"), bad::toString);
  }
}
