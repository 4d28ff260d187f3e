package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Hex;
import io.tarn.core.Ids;
import io.tarn.core.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Users, access keys, grants and the master key, on a real store in a temp directory. */
class IdentitiesTest extends StoreTestSupport {
  private static final String ROOT_ID = "0123456789abcdef".repeat(4);

  private static StorageException.Kind kindOf(Executable op) {
    return assertThrows(StorageException.class, op).kind();
  }

  // ---- users

  @Test
  void userRoundTrip() {
    UserInfo alice = id().createUser("alice", Role.USER);
    assertTrue(alice.id().matches("[0-9a-f]{64}"), alice.id());
    assertEquals("alice", alice.name());
    assertEquals(Role.USER, alice.role());
    assertTrue(alice.enabled());
    assertEquals(clock.instant(), alice.created());
    assertEquals(Optional.of(alice), id().user(alice.id()));
    assertEquals(Optional.of(alice), id().user("alice"));
    assertEquals(Optional.empty(), id().user("bob"));
    assertEquals(Optional.empty(), id().user(""));
    assertEquals(Optional.empty(), id().user(null));

    UserInfo zed = id().createUser("Zed", Role.ADMIN);
    UserInfo bob = id().createUser("bob", Role.USER);
    assertEquals(List.of(zed, alice, bob), id().users(), "by name (bytewise: upper case first)");

    UserInfo off = id().setUserEnabled(bob.id(), false);
    assertFalse(off.enabled());
    assertEquals(Optional.of(off), id().user("bob"));
    assertTrue(id().setUserEnabled(bob.id(), true).enabled());
    failure(StorageException.Kind.NOT_FOUND, () -> id().setUserEnabled("f".repeat(64), true));
  }

  @Test
  void userNamesAreValidated() {
    for (String good : List.of("a", "x".repeat(64), "A.b_c@d+e-f9", "0123")) {
      assertEquals(good, id().createUser(good, Role.USER).name());
    }
    List<String> bad = new ArrayList<>(List.of("", "x".repeat(65), "a b", "ä", "a/b", "a:b", "a\u0000", "\uD83D\uDE00",
        "0123456789abcdef".repeat(4)));
    bad.add(null);
    for (String name : bad) {
      StorageException e = failure(StorageException.Kind.INVALID_ARGUMENT, () -> id().createUser(name, Role.USER));
      assertTrue(e.getMessage().contains("user name"), e.getMessage());
    }
    failure(StorageException.Kind.INVALID_ARGUMENT, () -> id().createUser("nobody", null));
    assertEquals(4, id().users().size(), "nothing stored by a refused create");
  }

  @Test
  void userNamesAreUniqueCaseSensitively() {
    id().createUser("alice", Role.USER);
    StorageException e = failure(StorageException.Kind.CONFLICT, () -> id().createUser("alice", Role.ADMIN));
    assertTrue(e.getMessage().contains("alice"), e.getMessage());
    assertEquals("Alice", id().createUser("Alice", Role.USER).name());
    assertEquals(2, id().users().size());
  }

