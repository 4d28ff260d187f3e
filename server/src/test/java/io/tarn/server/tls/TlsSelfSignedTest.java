package io.tarn.server.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSelfSignedTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final SubjectNames NAMES = names(Set.of("localhost", "tarn-host"), "127.0.0.1", "::1", "10.1.2.3");

  @TempDir Path dir;

  @Test
  void generatedCertificateHasTheNamesAndUsagesOfAServerLeaf() throws Exception {
    KeyMaterial m = SelfSignedCertificates.generate(NAMES, NOW);
    X509Certificate cert = m.leaf();
    assertEquals(NAMES, SubjectNames.of(cert));
    List<List<?>> sans = List.copyOf(cert.getSubjectAlternativeNames());
    assertEquals(List.of(List.of(2, "localhost"), List.of(2, "tarn-host"), List.of(7, "10.1.2.3"),
        List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")), sans);
    assertEquals("CN=Tarn self-signed", cert.getSubjectX500Principal().getName());
    assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
    cert.verify(cert.getPublicKey());
    assertEquals(-1, cert.getBasicConstraints(), "not a CA");
    assertArrayEquals(new boolean[] {true, false, false, false, false, false, false, false, false}, cert.getKeyUsage());
    assertTrue(cert.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), cert.getExtendedKeyUsage());
    assertEquals("SHA256withECDSA", cert.getSigAlgName());
    assertEquals(256, ((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize());
    assertEquals(NOW.minus(Duration.ofHours(1)), cert.getNotBefore().toInstant());
    assertEquals(NOW.plus(Duration.ofDays(365)), cert.getNotAfter().toInstant());
    assertTrue(cert.getSerialNumber().signum() > 0 && cert.getSerialNumber().bitLength() > 64);
    assertNotEquals(cert.getSerialNumber(), SelfSignedCertificates.generate(NAMES, NOW).leaf().getSerialNumber());
    assertTrue(KeyMaterial.matches(m.privateKey(), cert.getPublicKey()));
  }

  @Test
  void writtenToTheDataDirectoryWithAPrivateKeyFile() throws Exception {
    SelfSignedCertificates.Loaded first = SelfSignedCertificates.loadOrCreate(dir, NAMES, clock(NOW));
    assertEquals("generated", first.status());
    assertEquals(dir.resolve("self-signed-cert.pem"), first.certificateFile());
    Path key = dir.resolve("self-signed-key.pem");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
    assertTrue(Files.readString(first.certificateFile()).startsWith("-----BEGIN CERTIFICATE-----"));
    assertEquals(first.material().leaf(), PemFiles.readCertificates(first.certificateFile(), "cert").get(0));
    assertEquals(Set.of("self-signed-cert.pem", "self-signed-key.pem"), listing(dir), "no temp files left");
  }

  @Test
  void reusedWhileItFitsTheNamesAndHasTimeLeft() throws Exception {
    X509Certificate first = SelfSignedCertificates.loadOrCreate(dir, NAMES, clock(NOW)).material().leaf();
    Instant later = NOW.plus(Duration.ofDays(300));
    SelfSignedCertificates.Loaded again = SelfSignedCertificates.loadOrCreate(dir, NAMES, clock(later));
    assertEquals("reused", again.status());
    assertArrayEquals(first.getEncoded(), again.material().leaf().getEncoded());
    assertEquals(KeyMaterial.fingerprint(first), again.material().fingerprint());
    // Fewer names than the certificate has (an interface went away): still covered.
    SubjectNames fewer = names(Set.of("localhost"), "127.0.0.1", "::1");
    assertEquals("reused", SelfSignedCertificates.loadOrCreate(dir, fewer, clock(later)).status());
  }

  @Test
  void regeneratedWhenTheNamesChange() throws Exception {
    X509Certificate first = SelfSignedCertificates.loadOrCreate(dir, NAMES, clock(NOW)).material().leaf();
    SubjectNames moved = names(Set.of("localhost", "tarn-host"), "127.0.0.1", "::1", "10.9.9.9");
    SelfSignedCertificates.Loaded again = SelfSignedCertificates.loadOrCreate(dir, moved, clock(NOW));
    assertTrue(again.status().startsWith("replaced (names changed"), again.status());
    assertNotEquals(first, again.material().leaf());
    assertEquals(moved, SubjectNames.of(again.material().leaf()));
    assertEquals(again.material().leaf(), PemFiles.readCertificates(again.certificateFile(), "cert").get(0));
    assertEquals("reused", SelfSignedCertificates.loadOrCreate(dir, moved, clock(NOW)).status());
  }

  @Test
  void regeneratedWithinAWeekOfExpiry() throws Exception {
    X509Certificate first = SelfSignedCertificates.loadOrCreate(dir, NAMES, clock(NOW)).material().leaf();
    Instant nearEnd = first.getNotAfter().toInstant().minus(Duration.ofDays(6));
    SelfSignedCertificates.Loaded again = SelfSignedCertificates.loadOrCreate(dir, NAMES, clock(nearEnd));
    assertTrue(again.status().startsWith("replaced (expires "), again.status());
    assertEquals(nearEnd.plus(Duration.ofDays(365)), again.material().leaf().getNotAfter().toInstant());
  }

  @Test
  void regeneratedWhenTheKeyNoLongerMatchesOrIsDamaged() throws Exception {
    SelfSignedCertificates.loadOrCreate(dir, NAMES, clock(NOW));
    Path key = dir.resolve("self-signed-key.pem");
    TlsFixtures.pem(key, TlsFixtures.pkcs8(TlsFixtures.ec().getPrivate()));
    SelfSignedCertificates.Loaded again = SelfSignedCertificates.loadOrCreate(dir, NAMES, clock(NOW));
    assertEquals("replaced (the key does not match the certificate)", again.status());
    assertTrue(KeyMaterial.matches(PemFiles.readPrivateKey(key, "key"), again.material().leaf().getPublicKey()));

    Files.writeString(again.certificateFile(), "garbage");
    SelfSignedCertificates.Loaded third = SelfSignedCertificates.loadOrCreate(dir, NAMES, clock(NOW));
    assertTrue(third.status().startsWith("replaced (certificate "), third.status());
  }

  @Test
  void trustedByTheJdkAsItsOwnAnchorForEachOfItsNames() throws Exception {
    SelfSignedCertificates.Loaded loaded = SelfSignedCertificates.loadOrCreate(dir, NAMES, Clock.systemUTC());
    ServerTls tls = ServerTls.create(loaded.material(), loaded.certificateFile(), true, loaded.status());
    X509Certificate trusted = PemFiles.readCertificates(loaded.certificateFile(), "cert").get(0);
    for (String host : List.of("localhost", "tarn-host", "127.0.0.1", "10.1.2.3")) {
      assertEquals(trusted, TlsFixtures.handshake(tls.sslContext(), trusted, host), host);
    }
    assertThrows(SSLHandshakeException.class, () -> TlsFixtures.handshake(tls.sslContext(), trusted, "example.com"));
    X509Certificate other = SelfSignedCertificates.generate(NAMES, Instant.now()).leaf();
    assertThrows(SSLHandshakeException.class, () -> TlsFixtures.handshake(tls.sslContext(), other, "localhost"));
  }

  @Test
  void describesTheCertificateForTheOperator() throws Exception {
    SelfSignedCertificates.Loaded loaded = SelfSignedCertificates.loadOrCreate(dir, NAMES, clock(NOW));
    ServerTls tls = ServerTls.create(loaded.material(), loaded.certificateFile(), true, loaded.status());
    String fingerprint = tls.fingerprint();
    assertTrue(fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fingerprint);
    assertEquals(List.of(
        "TLS: self-signed certificate " + loaded.certificateFile().toAbsolutePath() + " (generated, valid until "
            + NOW.plus(Duration.ofDays(365)) + ")",
        "TLS: names localhost, tarn-host, 10.1.2.3, 127.0.0.1, [::1]",
        "TLS: SHA-256 fingerprint " + fingerprint), tls.describe(NOW));
    assertEquals("TLS: WARNING: the certificate expired on " + NOW.plus(Duration.ofDays(365))
        + "; clients will refuse it", tls.describe(NOW.plus(Duration.ofDays(400))).get(3));
  }

  private static SubjectNames names(Set<String> dns, String... ips) {
    return new SubjectNames(dns, Set.of(ips).stream().map(TlsSelfSignedTest::ip).collect(java.util.stream.Collectors.toSet()));
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Clock clock(Instant at) {
    return Clock.fixed(at, ZoneOffset.UTC);
  }

  private static Set<String> listing(Path d) throws java.io.IOException {
    try (var files = Files.list(d)) {
      return files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
    }
  }
}
