package io.tarn.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Keys, certificates and PEM files made in the test (no key material is committed), and a TLS handshake in memory. */
final class TlsFixtures {
  private TlsFixtures() {}

  static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  static KeyPair ec() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** A certificate for {@code subject}'s key, signed by {@code issuer}'s; SAN DNS localhost. */
  static X509Certificate certificate(KeyPair subject, String subjectCn, KeyPair issuer, String issuerCn, boolean ca)
      throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuerCn),
        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=" + subjectCn), subject.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    b.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
    String alg = issuer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuer.getPrivate())));
  }

  static X509Certificate selfSigned(KeyPair keys, String cn) throws Exception {
    return certificate(keys, cn, keys, cn, false);
  }

  /** PKCS#8 ({@code PRIVATE KEY}). */
  static Object pkcs8(PrivateKey key) throws IOException {
    return new JcaPKCS8Generator(key, null);
  }

  /** OpenSSL's traditional form of an RSA key: PKCS#1 ({@code RSA PRIVATE KEY}). */
  static Object traditional(PrivateKey key) throws IOException {
    return new JcaMiscPEMGenerator(key);
  }

  /** Traditional form encrypted with a password ({@code Proc-Type: 4,ENCRYPTED}). */
  static Object encrypted(PrivateKey key) throws IOException {
    // A provider instance for this one call: OpenSSL's key derivation is not in the JDK, and the
    // server must not depend on Bouncy Castle being registered.
    return new JcaMiscPEMGenerator(key, new JcePEMEncryptorBuilder("AES-128-CBC")
        .setProvider(new BouncyCastleProvider()).build("secret".toCharArray()));
  }

  /**
   * SEC1 ({@code EC PRIVATE KEY}) naming its curve, as OpenSSL writes it, with or without the
   * optional public key. ({@link #traditional} cannot be used: converted from the JDK's PKCS#8 it
   * loses the curve.)
   */
  static Object sec1(KeyPair pair, boolean withPublicKey) {
    ECPrivateKey key = (ECPrivateKey) pair.getPrivate();
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
    try {
      return new PemObject("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(),
          withPublicKey ? spki.getPublicKeyData() : null, info.getPrivateKeyAlgorithm().getParameters()).getEncoded());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Writes {@code objects} (certificates, generators) as PEM blocks, one after the other. */
  static Path pem(Path file, Object... objects) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        w.writeObject(o);
      }
    }
    return file;
  }

  /**
   * A full TLS handshake in memory between {@code server}'s engine and a JDK client that trusts only
   * {@code trusted} and checks that the certificate names {@code host} (as HTTPS clients do); then
   * one message each way. Returns the certificate the client saw; throws if the client refused.
   */
  static X509Certificate handshake(SslContext server, X509Certificate trusted, String host) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("tarn", trusted);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, tmf.getTrustManagers(), null);
    SSLEngine client = clientContext.createSSLEngine(host, 443);
    client.setUseClientMode(true);
    SSLParameters params = client.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    client.setSSLParameters(params);
    SSLEngine srv = server.newEngine(ByteBufAllocator.DEFAULT);

    ByteBuffer clientApp = ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII));
    ByteBuffer serverApp = ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII));
    ByteBuffer toServer = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
    ByteBuffer toClient = ByteBuffer.allocate(srv.getSession().getPacketBufferSize());
    ByteBuffer clientIn = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() + 64);
    ByteBuffer serverIn = ByteBuffer.allocate(srv.getSession().getApplicationBufferSize() + 64);
    for (int i = 0; i < 200 && (clientIn.position() < 4 || serverIn.position() < 4); i++) {
      client.wrap(clientApp, toServer);
      runTasks(client);
      srv.wrap(serverApp, toClient);
      runTasks(srv);
      toServer.flip();
      toClient.flip();
      client.unwrap(toClient, clientIn);
      runTasks(client);
      srv.unwrap(toServer, serverIn);
      runTasks(srv);
      toServer.compact();
      toClient.compact();
    }
    if (!"pong".equals(text(clientIn)) || !"ping".equals(text(serverIn))) {
      throw new AssertionError("no application data exchanged: client got '" + text(clientIn) + "', server got '"
          + text(serverIn) + "'");
    }
    return (X509Certificate) client.getSession().getPeerCertificates()[0];
  }

  private static String text(ByteBuffer b) {
    return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
  }

  private static void runTasks(SSLEngine engine) {
    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
      Runnable task;
      while ((task = engine.getDelegatedTask()) != null) {
        task.run();
      }
    }
  }
}