  @Test
  void deletingAUserWithBucketsIsRefusedOrReassigns() {
    UserInfo alice = id().createUser("alice", Role.USER);
    UserInfo bob = id().createUser("bob", Role.USER);
    UserInfo carol = id().createUser("carol", Role.USER);
    store.createBucket("aa1", "r", alice.id());
    store.createBucket("aa2", "r", alice.id());
    store.createBucket("bb1", "r", bob.id());
    id().grant("aa1", bob.id(), Permission.READ);
    id().grant("aa2", carol.id(), Permission.READ_WRITE);
    id().grant("bb1", alice.id(), Permission.READ);

    StorageException e = failure(StorageException.Kind.CONFLICT, () -> id().deleteUser(alice.id(), null));
    assertEquals("user alice still owns 2 bucket(s): aa1, aa2", e.getMessage());
    failure(StorageException.Kind.NOT_FOUND, () -> id().deleteUser(alice.id(), "f".repeat(64)));
    failure(StorageException.Kind.INVALID_ARGUMENT, () -> id().deleteUser(alice.id(), alice.id()));
    assertTrue(id().user(alice.id()).isPresent(), "nothing changed by refusals");

    id().deleteUser(alice.id(), bob.id());
    assertEquals(Optional.empty(), id().user(alice.id()));
    assertEquals(Optional.empty(), id().user("alice"));
    assertEquals(bob.id(), store.bucket("aa1").orElseThrow().ownerId());
    assertEquals(bob.id(), store.bucket("aa2").orElseThrow().ownerId());
    assertEquals(List.of(), id().grants("aa1"), "the new owner's grant is dropped");
    assertEquals(List.of(new BucketGrant("aa2", carol.id(), Permission.READ_WRITE)), id().grants("aa2"));
    assertEquals(List.of(), id().grants("bb1"), "the deleted user's grants are gone");
    failure(StorageException.Kind.NOT_FOUND, () -> id().deleteUser(alice.id(), null));

    // The name is free again; a user without buckets goes without reassignment.
    UserInfo alice2 = id().createUser("alice", Role.USER);
    id().deleteUser(alice2.id(), null);
    assertEquals(List.of("bob", "carol"), id().users().stream().map(UserInfo::name).toList());
  }

  @Test
  void keysOfADeletedUserAreGone() {
    UserInfo alice = id().createUser("alice", Role.USER);
    UserInfo bob = id().createUser("bob", Role.USER);
    NewAccessKey k1 = id().createKey(alice.id(), null);
    NewAccessKey k2 = id().createKey(alice.id(), null);
    NewAccessKey kb = id().createKey(bob.id(), null);
    assertTrue(id().resolve(k1.info().accessKeyId()).isPresent());

    id().deleteUser(alice.id(), null);
    for (NewAccessKey k : List.of(k1, k2)) {
      assertEquals(Optional.empty(), id().key(k.info().accessKeyId()));
      assertEquals(Optional.empty(), id().resolve(k.info().accessKeyId()), "cached before, gone now");
    }
    assertEquals(List.of(kb.info()), id().keys(null));
    failure(StorageException.Kind.NOT_FOUND, () -> id().keys(alice.id()));
    failure(StorageException.Kind.NOT_FOUND, () -> id().createKey(alice.id(), null));
  }

  // ---- keys

  @Test
  void keyRoundTrip() {
    UserInfo alice = id().createUser("alice", Role.USER);
    UserInfo bob = id().createUser("bob", Role.USER);
    Instant expires = clock.instant().plus(Duration.ofDays(30));
    NewAccessKey a1 = id().createKey(alice.id(), expires);
    clock.advance(Duration.ofMillis(5));
    NewAccessKey b1 = id().createKey(bob.id(), null);
    clock.advance(Duration.ofMillis(5));
    NewAccessKey a2 = id().createKey(alice.id(), null);

    for (NewAccessKey k : List.of(a1, b1, a2)) {
      assertTrue(k.info().accessKeyId().matches("TK[A-Z2-7]{18}"), k.info().accessKeyId());
      assertTrue(k.secretAccessKey().matches("[A-Za-z0-9_-]{40}"), k.secretAccessKey());
      assertTrue(k.info().enabled());
      assertEquals(Optional.of(k.info()), id().key(k.info().accessKeyId()));
      assertFalse(k.toString().contains(k.secretAccessKey()), k.toString());
    }
    assertNotEquals(a1.info().accessKeyId(), a2.info().accessKeyId());
    assertNotEquals(a1.secretAccessKey(), a2.secretAccessKey());
    assertEquals(expires, a1.info().expires());
    assertNull(a2.info().expires());
    assertEquals(alice.id(), a1.info().userId());
    assertEquals(List.of(a1.info(), a2.info()), id().keys(alice.id()), "oldest first");
    assertEquals(List.of(a1.info(), b1.info(), a2.info()), id().keys(null));
    assertEquals(Optional.empty(), id().key("TKNOSUCHKEY"));
    assertEquals(Optional.empty(), id().key(null));

    ResolvedKey r = id().resolve(a1.info().accessKeyId()).orElseThrow();
    assertEquals(a1.info(), r.key());
    assertEquals(alice, r.user());
    assertEquals(a1.secretAccessKey(), r.secretAccessKey());
    assertFalse(r.toString().contains(a1.secretAccessKey()), r.toString());
    assertSame(r, id().resolve(a1.info().accessKeyId()).orElseThrow(), "served from the cache");
    assertEquals(Optional.empty(), id().resolve("TKNOSUCHKEY"));
    assertEquals(Optional.empty(), id().resolve(""));
  }

