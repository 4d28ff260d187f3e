package io.tarn.it;

import static io.tarn.it.support.TestData.MIB;
import static io.tarn.it.support.TestData.bucketName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.it.support.Cli;
import io.tarn.it.support.ResponseHeaderAudit;
import io.tarn.it.support.S3Clients;
import io.tarn.it.support.TarnServer;
import io.tarn.it.support.TarnServerExtension;
import io.tarn.it.support.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * HTTPS: {@code tarn server --tls-self-signed} (and {@code --tls-cert}/{@code --tls-key}) driven by
 * the SDK and aws-cli, each trusting exactly the server's certificate, never "trust all".
 */
class TlsTest {
  private static final Duration CLI_TIMEOUT = Duration.ofMinutes(2);
  @TempDir static Path data;
  @TempDir static Path home;
  private static TarnServer server;
  private final ResponseHeaderAudit audit = new ResponseHeaderAudit();

  @BeforeAll
  static void start() throws IOException {
    server = new TarnServer("TlsTest", data, TarnServerExtension.targetDir().resolve("it-servers"),
        TarnServer.Credentials.random(), List.of("--tls-self-signed"));
    server.start();
    Files.writeString(home.resolve("config"), "[default]\nregion = us-east-1\noutput = json\ns3 =\n"
        + "  addressing_style = path\n");
    Files.writeString(home.resolve("credentials"), "[default]\naws_access_key_id = " + server.root().accessKey()
        + "\naws_secret_access_key = " + server.root().secretKey() + "\n");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void everyResponseHadRequestIds() {
    assertEquals(List.of(), audit.drain());
  }

  @Test
  void selfSignedCertificateIsKeptInTheDataDirectoryAndAnnounced() throws Exception {
    assertEquals("https", server.scheme());
    X509Certificate cert = certificate(selfSignedCert());
    assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")), cert.getSubjectAlternativeNames().stream()
        .filter(n -> n.get(1).equals("localhost") || n.get(1).equals("127.0.0.1")).toList());
    String log = Files.readString(server.logFile());
    assertTrue(log.contains("TLS: SHA-256 fingerprint " + fingerprint(cert) + "\n"), server.outputTail());
    assertTrue(log.contains("TLS: self-signed certificate " + selfSignedCert()), server.outputTail());
    assertTrue(log.contains("Tarn ready: S3 API on https://127.0.0.1:" + server.port() + " "), server.outputTail());
    assertTrue(log.contains("console: https://127.0.0.1:" + server.port() + "/_tarn/console/\n"), server.outputTail());
    assertTrue(Files.exists(data.resolve("tls").resolve("self-signed-key.pem")));
  }

  @Test
  void sdkTrustingTheCertificateFileRoundTripsObjects() throws Exception {
    try (S3Client s3 = client(server.port(), selfSignedCert())) {
      roundTrip(s3, bucketName("tls-sdk"));
    }
  }

  @Test
  void sdkWithTheDefaultTrustStoreRefusesTheServer() {
    try (S3Client s3 = client(server.port(), null)) {
      SdkClientException e = assertThrows(SdkClientException.class, s3::listBuckets);
      assertTrue(causes(e).stream().anyMatch(SSLHandshakeException.class::isInstance), e::toString);
    }
  }

