package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.checksum.ChecksumAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online backups: the backup opens as a store and holds what was committed when it began, even
 * where the store overwrites and deletes those objects while the backup links their files; its
 * verification finds damage; directories a backup cannot go into are refused.
 */
class BackupTest extends StoreTestSupport {
  private static final long MIN = 5L << 20;
  @TempDir Path elsewhere;

  private Backups backups() {
    return store.backups(List.of("tls"));
  }

  private BackupReport backup(Path into, Backups.Verify verify, boolean copy, Consumer<BackupProgress> progress) {
    return backups().backup(into, verify, copy, progress);
  }

  @Test
  void aBackupOpensAsAStoreWithEveryObjectUploadAndFile() throws IOException {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "small", bytes(100, 1)); // inline
    put("bkt", "blob", bytes(70_000, 2));
    UploadInfo u = store.createUpload("bkt", "mp", ObjectMetadata.of(null, Map.of()), null, CTX);
    PartSummary p1 = part("mp", u.uploadId(), 1, bytes((int) MIN, 3));
    PartSummary p2 = part("mp", u.uploadId(), 2, bytes(10, 4));
    store.completeUpload("bkt", "mp", u.uploadId(), List.of(named(p1), named(p2)), MIN, WriteCondition.NONE, CTX);
    store.copy("bkt", "blob", "bkt", "copy", i -> { }, null, null, WriteCondition.NONE, CTX);
    UploadInfo open = store.createUpload("bkt", "unfinished", ObjectMetadata.of(null, Map.of()), null, CTX);
    part("unfinished", open.uploadId(), 1, bytes(3000, 5));
    Files.createDirectory(dir.resolve("tls"));
    Files.writeString(dir.resolve("tls").resolve("cert.pem"), "not really a certificate");
    Files.writeString(dir.resolve("root-credentials"), "secret");

