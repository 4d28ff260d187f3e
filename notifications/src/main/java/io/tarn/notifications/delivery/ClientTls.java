package io.tarn.notifications.delivery;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for webhooks: the JDK provider, the JDK's default trust store (plus extra certificates if
 * given, e.g. a test's self-signed one), and hostname verification against the URL's host, which
 * stays the SNI name even though the connection goes to an address checked beforehand.
 */
final class ClientTls {
  private final SslContext context;

  ClientTls(List<X509Certificate> extraTrusted) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
      if (!extraTrusted.isEmpty()) {
        builder.trustManager(trustManagers(extraTrusted));
      }
      context = builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the webhook TLS context", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the webhook TLS context", e);
    }
  }

  /** A handler for one connection to {@code target}, handshake bounded by {@code handshakeMillis}. */
  SslHandler newHandler(ByteBufAllocator alloc, WebhookTarget target, long handshakeMillis) {
    String host = target.tlsHost();
    SslHandler handler = context.newHandler(alloc, host, target.port());
    SSLEngine engine = handler.engine();
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    if (target.literal() == null) {
      try {
        params.setServerNames(List.of(new SNIHostName(host)));
      } catch (IllegalArgumentException e) {
        // Not a valid SNI name (e.g. an underscore): send none; the certificate is still verified.
      }
    }
    engine.setSSLParameters(params);
    handler.setHandshakeTimeoutMillis(Math.max(1, handshakeMillis));
    return handler;
  }

  /** The default trust anchors plus {@code extra}, in one PKIX trust manager (it verifies hostnames). */
  private static TrustManagerFactory trustManagers(List<X509Certificate> extra)
      throws GeneralSecurityException, IOException {
    TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    defaults.init((KeyStore) null);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int n = 0;
    for (TrustManager tm : defaults.getTrustManagers()) {
      if (tm instanceof X509TrustManager) {
        for (X509Certificate ca : ((X509TrustManager) tm).getAcceptedIssuers()) {
          store.setCertificateEntry("default-" + n++, ca);
        }
      }
    }
    for (X509Certificate cert : extra) {
      store.setCertificateEntry("extra-" + n++, cert);
    }
    TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    combined.init(store);
    return combined;
  }
}
