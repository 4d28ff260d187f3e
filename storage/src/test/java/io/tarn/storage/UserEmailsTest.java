package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Role;
import io.tarn.storage.meta.Codec;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.MetaStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users' e-mail addresses (which S3 ACL grants by e-mail resolve to): set, changed, cleared, unique
 * case-insensitively through their index, which follows every change of its user in the same batch;
 * kept by a reopen, a backup and a rebuild from the identity mirror; users stored before there were
 * addresses still read.
 */
class UserEmailsTest extends StoreTestSupport {
  @TempDir Path elsewhere;

  @Test
  void anAddressIsSetChangedAndClearedWithItsIndex() {
    UserInfo bob = id().createUser("bob", Role.USER, "Bob@Example.com");
    assertEquals("Bob@Example.com", bob.email(), "kept as given, for display");
    assertEquals(Optional.of(bob), id().user("bob"));
    assertEquals(Optional.of(bob), id().userByEmail("bob@example.com"), "found in any case");
    assertEquals(Optional.of(bob), id().userByEmail("BOB@EXAMPLE.COM"));
    UserInfo alice = id().createUser("alice", Role.USER);
    assertNull(alice.email());
    assertEquals(Optional.empty(), id().userByEmail(""));
    assertEquals(Optional.empty(), id().userByEmail(null));
    assertEquals(Optional.empty(), id().userByEmail("not an address"));

    UserInfo changed = id().setUserEmail(bob.id(), "robert@example.org");
    assertEquals("robert@example.org", changed.email());
    assertEquals(Optional.of(changed), id().userByEmail("Robert@example.org"));
    assertEquals(Optional.empty(), id().userByEmail("bob@example.com"), "the old address no longer leads to bob");
    assertEquals(changed, id().setUserEmail(bob.id(), "robert@example.org"), "setting the same address changes nothing");
    assertEquals("ROBERT@example.org", id().setUserEmail(bob.id(), "ROBERT@example.org").email(),
        "its own address in another case");
    assertEquals("ROBERT@example.org", id().userByEmail("robert@example.org").orElseThrow().email());

    // The old address is free for someone else.
    assertEquals("bob@example.com", id().setUserEmail(alice.id(), "bob@example.com").email());
    assertEquals(alice.id(), id().userByEmail("BOB@example.com").orElseThrow().id());

    assertNull(id().setUserEmail(bob.id(), null).email());
    assertEquals(Optional.empty(), id().userByEmail("robert@example.org"));
    id().setUserEmail(bob.id(), "robert@example.org");
    assertNull(id().setUserEmail(bob.id(), "").email(), "\"\" clears too");
    assertEquals(Optional.empty(), id().userByEmail("robert@example.org"));
    failure(StorageException.Kind.NOT_FOUND, () -> id().setUserEmail("f".repeat(64), "x@example.com"));
  }

  @Test
  void anAddressBelongsToOneUserInAnyCase() {
    UserInfo bob = id().createUser("bob", Role.USER, "bob@example.com");
    StorageException e = failure(StorageException.Kind.CONFLICT,
        () -> id().createUser("carol", Role.USER, "BOB@example.COM"));
    assertTrue(e.getMessage().contains("e-mail address BOB@example.COM is taken by user bob"), e.getMessage());
    assertEquals(Optional.empty(), id().user("carol"), "nothing stored by the refused create");
    UserInfo carol = id().createUser("carol", Role.USER);
    e = failure(StorageException.Kind.CONFLICT, () -> id().setUserEmail(carol.id(), "Bob@Example.com"));
    assertTrue(e.getMessage().contains("taken by user bob"), e.getMessage());
    assertNull(id().user("carol").orElseThrow().email(), "the refused change changed nothing");
    assertEquals(bob.id(), id().userByEmail("bob@example.com").orElseThrow().id());
  }

  @Test
  void invalidAddressesAreRefused() {
    UserInfo bob = id().createUser("bob", Role.USER);
    List<String> bad = new ArrayList<>(List.of("bob", "@example.com", "bob@", "a@b@c", "bob @example.com",
        "bob@exa\tmple.com", "bob\u0000@example.com", "bob@example.com\n", "b\u00a0ob@example.com",
        "x".repeat(250) + "@e.co"));
    for (String address : bad) {
      StorageException e = failure(StorageException.Kind.INVALID_ARGUMENT,
          () -> id().createUser("carol", Role.USER, address));
      assertTrue(e.getMessage().startsWith("invalid e-mail address"), e.getMessage());
      failure(StorageException.Kind.INVALID_ARGUMENT, () -> id().setUserEmail(bob.id(), address));
    }
    assertEquals(1, id().users().size(), "nothing stored by a refused create");
    for (String good : List.of("a@b", "x".repeat(240) + "@example.com", "o'brien+tag@mail.example.co.uk", "ünï@cödé.de")) {
      assertEquals(good, id().setUserEmail(bob.id(), good).email());
    }
  }

