package io.tarn.storage.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.core.Role;
import io.tarn.storage.Credential;
import io.tarn.storage.StorageException;
import io.tarn.storage.meta.Codec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The encodings of the identity records (STYLE.md 8): round trips, and undecodable values are IO errors. */
class IdentityRecordsTest {
  @Test
  void encodingsRoundTrip() {
    for (UserRecord u : List.of(new UserRecord("alice", Role.ADMIN, true, 1_700_000_000_123L),
        new UserRecord("x".repeat(64), Role.USER, false, 0),
        new UserRecord("bob", Role.USER, true, 5, "Bob@Example.com"),
        new UserRecord("ünï", Role.USER, true, 5, "ünï@cödé.de"))) {
      assertEquals(u, UserRecord.decode(u.encode()));
    }
    String userId = "ab".repeat(32);
    assertEquals(userId, UserRecord.decodeId(UserRecord.encodeId(userId)));
    for (KeyRecord k : List.of(new KeyRecord(userId, true, 1_700_000_000_123L, 1_800_000_000_000L, new byte[] {1, 2, 3}),
        new KeyRecord(userId, false, 0, null, new byte[0]),
        new KeyRecord(userId, true, 5, 6L, new byte[] {4}, Credential.accessKey("TKROOT", "cd".repeat(32))),
        new KeyRecord(userId, true, 5, null, new byte[] {4}, Credential.token("0123456789abcdef", userId)))) {
      KeyRecord back = KeyRecord.decode(k.encode());
      assertEquals(k, back);
      assertArrayEquals(k.sealedSecret(), back.sealedSecret());
    }
  }

  @Test
  void undecodableRecordsAreIoErrors() {
    byte[] user = new UserRecord("alice", Role.USER, true, 1).encode();
    byte[] key = new KeyRecord("u", true, 1, null, new byte[] {9}).encode();
    List<Executable> bad = new ArrayList<>();
    for (byte[] v : List.of(user, key)) {
      byte[] future = v.clone();
      future[0] = 3;
      byte[] truncated = java.util.Arrays.copyOf(v, v.length - 1);
      byte[] trailing = java.util.Arrays.copyOf(v, v.length + 1);
      for (byte[] b : List.of(future, truncated, trailing)) {
        bad.add(() -> UserRecord.decode(b));
        bad.add(() -> KeyRecord.decode(b));
      }
    }
    bad.add(() -> UserRecord.decode(new Codec.Out(1).string("a").string("GOD").bool(true).i64(0).toBytes()));
    for (Executable e : bad) {
      assertEquals(StorageException.Kind.IO, assertThrows(StorageException.class, e).kind());
    }
  }

  @Test
  void keyRecordHidesItsSealedBytes() {
    byte[] sealed = "sealed-bytes".getBytes(StandardCharsets.US_ASCII);
    KeyRecord k = new KeyRecord("u", true, 1, null, sealed);
    sealed[0] = 'X';
    assertEquals('s', k.sealedSecret()[0], "defensive copy");
    assertFalse(k.toString().contains("sealed-bytes"), k.toString());
  }

  @Test
  void tokenRecordsRoundTrip() {
    for (TokenRecord t : List.of(new TokenRecord("0123456789abcdef", "ab".repeat(32), "ci", 1_700_000_000_123L, null),
        new TokenRecord("fedcba9876543210", "cd".repeat(32), "dépôt", 0, 1_800_000_000_000L),
        new TokenRecord("0011223344556677", "cd".repeat(32), "child", 3, 4L, Credential.token("fedcba9876543210",
            "cd".repeat(32))),
        new TokenRecord("8899aabbccddeeff", "cd".repeat(32), "k", 3, null, Credential.accessKey("TKX", "ab".repeat(32)))))
    {
      assertEquals(t, TokenRecord.decode(t.encode()));
    }
    byte[] hash = new byte[32];
    Arrays.fill(hash, (byte) 7);
    assertArrayEquals(hash, TokenRecord.decodeIndex(TokenRecord.encodeIndex(hash)));
  }

  /** User records written before format 2 (no e-mail address) still read, as users without one. */
  @Test
  void format1UserRecordsStillRead() {
    byte[] user1 = new Codec.Out(1).string("alice").string("ADMIN").bool(false).i64(7).toBytes();
    UserRecord u = UserRecord.decode(user1);
    assertEquals(new UserRecord("alice", Role.ADMIN, false, 7, null), u);
    assertEquals(1, u.encode()[0], "without an e-mail address, written back in format 1 (older builds read it)");
    assertEquals(u, UserRecord.decode(u.encode()));
    UserRecord withEmail = u.withEmail("alice@example.com");
    assertEquals(2, withEmail.encode()[0], "an address needs format 2");
    assertEquals(withEmail, UserRecord.decode(withEmail.encode()));
    byte[] trailing = Arrays.copyOf(user1, user1.length + 1);
    assertEquals(StorageException.Kind.IO,
        assertThrows(StorageException.class, () -> UserRecord.decode(trailing)).kind(), "format 1 has no e-mail field");
  }

  /** Records written before format 2 (no creator) still read, as created with nothing. */
  @Test
  void format1RecordsStillRead() {
    String userId = "ab".repeat(32);
    byte[] key1 = new Codec.Out(1).string(userId).bool(true).i64(7).bool(true).i64(9).bytes(new byte[] {1, 2})
        .toBytes();
    assertEquals(new KeyRecord(userId, true, 7, 9L, new byte[] {1, 2}, null), KeyRecord.decode(key1));
    byte[] token1 = new Codec.Out(1).string("0123456789abcdef").string(userId).string("ci").i64(7).bool(false)
        .toBytes();
    assertEquals(new TokenRecord("0123456789abcdef", userId, "ci", 7, null, null), TokenRecord.decode(token1));
    byte[] badType = new Codec.Out(2).string("0123456789abcdef").string(userId).string("ci").i64(7).bool(false)
        .bool(true).u8(9).string("x").string(userId).toBytes();
    assertEquals(StorageException.Kind.IO,
        assertThrows(StorageException.class, () -> TokenRecord.decode(badType)).kind());
  }

  @Test
  void undecodableTokenRecordsAreIoErrors() {
    byte[] record = new TokenRecord("id", "user", "name", 1, 2L).encode();
    byte[] index = TokenRecord.encodeIndex(new byte[32]);
    List<Executable> bad = new ArrayList<>();
    for (byte[] v : List.of(record, index)) {
      byte[] future = v.clone();
      future[0] = 3;
      for (byte[] b : List.of(future, Arrays.copyOf(v, v.length - 1), Arrays.copyOf(v, v.length + 1))) {
        bad.add(() -> TokenRecord.decode(b));
        bad.add(() -> TokenRecord.decodeIndex(b));
      }
    }
    for (Executable e : bad) {
      assertEquals(StorageException.Kind.IO, assertThrows(StorageException.class, e).kind());
    }
  }
}