  @Test
  void awsCliWithCaBundle(@TempDir Path work) throws IOException {
    List<Path> clis = new ArrayList<>(List.of(Cli.require("aws-cli", "apt-get install awscli", awsCandidates())));
    // A second aws-cli earlier on PATH (e.g. a pyenv aws-cli v1 on another Python/OpenSSL) is checked too.
    Cli.onPath("aws").filter(p -> !clis.contains(p)).ifPresent(clis::add);
    for (Path aws : clis) {
      String bucket = bucketName("tls-cli");
      String url = "s3://" + bucket;
      assertEquals(List.of("make_bucket: " + bucket), aws(aws, work, true, "s3", "mb", url).assertSuccess().lines());
      Files.writeString(work.resolve("hello.txt"), "hello over https\n");
      assertEquals(List.of("upload: ./hello.txt to " + url + "/hello.txt"),
          aws(aws, work, true, "s3", "cp", "--no-progress", "hello.txt", url + "/hello.txt").assertSuccess().lines());
      List<String> listing = aws(aws, work, true, "s3", "ls", url + "/").assertSuccess().lines();
      assertEquals(1, listing.size(), listing.toString());
      assertTrue(listing.get(0).matches("\\S+ \\S+\\s+17 hello.txt"), listing.get(0));
      assertEquals(List.of("download: " + url + "/hello.txt to ./copy.txt"),
          aws(aws, work, true, "s3", "cp", "--no-progress", url + "/hello.txt", "copy.txt").assertSuccess().lines());
      assertEquals("hello over https\n", Files.readString(work.resolve("copy.txt")));

      Cli.Result untrusted = aws(aws, work, false, "s3", "ls", url + "/").assertFailure();
      assertTrue(untrusted.stderr().contains("CERTIFICATE_VERIFY_FAILED"), untrusted::describe);
      assertEquals(List.of("delete: " + url + "/hello.txt", "remove_bucket: " + bucket),
          aws(aws, work, true, "s3", "rb", "--force", url).assertSuccess().lines());
    }
  }

