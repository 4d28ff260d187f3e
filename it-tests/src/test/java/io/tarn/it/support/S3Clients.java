package io.tarn.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * SDK v2 clients pointed at a test server. Checksum settings are the SDK defaults on purpose (recent
 * SDKs send CRC32 trailers with aws-chunked bodies): the server must cope with what clients really
 * send. Retries are off so that a server error is never hidden by a successful retry.
 */
public final class S3Clients {
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);

  private S3Clients() {}

  public static AwsCredentialsProvider credentials(String accessKey, String secretKey) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
  }

  public static URI pathStyleEndpoint(int port) {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Sync client, Apache HTTP client, path-style URLs against 127.0.0.1. */
  public static S3Client pathStyle(int port, AwsCredentialsProvider credentials, ResponseHeaderAudit audit) {
    return S3Client.builder()
        .httpClientBuilder(Apache5HttpClient.builder())
        .endpointOverride(pathStyleEndpoint(port))
        .region(Region.of(TarnServer.REGION))
        .credentialsProvider(credentials)
        .forcePathStyle(true)
        .overrideConfiguration(overrides(audit))
        .build();
  }

  /**
   * Sync client over https to 127.0.0.1, trusting exactly the certificates of {@code trustedPem} (a
   * PEM file, e.g. the server's self-signed certificate), never "trust all".
   */
  public static S3Client https(int port, Path trustedPem, AwsCredentialsProvider credentials,
      ResponseHeaderAudit audit) {
    return S3Client.builder()
        .httpClientBuilder(Apache5HttpClient.builder().tlsTrustManagersProvider(() -> trustManagers(trustedPem)))
        .endpointOverride(URI.create("https://127.0.0.1:" + port))
        .region(Region.of(TarnServer.REGION))
        .credentialsProvider(credentials)
        .forcePathStyle(true)
        .overrideConfiguration(overrides(audit))
        .build();
  }

  /** Trust managers that trust the certificates of one PEM file and nothing else. */
  public static TrustManager[] trustManagers(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("trusted-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load " + pem, e);
    }
  }

  /**
   * Sync client using virtual-hosted-style URLs ({@code http://<bucket>.localhost:<port>/<key>}). Names
   * under {@code localhost} are resolved to 127.0.0.1 by the client itself: no real DNS is used.
   */
  public static S3Client virtualHosted(int port, AwsCredentialsProvider credentials, ResponseHeaderAudit audit) {
    return S3Client.builder()
        .httpClientBuilder(Apache5HttpClient.builder().dnsResolver(LOCALHOST_ONLY))
        .endpointOverride(URI.create("http://" + TarnServer.DOMAIN + ":" + port))
        .region(Region.of(TarnServer.REGION))
        .credentialsProvider(credentials)
        .forcePathStyle(false)
        .overrideConfiguration(overrides(audit))
        .build();
  }

  /** Async client on the Netty client, path-style. */
  public static S3AsyncClient async(int port, AwsCredentialsProvider credentials, ResponseHeaderAudit audit) {
    return asyncBuilder(port, credentials, audit).build();
  }

  /**
   * As {@link #async}, with the SDK's own multipart client on (uploads split into parts, downloads read
   * part by part with partNumber GETs), as the transfer manager uses it.
   */
  public static S3AsyncClient multipartAsync(int port, AwsCredentialsProvider credentials, ResponseHeaderAudit audit) {
    return asyncBuilder(port, credentials, audit).multipartEnabled(true).build();
  }

  private static S3AsyncClientBuilder asyncBuilder(int port, AwsCredentialsProvider credentials,
      ResponseHeaderAudit audit) {
    return S3AsyncClient.builder()
        .httpClientBuilder(NettyNioAsyncHttpClient.builder())
        .endpointOverride(pathStyleEndpoint(port))
        .region(Region.of(TarnServer.REGION))
        .credentialsProvider(credentials)
        .forcePathStyle(true)
        .overrideConfiguration(overrides(audit));
  }

  public static S3Presigner presigner(int port, AwsCredentialsProvider credentials) {
    return S3Presigner.builder()
        .endpointOverride(pathStyleEndpoint(port))
        .region(Region.of(TarnServer.REGION))
        .credentialsProvider(credentials)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  private static ClientOverrideConfiguration overrides(ResponseHeaderAudit audit) {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(AwsRetryStrategy.doNotRetry())
        .apiCallTimeout(CALL_TIMEOUT)
        .addExecutionInterceptor(audit)
        .build();
  }

  /** The Apache client's view of {@link #resolveLocalhost}. */
  private static final org.apache.hc.client5.http.DnsResolver LOCALHOST_ONLY =
      new org.apache.hc.client5.http.SystemDefaultDnsResolver() {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
          return resolveLocalhost(host);
        }
      };

  /** {@code localhost} and every {@code *.localhost} name is 127.0.0.1; nothing else resolves. */
  static InetAddress[] resolveLocalhost(String host) throws UnknownHostException {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals(TarnServer.DOMAIN) || h.endsWith("." + TarnServer.DOMAIN)) {
      return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
    }
    throw new UnknownHostException(host + " (the it-tests resolve only *.localhost)");
  }
}
