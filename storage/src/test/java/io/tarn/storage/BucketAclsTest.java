package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.EventName;
import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.core.Role;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclPermission;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.access.CannedAcl;
import io.tarn.storage.access.Grant;
import io.tarn.storage.access.Grantee;
import io.tarn.storage.access.ObjectOwnership;
import io.tarn.storage.meta.Codec;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.MetaStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Buckets' and objects' ACLs and Object Ownership as stored, and the grants of earlier builds. */
class BucketAclsTest extends StoreTestSupport {
  private static void fails(StorageException.Kind kind, Executable op) {
    StorageException e = assertThrows(StorageException.class, op);
    assertEquals(kind, e.kind(), e.getMessage());
  }

  private static RequestContext as(UserInfo u) {
    return new RequestContext("REQ", new Principal(u.id(), u.name(), "AK", u.role()), "127.0.0.1");
  }

  private ObjectInfo put(String bucket, String key, RequestContext ctx, AclRequest acl) {
    try (BlobUpload u = body(utf8(key), key.length())) {
      return store.putObject(store.ref(bucket), key, u, ObjectMetadata.of(null, Map.of()), null, WriteCondition.NONE,
          EventName.OBJECT_CREATED_PUT, ctx, acl);
    }
  }

  private static Grant user(String id, AclPermission p) {
    return new Grant(new Grantee.User(id), p);
  }

  @Test
  void grantsOfAnEarlierBuildBecomeBucketAclsAtOpenOnce() throws Exception {
    UserInfo alice = id().createUser("alice", Role.USER);
    UserInfo bob = id().createUser("bob", Role.USER);
    UserInfo carol = id().createUser("carol", Role.USER);
    store.createBucket("shared", "r", alice.id());
    store.createBucket("private", "r", alice.id());
    ObjectInfo before = put("shared", "k", as(alice), AclRequest.NONE);
    store.close();
    store = null;
    // The data directory as an earlier build left it: one record per grant, `bucket 0x00 userId` holding
    // READ or READ_WRITE (format 1), and a format file without the acls feature.
    try (MetaStore meta = MetaStore.open(dir.resolve("meta"), false); MetaStore.Batch b = meta.batch()) {
      List<byte[]> now = new ArrayList<>();
      meta.scan(ColumnFamily.GRANTS, new byte[0], (k, v) -> now.add(k));
      now.forEach(k -> b.delete(ColumnFamily.GRANTS, k));
      b.put(ColumnFamily.GRANTS, legacyKey("shared", bob.id()), new Codec.Out(1).string("READ").toBytes());
      b.put(ColumnFamily.GRANTS, legacyKey("shared", carol.id()), new Codec.Out(1).string("READ_WRITE").toBytes());
      b.put(ColumnFamily.GRANTS, legacyKey("shared", alice.id()), new Codec.Out(1).string("READ").toBytes());
      b.put(ColumnFamily.GRANTS, legacyKey("gone", bob.id()), new Codec.Out(1).string("READ").toBytes());
      meta.commit(b, "test: as an earlier build");
    }
    Files.writeString(dir.resolve("tarn-format"), "format=1\nfeatures=usage-counters\nwritten-by=tarn 0.9\n");

    store = open();
    Acl acl = id().bucketAcl("shared");
    assertEquals(alice.id(), acl.ownerId());
    assertEquals(user(alice.id(), AclPermission.FULL_CONTROL), acl.grants().get(0));
    assertEquals(java.util.Set.of(user(alice.id(), AclPermission.FULL_CONTROL), user(bob.id(), AclPermission.READ),
        user(carol.id(), AclPermission.READ), user(carol.id(), AclPermission.WRITE)), java.util.Set.copyOf(acl.grants()),
        "the owner's FULL_CONTROL, READ as READ, READ_WRITE as READ and WRITE; the owner's own grant dropped");
    assertEquals(4, acl.grants().size());
    assertEquals(Permission.READ, id().access("shared", bob.id()).orElseThrow().granted());
    assertEquals(Permission.READ_WRITE, id().access("shared", carol.id()).orElseThrow().granted());
    assertEquals(List.of(new BucketGrant("shared", bob.id(), Permission.READ),
        new BucketGrant("shared", carol.id(), Permission.READ_WRITE)).stream()
        .sorted(java.util.Comparator.comparing(BucketGrant::userId)).toList(), id().grants("shared"));
    assertEquals(Acl.privateTo(alice.id()), id().bucketAcl("private"));
    assertEquals(Acl.privateTo(alice.id()), store.head("shared", "k").orElseThrow().acl(),
        "an object of an earlier build is its owner's alone");
    assertEquals(before.etag(), store.head("shared", "k").orElseThrow().etag());
    assertEquals(ObjectOwnership.OBJECT_WRITER, store.bucket("shared").orElseThrow().effectiveOwnership());
    assertNull(store.bucket("shared").orElseThrow().ownership());
    assertTrue(Files.readString(dir.resolve("tarn-format")).contains("features=acls,usage-counters"),
        "earlier builds are kept away from it from now on");
    List<String> left = new ArrayList<>();
    store.meta().scan(ColumnFamily.GRANTS, new byte[0], (k, v) -> left.add(new String(k, StandardCharsets.UTF_8)));
    assertEquals(List.of("shared"), left, "no record of the old shape is left, none for a bucket that is gone");

    reopen(); // nothing left to migrate: the ACL stays as it is
    assertEquals(acl, id().bucketAcl("shared"));
  }

