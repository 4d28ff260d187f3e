package io.tarn.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls-cert}/{@code --tls-key}: the PEM forms accepted and the one-line errors for the rest. */
class TlsPemFilesTest {
  private static KeyPair rsa;
  private static KeyPair ec;
  private static X509Certificate rsaCert;
  private static X509Certificate ecCert;

  @TempDir Path dir;

  @BeforeAll
  static void keys() throws Exception {
    rsa = TlsFixtures.rsa();
    ec = TlsFixtures.ec();
    rsaCert = TlsFixtures.selfSigned(rsa, "localhost");
    ecCert = TlsFixtures.selfSigned(ec, "localhost");
  }

  @Test
  void rsaKeyInPkcs1Form() throws Exception {
    assertServes(rsaCert, TlsFixtures.traditional(rsa.getPrivate()), "-----BEGIN RSA PRIVATE KEY-----");
  }

  @Test
  void rsaKeyInPkcs8Form() throws Exception {
    assertServes(rsaCert, TlsFixtures.pkcs8(rsa.getPrivate()), "-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void ecKeyInSec1Form() throws Exception {
    assertServes(ecCert, TlsFixtures.sec1(ec, true), "-----BEGIN EC PRIVATE KEY-----");
  }

  @Test
  void ecKeyInSec1FormWithoutTheOptionalPublicKey() throws Exception {
    assertServes(ecCert, TlsFixtures.sec1(ec, false), "-----BEGIN EC PRIVATE KEY-----");
  }

  @Test
  void ecKeyInPkcs8Form() throws Exception {
    assertServes(ecCert, TlsFixtures.pkcs8(ec.getPrivate()), "-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void ecKeyAfterTheEcParametersBlockOfOpensslEcparam() throws Exception {
    Path key = dir.resolve("key.pem");
    TlsFixtures.pem(key, TlsFixtures.sec1(ec, true));
    Files.writeString(key, "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
        + Files.readString(key));
    Path cert = TlsFixtures.pem(dir.resolve("cert.pem"), ecCert);
    assertEquals(ecCert, TlsOptions.load(cert, key).leaf());
  }

  @Test
  void chainLeafFirstIsServedWhole() throws Exception {
    KeyPair caKeys = TlsFixtures.ec();
    X509Certificate ca = TlsFixtures.certificate(caKeys, "Test CA", caKeys, "Test CA", true);
    X509Certificate leaf = TlsFixtures.certificate(rsa, "localhost", caKeys, "Test CA", false);
    // Text around the blocks, as "openssl x509 -text" leaves it, is ignored.
    Path cert = TlsFixtures.pem(dir.resolve("chain.pem"), leaf, ca);
    Files.writeString(cert, "subject=CN=localhost\n" + Files.readString(cert));
    Path key = TlsFixtures.pem(dir.resolve("key.pem"), TlsFixtures.traditional(rsa.getPrivate()));
    KeyMaterial m = TlsOptions.load(cert, key);
    assertEquals(List.of(leaf, ca), m.chain());
    ServerTls tls = ServerTls.create(m, cert, false, "loaded");
    assertEquals(leaf, TlsFixtures.handshake(tls.sslContext(), ca, "localhost"));

    Path reversed = TlsFixtures.pem(dir.resolve("reversed.pem"), ca, leaf);
    assertEquals("--tls-cert " + reversed + ": the key of --tls-key matches certificate #2, but the server's own"
        + " certificate must come first in the file", failure(reversed, key));
  }

  @Test
  void oneCombinedFileMayServeAsBoth() throws Exception {
    Path both = TlsFixtures.pem(dir.resolve("both.pem"), TlsFixtures.pkcs8(ec.getPrivate()), ecCert);
    KeyMaterial m = TlsOptions.load(both, both);
    assertEquals(List.of(ecCert), m.chain());
  }

  @Test
  void aKeyOfAnotherCertificateIsRejected() throws Exception {
    Path cert = TlsFixtures.pem(dir.resolve("cert.pem"), rsaCert);
    Path otherRsa = TlsFixtures.pem(dir.resolve("other-rsa.pem"), TlsFixtures.traditional(TlsFixtures.rsa().getPrivate()));
    assertEquals("--tls-key " + otherRsa + ": does not match the certificate in " + cert + " (CN=localhost)",
        failure(cert, otherRsa));
    Path ecKey = TlsFixtures.pem(dir.resolve("ec.pem"), TlsFixtures.sec1(ec, true));
    assertEquals("--tls-key " + ecKey + ": does not match the certificate in " + cert + " (CN=localhost)",
        failure(cert, ecKey));
  }

  @Test
  void unusableFilesGetOneLineNamingFileAndProblem() throws Exception {
    Path cert = TlsFixtures.pem(dir.resolve("cert.pem"), ecCert);
    Path key = TlsFixtures.pem(dir.resolve("key.pem"), TlsFixtures.pkcs8(ec.getPrivate()));
    Path missing = dir.resolve("missing.pem");
    assertEquals("--tls-cert " + missing + ": no such file", failure(missing, key));
    assertEquals("--tls-key " + missing + ": no such file", failure(cert, missing));
    assertEquals("--tls-cert " + key + ": no CERTIFICATE in it (found: PRIVATE KEY)", failure(key, key));
    assertEquals("--tls-key " + cert + ": no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY in it (found: CERTIFICATE)",
        failure(cert, cert));
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertEquals("--tls-key " + empty + ": no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY in it (no PEM blocks)",
        failure(cert, empty));
    Path der = Files.write(dir.resolve("cert.der"), ecCert.getEncoded());
    assertEquals("--tls-cert " + der + ": looks like DER, not PEM (convert it: openssl x509 -inform der"
        + " / openssl pkey -inform der)", failure(der, key));
    Path encrypted = TlsFixtures.pem(dir.resolve("enc.pem"), TlsFixtures.encrypted(ec.getPrivate()));
    assertTrue(Files.readString(encrypted).contains("ENCRYPTED"));
    assertEquals("--tls-key " + encrypted + ": the private key is encrypted; give an unencrypted one"
        + " (openssl pkey -in KEY -out KEY.plain)", failure(cert, encrypted));
    Path twoKeys = TlsFixtures.pem(dir.resolve("two.pem"), TlsFixtures.pkcs8(ec.getPrivate()),
        TlsFixtures.pkcs8(rsa.getPrivate()));
    assertEquals("--tls-key " + twoKeys + ": holds 2 private keys, expected one", failure(cert, twoKeys));
    Path broken = Files.writeString(dir.resolve("broken.pem"),
        "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
    String message = failure(broken, key);
    assertTrue(message.startsWith("--tls-cert " + broken + ": "), message);
    assertFalse(message.contains("\n"), message);
    String directory = failure(dir, key);
    assertTrue(directory.startsWith("--tls-cert " + dir + ": cannot read"), directory);
  }

  /** Loads the pair and builds a context, then checks a JDK client completes a handshake with it. */
  private void assertServes(X509Certificate cert, Object keyPem, String header) throws Exception {
    Path certFile = TlsFixtures.pem(dir.resolve("cert.pem"), cert);
    Path keyFile = TlsFixtures.pem(dir.resolve("key.pem"), keyPem);
    assertTrue(Files.readString(keyFile).startsWith(header + "\n"), () -> "fixture is not " + header);
    KeyMaterial m = TlsOptions.load(certFile, keyFile);
    ServerTls tls = ServerTls.create(m, certFile, false, "loaded");
    assertEquals(cert, TlsFixtures.handshake(tls.sslContext(), cert, "localhost"));
    assertEquals(KeyMaterial.fingerprint(cert), tls.fingerprint());
  }

  private static String failure(Path cert, Path key) {
    TlsException e = assertThrows(TlsException.class, () -> TlsOptions.load(cert, key));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }
}
