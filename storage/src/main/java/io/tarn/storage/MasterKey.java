package io.tarn.storage;

import io.tarn.core.Hex;
import io.tarn.core.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that seals stored secrets (access key secrets): AES-256-GCM with a random 12-byte nonce
 * and a 128-bit tag. A sealed value is {@code format(1) | nonce | ciphertext+tag}; the caller's
 * associated data (the access key id) is authenticated, so a sealed secret copied to another key id
 * does not open. The key comes from {@code TARN_MASTER_KEY} or from {@code <data>/master.key}
 * (generated at the first start, into a data directory that holds no data). Thread-safe: a
 * {@link Cipher} is made per call.
 */
public final class MasterKey {
  static final String FILE = "master.key";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte SEALED_FORMAT = 1;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKey key;
  private final String source;
  private final boolean generated;

  private MasterKey(byte[] raw, String source, boolean generated) {
    this.key = new SecretKeySpec(raw, "AES");
    this.source = source;
    this.generated = generated;
  }

  /**
   * The master key from {@code envValue} (the value of {@code TARN_MASTER_KEY}) when it is given,
   * else from {@code <dataDir>/master.key}. Never generates one: {@link TarnStore#open} does, and
   * only into a data directory that holds no data yet.
   *
   * @param envValue 32 bytes as standard or URL-safe base64, or as 64 hex characters; null or blank
   *     means absent
   * @throws IllegalArgumentException if {@code envValue} is given but is not such a key (the message
   *     never contains the value)
   * @throws StorageException MASTER_KEY if the key file is missing or cannot be read or parsed
   */
  public static MasterKey load(Path dataDir, String envValue) {
    if (envValue != null && !envValue.isBlank()) {
      return new MasterKey(parse(envValue.strip(), "TARN_MASTER_KEY"), "TARN_MASTER_KEY", false);
    }
    MasterKey key = read(dataDir.resolve(FILE));
    if (key == null) {
      throw new StorageException(StorageException.Kind.MASTER_KEY, "the master key file " + dataDir.resolve(FILE)
          + " is missing and TARN_MASTER_KEY is not set");
    }
    return key;
  }

  /**
   * The key in {@code <dataDir>/master.key}; when there is none, a new one written there (32 random
   * bytes, mode 0600), but only if {@code holdsData} is false. A data directory that holds data
   * without its key file lost it: a new key could not open the secrets sealed with the old one, and
   * writing it would leave a second, wrong key file next to the data, so nothing is written.
   *
   * @throws StorageException IO if the key file is missing from a data directory that holds data, or
   *     cannot be read, parsed or written
   */
  static MasterKey loadOrGenerate(Path dataDir, boolean holdsData) {
    Path file = dataDir.resolve(FILE);
    MasterKey key = read(file);
    if (key != null) {
      return key;
    }
    if (holdsData) {
      throw new StorageException(StorageException.Kind.MASTER_KEY, "the master key file " + file + " is missing, but "
          + dataDir + " already holds data (meta/ or blobs/): its stored secrets are sealed with that key. Restore "
          + file + " from a backup, or set TARN_MASTER_KEY to the key. No new key was written.");
    }
    byte[] raw = Ids.randomBytes(KEY_BYTES);
    try {
      DataMode.writeSecretFile(file, (Base64.getEncoder().encodeToString(raw) + "\n")
          .getBytes(StandardCharsets.US_ASCII), false, true);
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot create the master key file " + file + ": "
          + e.getMessage(), e);
    }
    return new MasterKey(raw, file.toString(), true);
  }

  /** The key in {@code file}, or null if there is no such file. */
  private static MasterKey read(Path file) {
    try {
      if (!Files.exists(file)) {
        return null;
      }
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return new MasterKey(parse(text, "master key file " + file), file.toString(), false);
    } catch (IllegalArgumentException e) {
      throw new StorageException(StorageException.Kind.MASTER_KEY, e.getMessage(), e);
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.MASTER_KEY, "cannot read the master key file " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** Hex is tried first: 64 hex characters are also valid base64 (of 48 bytes). */
  private static byte[] parse(String text, String what) {
    if (Hex.isHex(text, 2 * KEY_BYTES)) {
      return Hex.decode(text);
    }
    for (Base64.Decoder d : new Base64.Decoder[] {Base64.getDecoder(), Base64.getUrlDecoder()}) {
      try {
        byte[] raw = d.decode(text);
        if (raw.length == KEY_BYTES) {
          return raw;
        }
      } catch (IllegalArgumentException e) {
        // not this alphabet: try the next one
      }
    }
    throw new IllegalArgumentException(what + " must be 32 bytes written as base64 (standard or URL-safe) or as 64 hex"
        + " characters (got " + text.length() + " characters that are neither)");
  }


  /** Whether this load generated the key (first start without TARN_MASTER_KEY). */
  public boolean generated() {
    return generated;
  }

  /** {@code format | nonce | ciphertext+tag} of {@code plain}, authenticating {@code aad} too. */
  byte[] seal(byte[] plain, byte[] aad) {
    byte[] nonce = Ids.randomBytes(NONCE_BYTES);
    byte[] sealed;
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad);
      sealed = cipher.doFinal(plain);
    } catch (GeneralSecurityException e) {
      // AES-GCM is a mandatory JDK algorithm: failing here is a broken runtime, not bad input.
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
    out[0] = SEALED_FORMAT;
    System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
    System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
    return out;
  }

  /**
   * The plain bytes of a value {@link #seal}ed with this key and the same {@code aad}.
   *
   * @throws AEADBadTagException if it was sealed with another key or other associated data, or altered
   * @throws StorageException IO if it is not a sealed value of a known format
   */
  byte[] open(byte[] sealed, byte[] aad) throws AEADBadTagException {
    if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != SEALED_FORMAT) {
      throw new StorageException(StorageException.Kind.IO, "corrupt sealed value (format "
          + (sealed.length == 0 ? "none" : Integer.toString(sealed[0] & 0xff)) + ", " + sealed.length + " bytes)");
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key,
          new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES)));
      cipher.updateAAD(aad);
      return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  /** Where the key came from; never the key. */
  @Override
  public String toString() {
    return "MasterKey[from " + source + (generated ? ", generated" : "") + "]";
  }
}