  @Test
  void deletingAUserFreesItsAddress() {
    UserInfo bob = id().createUser("bob", Role.USER, "bob@example.com");
    id().deleteUser(bob.id(), null);
    assertEquals(Optional.empty(), id().userByEmail("bob@example.com"));
    UserInfo again = id().createUser("robert", Role.USER, "Bob@example.com");
    assertEquals(again.id(), id().userByEmail("bob@example.com").orElseThrow().id());
  }

  @Test
  void theRootUsersAddressSurvivesItsBootstrap() {
    String rootId = "0123456789abcdef".repeat(4);
    UserInfo root = id().bootstrapRoot(rootId, "root", "TKROOT", "secret");
    id().setUserEmail(root.id(), "ops@example.com");
    id().setUserEnabled(root.id(), false);
    UserInfo again = id().bootstrapRoot(rootId, "root", "TKROOT", "secret");
    assertEquals("ops@example.com", again.email(), "re-enabled at start, its address kept");
    assertEquals(rootId, id().userByEmail("ops@example.com").orElseThrow().id());
  }

  @Test
  void addressesSurviveAReopen() {
    UserInfo bob = id().createUser("bob", Role.USER, "bob@example.com");
    reopen();
    assertEquals(Optional.of(bob), id().user(bob.id()));
    assertEquals(Optional.of(bob), id().userByEmail("BOB@example.com"));
  }

  /** A data directory written before users had addresses (user records of format 1) opens and reads. */
  @Test
  void usersStoredBeforeAddressesStillRead() {
    store.close();
    store = null;
    String id = "ab".repeat(32);
    try (MetaStore meta = MetaStore.open(dir.resolve("meta"), false)) {
      try (MetaStore.Batch b = meta.batch()) {
        // Exactly what the format 1 code wrote: 'i' id -> the user, 'n' name -> the id.
        b.put(ColumnFamily.USERS, ("i" + id).getBytes(StandardCharsets.UTF_8),
            new Codec.Out(1).string("olduser").string("USER").bool(true).i64(1_700_000_000_000L).toBytes());
        b.put(ColumnFamily.USERS, "nolduser".getBytes(StandardCharsets.UTF_8), new Codec.Out(1).string(id).toBytes());
        meta.commit(b, "a user of format 1");
      }
    }
    store = open();
    UserInfo old = id().user("olduser").orElseThrow();
    assertEquals(new UserInfo(id, "olduser", Role.USER, true, java.time.Instant.ofEpochMilli(1_700_000_000_000L)), old);
    assertNull(old.email());
    // It can be given an address, and then its record is rewritten in the current format.
    assertEquals("old@example.com", id().setUserEmail(id, "old@example.com").email());
    reopen();
    assertEquals("old@example.com", id().user(id).orElseThrow().email());
    assertEquals(id, id().userByEmail("old@example.com").orElseThrow().id());
  }

  @Test
  void aBackupCarriesAddressesAndTheirIndex() {
    UserInfo bob = id().createUser("bob", Role.USER, "Bob@example.com");
    Path into = elsewhere.resolve("backup");
    BackupReport r = store.backups(List.of()).backup(into, Backups.Verify.QUICK, false, p -> { });
    assertTrue(r.verified(), r.problems().toString());
    store.close();
    store = TarnStore.open(new StorageOptions(into, THRESHOLD, false), sink, clock);
    assertEquals(Optional.of(bob), id().user("bob"));
    assertEquals(Optional.of(bob), id().userByEmail("bob@example.com"));
    failure(StorageException.Kind.CONFLICT, () -> id().createUser("carol", Role.USER, "BOB@example.com"));
  }

  @Test
  void aRebuildRestoresAddressesAndTheirIndexFromTheIdentityMirror() {
    UserInfo bob = id().createUser("bob", Role.USER, "Bob@example.com");
    UserInfo carol = id().createUser("carol", Role.USER, "carol@example.com");
    id().setUserEmail(carol.id(), null);
    store.close();
    store = null;
    RebuildReport r = IndexRepair.rebuild(dir, false, DataMode.PRIVATE, clock);
    assertTrue(r.notes().stream().anyMatch(n -> n.contains("2 users")), r.notes().toString());
    store = open();
    assertEquals(Optional.of(bob), id().userByEmail("bob@example.com"));
    assertEquals(Optional.empty(), id().userByEmail("carol@example.com"), "a cleared address stays cleared");
    failure(StorageException.Kind.CONFLICT, () -> id().setUserEmail(carol.id(), "bob@EXAMPLE.com"));
  }

  @Test
  void theIndexEntryIsTheUsersIdUnderTheLowerCasedAddress() {
    UserInfo bob = id().createUser("bob", Role.USER, "Bob@Example.com");
    store.close();
    store = null;
    try (MetaStore meta = MetaStore.open(dir.resolve("meta"), false)) {
      assertArrayEquals(new Codec.Out(1).string(bob.id()).toBytes(),
          meta.get(ColumnFamily.USERS, "ebob@example.com".getBytes(StandardCharsets.UTF_8)));
      assertNull(meta.get(ColumnFamily.USERS, "eBob@Example.com".getBytes(StandardCharsets.UTF_8)));
    }
    store = open();
  }
}
