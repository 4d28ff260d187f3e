package io.tarn.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An {@link SSLContext} that trusts exactly the certificates of a PEM bundle (as aws-cli's
 * {@code --ca-bundle}): typically the server's own {@code --tls-self-signed} certificate. Host
 * names are still verified by the HTTP client.
 */
final class TrustBundle {
  private TrustBundle() {}

  /** @throws CliException {@link Exit#ERROR} naming the file when it cannot be used */
  static SSLContext load(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new CliException(Exit.ERROR, "the CA bundle " + pem + " holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (NoSuchFileException e) {
      throw new CliException(Exit.ERROR, "the CA bundle " + pem + " does not exist (--ca-bundle, "
          + ClientOptions.ENV_CA_BUNDLE + " or the profile's ca_bundle)");
    } catch (IOException e) {
      throw new CliException(Exit.ERROR, "cannot read the CA bundle " + pem + ": " + e);
    } catch (GeneralSecurityException e) {
      throw new CliException(Exit.ERROR, "the CA bundle " + pem + " is not usable PEM certificates: " + e.getMessage());
    }
  }
}
