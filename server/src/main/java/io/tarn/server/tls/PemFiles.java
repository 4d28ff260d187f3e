package io.tarn.server.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes the PEM files of TLS: certificate chains and unencrypted private keys in
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY})
 * form. Keys and certificates become JDK objects (no Bouncy Castle provider is registered), so the
 * JDK's TLS engine takes them as they are.
 *
 * <p>Each reader skips the PEM blocks it does not want, so one combined file (certificate chain and
 * key, as some proxies keep them) may be given for both. Every failure is a {@link TlsException}
 * whose message starts with {@code label} and the file.
 */
final class PemFiles {
  /** Far more than any certificate chain or key; protects against pointing at a large file. */
  private static final long MAX_SIZE = 1 << 20;

  private PemFiles() {}

  /** The certificates of {@code file} in file order (leaf first, by convention). */
  static List<X509Certificate> readCertificates(Path file, String label) throws TlsException {
    List<Object> objects = readObjects(file, label);
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> chain = new ArrayList<>();
    for (Object o : objects) {
      X509CertificateHolder holder;
      if (o instanceof X509CertificateHolder h) {
        holder = h;
      } else if (o instanceof X509TrustedCertificateBlock trusted) {
        holder = trusted.getCertificateHolder();
      } else {
        continue;
      }
      try {
        chain.add(converter.getCertificate(holder));
      } catch (CertificateException e) {
        throw failure(label, file, "certificate #" + (chain.size() + 1) + " cannot be read: " + e.getMessage());
      }
    }
    if (chain.isEmpty()) {
      throw failure(label, file, "no CERTIFICATE in it" + found(objects));
    }
    return chain;
  }

  /** The one private key of {@code file}. */
  static PrivateKey readPrivateKey(Path file, String label) throws TlsException {
    List<Object> objects = readObjects(file, label);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    List<PrivateKey> keys = new ArrayList<>();
    for (Object o : objects) {
      try {
        if (o instanceof PrivateKeyInfo info) {
          keys.add(converter.getPrivateKey(info));
        } else if (o instanceof PEMKeyPair pair) {
          // Only the private half: SEC1 makes the public key optional, and some tools leave it out.
          keys.add(converter.getPrivateKey(pair.getPrivateKeyInfo()));
        } else if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
          throw failure(label, file, "the private key is encrypted; give an unencrypted one"
              + " (openssl pkey -in KEY -out KEY.plain)");
        }
      } catch (IOException e) {
        throw failure(label, file, "unsupported private key: " + e.getMessage());
      }
    }
    if (keys.size() > 1) {
      throw failure(label, file, "holds " + keys.size() + " private keys, expected one");
    }
    if (keys.isEmpty()) {
      throw failure(label, file, "no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY in it" + found(objects));
    }
    return keys.get(0);
  }

  /** Writes {@code cert} as PEM, atomically (readable by others: it is public). */
  static void writeCertificate(Path file, X509Certificate cert) throws IOException {
    writeAtomically(file, pem(cert), "rw-r--r--");
  }

  /** Writes {@code key} as PKCS#8 PEM, atomically, readable only by the owner. */
  static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    writeAtomically(file, pem(new JcaPKCS8Generator(key, null)), "rw-------");
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  /**
   * Temp file (created with its final mode, so a key is never readable by others even briefly),
   * fsync, atomic rename, directory fsync: after a crash the file is either the old or the new one.
   */
  private static void writeAtomically(Path file, String content, String mode) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.write(StandardCharsets.US_ASCII.encode(content));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or sync a directory; the rename itself is still atomic.
    }
  }

  private static List<Object> readObjects(Path file, String label) throws TlsException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_SIZE) {
        throw failure(label, file, "larger than " + (MAX_SIZE >> 10) + " KiB, not a PEM file");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw failure(label, file, "no such file");
    } catch (AccessDeniedException e) {
      throw failure(label, file, "permission denied");
    } catch (IOException e) {
      throw failure(label, file, "cannot read: " + e.getMessage());
    }
    List<Object> objects = new ArrayList<>();
    // ISO-8859-1 maps every byte, so a binary file is reported as "no PEM" rather than failing decoding.
    try (PEMParser parser = new PEMParser(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        objects.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw failure(label, file, "not valid PEM: " + e.getMessage());
    }
    if (objects.isEmpty() && bytes.length > 0 && bytes[0] == 0x30) {
      throw failure(label, file, "looks like DER, not PEM (convert it: openssl x509 -inform der / openssl pkey -inform der)");
    }
    return objects;
  }

  /** {@code " (found: CERTIFICATE, PUBLIC KEY)"}, or {@code " (no PEM blocks)"}. */
  private static String found(List<Object> objects) {
    Set<String> kinds = new LinkedHashSet<>();
    for (Object o : objects) {
      kinds.add(kind(o));
    }
    return kinds.isEmpty() ? " (no PEM blocks)" : " (found: " + String.join(", ", kinds) + ")";
  }

  private static String kind(Object o) {
    if (o instanceof X509CertificateHolder || o instanceof X509TrustedCertificateBlock) {
      return "CERTIFICATE";
    } else if (o instanceof PrivateKeyInfo || o instanceof PEMKeyPair) {
      return "PRIVATE KEY";
    } else if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
      return "ENCRYPTED PRIVATE KEY";
    } else if (o instanceof SubjectPublicKeyInfo) {
      return "PUBLIC KEY";
    } else if (o instanceof PKCS10CertificationRequest) {
      return "CERTIFICATE REQUEST";
    } else if (o instanceof X509CRLHolder) {
      return "X509 CRL";
    } else if (o instanceof ASN1ObjectIdentifier) {
      return "EC PARAMETERS";
    }
    return o.getClass().getSimpleName();
  }

  private static TlsException failure(String label, Path file, String problem) {
    return new TlsException(label + " " + file + ": " + problem);
  }
}
