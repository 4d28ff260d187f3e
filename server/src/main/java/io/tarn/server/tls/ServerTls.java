package io.tarn.server.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * How the server speaks TLS: the Netty context to hand to the listener, and what to tell the
 * operator about the certificate.
 *
 * @param sslContext server context on the JDK's TLS engine (no native library needed)
 * @param certificateFile the PEM file clients can be told to trust ({@code aws --ca-bundle})
 * @param certificate the leaf certificate served
 * @param selfSigned whether it is the certificate of {@code --tls-self-signed}
 * @param status for the start-up output: {@code generated}, {@code reused}, {@code replaced (why)}
 *     for a self-signed certificate, {@code loaded} for one given with {@code --tls-cert}
 */
public record ServerTls(SslContext sslContext, Path certificateFile, X509Certificate certificate, boolean selfSigned,
    String status) {
  /** TLS 1.3 and 1.2 only: what every current S3 client speaks; older versions are broken. */
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  static ServerTls create(KeyMaterial material, Path certificateFile, boolean selfSigned, String status)
      throws TlsException {
    try {
      SslContext context = SslContextBuilder
          .forServer(material.privateKey(), material.chain().toArray(X509Certificate[]::new))
          .sslProvider(SslProvider.JDK)
          .protocols(PROTOCOLS)
          .build();
      return new ServerTls(context, certificateFile, material.leaf(), selfSigned, status);
    } catch (SSLException | IllegalArgumentException e) {
      throw new TlsException("cannot use the certificate of " + certificateFile + " for TLS: " + e.getMessage(), e);
    }
  }

  /** SHA-256 of the leaf's DER, colon-separated upper-case hex (as {@code openssl x509 -fingerprint -sha256}). */
  public String fingerprint() {
    return KeyMaterial.fingerprint(certificate);
  }

  /** Lines for the start-up output; {@code now} to warn about an expired certificate. */
  public List<String> describe(Instant now) {
    Instant until = certificate.getNotAfter().toInstant();
    List<String> lines = new ArrayList<>();
    if (selfSigned) {
      lines.add("TLS: self-signed certificate " + certificateFile.toAbsolutePath().normalize() + " (" + status
          + ", valid until " + until + ")");
      lines.add("TLS: names " + names());
    } else {
      lines.add("TLS: certificate " + certificateFile.toAbsolutePath().normalize() + " ("
          + certificate.getSubjectX500Principal().getName() + ", valid until " + until + ")");
    }
    lines.add("TLS: SHA-256 fingerprint " + fingerprint());
    if (until.isBefore(now)) {
      lines.add("TLS: WARNING: the certificate expired on " + until + "; clients will refuse it");
    }
    return lines;
  }

  private String names() {
    try {
      return SubjectNames.of(certificate).toString();
    } catch (CertificateParsingException e) {
      return "(unreadable)";
    }
  }
}