  @Test
  void disabledExpiredAndDeletedKeysShowOnTheNextResolve() {
    UserInfo alice = id().createUser("alice", Role.USER);
    String key = id().createKey(alice.id(), null).info().accessKeyId();
    assertTrue(id().resolve(key).orElseThrow().key().enabled()); // now cached

    assertFalse(id().setKeyEnabled(key, false).enabled());
    assertFalse(id().resolve(key).orElseThrow().key().enabled());
    assertTrue(id().setKeyEnabled(key, true).enabled());
    assertTrue(id().resolve(key).orElseThrow().key().enabled());

    Instant at = clock.instant().plusSeconds(60);
    assertEquals(at, id().setKeyExpiry(key, at).expires());
    AccessKeyInfo resolved = id().resolve(key).orElseThrow().key();
    assertFalse(resolved.expiredAt(clock.instant()));
    assertTrue(resolved.expiredAt(at));
    assertNull(id().setKeyExpiry(key, null).expires());
    assertNull(id().resolve(key).orElseThrow().key().expires());

    id().setUserEnabled(alice.id(), false);
    assertFalse(id().resolve(key).orElseThrow().user().enabled(), "a user change reaches the cached key too");
    id().setUserEnabled(alice.id(), true);

    id().deleteKey(key);
    assertEquals(Optional.empty(), id().resolve(key));
    assertEquals(Optional.empty(), id().key(key));
    for (Executable op : List.<Executable>of(() -> id().deleteKey(key), () -> id().setKeyEnabled(key, true),
        () -> id().setKeyExpiry(key, null))) {
      StorageException e = failure(StorageException.Kind.NOT_FOUND, op);
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
  }

  @Test
  void concurrentResolversNeverServeAStateOlderThanTheLastMutation() throws Exception {
    UserInfo alice = id().createUser("alice", Role.USER);
    String key = id().createKey(alice.id(), null).info().accessKeyId();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Thread t = new Thread(() -> {
        try {
          while (!stop.get()) {
            id().resolve(key).orElseThrow();
          }
        } catch (Throwable e) {
          failed.set(e);
        }
      });
      t.start();
      readers.add(t);
    }
    try {
      for (int i = 0; i < 200; i++) {
        boolean enabled = i % 2 == 0;
        id().setKeyEnabled(key, enabled);
        assertEquals(enabled, id().resolve(key).orElseThrow().key().enabled(), "round " + i);
      }
    } finally {
      stop.set(true);
      for (Thread t : readers) {
        t.join();
      }
    }
    assertNull(failed.get());
  }

  // ---- root