    Path into = elsewhere.resolve("backup");
    List<String> phases = new ArrayList<>();
    BackupReport r = backup(into, Backups.Verify.FULL, false, p -> {
      if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(p.phase())) {
        phases.add(p.phase());
      }
    });

    assertTrue(r.verified(), r.problems().toString());
    assertEquals(List.of("checkpoint", "blobs", "files", "verify"), phases);
    assertEquals(4, r.objects());
    assertEquals(1, r.inlineObjects());
    assertTrue(r.hardLinked(), "same file system: hard links");
    // blob, mp's 2 parts and manifest, copy's link and manifest, the unfinished upload's part
    assertEquals(7, r.blobFiles());
    assertEquals(r.blobFiles(), r.verifiedBlobs());
    assertTrue(r.files().containsAll(List.of("master.key", "store-stamp", "root-credentials", "tls/cert.pem")),
        r.files().toString());
    assertTrue(Files.isRegularFile(into.resolve(BackupReport.MARKER)));
    Map<String, byte[]> before = everything();
    String blobId = blobFiles().get(0);
    assertTrue(Files.isSameFile(blobPath(dir, blobId), blobPath(into, blobId)), "hard-linked");

    // The store goes on; the backup is a store of its own.
    store.delete("bkt", "blob", WriteCondition.NONE, CTX);
    store.close();
    store = TarnStore.open(new StorageOptions(into, THRESHOLD, false), sink, clock);
    assertEquals(before.keySet(), everything().keySet());
    before.forEach((k, v) -> assertArrayEquals(v, read("bkt", k), k));
    assertEquals(1, store.listUploads("bkt", "", null, null, null, 10).uploads().size(), "the upload in progress");
    assertEquals(4, store.identity().stats("bkt").objects(), "the buckets' counters came along");
  }

  /**
   * Between the checkpoint and the linking of its files, objects are overwritten and deleted: their
   * files, released by those commits, must still be there to be linked, so the store holds their
   * deletion until the files are linked, and deletes them after.
   */
  @Test
  void filesReleasedWhileTheBackupLinksAreKeptForItAndDeletedAfter() {
    store.createBucket("bkt", "r", OWNER);
    Map<String, byte[]> acked = new java.util.TreeMap<>();
    for (int i = 0; i < 20; i++) {
      byte[] b = bytes(5000 + i, i);
      put("bkt", "k" + i, b);
      acked.put("k" + i, b);
    }
    Set<String> filesAtCheckpoint = new HashSet<>(blobFiles());
    boolean[] changed = {false};
    BackupReport r = backup(elsewhere.resolve("b"), Backups.Verify.QUICK, false, p -> {
      if (p.phase().equals("blobs") && !changed[0]) { // after the checkpoint, before any link
        changed[0] = true;
        for (int i = 0; i < 20; i++) {
          if (i % 2 == 0) {
            store.delete("bkt", "k" + i, WriteCondition.NONE, CTX);
          } else {
            put("bkt", "k" + i, bytes(100, 1000 + i));
          }
        }
        assertTrue(blobFiles().containsAll(filesAtCheckpoint), "released files are held while the backup links");
      }
    });
    assertTrue(r.verified(), r.problems().toString());
    assertEquals(20, r.heldDeletions());
    Set<String> left = new HashSet<>(blobFiles());
    left.retainAll(filesAtCheckpoint);
    assertEquals(Set.of(), left, "the held deletions happened when the backup let go");

    store.close();
    store = TarnStore.open(new StorageOptions(elsewhere.resolve("b"), THRESHOLD, false), sink, clock);
    acked.forEach((k, v) -> assertArrayEquals(v, read("bkt", k), "the version of " + k + " at the checkpoint"));
  }

  @Test
  void aFullVerificationFindsADamagedBlockThatAQuickOneCannot() throws IOException {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "k", bytes(200_000, 7));
    String id = blobFiles().get(0);
    for (Backups.Verify verify : Backups.Verify.values()) {
      Path into = elsewhere.resolve(verify.name());
      BackupReport r = backup(into, verify, true, p -> {
        if (p.phase().equals("verify") && p.done() == 0) {
          flipByte(blobPath(into, id), 70_000); // the copy, not the store's file
        }
      });
      assertFalse(r.hardLinked(), "copies when asked");
      if (verify == Backups.Verify.FULL) {
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals(FsckReport.Kind.CORRUPT_BLOB, r.problems().get(0).kind());
        assertTrue(r.problems().get(0).detail().contains("block 1"), r.problems().toString());
        assertFalse(Files.exists(into.resolve(BackupReport.MARKER)), "not marked complete");
      } else {
        assertTrue(r.verified(), "a quick verification reads trailers only: " + r.problems());
      }
    }
    assertArrayEquals(bytes(200_000, 7), read("bkt", "k"), "the store's own file is untouched");
  }

  @Test
  void aMissingBlobFailsTheVerification() throws IOException {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "k", bytes(9000, 7));
    Files.delete(blobPath(dir, blobFiles().get(0)));
    BackupReport r = backup(elsewhere.resolve("b"), Backups.Verify.QUICK, false, p -> { });
    assertFalse(r.verified());
    assertEquals(FsckReport.Kind.MISSING_BLOB, r.problems().get(0).kind());
    assertTrue(r.problems().get(0).detail().contains("bkt/k"), r.problems().toString());
  }

  @Test
  void directoriesABackupCannotGoIntoAreRefusedWithoutCreatingAnything() throws IOException {
    Files.writeString(mkdir("full").resolve("x"), "x");
    Files.writeString(elsewhere.resolve("file"), "x");
    Files.createSymbolicLink(elsewhere.resolve("link-to-data"), dir);
    Map<String, Path> refused = Map.of(
        "must be an absolute path", Path.of("relative/backup"),
        "is inside the data directory", dir.resolve("backups/today"),
        "inside the data directory " , elsewhere.resolve("link-to-data").resolve("b"),
        "is not empty", elsewhere.resolve("full"),
        "exists and is not a directory", elsewhere.resolve("file"),
        "parent directory of the backup directory", elsewhere.resolve("no/such"));
    refused.forEach((message, path) -> {
      StorageException e = assertThrows(StorageException.class,
          () -> backup(path, Backups.Verify.QUICK, false, p -> { }));
      assertEquals(StorageException.Kind.INVALID_ARGUMENT, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains(message), e.getMessage());
    });
    assertFalse(Files.exists(dir.resolve("backups")));
    assertFalse(Files.exists(elsewhere.resolve("no")));

    // One at a time.
    StorageException[] second = {null};
    backup(elsewhere.resolve("one"), Backups.Verify.QUICK, false, p -> {
      if (second[0] == null) {
        second[0] = assertThrows(StorageException.class,
            () -> backup(elsewhere.resolve("two"), Backups.Verify.QUICK, false, q -> { }));
      }
    });
    assertEquals(StorageException.Kind.CONFLICT, second[0].kind());
    assertTrue(second[0].getMessage().contains("already running"), second[0].getMessage());
  }

  @Test
  void closingTheStoreEndsARunningBackupAndItsHoldLeavesNothingBehindForTheSweep() {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "a", bytes(5000, 1));
    put("bkt", "b", bytes(5000, 2));
    StorageException e = assertThrows(StorageException.class, () -> backup(elsewhere.resolve("b"),
        Backups.Verify.QUICK, false, p -> {
          if (p.phase().equals("blobs") && p.done() == 0) {
            store.delete("bkt", "a", WriteCondition.NONE, CTX); // held
            store.close();
          }
        }));
    assertTrue(e.getMessage().contains("backup stopped: the server is shutting down"), e.getMessage());
    assertFalse(Files.exists(elsewhere.resolve("b").resolve(BackupReport.MARKER)));
    store = open(); // the released file, whose deletion was held, is the start-up sweep's
    assertEquals(1, blobFiles().size(), blobFiles().toString());
    assertArrayEquals(bytes(5000, 2), read("bkt", "b"));
  }

  private Path mkdir(String name) throws IOException {
    return Files.createDirectories(elsewhere.resolve(name));
  }

  private PartSummary part(String key, String uploadId, int n, byte[] data) {
    try (BlobUpload body = body(data, data.length, ChecksumAlgorithm.CRC32C)) {
      return store.putPart("bkt", key, uploadId, n, body, null);
    }
  }

  private static CompletedPart named(PartSummary p) {
    return new CompletedPart(p.partNumber(), p.etag(), null);
  }

  private Map<String, byte[]> everything() {
    Map<String, byte[]> out = new java.util.TreeMap<>();
    for (ObjectInfo o : store.list("bkt", "", null, null, 1000).objects()) {
      out.put(o.key(), read("bkt", o.key()));
    }
    return out;
  }

  private static Path blobPath(Path data, String id) {
    return data.resolve("blobs").resolve(id.substring(0, 2)).resolve(id);
  }

  private static void flipByte(Path file, long at) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x55)).rewind();
      ch.write(b, at);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