  private static byte[] legacyKey(String bucket, String userId) {
    return (bucket + "\u0000" + userId).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void tarnGrantsAreTheBucketAclsUserGrants() {
    UserInfo alice = id().createUser("alice", Role.USER);
    UserInfo bob = id().createUser("bob", Role.USER);
    store.createBucket("bkt", "r", alice.id());
    id().grant("bkt", bob.id(), Permission.READ_WRITE);
    assertEquals(List.of(user(alice.id(), AclPermission.FULL_CONTROL), user(bob.id(), AclPermission.READ),
        user(bob.id(), AclPermission.WRITE)), id().bucketAcl("bkt").grants());
    id().setBucketAcl("bkt", AclRequest.grants(List.of(user(alice.id(), AclPermission.FULL_CONTROL),
        user(bob.id(), AclPermission.READ_ACP), new Grant(Grantee.Group.ALL_USERS, AclPermission.READ))));
    assertEquals(List.of(new BucketGrant("bkt", bob.id(), null, List.of(AclPermission.READ_ACP))), id().grants("bkt"),
        "a user holding only READ_ACP is shown with it, and no Tarn grant");
    assertNull(id().access("bkt", bob.id()).orElseThrow().granted());
    assertTrue(id().access("bkt", bob.id()).orElseThrow().readableBy(Principal.anonymous()), "AllUsers READ");
    id().revoke("bkt", bob.id());
    assertEquals(List.of(user(alice.id(), AclPermission.FULL_CONTROL),
        new Grant(Grantee.Group.ALL_USERS, AclPermission.READ)), id().bucketAcl("bkt").grants());

    id().grant("bkt", bob.id(), Permission.READ);
    id().deleteUser(alice.id(), bob.id());
    assertEquals(new Acl(bob.id(), List.of(user(bob.id(), AclPermission.FULL_CONTROL),
        new Grant(Grantee.Group.ALL_USERS, AclPermission.READ))), id().bucketAcl("bkt"),
        "the bucket passes to bob with its ACL; bob's grant is now his ownership");

    UserInfo carol = id().createUser("carol", Role.USER);
    id().grant("bkt", carol.id(), Permission.READ);
    id().deleteUser(carol.id(), null);
    assertEquals(List.of(), id().grants("bkt"), "a deleted user's grants go with it");

    store.deleteBucket("bkt");
    store.createBucket("bkt", "r", bob.id());
    assertEquals(Acl.privateTo(bob.id()), id().bucketAcl("bkt"), "a bucket of the same name starts private");
    fails(StorageException.Kind.NO_SUCH_BUCKET, () -> id().bucketAcl("nope"));
  }

  @Test
  void createBucketStoresItsOwnershipAndAcl() {
    store.createBucket("pub", "r", OWNER, ObjectOwnership.BUCKET_OWNER_PREFERRED, AclRequest.canned(CannedAcl.PUBLIC_READ));
    assertEquals(ObjectOwnership.BUCKET_OWNER_PREFERRED, store.bucket("pub").orElseThrow().ownership());
    assertEquals(CannedAcl.PUBLIC_READ.forBucket(OWNER), id().bucketAcl("pub"));
    assertTrue(id().access("pub", null).orElseThrow().acl().isPublic());

    fails(StorageException.Kind.INVALID_BUCKET_ACL_WITH_OWNERSHIP, () -> store.createBucket("enf", "r", OWNER,
        ObjectOwnership.BUCKET_OWNER_ENFORCED, AclRequest.canned(CannedAcl.PUBLIC_READ)));
    assertTrue(store.bucket("enf").isEmpty(), "nothing created");
    store.createBucket("enf", "r", OWNER, ObjectOwnership.BUCKET_OWNER_ENFORCED, AclRequest.canned(CannedAcl.PRIVATE));
    assertEquals(Acl.privateTo(OWNER), id().bucketAcl("enf"));
    fails(StorageException.Kind.ACLS_DISABLED, () -> id().setBucketAcl("enf", AclRequest.canned(CannedAcl.PUBLIC_READ)));
    fails(StorageException.Kind.INVALID_ARGUMENT, () -> id().grant("enf", id().createUser("bob", Role.USER).id(),
        Permission.READ));

    // BucketOwnerEnforced needs a private bucket ACL first, as on S3.
    fails(StorageException.Kind.INVALID_BUCKET_ACL_WITH_OWNERSHIP,
        () -> store.setOwnership("pub", ObjectOwnership.BUCKET_OWNER_ENFORCED));
    id().setBucketAcl("pub", AclRequest.canned(CannedAcl.PRIVATE));
    store.setOwnership("pub", ObjectOwnership.BUCKET_OWNER_ENFORCED);
    assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, store.bucket("pub").orElseThrow().ownership());
    store.setOwnership("pub", null);
    assertNull(store.bucket("pub").orElseThrow().ownership());
    reopen();
    assertNull(store.bucket("pub").orElseThrow().ownership());
    assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, store.bucket("enf").orElseThrow().ownership());
  }

  @Test
  void objectOwnershipDecidesWhoOwnsANewObjectAndWhetherItsAclIsKept() {
    UserInfo writer = id().createUser("writer", Role.USER);
    for (ObjectOwnership o : ObjectOwnership.values()) {
      store.createBucket("b-" + o.s3Name().toLowerCase(), "r", OWNER, o, AclRequest.NONE);
    }
    ObjectInfo w = put("b-objectwriter", "k", as(writer), AclRequest.canned(CannedAcl.PUBLIC_READ));
    assertEquals(writer.id(), w.ownerId());
    assertEquals(CannedAcl.PUBLIC_READ.forObject(writer.id(), OWNER), w.acl());
    assertEquals(w.acl(), store.head("b-objectwriter", "k").orElseThrow().acl(), "committed with the object");

    ObjectInfo p = put("b-bucketownerpreferred", "k", as(writer), AclRequest.canned(CannedAcl.BUCKET_OWNER_FULL_CONTROL));
    assertEquals(OWNER, p.ownerId(), "bucket-owner-full-control gives it to the bucket owner");
    ObjectInfo p2 = put("b-bucketownerpreferred", "k2", as(writer), AclRequest.NONE);
    assertEquals(writer.id(), p2.ownerId());

    ObjectInfo e = put("b-bucketownerenforced", "k", as(writer), AclRequest.canned(CannedAcl.BUCKET_OWNER_FULL_CONTROL));
    assertEquals(OWNER, e.ownerId());
    assertEquals(Acl.privateTo(OWNER), e.acl());
    fails(StorageException.Kind.ACLS_DISABLED,
        () -> put("b-bucketownerenforced", "pub", as(writer), AclRequest.canned(CannedAcl.PUBLIC_READ)));
    assertTrue(store.head("b-bucketownerenforced", "pub").isEmpty(), "nothing stored");

    // PutObjectAcl keeps the owner.
    Acl changed = store.setObjectAcl("b-objectwriter", "k", AclRequest.grants(List.of(user(writer.id(),
        AclPermission.FULL_CONTROL), user(OWNER, AclPermission.READ))));
    assertEquals(writer.id(), changed.ownerId());
    assertEquals(changed, store.head("b-objectwriter", "k").orElseThrow().acl());
    assertEquals(w.etag(), store.head("b-objectwriter", "k").orElseThrow().etag(), "the object is untouched");
    fails(StorageException.Kind.NO_SUCH_KEY, () -> store.setObjectAcl("b-objectwriter", "nope", AclRequest.NONE));
    fails(StorageException.Kind.ACLS_DISABLED,
        () -> store.setObjectAcl("b-bucketownerenforced", "k", AclRequest.canned(CannedAcl.PUBLIC_READ)));
    store.setObjectAcl("b-bucketownerenforced", "k", AclRequest.canned(CannedAcl.PRIVATE));
  }

  @Test
  void copiesAndUploadsGetTheAclTheyAskForNotTheSources() {
    store.createBucket("bkt", "r", OWNER, null, AclRequest.NONE);
    put("bkt", "src", CTX, AclRequest.canned(CannedAcl.PUBLIC_READ));
    ObjectInfo copy = store.copy(store.ref("bkt"), "src", store.ref("bkt"), "dst", null, null, null, WriteCondition.NONE,
        CTX, AclRequest.NONE);
    assertEquals(Acl.privateTo(OWNER), copy.acl(), "S3 does not copy an ACL");
    ObjectInfo copy2 = store.copy(store.ref("bkt"), "src", store.ref("bkt"), "dst2", null, null, null, WriteCondition.NONE,
        CTX, AclRequest.canned(CannedAcl.AUTHENTICATED_READ));
    assertEquals(CannedAcl.AUTHENTICATED_READ.forObject(OWNER, OWNER), copy2.acl());

    UploadInfo up = store.createUpload(store.ref("bkt"), "big", ObjectMetadata.of(null, Map.of()), null, false, CTX,
        AclRequest.canned(CannedAcl.PUBLIC_READ_WRITE));
    PartSummary part;
    try (BlobUpload u = body(utf8("part"), 4)) {
      part = store.putPart("bkt", "big", up.uploadId(), 1, u, null);
    }
    ObjectInfo done = store.completeUpload("bkt", "big", up.uploadId(),
        List.of(new CompletedPart(1, part.etag(), null)), 0, WriteCondition.NONE, CTX);
    assertEquals(CannedAcl.PUBLIC_READ_WRITE.forObject(OWNER, OWNER), done.acl(), "stored at create, given at completion");
    assertFalse(Acl.privateTo(OWNER).isPublic());
  }
}
