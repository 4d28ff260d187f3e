package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Personal API tokens in the identity store: created, resolved by hash, listed, revoked. */
class TokensTest extends StoreTestSupport {
  @Test
  void aTokenResolvesToItsInfoAndOnlyItsExactValueDoes() {
    UserInfo alice = id().createUser("alice", Role.USER);
    Instant expires = clock.instant().plusSeconds(3600);
    NewApiToken t = id().createToken(alice.id(), "ci deploy", expires);

    assertTrue(t.token().matches("tarn_[A-Za-z0-9_-]{43}"), t.token());
    assertTrue(t.info().id().matches("[0-9a-f]{16}"), t.info().id());
    assertEquals(new TokenInfo(t.info().id(), alice.id(), "ci deploy", clock.instant(), expires), t.info());
    assertFalse(t.toString().contains(t.token()), "the value is not in toString");

    assertEquals(Optional.of(t.info()), id().resolveToken(t.token()));
    String last = t.token().substring(t.token().length() - 1);
    String altered = t.token().substring(0, t.token().length() - 1) + (last.equals("A") ? "B" : "A");
    for (String wrong : Arrays.asList(altered, t.token() + "x", t.token().substring(5), "tarn_", "", null,
        "x".repeat(10_000))) {
      assertEquals(Optional.empty(), id().resolveToken(wrong), String.valueOf(wrong));
    }
    assertNotEquals(t.token(), id().createToken(alice.id(), "ci deploy", null).token(), "names need not be unique");
  }

  @Test
  void expiredTokensStillResolveSoTheCallerCanSaySo() {
    UserInfo alice = id().createUser("alice", Role.USER);
    NewApiToken t = id().createToken(alice.id(), "short", clock.instant().plusMillis(1000));
    assertFalse(t.info().expiredAt(clock.instant()));
    clock.advance(Duration.ofMillis(1000));
    TokenInfo resolved = id().resolveToken(t.token()).orElseThrow();
    assertTrue(resolved.expiredAt(clock.instant()));
    assertFalse(id().createToken(alice.id(), "forever", null).info().expiredAt(Instant.MAX));
  }

  @Test
  void listAndRevokeAreOwnTokensOnly() {
    UserInfo alice = id().createUser("alice", Role.USER);
    UserInfo bob = id().createUser("bob", Role.USER);
    NewApiToken a1 = id().createToken(alice.id(), "one", null);
    clock.advance(Duration.ofMillis(5));
    NewApiToken a2 = id().createToken(alice.id(), "two", null);
    NewApiToken b1 = id().createToken(bob.id(), "bobs", null);

    assertEquals(List.of(a1.info(), a2.info()), id().tokens(alice.id()), "oldest first");
    assertEquals(List.of(b1.info()), id().tokens(bob.id()));
    failure(StorageException.Kind.NOT_FOUND, () -> id().tokens("f".repeat(64)));

    // Another user's token id is simply not found for this user.
    failure(StorageException.Kind.NOT_FOUND, () -> id().revokeToken(bob.id(), a1.info().id()));
    assertTrue(id().resolveToken(a1.token()).isPresent());

    id().revokeToken(alice.id(), a1.info().id());
    assertEquals(Optional.empty(), id().resolveToken(a1.token()));
    assertEquals(List.of(a2.info()), id().tokens(alice.id()));
    StorageException e = failure(StorageException.Kind.NOT_FOUND, () -> id().revokeToken(alice.id(), a1.info().id()));
    assertEquals("no such API token: " + a1.info().id(), e.getMessage());
    failure(StorageException.Kind.NOT_FOUND, () -> id().revokeToken(alice.id(), null));
  }

  @Test
  void namesExpiriesUsersAndTheCapAreChecked() {
    UserInfo alice = id().createUser("alice", Role.USER);
    for (String bad : Arrays.asList(null, "", "   ", "x".repeat(65), "tab\there", "nl\n")) {
      StorageException e = failure(StorageException.Kind.INVALID_ARGUMENT, () -> id().createToken(alice.id(), bad, null));
      assertTrue(e.getMessage().startsWith("invalid token name"), e.getMessage());
    }
    assertEquals("x".repeat(64), id().createToken(alice.id(), "x".repeat(64), null).info().name());
    assertEquals("dépôt 🚀", id().createToken(alice.id(), "dépôt 🚀", null).info().name());
    failure(StorageException.Kind.INVALID_ARGUMENT, () -> id().createToken(alice.id(), "far", Instant.MAX));
    failure(StorageException.Kind.NOT_FOUND, () -> id().createToken("f".repeat(64), "ghost", null));

    while (id().tokens(alice.id()).size() < IdentityStore.MAX_TOKENS_PER_USER) {
      id().createToken(alice.id(), "more", null);
    }
    StorageException e = failure(StorageException.Kind.CONFLICT, () -> id().createToken(alice.id(), "one too many", null));
    assertEquals("user alice has 100 API tokens already: revoke one first", e.getMessage());
  }

  @Test
  void deletingAUserDeletesItsTokens() {
    UserInfo alice = id().createUser("alice", Role.USER);
    NewApiToken t = id().createToken(alice.id(), "one", null);
    id().deleteUser(alice.id(), null);
    assertEquals(Optional.empty(), id().resolveToken(t.token()));
    // A new user with the same name does not inherit anything.
    UserInfo again = id().createUser("alice", Role.USER);
    assertEquals(List.of(), id().tokens(again.id()));
  }

  @Test
  void tokensSurviveAReopenAndTheirValueIsNeverStored() throws IOException {
    UserInfo alice = id().createUser("alice", Role.USER);
    List<NewApiToken> tokens = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tokens.add(id().createToken(alice.id(), "t" + i, i == 0 ? null : clock.instant().plusSeconds(i)));
      clock.advance(Duration.ofMillis(1));
    }
    reopen();
    for (NewApiToken t : tokens) {
      assertEquals(Optional.of(t.info()), id().resolveToken(t.token()));
    }
    assertEquals(tokens.stream().map(NewApiToken::info).toList(), id().tokens(alice.id()));
    // A control written after the reopen is in the write-ahead log, which stores records whole (table
    // files delta-encode keys, so an id inside a key may not appear contiguously there): finding its
    // id proves the search sees what is stored.
    tokens.add(id().createToken(alice.id(), "control", null));
    byte[] all = metaBytes();
    assertTrue(contains(all, utf8(tokens.get(3).info().id())), "the search finds what is stored");
    for (NewApiToken t : tokens) {
      assertFalse(contains(all, utf8(t.token())), "token value of " + t.info().id());
      assertFalse(contains(all, utf8(t.token().substring(5))), "token body of " + t.info().id());
    }
  }

  private byte[] metaBytes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Stream<Path> files = Files.walk(dir.resolve("meta"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.write(Files.readAllBytes(p));
        out.write(0);
      }
    }
    return out.toByteArray();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