  @Test
  void bootstrapRootIsIdempotentAndRotationRevokesTheOldKey() {
    UserInfo root = id().bootstrapRoot(ROOT_ID, "root", "ROOTKEY1", "secret-one");
    assertEquals(new UserInfo(ROOT_ID, "root", Role.ADMIN, true, clock.instant()), root);
    AccessKeyInfo k1 = id().key("ROOTKEY1").orElseThrow();
    clock.advance(Duration.ofMillis(1000));
    assertEquals(root, id().bootstrapRoot(ROOT_ID, "root", "ROOTKEY1", "secret-one"));
    assertEquals(List.of(k1), id().keys(ROOT_ID), "unchanged by a second start");
    assertEquals("secret-one", id().resolve("ROOTKEY1").orElseThrow().secretAccessKey());

    // A new secret for the same id replaces it; a disabled or expiring root key is restored.
    id().setKeyEnabled("ROOTKEY1", false);
    id().setKeyExpiry("ROOTKEY1", clock.instant());
    id().setUserEnabled(ROOT_ID, false);
    id().bootstrapRoot(ROOT_ID, "root", "ROOTKEY1", "secret-two");
    ResolvedKey r = id().resolve("ROOTKEY1").orElseThrow();
    assertEquals("secret-two", r.secretAccessKey());
    assertEquals(k1, r.key(), "same key, created time kept");
    assertTrue(r.user().enabled());

    // Rotation, across a restart: the old key is deleted.
    reopen();
    id().bootstrapRoot(ROOT_ID, "root", "ROOTKEY2", "secret-three");
    assertEquals(Optional.empty(), id().key("ROOTKEY1"));
    assertEquals(Optional.empty(), id().resolve("ROOTKEY1"));
    assertEquals("secret-three", id().resolve("ROOTKEY2").orElseThrow().secretAccessKey());
    assertEquals(List.of("ROOTKEY2"), id().keys(ROOT_ID).stream().map(AccessKeyInfo::accessKeyId).toList());
    assertEquals(1, id().users().size());

    failure(StorageException.Kind.INVALID_ARGUMENT, () -> id().bootstrapRoot("root", "root", "K", "s"));
    failure(StorageException.Kind.INVALID_ARGUMENT, () -> id().bootstrapRoot(ROOT_ID, "root", "K/1", "s"));
    // "token:<id>" is how a token stands where a key id would: a key id of that shape would be read as one.
    failure(StorageException.Kind.INVALID_ARGUMENT, () -> id().bootstrapRoot(ROOT_ID, "root", "token:abc", "s"));
    failure(StorageException.Kind.INVALID_ARGUMENT, () -> id().bootstrapRoot(ROOT_ID, "root", "K", ""));
  }

  @Test
  void bootstrapRootAvoidsATakenName() {
    UserInfo other = id().createUser("root", Role.USER);
    UserInfo root = id().bootstrapRoot(ROOT_ID, "root", "ROOTKEY", "s");
    assertEquals("root-root", root.name());
    assertEquals(Role.ADMIN, root.role());
    assertEquals(Optional.of(other), id().user("root"));
    assertEquals(Optional.of(root), id().user("root-root"));
    assertEquals(root, id().bootstrapRoot(ROOT_ID, "root", "ROOTKEY", "s"), "and keeps it");
  }

  // ---- grants and buckets

  private void assertAccess(String bucket, String ownerId, Permission granted, String userId) {
    BucketAccess a = id().access(bucket, userId).orElseThrow();
    assertEquals(bucket, a.bucket());
    assertEquals(ownerId, a.ownerId());
    assertEquals(granted, a.granted());
  }

