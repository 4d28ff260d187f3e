package io.tarn.server.tls;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** A private key and the certificate chain it serves, leaf first. */
record KeyMaterial(PrivateKey privateKey, List<X509Certificate> chain) {
  KeyMaterial {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain needs at least the leaf");
    }
    chain = List.copyOf(chain);
  }

  X509Certificate leaf() {
    return chain.get(0);
  }

  /** SHA-256 of the leaf's DER, as {@code openssl x509 -fingerprint -sha256} prints it. */
  String fingerprint() {
    return fingerprint(leaf());
  }

  static String fingerprint(X509Certificate cert) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a certificate", e);
    }
  }

  /**
   * Whether {@code key} is the private half of {@code publicKey}: a throwaway signature made with
   * one must verify with the other. That works the same for every key type, where comparing key
   * parameters would need code per algorithm.
   */
  static boolean matches(PrivateKey key, PublicKey publicKey) throws TlsException {
    String algorithm = signatureAlgorithm(key);
    byte[] probe = new byte[32];
    new SecureRandom().nextBytes(probe);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (InvalidKeyException e) {
      // A key of another type or curve than the certificate's.
      return false;
    } catch (GeneralSecurityException e) {
      throw new TlsException("cannot check a " + key.getAlgorithm() + " key against its certificate: " + e.getMessage(), e);
    }
  }

  private static String signatureAlgorithm(PrivateKey key) throws TlsException {
    return switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "DSA" -> "SHA256withDSA";
      case "EDDSA", "ED25519", "ED448" -> key.getAlgorithm();
      default -> throw new TlsException("unsupported private key type " + key.getAlgorithm() + " (use RSA or EC)");
    };
  }
}
