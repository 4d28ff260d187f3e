package io.tarn.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

/** The options as {@code tarn server} sees them, through Picocli. */
class TlsOptionsTest {
  @TempDir Path data;

  /** Stands in for ServerCommand: the mixin, and configure() called from call() as it is there. */
  @Command(name = "server")
  static final class Probe implements Callable<Integer> {
    @Mixin TlsOptions tls;
    final Path data;
    Optional<ServerTls> result;

    Probe(Path data) {
      this.data = data;
    }

    @Override
    public Integer call() throws TlsException {
      result = tls.configure(data, new InetSocketAddress("127.0.0.1", 0), Clock.systemUTC());
      return 0;
    }
  }

  @Test
  void noOptionsMeansPlainHttp() throws Exception {
    assertEquals(Optional.empty(), configure());
    assertEquals(Optional.empty(), configure("--tls-self-signed=false"));
    assertFalse(Files.exists(data.resolve("tls")));
  }

  @Test
  void selfSignedIsGeneratedUnderTheDataDirectoryThenReused() throws Exception {
    ServerTls first = configure("--tls-self-signed").orElseThrow();
    assertTrue(first.selfSigned());
    assertEquals("generated", first.status());
    assertEquals(data.resolve("tls").resolve("self-signed-cert.pem"), first.certificateFile());
    assertTrue(Files.exists(data.resolve("tls").resolve("self-signed-key.pem")));
    assertTrue(SubjectNames.of(first.certificate()).covers(
        SubjectNames.forListenAddress(new InetSocketAddress("127.0.0.1", 0))));
    ServerTls second = configure("--tls-self-signed=true").orElseThrow();
    assertEquals("reused", second.status());
    assertEquals(first.fingerprint(), second.fingerprint());
  }

  @Test
  void certificateAndKeyFiles() throws Exception {
    KeyPair keys = TlsFixtures.rsa();
    Path cert = TlsFixtures.pem(data.resolve("cert.pem"), TlsFixtures.selfSigned(keys, "tarn.example"));
    Path key = TlsFixtures.pem(data.resolve("key.pem"), TlsFixtures.traditional(keys.getPrivate()));
    ServerTls tls = configure("--tls-cert", cert.toString(), "--tls-key", key.toString()).orElseThrow();
    assertFalse(tls.selfSigned());
    assertEquals(cert, tls.certificateFile());
    assertEquals("TLS: certificate " + cert + " (CN=tarn.example, valid until "
        + tls.certificate().getNotAfter().toInstant() + ")", tls.describe(java.time.Instant.now()).get(0));
  }

  @Test
  void contradictoryOptionsAreUsageErrors() {
    assertEquals("--tls-self-signed cannot be combined with --tls-cert/--tls-key (check TARN_TLS_SELF_SIGNED,"
        + " TARN_TLS_CERT and TARN_TLS_KEY)", usageError("--tls-self-signed", "--tls-cert", "c.pem", "--tls-key", "k.pem"));
    assertEquals("--tls-self-signed cannot be combined with --tls-cert/--tls-key (check TARN_TLS_SELF_SIGNED,"
        + " TARN_TLS_CERT and TARN_TLS_KEY)", usageError("--tls-self-signed", "--tls-key", "k.pem"));
    assertEquals("--tls-cert needs --tls-key (or TARN_TLS_KEY)", usageError("--tls-cert", "c.pem"));
    assertEquals("--tls-key needs --tls-cert (or TARN_TLS_CERT)", usageError("--tls-key", "k.pem"));
  }

  @Test
  void picocliReportsAUsageErrorFromCallWithExitCode2AndTheMessageFirst() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Probe(data)).setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("--tls-cert", "c.pem"));
    assertTrue(err.toString().startsWith("--tls-cert needs --tls-key (or TARN_TLS_KEY)\n"), err.toString());
  }

  @Test
  void aFileProblemIsATlsExceptionForTheCommandToPrint() {
    Path missing = data.resolve("nope.pem");
    Probe probe = new Probe(data);
    new CommandLine(probe).parseArgs("--tls-cert", missing.toString(), "--tls-key", missing.toString());
    TlsException e = assertThrows(TlsException.class, probe::call);
    assertEquals("--tls-cert " + missing + ": no such file", e.getMessage());
  }

  private Optional<ServerTls> configure(String... args) throws TlsException {
    Probe probe = new Probe(data);
    new CommandLine(probe).parseArgs(args);
    probe.call();
    return probe.result;
  }

  private String usageError(String... args) {
    Probe probe = new Probe(data);
    new CommandLine(probe).parseArgs(args);
    return assertThrows(ParameterException.class, probe::call).getMessage();
  }
}