  @Test
  void grantsAccessAndChangeOwner() {
    UserInfo alice = id().createUser("alice", Role.USER);
    UserInfo bob = id().createUser("bob", Role.USER);
    UserInfo carol = id().createUser("carol", Role.USER);
    store.createBucket("bkt", "r", alice.id());
    assertAccess("bkt", alice.id(), null, bob.id());
    assertEquals(Optional.empty(), id().access("nope", bob.id()));

    id().grant("bkt", bob.id(), Permission.READ);
    id().grant("bkt", carol.id(), Permission.READ);
    id().grant("bkt", carol.id(), Permission.READ_WRITE); // replaces
    assertAccess("bkt", alice.id(), Permission.READ, bob.id());
    assertEquals(List.of(new BucketGrant("bkt", bob.id(), Permission.READ),
        new BucketGrant("bkt", carol.id(), Permission.READ_WRITE)).stream()
        .sorted(java.util.Comparator.comparing(BucketGrant::userId)).toList(), id().grants("bkt"));

    StorageException owner = failure(StorageException.Kind.INVALID_ARGUMENT,
        () -> id().grant("bkt", alice.id(), Permission.READ));
    assertTrue(owner.getMessage().contains("alice") && owner.getMessage().contains("bkt"), owner.getMessage());
    failure(StorageException.Kind.NO_SUCH_BUCKET, () -> id().grant("nope", bob.id(), Permission.READ));
    failure(StorageException.Kind.NOT_FOUND, () -> id().grant("bkt", "f".repeat(64), Permission.READ));
    failure(StorageException.Kind.INVALID_ARGUMENT, () -> id().grant("bkt", bob.id(), null));
    failure(StorageException.Kind.NO_SUCH_BUCKET, () -> id().grants("nope"));

    id().revoke("bkt", carol.id());
    id().revoke("bkt", carol.id()); // no-op
    id().revoke("nope", carol.id()); // no-op
    assertAccess("bkt", alice.id(), null, carol.id());

    id().changeOwner("bkt", bob.id());
    assertEquals(bob.id(), store.bucket("bkt").orElseThrow().ownerId());
    assertAccess("bkt", bob.id(), null, bob.id());
    assertEquals(List.of(), id().grants("bkt"), "the new owner's grant is dropped");
    id().changeOwner("bkt", bob.id()); // no-op
    failure(StorageException.Kind.NO_SUCH_BUCKET, () -> id().changeOwner("nope", bob.id()));
    failure(StorageException.Kind.NOT_FOUND, () -> id().changeOwner("bkt", "f".repeat(64)));
    assertEquals("r", store.bucket("bkt").orElseThrow().region(), "the rest of the bucket is kept");
  }

  @Test
  void deleteBucketClearsItsGrants() {
    UserInfo alice = id().createUser("alice", Role.USER);
    UserInfo bob = id().createUser("bob", Role.USER);
    store.createBucket("bkt", "r", alice.id());
    store.createBucket("bkt2", "r", alice.id());
    id().grant("bkt", bob.id(), Permission.READ_WRITE);
    id().grant("bkt2", bob.id(), Permission.READ);
    store.deleteBucket("bkt");
    assertEquals(Optional.empty(), id().access("bkt", bob.id()));
    store.createBucket("bkt", "r", alice.id());
    assertEquals(List.of(), id().grants("bkt"), "a new bucket of the same name starts without grants");
    assertAccess("bkt", alice.id(), null, bob.id());
    assertEquals(Permission.READ, id().access("bkt2", bob.id()).orElseThrow().granted(), "other buckets untouched");
  }

  @Test
  void statsCountObjectsAndBytes() {
    store.createBucket("bkt", "r", OWNER);
    store.createBucket("bkt2", "r", OWNER);
    assertEquals(new BucketStats("bkt", 0, 0), id().stats("bkt"));
    put("bkt", "small", bytes(10, 1));
    put("bkt", "large", bytes(THRESHOLD * 3, 2)); // a blob file
    put("bkt", "empty", new byte[0]);
    put("bkt2", "other", bytes(99, 3));
    assertEquals(new BucketStats("bkt", 3, 10 + THRESHOLD * 3), id().stats("bkt"));
    put("bkt", "small", bytes(20, 4)); // replaced, not added
    assertEquals(new BucketStats("bkt", 3, 20 + THRESHOLD * 3), id().stats("bkt"));
    failure(StorageException.Kind.NO_SUCH_BUCKET, () -> id().stats("nope"));
  }

  // ---- persistence and the master key

