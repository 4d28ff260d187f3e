package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Nothing a credential creates outlives it: expiry caps, revocation with the creating key, persistence. */
class CredentialLineageTest extends StoreTestSupport {
  private static Credential key(NewAccessKey k) {
    return Credential.accessKey(k.info().accessKeyId(), k.info().userId());
  }

  private static Credential token(NewApiToken t) {
    return Credential.token(t.info().id(), t.info().userId());
  }

  @Test
  void aKeyWithAnExpiryCreatesNothingThatOutlivesIt() {
    UserInfo alice = id().createUser("alice", Role.USER);
    Instant limit = clock.instant().plus(Duration.ofDays(1));
    NewAccessKey k = id().createKey(alice.id(), limit);

    // Absent expiry: the creator's.
    NewAccessKey child = id().createKey(alice.id(), null, key(k));
    assertEquals(limit, child.info().expires());
    assertEquals(key(k), child.info().createdWith());
    NewApiToken t = id().createToken(alice.id(), "ci", null, key(k));
    assertEquals(limit, t.info().expires());
    assertEquals(key(k), t.info().createdWith());

    // Longer: refused, naming the limit.
    StorageException e = assertThrows(StorageException.class,
        () -> id().createKey(alice.id(), limit.plusSeconds(1), key(k)));
    assertEquals(StorageException.Kind.INVALID_ARGUMENT, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains(limit.toString()) && e.getMessage().contains(k.info().accessKeyId()),
        e.getMessage());
    assertEquals(StorageException.Kind.INVALID_ARGUMENT, assertThrows(StorageException.class,
        () -> id().createToken(alice.id(), "x", limit.plusSeconds(1), key(k))).kind());

    // Shorter: as asked.
    Instant sooner = limit.minusSeconds(60);
    assertEquals(sooner, id().createToken(alice.id(), "short", sooner, key(k)).info().expires());
  }

  @Test
  void anExpiringTokenMintsOnlyTokensThatExpireWithIt() {
    UserInfo alice = id().createUser("alice", Role.USER);
    NewAccessKey k = id().createKey(alice.id(), null);
    Instant limit = clock.instant().plus(Duration.ofHours(2));
    NewApiToken parent = id().createToken(alice.id(), "parent", limit, key(k));
    NewApiToken child = id().createToken(alice.id(), "child", null, token(parent));
    assertEquals(limit, child.info().expires());
    assertEquals(token(parent), child.info().createdWith());
    NewApiToken grandchild = id().createToken(alice.id(), "grandchild", null, token(child));
    assertEquals(limit, grandchild.info().expires());
    assertEquals(StorageException.Kind.INVALID_ARGUMENT, assertThrows(StorageException.class,
        () -> id().createToken(alice.id(), "longer", limit.plusSeconds(1), token(child))).kind());
  }

  @Test
  void anAdminKeyWithAnExpiryCapsTheKeysItCreatesForOthersAndOneWithoutDoesNot() {
    UserInfo admin = id().createUser("admin", Role.ADMIN);
    UserInfo bob = id().createUser("bob", Role.USER);
    NewAccessKey forever = id().createKey(admin.id(), null);
    assertEquals(null, id().createKey(bob.id(), null, key(forever)).info().expires());
    Instant limit = clock.instant().plus(Duration.ofDays(7));
    NewAccessKey expiring = id().createKey(admin.id(), limit);
    assertEquals(limit, id().createKey(bob.id(), null, key(expiring)).info().expires());
  }

