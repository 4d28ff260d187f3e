package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Hex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading, generating and using the master key. */
class MasterKeyTest {
  private static final byte[] AAD = "TKAAAAAAAAAAAAAAAAAA".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PLAIN = "the secret".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  /** 32 bytes whose base64 uses the characters where the two alphabets differ (+/ and -_). */
  private static byte[] raw() {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) new int[] {0xfb, 0xff, 0xbf}[i % 3];
    }
    return b;
  }

  private static void assertOpens(MasterKey sealer, MasterKey opener) throws AEADBadTagException {
    assertArrayEquals(PLAIN, opener.open(sealer.seal(PLAIN, AAD), AAD));
  }

  @Test
  void everySpellingOfTheSameKeyIsTheSameKey() throws Exception {
    byte[] raw = raw();
    String std = Base64.getEncoder().encodeToString(raw);
    String url = Base64.getUrlEncoder().encodeToString(raw);
    assertTrue(std.contains("+") && std.contains("/") && url.contains("-") && url.contains("_"), std + " " + url);
    MasterKey reference = MasterKey.load(dir, Hex.encode(raw));
    for (String spelling : List.of(std, url, std.replace("=", ""), url.replace("=", ""),
        Hex.encode(raw).toUpperCase(java.util.Locale.ROOT), "  " + std + "\n")) {
      MasterKey k = MasterKey.load(dir, spelling);
      assertFalse(k.generated());
      assertOpens(reference, k);
      assertOpens(k, reference);
    }
    assertFalse(Files.exists(dir.resolve(MasterKey.FILE)), "a key from the environment writes no file");
  }

  @Test
  void malformedEnvironmentValuesAreRefusedWithoutEchoingThem() {
    byte[] raw = raw();
    for (String bad : List.of("abc", Hex.encode(raw).substring(1), Hex.encode(raw) + "00",
        Base64.getEncoder().encodeToString(Arrays.copyOf(raw, 31)),
        Base64.getEncoder().encodeToString(Arrays.copyOf(raw, 33)), "g".repeat(64), "not base64 at all!")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MasterKey.load(dir, bad), bad);
      assertTrue(e.getMessage().contains("TARN_MASTER_KEY"), e.getMessage());
      assertFalse(e.getMessage().contains(bad.strip()), e.getMessage());
    }
  }

  @Test
  void absentKeyIsGeneratedPrivatelyOnceAndThenReused() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    for (String absent : new String[] {null, "", "  "}) {
      MasterKey first = absent == null ? MasterKey.loadOrGenerate(data, false) : MasterKey.load(data, absent);
      Path file = data.resolve(MasterKey.FILE);
      assertEquals(absent == null, first.generated(), "only the first load generates");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      byte[] stored = Base64.getDecoder().decode(Files.readString(file).strip());
      assertEquals(32, stored.length);
      assertOpens(first, MasterKey.load(dir, Hex.encode(stored)));
      MasterKey again = MasterKey.load(data, null);
      assertFalse(again.generated());
      assertOpens(first, again);
    }
    try (var files = Files.list(data)) {
      assertEquals(List.of(MasterKey.FILE), files.map(p -> p.getFileName().toString()).toList(), "no temp file left");
    }
  }

  @Test
  void loadNeverGenerates() {
    StorageException e = assertThrows(StorageException.class, () -> MasterKey.load(dir, null));
    assertEquals(StorageException.Kind.MASTER_KEY, e.kind());
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
    assertFalse(Files.exists(dir.resolve(MasterKey.FILE)));
  }

  @Test
  void corruptKeyFileIsAMasterKeyError() throws Exception {
    Files.writeString(dir.resolve(MasterKey.FILE), "short\n");
    StorageException e = assertThrows(StorageException.class, () -> MasterKey.load(dir, null));
    assertEquals(StorageException.Kind.MASTER_KEY, e.kind());
    assertTrue(e.getMessage().contains(MasterKey.FILE), e.getMessage());
  }

  @Test
  void sealedFormatAndAuthentication() throws Exception {
    MasterKey k = MasterKey.load(dir, Hex.encode(raw()));
    byte[] sealed = k.seal(PLAIN, AAD);
    assertEquals(1, sealed[0], "format byte");
    assertEquals(1 + 12 + PLAIN.length + 16, sealed.length, "format, nonce, ciphertext, tag");
    assertFalse(Arrays.equals(sealed, k.seal(PLAIN, AAD)), "a fresh nonce every time");
    assertArrayEquals(PLAIN, k.open(sealed, AAD));

    byte[] otherAad = "TKBBBBBBBBBBBBBBBBBB".getBytes(StandardCharsets.US_ASCII);
    assertThrows(AEADBadTagException.class, () -> k.open(sealed, otherAad), "moved to another key id");
    byte[] tampered = sealed.clone();
    tampered[tampered.length - 20] ^= 1;
    assertThrows(AEADBadTagException.class, () -> k.open(tampered, AAD), "altered");
    MasterKey other = MasterKey.loadOrGenerate(Files.createDirectory(dir.resolve("other")), false);
    assertThrows(AEADBadTagException.class, () -> other.open(sealed, AAD), "another master key");

    byte[] future = sealed.clone();
    future[0] = 2;
    assertEquals(StorageException.Kind.IO, assertThrows(StorageException.class, () -> k.open(future, AAD)).kind());
    assertEquals(StorageException.Kind.IO,
        assertThrows(StorageException.class, () -> k.open(new byte[] {1, 2, 3}, AAD)).kind());
  }

  @Test
  void toStringNeverShowsTheKey() {
    byte[] raw = raw();
    String text = MasterKey.load(dir, Hex.encode(raw)).toString();
    assertTrue(text.contains("TARN_MASTER_KEY"), text);
    for (String form : List.of(Hex.encode(raw), Base64.getEncoder().encodeToString(raw),
        Base64.getUrlEncoder().encodeToString(raw), Hex.encode(raw).substring(0, 8))) {
      assertFalse(text.contains(form), text);
    }
    String generated = MasterKey.loadOrGenerate(dir, false).toString();
    assertTrue(generated.contains(MasterKey.FILE) && generated.contains("generated"), generated);
  }

  @Test
  void storageOptionsCarryTheKey() {
    MasterKey k = MasterKey.load(dir, Hex.encode(raw()));
    StorageOptions o = StorageOptions.defaults(dir);
    assertEquals(null, o.masterKey());
    StorageOptions with = o.withMasterKey(k).withFsync(false).withInlineThreshold(7);
    assertEquals(k, with.masterKey(), "kept by the other withers");
    assertEquals(new StorageOptions(dir, 7, false, k).withSpace(SpaceLimits.DEFAULTS), with, "and the space limits");
    assertEquals(null, new StorageOptions(dir, 7, false).masterKey());
  }
}