  @Test
  void everythingSurvivesAReopen() {
    UserInfo alice = id().createUser("alice", Role.ADMIN);
    UserInfo bob = id().createUser("bob", Role.USER);
    id().setUserEnabled(bob.id(), false);
    NewAccessKey k = id().createKey(alice.id(), clock.instant().plusSeconds(3600));
    store.createBucket("bkt", "r", alice.id());
    id().grant("bkt", bob.id(), Permission.READ_WRITE);
    List<UserInfo> users = id().users();
    List<AccessKeyInfo> keys = id().keys(null);

    reopen();
    assertEquals(users, id().users());
    assertEquals(keys, id().keys(null));
    ResolvedKey r = id().resolve(k.info().accessKeyId()).orElseThrow();
    assertEquals(k.secretAccessKey(), r.secretAccessKey());
    assertEquals(alice, r.user());
    assertEquals(List.of(new BucketGrant("bkt", bob.id(), Permission.READ_WRITE)), id().grants("bkt"));
    failure(StorageException.Kind.CONFLICT, () -> id().createUser("alice", Role.USER));
  }

  @Test
  void aWrongMasterKeyIsRefusedAtOpen() throws IOException {
    NewAccessKey k = id().createKey(id().createUser("alice", Role.USER).id(), null);
    store.close();
    MasterKey wrong = MasterKey.load(dir, Hex.encode(Ids.randomBytes(32)));
    StorageException e = failure(StorageException.Kind.MASTER_KEY,
        () -> TarnStore.open(options().withMasterKey(wrong), sink, clock));
    assertEquals("the master key does not match the one this data directory was created with (TARN_MASTER_KEY?)",
        e.getMessage());
    // The failed open released the database; the right key (the generated file) opens it.
    store = open();
    assertEquals(k.secretAccessKey(), id().resolve(k.info().accessKeyId()).orElseThrow().secretAccessKey());

    // A store created with an explicit key does not open with the key file either.
    store.close();
    MasterKey explicit = MasterKey.load(dir, Hex.encode(Ids.randomBytes(32)));
    Path other = dir.resolve("other");
    TarnStore.open(new StorageOptions(other, THRESHOLD, false, explicit), sink, clock).close();
    assertFalse(Files.exists(other.resolve(MasterKey.FILE)), "no file when a key is given");
    failure(StorageException.Kind.MASTER_KEY, () -> TarnStore.open(new StorageOptions(other, THRESHOLD, false), sink, clock));
    TarnStore.open(new StorageOptions(other, THRESHOLD, false, explicit), sink, clock).close();
    store = open();
  }

  @Test
  void noPlainSecretReachesTheMetadataFiles() throws IOException {
    UserInfo alice = id().createUser("alice", Role.USER);
    List<NewAccessKey> keys = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      keys.add(id().createKey(alice.id(), null));
    }
    String rootSecret = "root-secret-" + Ids.random128();
    id().bootstrapRoot(ROOT_ID, "root", "ROOTKEY", rootSecret);
    store.close();
    store = null;

    byte[] all = metaBytes();
    assertTrue(indexOf(all, utf8(keys.get(0).info().accessKeyId())) >= 0, "the search finds what is stored");
    for (NewAccessKey k : keys) {
      assertEquals(-1, indexOf(all, utf8(k.secretAccessKey())), "secret of " + k.info().accessKeyId());
    }
    assertEquals(-1, indexOf(all, utf8(rootSecret)), "root secret");
  }

  private byte[] metaBytes() throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (Stream<Path> files = Files.walk(dir.resolve("meta"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.write(Files.readAllBytes(p));
        out.write(0); // no match across file boundaries
      }
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void aClosedStoreRefusesIdentityOperations() {
    IdentityStore identity = id();
    store.close();
    assertEquals(StorageException.Kind.IO, kindOf(() -> identity.users()));
    assertEquals(StorageException.Kind.IO, kindOf(() -> identity.resolve("TKANY")));
    assertEquals(StorageException.Kind.IO, kindOf(() -> identity.createUser("late", Role.USER)));
    assertEquals(StorageException.Kind.IO, kindOf(() -> store.identity()));
  }

}
