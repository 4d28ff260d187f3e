package io.tarn.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A reverse proxy that terminates TLS, as nginx or Caddy in front of a self-hosted Tarn: https on
 * 127.0.0.1 with a self-signed certificate of its own (its PEM in {@link #certificate()}), plain http
 * to the server. Bytes pass unchanged once decrypted, so the server sees the client's {@code Host}
 * (this proxy's address), as with nginx's {@code proxy_set_header Host $http_host}, and nothing tells it
 * the client spoke https (no {@code X-Forwarded-Proto}). Streams both ways as bytes arrive (no
 * buffering: server-sent events pass). The server's port is set after it started ({@link #forwardTo}),
 * since the server is told this proxy's address at its start.
 */
public final class TlsTerminatingProxy implements AutoCloseable {
  private final SSLServerSocket listener;
  private final Path certificate;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile int targetPort = -1;

  /** @param dir where the certificate's PEM file is written */
  public TlsTerminatingProxy(Path dir) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = gen.generateKeyPair();
      X509Certificate cert = selfSigned(pair);
      certificate = dir.resolve("proxy-cert.pem");
      Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("proxy", pair.getPrivate(), new char[0], new X509Certificate[] {cert});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, new char[0]);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf.getKeyManagers(), null, null);
      listener = (SSLServerSocket) ssl.getServerSocketFactory().createServerSocket(0, 64, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot make the proxy's certificate", e);
    }
    daemon("tls-proxy-accept", this::acceptLoop);
  }

  /** A self-signed certificate for 127.0.0.1 and localhost, made with Bouncy Castle as the TLS tests make theirs. */
  private static X509Certificate selfSigned(KeyPair pair) throws Exception {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=tarn-it-proxy");
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[] {127, 0, 0, 1}))}));
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
  }

  /** Sends what arrives from now on to the plain-http server on 127.0.0.1:{@code port}. */
  public void forwardTo(int port) {
    targetPort = port;
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The proxy's address, the server's public URL. */
  public URI endpoint() {
    return URI.create("https://127.0.0.1:" + port());
  }

  /** The PEM file of the proxy's certificate, for clients to trust. */
  public Path certificate() {
    return certificate;
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // Closing: nothing is left to serve.
    }
    open.forEach(this::close);
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      open.add(client);
      // The handshake and the upstream connection on the connection's own thread: a slow client holds no other.
      daemon("tls-proxy-conn", () -> serve((SSLSocket) client));
    }
  }

  private void serve(SSLSocket client) {
    Socket server;
    try {
      client.startHandshake();
      if (targetPort < 0) {
        throw new IOException("the proxy has no server to forward to yet");
      }
      server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
    } catch (IOException e) {
      close(client);
      return;
    }
    open.add(server);
    AtomicInteger ended = new AtomicInteger();
    Runnable end = () -> {
      if (ended.incrementAndGet() == 1) {
        // An HTTP client or server that stops sending is done with the connection: close both ends
        // (an SSLSocket cannot half-close).
        close(client);
        close(server);
      }
    };
    daemon("tls-proxy-down", () -> pump(server, client, end));
    pump(client, server, end);
  }

  /** Copies one direction as bytes arrive, flushing each read at once. */
  private static void pump(Socket from, Socket to, Runnable end) {
    byte[] buf = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The other side went: both ends go.
    } finally {
      end.run();
    }
  }

  private void close(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }
}
