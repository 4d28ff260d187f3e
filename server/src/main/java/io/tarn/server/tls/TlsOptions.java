package io.tarn.server.tls;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The TLS options of {@code tarn server}, a Picocli mixin: {@code --tls-cert}/{@code --tls-key}
 * (PEM files) or {@code --tls-self-signed}, each with its environment variable. HTTPS is served on
 * the same {@code --address}; without these options the server speaks plain HTTP.
 */
public final class TlsOptions {
  /** Subdirectory of the data directory that keeps the self-signed certificate. */
  public static final String DIRECTORY = "tls";

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--tls-cert", paramLabel = "FILE", defaultValue = "${env:TARN_TLS_CERT}",
      description = "Serve HTTPS with this PEM certificate chain, leaf first (env TARN_TLS_CERT); needs --tls-key.")
  Path certFile;

  @Option(names = "--tls-key", paramLabel = "FILE", defaultValue = "${env:TARN_TLS_KEY}",
      description = "Unencrypted PEM private key of --tls-cert: PKCS#8, PKCS#1 (RSA) or SEC1 (EC) (env TARN_TLS_KEY).")
  Path keyFile;

  @Option(names = "--tls-self-signed", arity = "0..1", paramLabel = "true|false", fallbackValue = "true",
      defaultValue = "${env:TARN_TLS_SELF_SIGNED:-false}",
      description = "Serve HTTPS with a self-signed certificate kept in <data>/" + DIRECTORY + "/ and reused across"
          + " restarts (env TARN_TLS_SELF_SIGNED=true|false).")
  boolean selfSigned;

  /**
   * The TLS setup these options ask for, or empty for plain HTTP.
   *
   * @throws ParameterException when the options contradict each other (a usage error)
   * @throws TlsException when a file cannot be used; the message is one line for the operator
   */
  public Optional<ServerTls> configure(Path dataDir, InetSocketAddress listen, Clock clock) throws TlsException {
    Path cert = given(certFile);
    Path key = given(keyFile);
    if (selfSigned && (cert != null || key != null)) {
      throw usage("--tls-self-signed cannot be combined with --tls-cert/--tls-key"
          + " (check TARN_TLS_SELF_SIGNED, TARN_TLS_CERT and TARN_TLS_KEY)");
    }
    if (cert != null && key == null) {
      throw usage("--tls-cert needs --tls-key (or TARN_TLS_KEY)");
    }
    if (key != null && cert == null) {
      throw usage("--tls-key needs --tls-cert (or TARN_TLS_CERT)");
    }
    if (selfSigned) {
      SelfSignedCertificates.Loaded loaded = SelfSignedCertificates.loadOrCreate(dataDir.resolve(DIRECTORY),
          SubjectNames.forListenAddress(listen), clock);
      return Optional.of(ServerTls.create(loaded.material(), loaded.certificateFile(), true, loaded.status()));
    }
    if (cert != null) {
      return Optional.of(ServerTls.create(load(cert, key), cert, false, "loaded"));
    }
    return Optional.empty();
  }

  /** The chain and key of the two files, checked to belong together. */
  static KeyMaterial load(Path certFile, Path keyFile) throws TlsException {
    List<X509Certificate> chain = PemFiles.readCertificates(certFile, "--tls-cert");
    PrivateKey key = PemFiles.readPrivateKey(keyFile, "--tls-key");
    if (!KeyMaterial.matches(key, chain.get(0).getPublicKey())) {
      for (int i = 1; i < chain.size(); i++) {
        if (KeyMaterial.matches(key, chain.get(i).getPublicKey())) {
          throw new TlsException("--tls-cert " + certFile + ": the key of --tls-key matches certificate #" + (i + 1)
              + ", but the server's own certificate must come first in the file");
        }
      }
      throw new TlsException("--tls-key " + keyFile + ": does not match the certificate in " + certFile + " ("
          + chain.get(0).getSubjectX500Principal().getName() + ")");
    }
    return new KeyMaterial(key, chain);
  }

  /** An empty environment variable counts as not set. */
  private static Path given(Path p) {
    return p == null || p.toString().isBlank() ? null : p;
  }

  private ParameterException usage(String message) {
    return new ParameterException(command.commandLine(), message);
  }
}