  @Test
  void plainHttpToTheTlsPortGetsNoHttpResponse() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      try {
        in.transferTo(received);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server kept a plain-HTTP connection open", e);
      } catch (SocketException e) {
        // Reset by the server: closed without an answer, as expected.
      }
      String text = received.toString(StandardCharsets.ISO_8859_1);
      assertFalse(text.contains("HTTP/"), text);
      assertFalse(text.contains("x-amz-request-id"), text);
    }
  }

  @Test
  void aRestartReusesTheCertificate() throws Exception {
    String before = fingerprint(certificate(selfSignedCert()));
    server.restart();
    assertEquals(before, fingerprint(certificate(selfSignedCert())));
    String log = Files.readString(server.logFile());
    assertTrue(log.contains("(reused, valid until "), server.outputTail());
    assertTrue(log.contains("TLS: SHA-256 fingerprint " + before + "\n"), server.outputTail());
    try (S3Client s3 = client(server.port(), selfSignedCert())) {
      s3.listBuckets();
    }
  }

  @Test
  void certificateAndRsaPkcs1KeyFiles(@TempDir Path dir) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    writePem(cert, rsaCertificate(keys));
    writePem(key, new JcaMiscPEMGenerator(keys.getPrivate()));
    assertTrue(Files.readString(key).startsWith("-----BEGIN RSA PRIVATE KEY-----\n"), "a PKCS#1 key");
    Path serverData = Files.createDirectory(dir.resolve("data"));
    try (TarnServer rsaServer = new TarnServer("TlsTest-rsa", serverData,
        TarnServerExtension.targetDir().resolve("it-servers"), TarnServer.Credentials.random(),
        List.of("--tls-cert", cert.toString(), "--tls-key", key.toString()))) {
      rsaServer.start();
      assertEquals("https", rsaServer.scheme());
      assertFalse(Files.exists(serverData.resolve("tls")), "no self-signed certificate made");
      try (S3Client s3 = client(rsaServer.port(), cert, rsaServer.root())) {
        roundTrip(s3, bucketName("tls-rsa"));
      }
    }
  }

  /** A small object and one large enough to be streamed from its file (chunked under TLS). */
  private static void roundTrip(S3Client s3, String bucket) {
    s3.createBucket(b -> b.bucket(bucket));
    byte[] small = "hello over https".getBytes(StandardCharsets.UTF_8);
    byte[] large = TestData.bytes(3 * MIB + 123, 7);
    s3.putObject(p -> p.bucket(bucket).key("small.txt"), RequestBody.fromBytes(small));
    s3.putObject(p -> p.bucket(bucket).key("dir/large.bin"), RequestBody.fromBytes(large));
    assertArrayEquals(small, s3.getObjectAsBytes(g -> g.bucket(bucket).key("small.txt")).asByteArray());
    assertEquals(TestData.sha256Hex(large),
        TestData.sha256Hex(s3.getObjectAsBytes(g -> g.bucket(bucket).key("dir/large.bin")).asByteArray()));
    assertArrayEquals(java.util.Arrays.copyOfRange(large, MIB, MIB + 1000), s3.getObjectAsBytes(
        g -> g.bucket(bucket).key("dir/large.bin").range("bytes=" + MIB + "-" + (MIB + 999))).asByteArray());
    assertEquals(List.of("dir/large.bin", "small.txt"),
        s3.listObjectsV2(l -> l.bucket(bucket)).contents().stream().map(S3Object::key).toList());
    // A multipart upload's Location names the object at the scheme it was uploaded over.
    String id = s3.createMultipartUpload(c -> c.bucket(bucket).key("multi.bin")).uploadId();
    String etag = s3.uploadPart(u -> u.bucket(bucket).key("multi.bin").uploadId(id).partNumber(1),
        RequestBody.fromBytes(small)).eTag();
    String location = s3.completeMultipartUpload(c -> c.bucket(bucket).key("multi.bin").uploadId(id)
        .multipartUpload(m -> m.parts(software.amazon.awssdk.services.s3.model.CompletedPart.builder()
            .partNumber(1).eTag(etag).build()))).location();
    assertTrue(location.startsWith("https://") && location.endsWith("/" + bucket + "/multi.bin"), location);
    s3.deleteObject(d -> d.bucket(bucket).key("multi.bin"));
    s3.deleteObject(d -> d.bucket(bucket).key("small.txt"));
    s3.deleteObject(d -> d.bucket(bucket).key("dir/large.bin"));
    s3.deleteBucket(d -> d.bucket(bucket));
  }

  private S3Client client(int port, Path trustedCert) {
    return client(port, trustedCert, server.root());
  }

  /** Path-style SDK client over https; {@code trustedCert} null means the JDK's default trust store. */
  private S3Client client(int port, Path trustedCert, TarnServer.Credentials root) {
    Apache5HttpClient.Builder http = Apache5HttpClient.builder();
    if (trustedCert != null) {
      http.tlsTrustManagersProvider(() -> trustManagers(trustedCert));
    }
    return S3Client.builder()
        .httpClientBuilder(http)
        .endpointOverride(URI.create("https://127.0.0.1:" + port))
        .region(Region.of(TarnServer.REGION))
        .credentialsProvider(S3Clients.credentials(root.accessKey(), root.secretKey()))
        .forcePathStyle(true)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(audit))
        .build();
  }

  private static TrustManager[] trustManagers(Path pem) {
    return S3Clients.trustManagers(pem);
  }

  private static Cli.Result aws(Path aws, Path work, boolean withCaBundle, String... args) {
    List<String> command = new ArrayList<>(List.of(aws.toString(), "--endpoint-url",
        "https://127.0.0.1:" + server.port()));
    if (withCaBundle) {
      command.addAll(List.of("--ca-bundle", selfSignedCert().toString()));
    }
    command.addAll(List.of(args));
    return Cli.run(command, Map.of(
        "AWS_CONFIG_FILE", home.resolve("config").toString(),
        "AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString(),
        "HOME", home.toString(),
        "AWS_EC2_METADATA_DISABLED", "true",
        "AWS_PAGER", "",
        "AWS_MAX_ATTEMPTS", "1"), work, CLI_TIMEOUT);
  }

  private static Path[] awsCandidates() {
    List<Path> c = new ArrayList<>(List.of(Path.of("/usr/bin/aws")));
    Cli.onPath("aws").ifPresent(c::add);
    return c.toArray(Path[]::new);
  }

  private static Path selfSignedCert() {
    return data.resolve("tls").resolve("self-signed-cert.pem");
  }

  private static X509Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** As {@code openssl x509 -fingerprint -sha256} prints it. */
  private static String fingerprint(X509Certificate cert) throws GeneralSecurityException {
    return HexFormat.ofDelimiter(":").withUpperCase()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
  }

  /** A self-signed RSA certificate for 127.0.0.1 and localhost, made with Bouncy Castle. */
  private static X509Certificate rsaCertificate(KeyPair keys) throws Exception {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=tarn-it-rsa");
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name, keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[] {127, 0, 0, 1}))}));
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
  }

  private static void writePem(Path file, Object o) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(o);
    }
  }

  private static List<Throwable> causes(Throwable t) {
    List<Throwable> out = new ArrayList<>();
    for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) {
      out.add(c);
    }
    return out;
  }
}