  @Test
  void disablingOrDeletingAKeyRevokesItsTokensTransitivelyAndReEnablingDoesNotRestoreThem() {
    UserInfo alice = id().createUser("alice", Role.USER);
    NewAccessKey k = id().createKey(alice.id(), null);
    NewAccessKey other = id().createKey(alice.id(), null);
    NewApiToken t = id().createToken(alice.id(), "t", null, key(k));
    NewApiToken minted = id().createToken(alice.id(), "minted", null, token(t));
    NewApiToken kept = id().createToken(alice.id(), "kept", null, key(other));
    NewApiToken old = id().createToken(alice.id(), "no creator", null);

    id().setKeyEnabled(k.info().accessKeyId(), false);
    assertEquals(Optional.empty(), id().resolveToken(t.token()));
    assertEquals(Optional.empty(), id().resolveToken(minted.token()));
    assertEquals(java.util.Set.of("kept", "no creator"), id().tokens(alice.id()).stream().map(TokenInfo::name).collect(java.util.stream.Collectors.toSet()), "listed in id order, which is random");

    id().setKeyEnabled(k.info().accessKeyId(), true);
    assertEquals(Optional.empty(), id().resolveToken(t.token()), "re-enabling does not bring tokens back");
    assertEquals(Optional.empty(), id().resolveToken(minted.token()));

    NewApiToken again = id().createToken(alice.id(), "again", null, key(k));
    id().deleteKey(k.info().accessKeyId());
    assertEquals(Optional.empty(), id().resolveToken(again.token()));
    assertTrue(id().resolveToken(kept.token()).isPresent());
    assertTrue(id().resolveToken(old.token()).isPresent());
    assertEquals(StorageException.Kind.NOT_FOUND, assertThrows(StorageException.class,
        () -> id().createToken(alice.id(), "late", null, key(k))).kind(), "a deleted key creates nothing");
  }

  @Test
  void revokingATokenRevokesTheTokensItMinted() {
    UserInfo alice = id().createUser("alice", Role.USER);
    NewApiToken t = id().createToken(alice.id(), "t", null);
    NewApiToken minted = id().createToken(alice.id(), "minted", null, token(t));
    id().revokeToken(alice.id(), t.info().id());
    assertEquals(Optional.empty(), id().resolveToken(minted.token()));
    assertEquals(List.of(), id().tokens(alice.id()));
  }

  @Test
  void shorteningTheCreatorsExpiryEndsItsTokensAtTheNextResolve() {
    UserInfo alice = id().createUser("alice", Role.USER);
    NewAccessKey k = id().createKey(alice.id(), null);
    NewApiToken t = id().createToken(alice.id(), "t", null, key(k));
    id().setKeyExpiry(k.info().accessKeyId(), clock.instant());
    TokenInfo resolved = id().resolveToken(t.token()).orElseThrow();
    assertTrue(resolved.expiredAt(clock.instant()), resolved.toString());
  }

  @Test
  void rotatingTheRootCredentialsRevokesTheTokensTheOldOnesCreated() {
    String rootId = "0".repeat(63) + "1";
    id().bootstrapRoot(rootId, "root", "ROOTKEY1", "secret-one");
    NewApiToken t = id().createToken(rootId, "t", null, Credential.accessKey("ROOTKEY1", rootId));
    id().bootstrapRoot(rootId, "root", "ROOTKEY1", "secret-two");
    assertEquals(Optional.empty(), id().resolveToken(t.token()), "a new secret is a new credential");
    NewApiToken u = id().createToken(rootId, "u", null, Credential.accessKey("ROOTKEY1", rootId));
    id().bootstrapRoot(rootId, "root", "ROOTKEY2", "secret-three");
    assertEquals(Optional.empty(), id().resolveToken(u.token()));
    assertEquals(List.of(), id().tokens(rootId));
  }

  @Test
  void theCreatorIsPersisted() {
    UserInfo alice = id().createUser("alice", Role.USER);
    NewAccessKey k = id().createKey(alice.id(), null);
    NewAccessKey child = id().createKey(alice.id(), null, key(k));
    NewApiToken t = id().createToken(alice.id(), "t", null, key(k));
    reopen();
    assertEquals(key(k), id().key(child.info().accessKeyId()).orElseThrow().createdWith());
    assertEquals(key(k), id().resolveToken(t.token()).orElseThrow().createdWith());
    assertEquals(key(k), id().tokens(alice.id()).get(0).createdWith());
  }
}
