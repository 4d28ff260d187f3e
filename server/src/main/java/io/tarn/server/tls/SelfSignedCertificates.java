package io.tarn.server.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate of {@code --tls-self-signed}: an EC P-256 key and a certificate for the names
 * clients reach this machine by, kept in {@code <data>/tls/} and reused across restarts so that
 * clients told to trust it (aws-cli {@code --ca-bundle}, a JDK trust store) keep working.
 *
 * <p>It is a leaf that is its own trust anchor: {@code CA:FALSE}, key usage digitalSignature,
 * extended key usage serverAuth. OpenSSL (aws-cli, curl), and the JDK accept such a certificate in
 * their trusted set and match it directly, no chain building needed; being no CA, it cannot vouch
 * for any other certificate if its key leaks.
 */
final class SelfSignedCertificates {
  static final String CERT_FILE = "self-signed-cert.pem";
  static final String KEY_FILE = "self-signed-key.pem";
  static final String SUBJECT = "CN=Tarn self-signed";
  /** Well under the 825 days Apple platforms accept for a server certificate. */
  static final Duration VALIDITY = Duration.ofDays(365);
  /** Less validity left than this and a restart makes a new certificate. */
  static final Duration MIN_REMAINING = Duration.ofDays(7);
  /** Clients whose clock is a little behind must not see a certificate from the future. */
  static final Duration BACKDATE = Duration.ofHours(1);

  /**
   * @param status what happened: {@code generated}, {@code reused} or {@code replaced (why)}
   */
  record Loaded(KeyMaterial material, Path certificateFile, String status) {}

  /** What was found on disk. */
  private sealed interface Existing permits Usable, Unusable {}

  private record Usable(KeyMaterial material) implements Existing {}

  private record Unusable(String reason) implements Existing {}

  private SelfSignedCertificates() {}

  /** Reuses the certificate in {@code dir} if it still fits {@code names} and time; else makes a new one. */
  static Loaded loadOrCreate(Path dir, SubjectNames names, Clock clock) throws TlsException {
    Path certFile = dir.resolve(CERT_FILE);
    Path keyFile = dir.resolve(KEY_FILE);
    String status = "generated";
    if (Files.exists(certFile) || Files.exists(keyFile)) {
      Existing existing = check(certFile, keyFile, names, clock.instant());
      if (existing instanceof Usable usable) {
        return new Loaded(usable.material(), certFile, "reused");
      }
      status = "replaced (" + ((Unusable) existing).reason() + ")";
    }
    KeyMaterial fresh = generate(names, clock.instant());
    try {
      Files.createDirectories(dir);
      // Key first: a crash between the two writes leaves a key that does not match the old
      // certificate, which the next start detects and replaces.
      PemFiles.writePrivateKey(keyFile, fresh.privateKey());
      PemFiles.writeCertificate(certFile, fresh.leaf());
    } catch (IOException e) {
      throw new TlsException("cannot write the self-signed certificate to " + dir + ": " + e.getMessage(), e);
    }
    return new Loaded(fresh, certFile, status);
  }

  private static Existing check(Path certFile, Path keyFile, SubjectNames names, Instant now) throws TlsException {
    X509Certificate cert;
    PrivateKey key;
    try {
      cert = PemFiles.readCertificates(certFile, "certificate").get(0);
      key = PemFiles.readPrivateKey(keyFile, "key");
    } catch (TlsException e) {
      return new Unusable(e.getMessage());
    }
    if (!KeyMaterial.matches(key, cert.getPublicKey())) {
      return new Unusable("the key does not match the certificate");
    }
    if (now.isBefore(cert.getNotBefore().toInstant())) {
      return new Unusable("not valid before " + cert.getNotBefore().toInstant());
    }
    if (now.plus(MIN_REMAINING).isAfter(cert.getNotAfter().toInstant())) {
      return new Unusable("expires " + cert.getNotAfter().toInstant());
    }
    SubjectNames present;
    try {
      present = SubjectNames.of(cert);
    } catch (CertificateParsingException e) {
      return new Unusable("unreadable subject alternative names");
    }
    if (!present.covers(names)) {
      return new Unusable("names changed: was " + present + ", now " + names);
    }
    return new Usable(new KeyMaterial(key, List.of(cert)));
  }

  /** A new key and certificate for {@code names}, valid from a little before {@code now}. */
  static KeyMaterial generate(SubjectNames names, Instant now) throws TlsException {
    try {
      SecureRandom random = new SecureRandom();
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair pair = generator.generateKeyPair();
      X500Name subject = new X500Name(SUBJECT);
      // Positive, at most 20 octets (RFC 5280 4.1.2.2), never zero.
      BigInteger serial = new BigInteger(159, random).setBit(158);
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
      JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, generalNames(names))
          // Key identifiers let OpenSSL see that the certificate issued itself.
          .addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(pair.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(pair.getPublic()));
      X509Certificate cert = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new KeyMaterial(pair.getPrivate(), List.of(cert));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new TlsException("cannot generate a self-signed certificate: " + e.getMessage(), e);
    }
  }

  private static GeneralNames generalNames(SubjectNames names) {
    List<GeneralName> out = new ArrayList<>();
    for (String dns : names.dnsNames()) {
      out.add(new GeneralName(GeneralName.dNSName, dns));
    }
    for (InetAddress ip : names.addresses()) {
      out.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress())));
    }
    return new GeneralNames(out.toArray(GeneralName[]::new));
  }
}
